// tests/host/romfs_vfs_test.cpp -- romfs behind the VFS (fs/romfs/romfs_super,
// romfs_inode), driven only through the vfs_* calls a system call would make.
//
// What is tested: the genromfs image of tests/host/support/romfs_fixture (files
// of awkward sizes up to 3 MiB, 255-byte names, a 300-entry directory, hard
// links, symlink chains, a fifo, a socket, device nodes when run as root) is
// mounted as "/" of a fresh MountNamespace from an ImageFileDevice, and then:
// every file reads back equal to its source (odd chunk sizes, pread, lseek);
// stat64 matches the source tree and romfs_inode.h's rules (nlink, st_ino of
// hard links, st_rdev, st_blocks); getdents64 lists every entry exactly once
// with its d_type and d_ino, through small buffers, and resumes at any d_off;
// readlink; the lookup errors (ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP); EROFS
// for every write; a second image mounted on a directory of the first (with
// a symlink loop of its own); damaged images refused at mount. After every
// test the VFS must be empty again (vfs_object_counts).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fs/romfs/romfs_inode.h"
#include "fs/romfs/romfs_super.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/vfs.h"
#include "tests/host/support/romfs_fixture.h"
#include "tests/host/support/vfs_test_support.h"

namespace {

using romfs_test::fixture;
using romfs_test::HostNode;

const Credentials ROOT = Credentials::root();


std::string absolute(const std::string& model_path) { return "/" + model_path; }

// A small second image, to mount on a directory of the first: a file, a
// subdirectory, and symbolic links that loop.
const std::string& second_image_path() {
    static const std::string path = [] {
        namespace fs = std::filesystem;
        fs::path tree = fs::path(fixture().temporary_directory) / "vfs_second_tree";
        fs::create_directories(tree / "sub");
        std::ofstream(tree / "inner.txt") << "inside the second image\n";
        std::ofstream(tree / "sub/deep.txt") << "deeper\n";
        fs::create_symlink("loop_b", tree / "loop_a");
        fs::create_symlink("loop_a", tree / "loop_b");
        fs::create_symlink("itself", tree / "itself");
        fs::create_symlink("../files/size_16", tree / "out_of_the_mount");
        std::string image = fixture().temporary_directory + "/vfs_second.romfs";
        if (!romfs_test::make_image(tree.string(), image, "second")) std::abort();
        return image;
    }();
    return path;
}

class RomfsVfsTest : public ::testing::Test {
protected:
    void SetUp() override {
        VfsObjectCounts counts = vfs_object_counts();
        ASSERT_EQ(counts.super_blocks + counts.mounts + counts.dentries + counts.inodes + counts.files, 0u);
        ASSERT_EQ(error_of(register_filesystem(romfs_type_)), 0);
        first_device_ = open_device(fixture().image_path, "img0");
        ASSERT_NE(first_device_, nullptr);
        ASSERT_EQ(error_of(namespace_.mount_root("romfs", first_device_, 0, "")), 0);
        cwd_ = namespace_.root();
    }

    void TearDown() override {
        cwd_.reset();
        EXPECT_EQ(error_of(namespace_.unmount_all()), 0);
        expect_vfs_empty();
        EXPECT_EQ(error_of(unregister_filesystem(romfs_type_)), 0);
        EXPECT_EQ(cache_.statistics().buffers, 0u);  // put_super dropped every block
        for (ImageFileDevice* device : devices_) delete device;
    }

