// tests/host/ext2_damage_test.cpp -- damaged ext2 images: refused at mount
// with the right error, or EIO for the one damaged object, never a crash.
//
// Each test copies the 1 KiB-block image of tests/host/support/ext2_fixture
// and damages exactly one thing, by patching bytes (superblock fields, the
// group descriptor table, a directory block found with `debugfs bmap`) or
// with `debugfs -w sif` (inode fields). The last test damages random bytes
// of the metadata, mounts, and walks the whole tree: whatever it finds, the
// walk must end, under ASan and UBSan, with the VFS empty afterwards.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "fs/ext2/ext2_format.h"
#include "tests/host/support/ext2_fixture.h"

namespace {

using ext2_test::Ext2Mount;
using ext2_test::ImageConfig;

const Credentials ROOT = Credentials::root();
const ImageConfig ONE_KIB_BLOCKS = {"block_1k", "-b 1024", false};
constexpr uint32_t VOLUME_BLOCK_SIZE = 1024;  // (BLOCK_SIZE is a macro of <sys/mount.h>)
constexpr uint64_t GROUP_DESCRIPTORS_OFFSET = 2 * VOLUME_BLOCK_SIZE;  // block 2 at 1 KiB blocks

template <typename T>
void patch_field(const std::string& image, uint64_t offset, T value) {
    ext2_test::patch_bytes(image, offset, &value, sizeof value);
}

template <typename T>
T read_field(const std::string& image, uint64_t offset) {
    T value;
    std::memcpy(&value, ext2_test::read_bytes(image, offset, sizeof value).data(), sizeof value);
    return value;
}

uint64_t superblock_field(size_t field_offset) { return EXT2_SUPERBLOCK_OFFSET + field_offset; }

// The volume block that holds block `index` of `path` (debugfs bmap).
uint32_t block_of(const std::string& image, const std::string& path, uint32_t index) {
    std::string output = ext2_test::debugfs(image, "bmap " + path + " " + std::to_string(index));
    return uint32_t(std::strtoul(output.c_str(), nullptr, 10));
}

class Ext2DamageTest : public ::testing::Test {
protected:
    void TearDown() override {
        mount_.reset();
        expect_vfs_empty();
    }
    std::string copy(const char* suffix) {
        EXPECT_FALSE(ext2_test::image_for(ONE_KIB_BLOCKS).empty());
        return ext2_test::copy_image(ONE_KIB_BLOCKS, suffix);
    }
    int mount(const std::string& image) {
        mount_ = std::make_unique<Ext2Mount>();
        return mount_->mount(image);
    }
    int stat_error(const char* path) {
        linux_abi::stat64 status{};
        return error_of(vfs_stat(mount_->cwd(), path, false, ROOT, &status));
    }
    int listing_error(const char* path) {
        Result<FileRef> directory = vfs_open(mount_->cwd(), path, O_RDONLY | O_DIRECTORY, 0, ROOT);
        if (directory.is_error()) return directory.error();
        std::vector<uint8_t> buffer(4096);
        for (;;) {
            Result<size_t> got = vfs_getdents64(*directory.value(), buffer.data(), buffer.size());
            if (got.is_error()) return got.error();
            if (got.value() == 0) return 0;
        }
    }
    int read_error(const char* path, int64_t offset, size_t size) {
        Result<FileRef> file = vfs_open(mount_->cwd(), path, O_RDONLY, 0, ROOT);
        if (file.is_error()) return file.error();
        std::vector<uint8_t> buffer(size);
        return error_of(vfs_pread(*file.value(), buffer.data(), size, offset));
    }

