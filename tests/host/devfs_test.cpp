// tests/host/devfs_test.cpp -- devfs on /dev, the block registry's device
// numbers, /dev/null and /dev/zero, and disks read and written as files.
//
// The stage: a "testfs" root (tests/host/support/memory_fs) with /dev, devfs
// mounted on /dev through the VFS, and three disks registered before the
// mount: ram0 and vda are RecordingDevices (vda with tiny request limits, so
// one read becomes many requests), hda is an ImageFileDevice over a
// temporary host file. Every disk starts filled with pseudo-random bytes;
// `model_` keeps what each should hold, and each check compares against the
// device's real backing store. After every test the VFS must be empty again.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "drivers/block/block_device_registry.h"
#include "fs/devfs/block_device_file.h"
#include "fs/devfs/block_device_ioctl.h"
#include "fs/devfs/devfs.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/vfs.h"
#include "tests/host/support/fake_user_memory.h"
#include "tests/host/support/image_file_device.h"
#include "tests/host/support/memory_fs.h"
#include "tests/host/support/recording_device.h"
#include "tests/host/support/vfs_test_support.h"

namespace {

const Credentials ROOT = Credentials::root();
constexpr uint64_t RAM0_SECTORS = 128;  // 64 KiB
constexpr uint64_t HDA_SECTORS = 800;   // 400 KiB: several 64 KiB bounce steps
constexpr uint64_t VDA_SECTORS = 4800;  // 2.4 MiB: more than two 1 MiB bounce steps
constexpr size_t KIB = 1024;


std::vector<uint8_t> random_bytes(size_t size, uint32_t seed) {
    std::mt19937 generator(seed);
    std::vector<uint8_t> bytes(size);
    for (uint8_t& byte : bytes) byte = uint8_t(generator());
    return bytes;
}

class DevfsTest : public ::testing::Test {
protected:
    // Once per process: the VFS registrations are global and never undone.
    static void SetUpTestSuite() {
        static bool registered = [] {
            EXPECT_EQ(error_of(register_filesystem(devfs_file_system_type())), 0);
            EXPECT_EQ(error_of(register_memory_devices()), 0);
            EXPECT_EQ(error_of(register_block_device_files()), 0);
            return true;
        }();
        (void)registered;
    }

    void SetUp() override {
        VfsObjectCounts counts = vfs_object_counts();
        ASSERT_EQ(counts.super_blocks + counts.mounts + counts.dentries + counts.inodes + counts.files, 0u);
        reset_block_device_registry();
        ram0_ = std::make_unique<RecordingDevice>("ram0", RAM0_SECTORS);
        BlockDeviceLimits tiny;
        tiny.max_sectors_per_request = 8;
        tiny.max_segments = 2;
        tiny.max_segment_bytes = 2048;
        vda_ = std::make_unique<RecordingDevice>("vda", VDA_SECTORS, tiny);
        ram0_->storage() = model_["ram0"] = random_bytes(RAM0_SECTORS * 512, 1);
        vda_->storage() = model_["vda"] = random_bytes(VDA_SECTORS * 512, 3);
        ASSERT_NO_FATAL_FAILURE(create_image_disk());
        for (BlockDevice* device : {static_cast<BlockDevice*>(ram0_.get()), static_cast<BlockDevice*>(hda_),
                                    static_cast<BlockDevice*>(vda_.get())})
            ASSERT_EQ(error_of(register_block_device(*device)), 0);

        root_image_.add_directory("/dev");
        root_image_.add_device("/hda-by-mknod", S_IFBLK | 0660, make_device_number(3, 0));
        root_image_.add_device("/hdb-absent", S_IFBLK | 0660, make_device_number(3, 64));
        root_image_.add_device("/no-block-driver", S_IFBLK | 0660, make_device_number(77, 0));
        memory_file_system_type().publish("devfs-root", &root_image_);
        ASSERT_EQ(error_of(namespace_.mount_root("testfs", nullptr, 0, "devfs-root")), 0);
        cwd_ = namespace_.root();
        ASSERT_EQ(error_of(vfs_mount(cwd_, "devfs", nullptr, "/dev", 0, "", ROOT)), 0);
    }

    void TearDown() override {
        cwd_.reset();
        EXPECT_EQ(error_of(namespace_.unmount_all()), 0);
        VfsObjectCounts left = vfs_object_counts();
        EXPECT_EQ(left.files + left.mounts + left.dentries + left.inodes + left.super_blocks, 0u)
            << left.files << " files, " << left.mounts << " mounts, " << left.dentries << " dentries, "
            << left.inodes << " inodes, " << left.super_blocks << " super blocks left";
        memory_file_system_type().withdraw("devfs-root");
        reset_block_device_registry();
        delete hda_;
        if (!image_path_.empty()) ::unlink(image_path_.c_str());
    }