    ImageFileDevice* open_device(const std::string& path, const char* name) {
        ImageFileDevice::Options options;
        options.name = name;
        options.read_only = true;
        Result<ImageFileDevice*> device = ImageFileDevice::open(path.c_str(), options);
        if (device.is_error()) return nullptr;
        devices_.push_back(device.value());
        return device.value();
    }
    Result<void> mount_image(const std::string& image_path, const char* target, const char* name = "img1") {
        ImageFileDevice* device = open_device(image_path, name);
        if (device == nullptr) return Error{EIO};
        return vfs_mount(cwd_, "romfs", device, target, 0, "", ROOT);
    }
    FileRef open(const std::string& name, uint32_t flags = O_RDONLY) {
        Result<FileRef> file = vfs_open(cwd_, name.c_str(), flags, 0, ROOT);
        EXPECT_EQ(error_of(file), 0) << name;
        return file.is_error() ? FileRef() : file.release_value();
    }
    int open_error(const std::string& name, uint32_t flags = O_RDONLY) {
        return error_of(vfs_open(cwd_, name.c_str(), flags, 0644, ROOT));
    }
    linux_abi::stat64 stat(const std::string& name, bool follow = false) {
        linux_abi::stat64 status{};
        EXPECT_EQ(error_of(vfs_stat(cwd_, name.c_str(), follow, ROOT, &status)), 0) << name;
        return status;
    }
    int stat_error(const std::string& name, bool follow = true) {
        linux_abi::stat64 status{};
        return error_of(vfs_stat(cwd_, name.c_str(), follow, ROOT, &status));
    }
    // The whole file from its position on, `chunk` bytes per vfs_read.
    static std::vector<uint8_t> read_through(File& file, size_t chunk) {
        std::vector<uint8_t> data;
        std::vector<uint8_t> buffer(chunk);
        for (;;) {
            Result<size_t> got = vfs_read(file, buffer.data(), buffer.size());
            EXPECT_EQ(error_of(got), 0);
            if (got.is_error() || got.value() == 0) return data;
            EXPECT_LE(got.value(), chunk);
            data.insert(data.end(), buffer.begin(), buffer.begin() + long(got.value()));
        }
    }
    static std::vector<Entry> list(File& directory, size_t buffer_size = 4096) {
        return read_directory(directory, buffer_size);
    }
    static std::vector<std::string> model_paths(char kind) {
        std::vector<std::string> paths;
        for (const auto& [path, node] : fixture().nodes)
            if (node.kind == kind) paths.push_back(path);
        return paths;
    }
    static uint8_t d_type_of(const HostNode& node) { return directory_entry_type(node.linux_type_bits()); }