    std::unique_ptr<Ext2Mount> mount_;
};

// --- refused at mount ---------------------------------------------------------------

TEST_F(Ext2DamageTest, TheUndamagedCopyMounts) { EXPECT_EQ(mount(copy("good")), 0); }

TEST_F(Ext2DamageTest, BadMagicIsNotExt2) {
    std::string image = copy("magic");
    patch_field<uint16_t>(image, superblock_field(offsetof(Ext2SuperBlockRecord, magic)), 0xEF54);
    EXPECT_EQ(mount(image), EINVAL);
}

TEST_F(Ext2DamageTest, AbsurdBlockSizeIsRefused) {
    std::string image = copy("block_size");
    patch_field<uint32_t>(image, superblock_field(offsetof(Ext2SuperBlockRecord, log_block_size)), 20);
    EXPECT_EQ(mount(image), EINVAL);
}

TEST_F(Ext2DamageTest, InodeCountThatDisagreesWithTheGroupsIsRefused) {
    std::string image = copy("inode_count");
    uint64_t field = superblock_field(offsetof(Ext2SuperBlockRecord, inodes_count));
    patch_field<uint32_t>(image, field, read_field<uint32_t>(image, field) + 8);
    EXPECT_EQ(mount(image), EIO);
}

TEST_F(Ext2DamageTest, MoreBlocksThanTheDeviceHoldsIsRefused) {
    std::string image = copy("blocks_count");
    uint64_t field = superblock_field(offsetof(Ext2SuperBlockRecord, blocks_count));
    patch_field<uint32_t>(image, field, read_field<uint32_t>(image, field) * 4);
    EXPECT_EQ(mount(image), EIO);
}

TEST_F(Ext2DamageTest, ZeroBlocksPerGroupIsRefused) {
    std::string image = copy("blocks_per_group");
    patch_field<uint32_t>(image, superblock_field(offsetof(Ext2SuperBlockRecord, blocks_per_group)), 0);
    EXPECT_EQ(mount(image), EIO);
}

TEST_F(Ext2DamageTest, InodeTableOutsideTheDiskIsRefused) {
    std::string image = copy("inode_table");
    patch_field<uint32_t>(image, GROUP_DESCRIPTORS_OFFSET + offsetof(Ext2GroupDescriptor, inode_table), 0xFFFFFF00);
    EXPECT_EQ(mount(image), EIO);
}

TEST_F(Ext2DamageTest, InodeTableOfALaterGroupOutsideItsGroupIsRefused) {
    std::string image = copy("inode_table_2");
    patch_field<uint32_t>(image, GROUP_DESCRIPTORS_OFFSET + sizeof(Ext2GroupDescriptor) +
                                     offsetof(Ext2GroupDescriptor, inode_table), 3);
    EXPECT_EQ(mount(image), EIO);
}

TEST_F(Ext2DamageTest, UnknownIncompatFeatureRefusesTheMount) {
    std::string image = copy("incompat");
    uint64_t field = superblock_field(offsetof(Ext2SuperBlockRecord, feature_incompat));
    patch_field<uint32_t>(image, field, read_field<uint32_t>(image, field) | 0x40);  // extents
    EXPECT_EQ(mount(image), EINVAL);
}

TEST_F(Ext2DamageTest, UnknownRoCompatFeatureStillMountsReadOnly) {
    std::string image = copy("ro_compat");
    uint64_t field = superblock_field(offsetof(Ext2SuperBlockRecord, feature_ro_compat));
    patch_field<uint32_t>(image, field, read_field<uint32_t>(image, field) | 0x8000);
    ASSERT_EQ(mount(image), 0);
    EXPECT_TRUE(mount_->cwd().inode()->super_block().is_read_only());
    EXPECT_EQ(read_error("/files/size_4097", 0, 4097), 0);
}

TEST_F(Ext2DamageTest, RootThatIsNotADirectoryIsRefused) {
    std::string image = copy("root_mode");
    ext2_test::debugfs(image, "sif <2> mode 0100644", true);
    EXPECT_EQ(mount(image), EIO);
}

// --- EIO for the damaged object, the rest still readable ---------------------------

TEST_F(Ext2DamageTest, DirectoryRecordLengthZeroIsEio) {
    std::string image = copy("rec_len_zero");
    uint32_t block = block_of(image, "/nested", 0);
    ASSERT_NE(block, 0u);
    patch_field<uint16_t>(image, uint64_t(block) * VOLUME_BLOCK_SIZE + offsetof(Ext2DirectoryEntryHeader, record_length), 0);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(listing_error("/nested"), EIO);
    EXPECT_EQ(stat_error("/nested/a"), EIO);
    EXPECT_EQ(listing_error("/files"), 0);
}

TEST_F(Ext2DamageTest, DirectoryRecordLengthPastTheBlockIsEio) {
    std::string image = copy("rec_len_overflow");
    uint32_t block = block_of(image, "/nested", 0);
    ASSERT_NE(block, 0u);
    patch_field<uint16_t>(image, uint64_t(block) * VOLUME_BLOCK_SIZE + offsetof(Ext2DirectoryEntryHeader, record_length),
                          0xFFFC);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(listing_error("/nested"), EIO);
}

TEST_F(Ext2DamageTest, DirectoryRecordLengthNotAMultipleOfFourIsEio) {
    std::string image = copy("rec_len_odd");
    uint32_t block = block_of(image, "/nested", 0);
    ASSERT_NE(block, 0u);
    patch_field<uint16_t>(image, uint64_t(block) * VOLUME_BLOCK_SIZE + offsetof(Ext2DirectoryEntryHeader, record_length), 13);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(listing_error("/nested"), EIO);
}

TEST_F(Ext2DamageTest, DirectoryEntryWithAnInodeNumberPastTheEndIsEio) {
    std::string image = copy("entry_inode");
    uint32_t block = block_of(image, "/nested", 0);
    ASSERT_NE(block, 0u);
    patch_field<uint32_t>(image, uint64_t(block) * VOLUME_BLOCK_SIZE, 0xFFFFFFF0);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(listing_error("/nested"), EIO);
}

TEST_F(Ext2DamageTest, IndirectBlockPastTheEndIsEioBeyondTheDirectBlocks) {
    std::string image = copy("indirect");
    ext2_test::debugfs(image, "sif /files/size_13317 block[IND] 0x7fffffff", true);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(read_error("/files/size_13317", 0, 12 * VOLUME_BLOCK_SIZE), 0);  // the direct blocks are fine
    EXPECT_EQ(read_error("/files/size_13317", 12 * VOLUME_BLOCK_SIZE, 100), EIO);
}

TEST_F(Ext2DamageTest, DoubleIndirectEntryPastTheEndIsEio) {
    std::string image = copy("double_indirect");
    ext2_test::debugfs(image, "sif /files/size_3145739 block[DIND] 0xfffffff0", true);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(read_error("/files/size_3145739", 0, 200 * VOLUME_BLOCK_SIZE), 0);
    EXPECT_EQ(read_error("/files/size_3145739", 2 << 20, 100), EIO);
}

TEST_F(Ext2DamageTest, SizeLargerThanTheBlockMapIsEio) {
    std::string image = copy("size");
    ext2_test::debugfs(image, "sif /files/size_17 size 0xffffffff00000011", true);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(stat_error("/files/size_17"), EIO);
    EXPECT_EQ(stat_error("/files/size_1"), 0);
}

TEST_F(Ext2DamageTest, DirectoryOfPartialBlocksIsEio) {
    std::string image = copy("directory_size");
    ext2_test::debugfs(image, "sif /nested size 1000", true);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(stat_error("/nested"), EIO);
    EXPECT_EQ(stat_error("/files"), 0);
}

TEST_F(Ext2DamageTest, FastSymlinkLongerThanItsSpaceIsEio) {
    std::string image = copy("symlink");
    ext2_test::debugfs(image, "sif /links/fast size 200", true);
    ASSERT_EQ(mount(image), 0);
    EXPECT_EQ(stat_error("/links/fast"), EIO);
}

// --- random damage ---------------------------------------------------------------

// Walks every name below `directory` (depth-limited: damage can make loops),
// stats it and reads the start and the end of every file. Errors are fine.
void walk(const Path& cwd, const std::string& directory, int depth, size_t& visited) {
    if (depth > 8 || visited > 5000) return;
    Result<FileRef> opened = vfs_open(cwd, directory.c_str(), O_RDONLY | O_DIRECTORY, 0, ROOT);
    if (opened.is_error()) return;
    std::vector<std::string> names;
    std::vector<uint8_t> buffer(4096);
    for (int rounds = 0; rounds < 1000; ++rounds) {
        Result<size_t> got = vfs_getdents64(*opened.value(), buffer.data(), buffer.size());
        if (got.is_error() || got.value() == 0) break;
        for (size_t offset = 0; offset < got.value();) {
            auto* record = reinterpret_cast<const linux_abi::linux_dirent64*>(buffer.data() + offset);
            std::string name(record->d_name);
            if (name != "." && name != "..") names.push_back(name);
            offset += record->d_reclen;
        }
    }
    for (const std::string& name : names) {
        std::string path = (directory == "/" ? "" : directory) + "/" + name;
        ++visited;
        linux_abi::stat64 status{};
        if (vfs_stat(cwd, path.c_str(), false, ROOT, &status).is_error()) continue;
        if (S_ISDIR(status.st_mode)) {
            walk(cwd, path, depth + 1, visited);
        } else if (S_ISREG(status.st_mode)) {
            Result<FileRef> file = vfs_open(cwd, path.c_str(), O_RDONLY, 0, ROOT);
            if (file.is_error()) continue;
            std::vector<uint8_t> data(64 * 1024);
            (void)vfs_pread(*file.value(), data.data(), data.size(), 0);
            (void)vfs_pread(*file.value(), data.data(), data.size(), int64_t(status.st_size) - 4096);
        } else if (S_ISLNK(status.st_mode)) {
            char target[4096];
            (void)vfs_readlink(cwd, path.c_str(), target, sizeof target, ROOT);
        }
    }
}

TEST_F(Ext2DamageTest, RandomMetadataDamageNeverCrashesAWalk) {
    std::string good = copy("random_source");
    // A third of the flips land in the superblock and the group descriptors,
    // the rest in the first 240 inodes of group 0 (the root, lost+found and
    // the fixture's first files and directories) and in the root directory.
    uint32_t inode_table = read_field<uint32_t>(good, GROUP_DESCRIPTORS_OFFSET + offsetof(Ext2GroupDescriptor, inode_table));
    uint32_t root_block = block_of(good, "/", 0);
    ASSERT_NE(root_block, 0u);
    std::mt19937 random(2024);
    constexpr int ROUNDS = 150;
    size_t mounted = 0, total_visited = 0;
    for (int round = 0; round < ROUNDS; ++round) {
        std::string image = copy("random");
        for (int flips = 0; flips < 12; ++flips) {
            uint64_t offset = uint64_t(inode_table) * VOLUME_BLOCK_SIZE + random() % (60 * VOLUME_BLOCK_SIZE);
            if (flips % 4 == 0) offset = EXT2_SUPERBLOCK_OFFSET + random() % (2 * VOLUME_BLOCK_SIZE);
            if (flips % 4 == 1) offset = uint64_t(root_block) * VOLUME_BLOCK_SIZE + random() % VOLUME_BLOCK_SIZE;
            uint8_t byte = uint8_t(random());
            ext2_test::patch_bytes(image, offset, &byte, 1);
        }
        if (mount(image) != 0) continue;
        ++mounted;
        size_t visited = 0;
        walk(mount_->cwd(), "/", 0, visited);
        total_visited += visited;
        mount_.reset();
        expect_vfs_empty();
    }
    std::printf("random damage: %zu of %d images mounted, %zu names walked\n", mounted, ROUNDS, total_visited);
    EXPECT_GT(mounted, 0u);
    EXPECT_GT(total_visited, mounted * 100);  // the walks went deep
}

}  // namespace