    void create_image_disk() {
        char path[] = "/tmp/devfs_test_hda_XXXXXX";
        int file = ::mkstemp(path);
        ASSERT_GE(file, 0);
        image_path_ = path;
        model_["hda"] = random_bytes(HDA_SECTORS * 512, 2);
        ASSERT_EQ(::pwrite(file, model_["hda"].data(), model_["hda"].size(), 0), ssize_t(model_["hda"].size()));
        ::close(file);
        ImageFileDevice::Options options;
        options.name = "hda";
        Result<ImageFileDevice*> opened = ImageFileDevice::open(path, options);
        ASSERT_EQ(error_of(opened), 0);
        hda_ = opened.value();
    }

    // What the disk really holds now, read behind the VFS's back.
    std::vector<uint8_t> backing_store(const std::string& name) {
        if (name == "ram0") return ram0_->storage();
        if (name == "vda") return vda_->storage();
        std::vector<uint8_t> contents(HDA_SECTORS * 512);
        int file = ::open(image_path_.c_str(), O_RDONLY);
        EXPECT_EQ(::pread(file, contents.data(), contents.size(), 0), ssize_t(contents.size()));
        ::close(file);
        return contents;
    }

    FileRef open(const char* name, uint32_t flags = O_RDONLY) {
        Result<FileRef> file = vfs_open(cwd_, name, flags, 0, ROOT);
        EXPECT_EQ(error_of(file), 0) << name;
        return file.is_error() ? FileRef() : file.release_value();
    }

    std::vector<Entry> list(const char* directory_name, size_t buffer_size) {
        FileRef directory = open(directory_name, O_RDONLY | O_DIRECTORY);
        return directory ? read_directory(*directory, buffer_size) : std::vector<Entry>{};
    }

    linux_abi::stat64 stat(const char* name) {
        linux_abi::stat64 result{};
        EXPECT_EQ(error_of(vfs_stat(cwd_, name, true, ROOT, &result)), 0) << name;
        return result;
    }

    // pread through the VFS; checks the bytes against the model and the count
    // against the clamp at the end of the disk.
    void expect_pread_matches(File& file, const std::string& name, uint64_t offset, size_t size) {
        const std::vector<uint8_t>& expected = model_[name];
        std::vector<uint8_t> buffer(size + 1, 0xEE);
        Result<size_t> got = vfs_pread(file, buffer.data(), size, int64_t(offset));
        ASSERT_EQ(error_of(got), 0) << name << " at " << offset << " size " << size;
        size_t want = offset >= expected.size() ? 0 : std::min<uint64_t>(size, expected.size() - offset);
        ASSERT_EQ(got.value(), want) << name << " at " << offset << " size " << size;
        EXPECT_EQ(std::memcmp(buffer.data(), expected.data() + std::min<uint64_t>(offset, expected.size()), want), 0)
            << name << " at " << offset << " size " << size;
        EXPECT_EQ(buffer[size], 0xEE) << "wrote past the caller's buffer";
    }

    // pwrite through the VFS and the same change to the model.
    void pwrite_and_model(File& file, const std::string& name, uint64_t offset, size_t size, uint32_t seed) {
        std::vector<uint8_t> data = random_bytes(size, seed);
        Result<size_t> written = vfs_pwrite(file, data.data(), size, int64_t(offset));
        ASSERT_EQ(error_of(written), 0) << name << " at " << offset << " size " << size;
        ASSERT_EQ(written.value(), size);
        std::memcpy(model_[name].data() + offset, data.data(), size);
    }