    BufferCache cache_;
    RomfsFileSystemType romfs_type_{cache_};
    DentryCache dentry_cache_;
    MountNamespace namespace_{dentry_cache_};
    std::vector<ImageFileDevice*> devices_;
    ImageFileDevice* first_device_ = nullptr;
    Path cwd_;
};

// --- mounting ------------------------------------------------------------------------

TEST_F(RomfsVfsTest, MountsReadOnlyAndStatfsDescribesTheImage) {
    linux_abi::statfs64 statistics{};
    ASSERT_EQ(error_of(vfs_statfs(cwd_, "/files", ROOT, &statistics)), 0);
    uint32_t image_size = romfs_test::superblock_size(fixture().image_bytes);
    EXPECT_EQ(statistics.f_type, 0x7275u);
    EXPECT_EQ(statistics.f_bsize, 1024u);
    EXPECT_EQ(statistics.f_blocks, (image_size + 1023u) / 1024u);
    EXPECT_EQ(statistics.f_bfree, 0u);
    EXPECT_EQ(statistics.f_files, 0u);
    EXPECT_EQ(statistics.f_namelen, 255u);
    EXPECT_EQ(statistics.f_flags & linux_abi::ST_RDONLY, linux_abi::ST_RDONLY);
    EXPECT_TRUE(cwd_.inode()->super_block().is_read_only());  // asked for rw, got ro
    std::string listing;
    namespace_.for_each_mount(
        [](const MountInfo& info, void* text) {
            *static_cast<std::string*>(text) += std::string(info.device_name) + " on " + info.mount_point +
                                                " type " + info.type_name +
                                                ((info.flags & MS_RDONLY) ? " (ro)" : " (rw)");
        },
        &listing);
    EXPECT_EQ(listing, "img0 on / type romfs (ro)");
    EXPECT_EQ(stat("/").st_ino, romfs_test::header_offset_of(""));
    EXPECT_EQ(stat("/").st_blksize, 1024u);
}

// --- file data -------------------------------------------------------------------------

TEST_F(RomfsVfsTest, EveryFileReadsBackEqualToItsSource) {
    size_t files = 0;
    for (const std::string& path : model_paths('f')) {
        std::vector<uint8_t> expected = fixture().host_file_bytes(path);
        bool big = expected.size() > 65536;
        for (size_t chunk : big ? std::vector<size_t>{4093, size_t(1) << 20, expected.size() + 1}
                                : std::vector<size_t>{1, 7, 1000, 4097}) {
            FileRef file = open(absolute(path));
            ASSERT_TRUE(file);
            EXPECT_EQ(read_through(*file, chunk) == expected, true) << path << " in chunks of " << chunk;
        }
        ++files;
    }
    EXPECT_GE(files, 312u);  // 9 sizes, 3 names, 300 entries and a few more
}

TEST_F(RomfsVfsTest, PreadAndLseekReadFromAnyOffset) {
    for (const char* path : {"files/size_4097", "files/big", "files/size_17", "files/size_0"}) {
        std::vector<uint8_t> expected = fixture().host_file_bytes(path);
        FileRef file = open(absolute(path));
        int64_t size = int64_t(expected.size());
        for (int64_t offset : {int64_t(0), int64_t(1), int64_t(15), int64_t(1023), int64_t(1024), int64_t(4095),
                               size / 2, size - 1, size, size + 100}) {
            if (offset < 0) continue;
            char buffer[3000];
            Result<size_t> got = vfs_pread(*file, buffer, sizeof buffer, offset);
            ASSERT_EQ(error_of(got), 0) << path << " at " << offset;
            size_t expected_count = offset >= size ? 0 : std::min<size_t>(sizeof buffer, size_t(size - offset));
            ASSERT_EQ(got.value(), expected_count) << path << " at " << offset;
            if (expected_count > 0) {
                EXPECT_EQ(std::memcmp(buffer, expected.data() + offset, expected_count), 0);
            }
        }
        EXPECT_EQ(file->position(), 0u);  // pread leaves the position alone
        EXPECT_EQ(vfs_lseek(*file, 0, SEEK_END).value(), size);
        EXPECT_EQ(read_through(*file, 64).size(), 0u);
        if (size < 20) continue;
        EXPECT_EQ(vfs_lseek(*file, 10, SEEK_SET).value(), 10);
        EXPECT_EQ(vfs_lseek(*file, 5, SEEK_CUR).value(), 15);
        std::vector<uint8_t> rest = read_through(*file, 333);
        EXPECT_TRUE(std::equal(rest.begin(), rest.end(), expected.begin() + 15, expected.end()));
        EXPECT_EQ(vfs_lseek(*file, -4, SEEK_END).value(), size - 4);
        EXPECT_EQ(read_through(*file, 2).size(), 4u);
        EXPECT_EQ(error_of(vfs_lseek(*file, -1, SEEK_SET)), EINVAL);
    }
}

// --- stat ---------------------------------------------------------------------------------

TEST_F(RomfsVfsTest, Stat64MatchesTheSourceTree) {
    uint64_t device = stat("/").st_dev;
    std::set<uint64_t> inode_numbers;
    for (const auto& [path, node] : fixture().nodes) {
        linux_abi::stat64 status = stat(absolute(path));
        EXPECT_EQ(status.st_mode & S_IFMT, node.linux_type_bits()) << path;
        EXPECT_EQ(status.st_dev, device);
        EXPECT_EQ(status.st_uid, 0u);
        EXPECT_EQ(status.st_gid, 0u);
        EXPECT_EQ(status.st_mtime, 0u);
        EXPECT_EQ(status.__st_ino, uint32_t(status.st_ino));
        EXPECT_EQ(status.st_ino % 16, 0u) << path;  // a header offset
        inode_numbers.insert(status.st_ino);
        uint64_t size = node.kind == 'f' ? node.size : node.kind == 'l' ? node.symlink_target.size() : 0;
        EXPECT_EQ(uint64_t(status.st_size), size) << path;
        EXPECT_EQ(status.st_blocks, (size + 511) / 512) << path;
        if (node.kind == 'f') {
            EXPECT_EQ(status.st_mode & 07777, node.executable ? 0755u : 0644u) << path;
        }
        if (node.kind == 'd') {
            EXPECT_EQ(status.st_mode & 07777, 0755u);
            size_t subdirectories = 0;
            for (const std::string& child : fixture().children_of(path)) {
                std::string child_path = path.empty() ? child : path + "/" + child;
                subdirectories += fixture().nodes.at(child_path).kind == 'd';
            }
            EXPECT_EQ(status.st_nlink, 2 + subdirectories) << path;
        } else {
            EXPECT_EQ(status.st_nlink, 1u) << path;  // romfs keeps no link counts
        }
    }
    // Three names of one file share an inode, every other name has its own.
    EXPECT_EQ(inode_numbers.size(), fixture().nodes.size() - 2);
}

TEST_F(RomfsVfsTest, HardLinksShareTheirInodeAndData) {
    uint64_t number = stat("/linked").st_ino;
    EXPECT_EQ(stat("/nested/a/linked_too").st_ino, number);
    EXPECT_EQ(stat("/files/linked_third").st_ino, number);
    FileRef first = open("/linked");
    FileRef second = open("/nested/a/linked_too");
    EXPECT_EQ(first->inode(), second->inode());  // one Inode object for all names
    EXPECT_EQ(read_through(*second, 5), fixture().host_file_bytes("linked"));
}

TEST_F(RomfsVfsTest, SpecialFilesHaveTheirTypesAndDeviceNumbers) {
    EXPECT_EQ(stat("/special/fifo").st_mode & S_IFMT, unsigned(S_IFIFO));
    EXPECT_EQ(stat("/special/socket").st_mode & S_IFMT, unsigned(S_IFSOCK));
    EXPECT_EQ(open_error("/special/fifo"), ENXIO);  // no pipes yet
    EXPECT_EQ(open_error("/special/socket"), ENXIO);
    if (!fixture().has_device_nodes) GTEST_SKIP() << "device nodes need root to make";
    EXPECT_EQ(stat("/special/char_1_3").st_rdev, linux_abi::encode_device(1, 3));
    EXPECT_EQ(stat("/special/block_7_2").st_rdev, linux_abi::encode_device(7, 2));
    EXPECT_EQ(stat("/special/char_1_3").st_mode, unsigned(S_IFCHR | 0600));
    EXPECT_EQ(open_error("/special/char_1_3"), ENXIO);  // no driver for 1:3 yet
    EXPECT_EQ(open_error("/special/block_7_2"), ENXIO);
    auto open_null = [](Path&& path, uint32_t flags, uint32_t, void*) -> Result<FileRef> {
        return make_file<File>(static_cast<Path&&>(path), flags);
    };
    ASSERT_EQ(error_of(register_device_driver(DeviceKind::Character, 1, 3, 1, "null", open_null, nullptr)), 0);
    {
        FileRef device = open("/special/char_1_3", O_RDWR);  // writable: the driver decides, not romfs
        EXPECT_TRUE(device);
    }
    EXPECT_EQ(error_of(unregister_device_driver(DeviceKind::Character, 1, 3)), 0);
}

// --- directories ------------------------------------------------------------------------

TEST_F(RomfsVfsTest, GetdentsListsEveryEntryOnceWithTypeAndInode) {
    for (const std::string& path : model_paths('d')) {
        std::string directory_name = path.empty() ? "/" : absolute(path);
        FileRef directory = open(directory_name, O_RDONLY | O_DIRECTORY);
        std::vector<Entry> entries = list(*directory);
        std::multiset<std::string> names;
        for (const Entry& entry : entries) names.insert(entry.name);
        std::multiset<std::string> expected = fixture().children_of(path);
        expected.insert(".");
        expected.insert("..");
        EXPECT_EQ(names, expected) << directory_name;
        for (const Entry& entry : entries) {
            std::string child = directory_name + (path.empty() ? "" : "/") + entry.name;
            linux_abi::stat64 status = stat(child);
            EXPECT_EQ(entry.inode_number, status.st_ino) << child;
            if (entry.name == "." || entry.name == "..") {
                EXPECT_EQ(entry.type, DT_DIR);
                continue;
            }
            std::string model_path = path.empty() ? entry.name : path + "/" + entry.name;
            EXPECT_EQ(entry.type, d_type_of(fixture().nodes.at(model_path))) << child;
        }
        EXPECT_EQ(list(*directory).size(), 0u) << directory_name;  // at the end: nothing more
    }
    FileRef root = open("/", O_RDONLY | O_DIRECTORY);
    for (const Entry& entry : list(*root)) {
        if (entry.name == "..") {
            EXPECT_EQ(entry.inode_number, stat("/").st_ino);  // the root's parent is itself
        }
    }
}

TEST_F(RomfsVfsTest, GetdentsThroughSmallBuffersMissesAndRepeatsNothing) {
    for (size_t buffer_size : {32, 40, 64, 100, 333}) {  // 32: one record per call
        FileRef directory = open("/many", O_RDONLY | O_DIRECTORY);
        std::vector<Entry> entries = list(*directory, buffer_size);
        std::set<std::string> names;
        for (const Entry& entry : entries) EXPECT_TRUE(names.insert(entry.name).second) << entry.name;
        EXPECT_EQ(names.size(), 302u) << "buffer of " << buffer_size;
    }
    // A buffer too small for the 280-byte record of the 255-byte name: the
    // entries before it come through, then getdents says EINVAL, as Linux.
    FileRef directory = open("/names", O_RDONLY | O_DIRECTORY);
    uint8_t small[272];
    std::set<std::string> names;
    int error = 0;
    for (int calls = 0; calls < 10 && error == 0; ++calls) {
        Result<size_t> got = vfs_getdents64(*directory, small, sizeof small);
        error = error_of(got);
        if (error != 0 || got.value() == 0) break;
        for (size_t offset = 0; offset < got.value();) {
            auto* record = reinterpret_cast<const linux_abi::linux_dirent64*>(small + offset);
            names.insert(record->d_name);
            offset += record->d_reclen;
        }
    }
    EXPECT_EQ(error, EINVAL);
    EXPECT_EQ(names.count(std::string(255, 'n')), 0u);
    EXPECT_EQ(names.count("."), 1u);
}

TEST_F(RomfsVfsTest, SeekingToACookieResumesRightAfterThatEntry) {
    FileRef directory = open("/many", O_RDONLY | O_DIRECTORY);
    std::vector<Entry> all = list(*directory);
    ASSERT_EQ(all.size(), 302u);
    EXPECT_EQ(all[0].name, ".");
    EXPECT_EQ(all[1].name, "..");
    EXPECT_EQ(all.back().next_offset, int64_t(RomfsInode::END_COOKIE));
    for (size_t index : {size_t(0), size_t(1), size_t(2), size_t(150), size_t(299), size_t(300)}) {
        ASSERT_EQ(vfs_lseek(*directory, all[index].next_offset, SEEK_SET).value(), all[index].next_offset);
        std::vector<Entry> rest = list(*directory, 64);
        ASSERT_EQ(rest.size(), all.size() - index - 1) << "after entry " << index;
        EXPECT_EQ(rest.front().name, all[index + 1].name);
    }
    // A partial read leaves the position at the last d_off returned.
    ASSERT_EQ(vfs_lseek(*directory, 0, SEEK_SET).value(), 0);
    uint8_t buffer[100];
    ASSERT_GT(vfs_getdents64(*directory, buffer, sizeof buffer).value(), 0u);
    EXPECT_EQ(vfs_lseek(*directory, 0, SEEK_CUR).value(), all[2].next_offset);  // ".", "..", one more
    // Cookies that are not entries of this directory read as its end.
    uint64_t elsewhere = stat("/files/size_1").st_ino;
    for (int64_t bogus : {int64_t(7), int64_t(12345), int64_t(elsewhere), int64_t(1) << 40}) {
        ASSERT_EQ(error_of(vfs_lseek(*directory, bogus, SEEK_SET)), 0);
        EXPECT_EQ(list(*directory).size(), 0u) << bogus;
    }
    // And a cookie of this directory, given in a fresh open file, is honoured.
    FileRef again = open("/many", O_RDONLY | O_DIRECTORY);
    ASSERT_EQ(error_of(vfs_lseek(*again, all[200].next_offset, SEEK_SET)), 0);
    EXPECT_EQ(list(*again).front().name, all[201].name);
}

// --- names -----------------------------------------------------------------------------------

TEST_F(RomfsVfsTest, ReadlinkAndFollowingSymlinks) {
    for (const std::string& path : model_paths('l')) {
        char target[4096];
        Result<size_t> length = vfs_readlink(cwd_, absolute(path).c_str(), target, sizeof target, ROOT);
        ASSERT_EQ(error_of(length), 0) << path;
        EXPECT_EQ(std::string(target, length.value()), fixture().nodes.at(path).symlink_target);
    }
    char small[4];
    Result<size_t> truncated = vfs_readlink(cwd_, "/links/relative", small, sizeof small, ROOT);
    ASSERT_EQ(error_of(truncated), 0);
    EXPECT_EQ(std::string(small, truncated.value()), "../f");
    EXPECT_EQ(error_of(vfs_readlink(cwd_, "/files/size_1", small, sizeof small, ROOT)), EINVAL);
    EXPECT_EQ(error_of(vfs_readlink(cwd_, "/links", small, sizeof small, ROOT)), EINVAL);
    EXPECT_EQ(error_of(vfs_readlink(cwd_, "/links/missing", small, sizeof small, ROOT)), ENOENT);
    EXPECT_EQ(stat("/links/relative", true).st_ino, stat("/files/size_17").st_ino);
    EXPECT_EQ(stat("/links/absolute", true).st_ino, stat("/files/size_16").st_ino);
    EXPECT_EQ(stat("/links/chain1", true).st_ino, stat("/files/size_1").st_ino);
    FileRef through_chain = open("/links/chain1");
    EXPECT_EQ(read_through(*through_chain, 10), fixture().host_file_bytes("files/size_1"));
    EXPECT_EQ(stat_error("/links/dangling"), ENOENT);
    EXPECT_EQ(stat_error("/links/dangling", false), 0);
    EXPECT_EQ(open_error("/links/relative", O_RDONLY | O_NOFOLLOW), ELOOP);
}

TEST_F(RomfsVfsTest, LookupErrors) {
    EXPECT_EQ(stat_error("/missing"), ENOENT);
    EXPECT_EQ(stat_error("/files/missing"), ENOENT);
    EXPECT_EQ(stat_error("/missing/size_1"), ENOENT);
    EXPECT_EQ(stat_error("/files/size_1/anything"), ENOTDIR);
    EXPECT_EQ(stat_error("/files/size_1/"), ENOTDIR);
    EXPECT_EQ(stat_error("/links/relative/"), ENOTDIR);  // a link to a file, then a slash
    EXPECT_EQ(open_error("/files/size_1", O_RDONLY | O_DIRECTORY), ENOTDIR);
    EXPECT_EQ(stat_error("/names/" + std::string(255, 'n')), 0);
    EXPECT_EQ(stat_error("/names/" + std::string(255, 'm')), ENOENT);
    EXPECT_EQ(stat_error("/names/" + std::string(256, 'n')), ENAMETOOLONG);
    EXPECT_EQ(stat_error("/names/with space"), 0);
    EXPECT_EQ(stat("/files/./size_1").st_ino, stat("/nested/../files/size_1").st_ino);
    EXPECT_EQ(stat("/..").st_ino, stat("/").st_ino);
    EXPECT_EQ(stat("/nested/a/b/c/d/../../../../..").st_ino, stat("/").st_ino);
    EXPECT_EQ(stat_error("/."), 0);
}

TEST_F(RomfsVfsTest, EveryWriteIsEROFS) {
    EXPECT_EQ(open_error("/files/size_1", O_WRONLY), EROFS);
    EXPECT_EQ(open_error("/files/size_1", O_RDWR), EROFS);
    EXPECT_EQ(open_error("/files/size_1", O_RDONLY | O_TRUNC), EROFS);
    EXPECT_EQ(open_error("/files/new", O_WRONLY | O_CREAT), EROFS);
    EXPECT_EQ(open_error("/", O_WRONLY), EISDIR);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/new_directory", 0755, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/files", 0755, ROOT)), EEXIST);
    EXPECT_EQ(error_of(vfs_unlink(cwd_, "/files/size_1", ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/empty_dir", ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/files/size_1", "/files/renamed", ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_symlink("x", cwd_, "/new_link", ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_link(cwd_, "/files/size_1", "/new_hard_link", ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_mknod(cwd_, "/new_fifo", S_IFIFO | 0644, 0, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_truncate(cwd_, "/files/size_1", 0, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_access(cwd_, "/files/size_1", MAY_WRITE, ROOT)), EROFS);
    FileRef file = open("/files/size_17");
    EXPECT_EQ(error_of(vfs_write(*file, "x", 1)), EBADF);
    EXPECT_EQ(read_through(*file, 100), fixture().host_file_bytes("files/size_17"));  // unchanged
}

// --- a second image, mounted on a directory of the first ------------------------------------

TEST_F(RomfsVfsTest, ASecondImageMountsOnADirectoryAndUnmounts) {
    ASSERT_EQ(error_of(mount_image(second_image_path(), "/empty_dir")), 0);
    FileRef inner = open("/empty_dir/inner.txt");
    EXPECT_EQ(read_through(*inner, 3).size(), std::string("inside the second image\n").size());
    EXPECT_NE(stat("/empty_dir/inner.txt").st_dev, stat("/files/size_1").st_dev);
    EXPECT_EQ(stat("/empty_dir/..").st_ino, stat("/").st_ino);  // back into the first image
    EXPECT_EQ(stat("/empty_dir/sub/../../files/size_1").st_ino, stat("/files/size_1").st_ino);
    EXPECT_EQ(stat("/empty_dir/out_of_the_mount", true).st_ino, stat("/files/size_16").st_ino);
    EXPECT_EQ(stat_error("/empty_dir/loop_a"), ELOOP);
    EXPECT_EQ(stat_error("/empty_dir/loop_a/x"), ELOOP);
    EXPECT_EQ(stat_error("/empty_dir/itself"), ELOOP);
    EXPECT_EQ(stat_error("/empty_dir/loop_a", false), 0);  // not followed: no loop
    {
        FileRef root = open("/empty_dir", O_RDONLY | O_DIRECTORY);
        std::set<std::string> names;
        for (const Entry& entry : list(*root)) names.insert(entry.name);
        EXPECT_EQ(names, (std::set<std::string>{".", "..", "inner.txt", "sub", "loop_a", "loop_b", "itself",
                                                "out_of_the_mount"}));
    }
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/empty_dir/new", 0755, ROOT)), EROFS);
    EXPECT_EQ(error_of(mount_image(second_image_path(), "/nested", "img2")), 0);  // another device: fine
    EXPECT_EQ(error_of(vfs_mount(cwd_, "romfs", devices_.back(), "/names", 0, "", ROOT)), EBUSY);  // in use
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/nested", ROOT)), 0);
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/empty_dir", ROOT)), EBUSY);  // inner.txt is open
    inner.reset();
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/empty_dir", ROOT)), 0);
    EXPECT_EQ(stat_error("/empty_dir/inner.txt"), ENOENT);
    FileRef empty = open("/empty_dir", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ(list(*empty).size(), 2u);  // the first image's empty directory again
}

// --- damaged images ---------------------------------------------------------------------

TEST_F(RomfsVfsTest, DamagedImagesAreRefusedAtMount) {
    std::vector<uint8_t> good = fixture().image_bytes;
    struct Damage {
        const char* what;
        std::vector<uint8_t> bytes;
        int error;
    };
    std::vector<Damage> damages;
    damages.push_back({"no magic", good, EINVAL});
    damages.back().bytes[0] = 'X';
    damages.push_back({"bad superblock checksum", good, EIO});
    damages.back().bytes[ROMFS_SUPERBLOCK_CHECKSUM] ^= 1;
    damages.push_back({"truncated", std::vector<uint8_t>(good.begin(), good.begin() + 4096), EIO});
    damages.push_back({"root chain loops", good, EIO});
    std::vector<uint32_t> root_chain = romfs_test::chain_of("");
    romfs_test::set_next_offset(damages.back().bytes, root_chain.back(), root_chain[2]);
    damages.push_back({"empty", std::vector<uint8_t>(512, 0), EINVAL});
    ASSERT_EQ(stat_error("/empty_dir"), 0);  // its dentry and inode are cached from now on
    VfsObjectCounts before = vfs_object_counts();
    int device_number = 0;
    for (const Damage& damage : damages) {
        std::string name = "bad" + std::to_string(device_number++);
        EXPECT_EQ(error_of(mount_image(romfs_test::write_temporary_image(damage.bytes), "/empty_dir", name.c_str())),
                  damage.error)
            << damage.what;
        VfsObjectCounts after = vfs_object_counts();
        EXPECT_EQ(after.super_blocks, before.super_blocks) << damage.what;
        EXPECT_EQ(after.inodes, before.inodes) << damage.what;
        EXPECT_EQ(after.mounts, before.mounts) << damage.what;
    }
    EXPECT_EQ(stat_error("/empty_dir/inner.txt"), ENOENT);  // nothing got mounted
}

TEST_F(RomfsVfsTest, ALoopingDirectoryIsELOOPBeforeAnyReaddir) {
    std::vector<uint8_t> bytes = fixture().image_bytes;
    std::vector<uint32_t> chain = romfs_test::chain_of("many");
    romfs_test::set_next_offset(bytes, chain.back(), chain[100]);
    ASSERT_EQ(error_of(mount_image(romfs_test::write_temporary_image(bytes), "/empty_dir")), 0);
    EXPECT_EQ(stat_error("/empty_dir/many"), ELOOP);
    EXPECT_EQ(stat_error("/empty_dir/many/entry_001"), ELOOP);
    EXPECT_EQ(open_error("/empty_dir/many", O_RDONLY | O_DIRECTORY), ELOOP);
    EXPECT_EQ(stat_error("/empty_dir/files/size_4096"), 0);  // the rest of the image is fine
    FileRef file = open("/empty_dir/files/size_4096");
    EXPECT_EQ(read_through(*file, 1000), fixture().host_file_bytes("files/size_4096"));
    file.reset();
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/empty_dir", ROOT)), 0);
}

}  // namespace