    DentryCache cache_{64};
    MountNamespace namespace_{cache_};
    MemoryImage root_image_;
    Path cwd_;
    std::unique_ptr<RecordingDevice> ram0_, vda_;
    ImageFileDevice* hda_ = nullptr;
    std::string image_path_;
    std::map<std::string, std::vector<uint8_t>> model_;
};

// The offsets and sizes every disk is read and written at: the edges of a
// sector and of the 64 KiB bounce buffer, and the end of the disk.
std::vector<uint64_t> interesting_offsets(uint64_t capacity) {
    std::vector<uint64_t> offsets = {0, 1, 511, 512, 513, 1000, 4095, 4096};
    for (uint64_t boundary = 64 * KIB; boundary < capacity; boundary += 64 * KIB)
        for (uint64_t near : {boundary - 1, boundary, boundary + 1}) offsets.push_back(near);
    for (uint64_t back : {uint64_t(1), uint64_t(2), uint64_t(511), uint64_t(512), uint64_t(513)})
        offsets.push_back(capacity - back);
    return offsets;
}
const std::vector<size_t> INTERESTING_SIZES = {1, 2, 511, 512, 513, 1024, 4097, 65535, 65536, 65537, 140000};

// --- the registry's device numbers ------------------------------------------------

TEST(BlockDeviceNumbers, FollowLinuxMajorsAndMinors) {
    reset_block_device_registry();
    struct Expected {
        const char* name;
        uint32_t major, minor;
    };
    const Expected expected[] = {
        {"ram0", 1, 0},    {"ram1", 1, 1},     {"ram15", 1, 15},  {"hda", 3, 0},     {"hda1", 3, 1},
        {"hda63", 3, 63},  {"hdb", 3, 64},     {"hdb2", 3, 66},   {"hdc", 22, 0},    {"hdc5", 22, 5},
        {"hdd", 22, 64},   {"vda", 254, 0},    {"vda1", 254, 1},  {"vdb", 254, 16},  {"vdb15", 254, 31},
        {"vdz", 254, 400}, {"ram01", 259, 0},  {"hde", 259, 1},   {"hda0", 259, 2},  {"hda64", 259, 3},
        {"vda16", 259, 4}, {"ram256", 259, 5}, {"disk", 259, 6},  {"vd", 259, 7},    {"hdax", 259, 8},
    };
    std::vector<std::unique_ptr<RecordingDevice>> devices;
    for (const Expected& entry : expected) {
        devices.push_back(std::make_unique<RecordingDevice>(entry.name, 8));
        ASSERT_EQ(error_of(register_block_device(*devices.back())), 0) << entry.name;
        EXPECT_EQ(block_device_major(*devices.back()), entry.major) << entry.name;
        EXPECT_EQ(block_device_minor(*devices.back()), entry.minor) << entry.name;
    }
    for (size_t i = 0; i < devices.size(); ++i) {
        EXPECT_EQ(find_block_device_by_number(expected[i].major, expected[i].minor), devices[i].get());
        EXPECT_EQ(block_device_at(i), devices[i].get());
    }
    EXPECT_EQ(block_device_at(devices.size()), nullptr);
    EXPECT_EQ(find_block_device_by_number(3, 128), nullptr);
    EXPECT_EQ(find_block_device_by_number(259, 9), nullptr);
    RecordingDevice stranger("hdd1", 8);  // never registered
    EXPECT_EQ(block_device_major(stranger), 0u);
    EXPECT_EQ(block_device_minor(stranger), 0u);
    reset_block_device_registry();
    EXPECT_EQ(find_block_device_by_number(1, 0), nullptr);
    EXPECT_EQ(block_device_at(0), nullptr);
}

// --- the directory ------------------------------------------------------------------

TEST_F(DevfsTest, GetdentsListsCharacterDevicesThenDisksExactlyOnce) {
    const std::vector<std::pair<std::string, uint8_t>> expected = {
        {".", DT_DIR},     {"..", DT_DIR},   {"console", DT_CHR}, {"null", DT_CHR},
        {"zero", DT_CHR},  {"ram0", DT_BLK}, {"hda", DT_BLK},     {"vda", DT_BLK},
    };
    const uint64_t expected_inodes[] = {1, 1, 2, 3, 4, 1000, 1001, 1002};
    for (size_t buffer_size : {size_t(4096), size_t(32)}) {  // all at once, and one record per call
        std::vector<Entry> entries = list("/dev", buffer_size);
        ASSERT_EQ(entries.size(), expected.size()) << buffer_size;
        for (size_t i = 0; i < entries.size(); ++i) {
            EXPECT_EQ(entries[i].name, expected[i].first);
            EXPECT_EQ(entries[i].type, expected[i].second) << entries[i].name;
            EXPECT_EQ(entries[i].inode_number, expected_inodes[i]) << entries[i].name;
            if (i > 0) {
                EXPECT_GT(entries[i].next_offset, entries[i - 1].next_offset);
            }
        }
    }
}

TEST_F(DevfsTest, DirectoryPositionsResumeWhereLseekPutsThem) {
    std::vector<Entry> entries = list("/dev", 4096);
    ASSERT_EQ(entries.size(), 8u);
    FileRef directory = open("/dev", O_RDONLY | O_DIRECTORY);
    ASSERT_EQ(error_of(vfs_lseek(*directory, entries[4].next_offset, SEEK_SET)), 0);  // after "zero"
    std::vector<uint8_t> buffer(4096);
    Result<size_t> got = vfs_getdents64(*directory, buffer.data(), buffer.size());
    ASSERT_EQ(error_of(got), 0);
    auto* first = reinterpret_cast<const linux_abi::linux_dirent64*>(buffer.data());
    EXPECT_STREQ(first->d_name, "ram0");
}

TEST_F(DevfsTest, Stat64GivesLinuxDeviceNumbersModesAndOwners) {
    struct Expected {
        const char* name;
        uint32_t mode, major, minor;
        uint64_t inode;
    };
    const Expected expected[] = {
        {"/dev/console", S_IFCHR | 0600, 5, 1, 2}, {"/dev/null", S_IFCHR | 0666, 1, 3, 3},
        {"/dev/zero", S_IFCHR | 0666, 1, 5, 4},    {"/dev/ram0", S_IFBLK | 0660, 1, 0, 1000},
        {"/dev/hda", S_IFBLK | 0660, 3, 0, 1001},  {"/dev/vda", S_IFBLK | 0660, 254, 0, 1002},
    };
    for (const Expected& entry : expected) {
        linux_abi::stat64 status = stat(entry.name);
        EXPECT_EQ(status.st_mode, entry.mode) << entry.name;
        EXPECT_EQ(status.st_rdev, linux_abi::encode_device(entry.major, entry.minor)) << entry.name;
        EXPECT_EQ(status.st_ino, entry.inode) << entry.name;
        EXPECT_EQ(status.st_nlink, 1u) << entry.name;
        EXPECT_EQ(status.st_uid, 0u) << entry.name;
        EXPECT_EQ(status.st_gid, 0u) << entry.name;
        EXPECT_EQ(status.st_size, 0) << entry.name;
    }
    linux_abi::stat64 directory = stat("/dev");
    EXPECT_EQ(directory.st_mode, uint32_t(S_IFDIR | 0755));
    EXPECT_EQ(directory.st_ino, 1u);
    EXPECT_EQ(directory.st_nlink, 2u);
    EXPECT_NE(directory.st_dev, stat("/").st_dev);  // its own (anonymous) device
}

TEST_F(DevfsTest, StatfsDescribesAMemoryFileSystem) {
    linux_abi::statfs64 statistics{};
    ASSERT_EQ(error_of(vfs_statfs(cwd_, "/dev/null", ROOT, &statistics)), 0);
    EXPECT_EQ(statistics.f_type, DEVFS_SUPER_MAGIC);
    EXPECT_EQ(statistics.f_bsize, 4096u);
    EXPECT_EQ(statistics.f_blocks, 0u);
    EXPECT_EQ(statistics.f_files, 7u);  // the root, three character devices, three disks
    EXPECT_EQ(statistics.f_namelen, 255u);
}

TEST_F(DevfsTest, TheTreeBelongsToTheDriversSoChangesAreEPERM) {
    EXPECT_EQ(error_of(vfs_open(cwd_, "/dev/new", O_CREAT | O_WRONLY, 0644, ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/dev/dir", 0755, ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_mknod(cwd_, "/dev/hdb", S_IFBLK | 0660, make_device_number(3, 64), ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_symlink("null", cwd_, "/dev/link", ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_link(cwd_, "/dev/null", "/dev/null2", ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_unlink(cwd_, "/dev/null", ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/dev/zero", "/dev/zero2", ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/dev/nothing", ROOT)), ENOENT);
    linux_abi::stat64 status;
    EXPECT_EQ(error_of(vfs_stat(cwd_, "/dev/nothing", true, ROOT, &status)), ENOENT);
    EXPECT_EQ(list("/dev", 4096).size(), 8u);  // nothing changed
}

TEST_F(DevfsTest, ADiskRegisteredAfterTheMountAppears) {
    RecordingDevice vdb("vdb", 16);
    vdb.storage() = random_bytes(16 * 512, 9);
    ASSERT_EQ(error_of(register_block_device(vdb)), 0);
    std::vector<Entry> entries = list("/dev", 4096);
    ASSERT_EQ(entries.size(), 9u);
    EXPECT_EQ(entries.back().name, "vdb");
    EXPECT_EQ(entries.back().type, DT_BLK);
    EXPECT_EQ(entries.back().inode_number, 1003u);
    EXPECT_EQ(stat("/dev/vdb").st_rdev, linux_abi::encode_device(254, 16));
    FileRef file = open("/dev/vdb");
    std::vector<uint8_t> buffer(16 * 512);
    ASSERT_EQ(vfs_read(*file, buffer.data(), buffer.size()).value(), buffer.size());
    EXPECT_EQ(buffer, vdb.storage());
}

// --- opening nodes ------------------------------------------------------------------

TEST_F(DevfsTest, ANodeWithoutItsDeviceIsENXIO) {
    EXPECT_EQ(error_of(vfs_open(cwd_, "/hdb-absent", O_RDONLY, 0, ROOT)), ENXIO);       // driver, no disk
    EXPECT_EQ(error_of(vfs_open(cwd_, "/no-block-driver", O_RDONLY, 0, ROOT)), ENXIO);  // no driver
    // The host build has no console driver: the node is listed, opening it is ENXIO.
    EXPECT_EQ(error_of(vfs_open(cwd_, "/dev/console", O_RDWR, 0, ROOT)), ENXIO);
}

TEST_F(DevfsTest, AMknodNodeAnywhereOpensTheSameDisk) {
    FileRef by_mknod = open("/hda-by-mknod");
    std::vector<uint8_t> buffer(1000);
    ASSERT_EQ(vfs_pread(*by_mknod, buffer.data(), buffer.size(), 70000).value(), buffer.size());
    EXPECT_EQ(std::memcmp(buffer.data(), model_["hda"].data() + 70000, buffer.size()), 0);
}

TEST_F(DevfsTest, NullSwallowsWritesAndReadsAtTheEnd) {
    FileRef null = open("/dev/null", O_RDWR);
    char buffer[64];
    std::memset(buffer, 'x', sizeof buffer);
    EXPECT_EQ(vfs_write(*null, buffer, sizeof buffer).value(), sizeof buffer);
    EXPECT_EQ(vfs_write(*null, buffer, 0).value(), 0u);
    EXPECT_EQ(vfs_read(*null, buffer, sizeof buffer).value(), 0u);
    EXPECT_EQ(vfs_pread(*null, buffer, sizeof buffer, 12345).value(), 0u);
    EXPECT_EQ(vfs_pwrite(*null, buffer, 10, 999).value(), 10u);
    EXPECT_EQ(buffer[0], 'x');  // reading touched nothing
    EXPECT_EQ(vfs_lseek(*null, 100, SEEK_SET).value(), 0);
    EXPECT_EQ(vfs_lseek(*null, 0, SEEK_END).value(), 0);
}

TEST_F(DevfsTest, ZeroReadsZerosAndSwallowsWrites) {
    FileRef zero = open("/dev/zero", O_RDWR);
    std::vector<uint8_t> buffer(100000, 0xAA);
    ASSERT_EQ(vfs_read(*zero, buffer.data(), buffer.size()).value(), buffer.size());
    EXPECT_EQ(buffer, std::vector<uint8_t>(100000, 0));
    std::fill(buffer.begin(), buffer.end(), 0xAA);
    ASSERT_EQ(vfs_pread(*zero, buffer.data(), 7, 1 << 30).value(), 7u);
    EXPECT_EQ(buffer[6], 0);
    EXPECT_EQ(buffer[7], 0xAA);
    EXPECT_EQ(vfs_write(*zero, buffer.data(), buffer.size()).value(), buffer.size());
    EXPECT_EQ(vfs_lseek(*zero, 5, SEEK_CUR).value(), 0);
}

TEST_F(DevfsTest, OpenModesFollowTheVfsRules) {
    FileRef read_only = open("/dev/hda", O_RDONLY);
    char byte = 0;
    EXPECT_EQ(error_of(vfs_write(*read_only, &byte, 1)), EBADF);
    EXPECT_EQ(error_of(vfs_pwrite(*read_only, &byte, 1, 0)), EBADF);
    FileRef write_only = open("/dev/hda", O_WRONLY);
    EXPECT_EQ(error_of(vfs_read(*write_only, &byte, 1)), EBADF);
    EXPECT_EQ(backing_store("hda"), model_["hda"]);
}

// --- disks as files -----------------------------------------------------------------

TEST_F(DevfsTest, ReadsAtEveryAwkwardOffsetAndSizeEqualTheDisk) {
    for (const char* name : {"ram0", "hda", "vda"}) {
        std::string path = std::string("/dev/") + name;
        FileRef file = open(path.c_str());
        uint64_t capacity = model_[name].size();
        for (uint64_t offset : interesting_offsets(capacity))
            for (size_t size : INTERESTING_SIZES) ASSERT_NO_FATAL_FAILURE(expect_pread_matches(*file, name, offset, size));
        // At and past the end: nothing, and no error.
        for (uint64_t offset : {capacity, capacity + 1, capacity + 4096, uint64_t(1) << 40})
            ASSERT_NO_FATAL_FAILURE(expect_pread_matches(*file, name, offset, 512));
    }
}

TEST_F(DevfsTest, SequentialReadsInOddChunksReturnTheWholeDiskThenZero) {
    FileRef file = open("/dev/hda");
    std::vector<uint8_t> contents;
    std::vector<uint8_t> chunk(7777);
    for (;;) {
        Result<size_t> got = vfs_read(*file, chunk.data(), chunk.size());
        ASSERT_EQ(error_of(got), 0);
        if (got.value() == 0) break;
        contents.insert(contents.end(), chunk.begin(), chunk.begin() + got.value());
    }
    EXPECT_EQ(contents, model_["hda"]);
    EXPECT_EQ(vfs_read(*file, chunk.data(), chunk.size()).value(), 0u);
}

TEST_F(DevfsTest, UnalignedWritesLandExactlyAndLeaveTheNeighboursAlone) {
    uint32_t seed = 100;
    for (const char* name : {"ram0", "hda", "vda"}) {
        std::string path = std::string("/dev/") + name;
        FileRef file = open(path.c_str(), O_RDWR);
        uint64_t capacity = model_[name].size();
        for (uint64_t offset : interesting_offsets(capacity)) {
            for (size_t size : {size_t(1), size_t(3), size_t(511), size_t(513), size_t(65537), size_t(70000)}) {
                if (offset + size > capacity) continue;
                ASSERT_NO_FATAL_FAILURE(pwrite_and_model(*file, name, offset, size, seed++));
            }
            ASSERT_EQ(backing_store(name), model_[name]) << name << " after writes at " << offset;
        }
        ASSERT_NO_FATAL_FAILURE(expect_pread_matches(*file, name, 0, capacity));
    }
}

TEST_F(DevfsTest, WritesThroughThePositionAdvanceIt) {
    FileRef file = open("/dev/vda", O_RDWR);
    ASSERT_EQ(vfs_lseek(*file, 1000, SEEK_SET).value(), 1000);
    std::vector<uint8_t> data = random_bytes(3000, 77);
    ASSERT_EQ(vfs_write(*file, data.data(), 1500).value(), 1500u);
    ASSERT_EQ(vfs_write(*file, data.data() + 1500, 1500).value(), 1500u);
    EXPECT_EQ(vfs_lseek(*file, 0, SEEK_CUR).value(), 4000);
    std::memcpy(model_["vda"].data() + 1000, data.data(), data.size());
    EXPECT_EQ(backing_store("vda"), model_["vda"]);
}

TEST_F(DevfsTest, TheEndOfTheDisk) {
    FileRef file = open("/dev/ram0", O_RDWR);
    const int64_t capacity = int64_t(RAM0_SECTORS * 512);
    EXPECT_EQ(vfs_lseek(*file, 0, SEEK_END).value(), capacity);
    EXPECT_EQ(vfs_lseek(*file, -1, SEEK_END).value(), capacity - 1);
    EXPECT_EQ(error_of(vfs_lseek(*file, 1, SEEK_END)), EINVAL);  // beyond: as Linux
    EXPECT_EQ(vfs_lseek(*file, 0, SEEK_CUR).value(), capacity - 1);  // unchanged by the failure
    char buffer[16] = {};
    EXPECT_EQ(error_of(vfs_pwrite(*file, buffer, 1, capacity)), ENOSPC);
    EXPECT_EQ(error_of(vfs_pwrite(*file, buffer, 1, capacity + 100)), ENOSPC);
    EXPECT_EQ(vfs_pwrite(*file, buffer, 0, capacity + 100).value(), 0u);
    // Across the end: the part that fits is written (a short write).
    std::vector<uint8_t> data = random_bytes(16, 5);
    EXPECT_EQ(vfs_pwrite(*file, data.data(), 16, capacity - 6).value(), 6u);
    std::memcpy(model_["ram0"].data() + capacity - 6, data.data(), 6);
    EXPECT_EQ(backing_store("ram0"), model_["ram0"]);
    ASSERT_EQ(vfs_lseek(*file, 0, SEEK_END).value(), capacity);
    EXPECT_EQ(vfs_read(*file, buffer, sizeof buffer).value(), 0u);
    EXPECT_EQ(error_of(vfs_write(*file, buffer, 1)), ENOSPC);
}

TEST_F(DevfsTest, BigLogicalBlocksAreReadModifiedAndWrittenWhole) {
    RecordingDevice vdc("vdc", 64, {}, 4096);  // 32 KiB in 4 KiB blocks
    vdc.storage() = model_["vdc"] = random_bytes(64 * 512, 11);
    ASSERT_EQ(error_of(register_block_device(vdc)), 0);
    {
        FileRef file = open("/dev/vdc", O_RDWR);
        uint32_t seed = 500;
        for (uint64_t offset : {0, 1, 511, 4095, 4096, 4097, 10000, 32767})
            for (size_t size : {size_t(1), size_t(100), size_t(4096), size_t(5000)}) {
                if (offset + size > 32768) continue;
                ASSERT_NO_FATAL_FAILURE(pwrite_and_model(*file, "vdc", offset, size, seed++));
                ASSERT_EQ(vdc.storage(), model_["vdc"]) << offset << " " << size;
                ASSERT_NO_FATAL_FAILURE(expect_pread_matches(*file, "vdc", offset - offset % 3, size + 7));
            }
        for (const RecordingDevice::StartedRequest& request : vdc.started())
            EXPECT_EQ(request.sector % 8, 0u) << "not a whole 4 KiB block";
    }
}

TEST_F(DevfsTest, RandomReadsAndWritesAgreeWithAModel) {
    std::mt19937 generator(2024);
    FileRef file = open("/dev/vda", O_RDWR);
    const uint64_t capacity = model_["vda"].size();
    for (int round = 0; round < 300; ++round) {
        uint64_t offset = generator() % capacity;
        size_t size = 1 + generator() % (round % 10 == 0 ? 100000 : 3000);
        if (generator() % 2) {
            ASSERT_NO_FATAL_FAILURE(expect_pread_matches(*file, "vda", offset, size));
        } else {
            size = std::min<uint64_t>(size, capacity - offset);
            ASSERT_NO_FATAL_FAILURE(pwrite_and_model(*file, "vda", offset, size, uint32_t(round)));
        }
    }
    EXPECT_EQ(backing_store("vda"), model_["vda"]);
}

TEST_F(DevfsTest, ReadOnlyDisksRefuseWritingWithEROFS) {
    RecordingDevice vdd("vdd", 16, {}, SECTOR_SIZE, true);
    ASSERT_EQ(error_of(register_block_device(vdd)), 0);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/dev/vdd", O_RDWR, 0, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/dev/vdd", O_WRONLY, 0, ROOT)), EROFS);
    {
        FileRef file = open("/dev/vdd");
        char buffer[600];
        EXPECT_EQ(vfs_pread(*file, buffer, sizeof buffer, 100).value(), sizeof buffer);
        EXPECT_EQ(error_of(file->write_at(0, buffer, 1)), EROFS);  // even below the VFS's EBADF
    }
}

TEST_F(DevfsTest, FsyncFlushesTheDevice) {
    FileRef file = open("/dev/vda", O_RDWR);
    vda_->clear_started();
    ASSERT_EQ(error_of(vfs_fsync(*file)), 0);
    std::vector<RecordingDevice::StartedRequest> started = vda_->started();
    ASSERT_EQ(started.size(), 1u);
    EXPECT_EQ(started[0].direction, IoDirection::Flush);
    FileRef image = open("/dev/hda", O_RDWR);
    EXPECT_EQ(error_of(vfs_fsync(*image)), 0);
}

TEST_F(DevfsTest, AWriteReturnsBeforeTheDiskIsDoneAndReadersWaitForIt) {
    FileRef file = open("/dev/vda", O_RDWR);
    vda_->set_mode(RecordingDevice::Mode::Hold);
    std::vector<uint8_t> bytes(8192, 0x5A);
    // The writer moves on with its request still at the disk...
    ASSERT_EQ(vfs_pwrite(*file, bytes.data(), bytes.size(), 4096).value(), bytes.size());
    ASSERT_TRUE(vda_->wait_for_held(1));
    uint32_t write_chains = vda_->queue().statistics().in_flight;  // at the driver or queued behind
    ASSERT_GE(write_chains, 1u);
    // ...a reader waits until it is done, then sees the new bytes.
    std::vector<uint8_t> read_back(bytes.size());
    std::atomic<bool> reader_returned{false};
    std::thread reader([&] {
        EXPECT_EQ(vfs_pread(*file, read_back.data(), read_back.size(), 4096).value(), 8192u);
        reader_returned = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    bool returned_while_held = reader_returned;
    EXPECT_FALSE(returned_while_held) << "the read returned while the write was at the disk";
    // The write only: the reader has submitted nothing, not even to the queue.
    EXPECT_EQ(vda_->held_count(), 1u);
    EXPECT_EQ(vda_->queue().statistics().in_flight, write_chains);
    vda_->set_mode(RecordingDevice::Mode::CompleteImmediately);
    vda_->complete_all();
    reader.join();
    EXPECT_TRUE(reader_returned);
    EXPECT_EQ(read_back, bytes);
}

TEST_F(DevfsTest, AWriteErrorIsReportedByFsync) {
    FileRef file = open("/dev/vda", O_RDWR);
    vda_->fail_sector(16);
    std::vector<uint8_t> bytes(4096, 0x11);
    // Submitted: the write itself succeeds, as a buffered write does on Linux.
    ASSERT_EQ(vfs_pwrite(*file, bytes.data(), bytes.size(), 8192).value(), bytes.size());
    EXPECT_EQ(error_of(vfs_fsync(*file)), EIO);
    EXPECT_EQ(error_of(vfs_fsync(*file)), 0);  // reported once
    vda_->clear_failures();
    model_["vda"] = backing_store("vda");  // the failed write left the disk as it was
}

TEST_F(DevfsTest, AReadIsSubmittedPageByPageAndMergedBackIntoOneRequest) {
    FileRef file = open("/dev/ram0");
    ram0_->clear_started();
    uint64_t merged_before = ram0_->queue().statistics().reads_merged;
    std::vector<uint8_t> buffer(RAM0_SECTORS * 512);
    ASSERT_EQ(vfs_pread(*file, buffer.data(), buffer.size(), 0).value(), buffer.size());
    EXPECT_EQ(buffer, model_["ram0"]);
    std::vector<RecordingDevice::StartedRequest> started = ram0_->started();
    ASSERT_EQ(started.size(), 1u);  // 64 KiB: one bounce step
    EXPECT_EQ(started[0].sector_count, RAM0_SECTORS);
    EXPECT_EQ(started[0].request_count, 16u);  // 16 pages of 4 KiB
    EXPECT_EQ(ram0_->queue().statistics().reads_merged - merged_before, 15u);
}

TEST_F(DevfsTest, TheIoSchedulerIsShownAndSwitchedThroughIoctls) {
    FileRef file = open("/dev/ram0");
    uint32_t info_address = FAKE_USER_BASE;
    ASSERT_EQ(error_of(file->ioctl(BLKIOSCHED_GET, info_address)), 0);
    IoschedInfo info;
    std::memcpy(&info, fake_user_bytes(), sizeof info);
    EXPECT_STREQ(info.current, "noop");
    EXPECT_STREQ(info.available, "[noop] elevator deadline");

    uint32_t name_address = FAKE_USER_BASE + 1024;
    std::strcpy(reinterpret_cast<char*>(fake_user_bytes(1024)), "deadline");
    ASSERT_EQ(error_of(file->ioctl(BLKIOSCHED_SET, name_address)), 0);
    EXPECT_STREQ(ram0_->queue().scheduler_name(), "deadline");
    ASSERT_EQ(error_of(file->ioctl(BLKIOSCHED_GET, info_address)), 0);
    std::memcpy(&info, fake_user_bytes(), sizeof info);
    EXPECT_STREQ(info.available, "noop elevator [deadline]");

    std::strcpy(reinterpret_cast<char*>(fake_user_bytes(1024)), "cfq");
    EXPECT_EQ(error_of(file->ioctl(BLKIOSCHED_SET, name_address)), EINVAL);
    std::memset(fake_user_bytes(1024), 'x', IOSCHED_NAME_BYTES);  // no NUL
    EXPECT_EQ(error_of(file->ioctl(BLKIOSCHED_SET, name_address)), EINVAL);
    EXPECT_EQ(error_of(file->ioctl(BLKIOSCHED_GET, 0x1000)), EFAULT);
    EXPECT_EQ(error_of(file->ioctl(BLKIOSCHED_SET, 0x1000)), EFAULT);
    EXPECT_EQ(error_of(file->ioctl(0x5401 /* TCGETS */, info_address)), ENOTTY);
    EXPECT_STREQ(ram0_->queue().scheduler_name(), "deadline");
    ASSERT_FALSE(ram0_->queue().select_scheduler("noop").is_error());
}

TEST_F(DevfsTest, DiskErrorsComeBackAsEIOOrAShortRead) {
    FileRef file = open("/dev/vda", O_RDWR);
    vda_->fail_sector(0);
    char buffer[100] = {};
    EXPECT_EQ(error_of(vfs_pread(*file, buffer, sizeof buffer, 10)), EIO);
    EXPECT_EQ(error_of(vfs_pwrite(*file, buffer, sizeof buffer, 10)), EIO);
    // The first two bounce-buffer steps succeed, the third meets the bad sector.
    constexpr uint64_t STEP = BlockDeviceFile::BOUNCE_BUFFER_BYTES;
    static_assert(VDA_SECTORS * 512 > 2 * STEP, "the disk must hold more than two steps");
    vda_->clear_failures();
    vda_->fail_sector(VDA_SECTORS - 1);
    std::vector<uint8_t> big(VDA_SECTORS * 512);
    Result<size_t> got = vfs_pread(*file, big.data(), big.size(), 100);
    ASSERT_EQ(error_of(got), 0);
    EXPECT_EQ(got.value(), 2 * STEP - 100);
    EXPECT_EQ(std::memcmp(big.data(), model_["vda"].data() + 100, got.value()), 0);
    vda_->clear_failures();
    EXPECT_EQ(backing_store("vda"), model_["vda"]);
}

TEST_F(DevfsTest, NoMemoryForTheBounceBufferIsENOMEM) {
    FileRef file = open("/dev/vda", O_RDWR);
    char buffer[10] = {};
    host_platform::fail_allocations_after(0);
    Result<size_t> read = vfs_pread(*file, buffer, sizeof buffer, 3);
    Result<size_t> written = vfs_pwrite(*file, buffer, sizeof buffer, 3);
    host_platform::reset_allocation_failures();
    EXPECT_EQ(error_of(read), ENOMEM);
    EXPECT_EQ(error_of(written), ENOMEM);
    EXPECT_EQ(backing_store("vda"), model_["vda"]);
}

}  // namespace
