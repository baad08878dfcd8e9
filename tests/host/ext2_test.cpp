// tests/host/ext2_test.cpp -- ext2, read-only (fs/ext2/), mounted through the
// VFS from images that mke2fs -d makes of tests/host/support/ext2_fixture's
// tree, in every configuration the reader supports.
//
// What is tested, for each image (1, 2 and 4 KiB blocks, revision 0, 128-byte
// inodes, no filetype, and the defaults with real hash-indexed directories):
// every file reads back equal to its source (holes, the triple indirect
// file, odd chunk sizes, pread at odd offsets; large files read ahead); every directory lists
// exactly the source's names plus "." and "..", with d_ino matching stat and
// d_type matching the source (DT_UNKNOWN without filetype), also through
// small buffers, and resume at any offset; symlink targets (fast and slow); stat fields (mode, size,
// nlink, uid, gid, mtime, st_ino shared by hard links); statfs against the
// superblock; EROFS for writes. Then damaged images: refused at mount (bad
// magic, absurd block size, inode count against the groups, an inode table
// outside the disk, an unknown INCOMPAT feature) or EIO for the one damaged
// object (rec_len 0 or overflowing, an indirect block past the end), and
// random damage to the metadata that must never crash a full walk.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fs/ext2/ext2_format.h"
#include "fs/ext2/ext2_vfs.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/vfs.h"
#include "tests/host/support/ext2_fixture.h"
#include "tests/host/support/vfs_test_support.h"

namespace {

using ext2_test::Ext2Mount;
using ext2_test::ImageConfig;
using ext2_test::source_tree;

const Credentials ROOT = Credentials::root();

const ImageConfig CONFIGS[] = {
    {"block_1k", "-b 1024", false},
    {"block_2k", "-b 2048", false},
    {"block_4k", "-b 4096", false},
    {"revision_0", "-b 1024 -r 0", false},
    {"inode_128", "-b 1024 -I 128", false},
    {"no_filetype", "-b 2048 -O ^filetype", false},
    {"defaults_indexed", "", true},
};

std::string absolute(const std::string& path) { return "/" + path; }

class Ext2ImageTest : public ::testing::TestWithParam<ImageConfig> {
protected:
    void SetUp() override {
        image_ = ext2_test::image_for(GetParam());
        ASSERT_FALSE(image_.empty());
        ASSERT_EQ(mount_->mount(image_), 0);
    }
    void TearDown() override {
        mount_.reset();
        expect_vfs_empty();
    }

    FileRef open(const std::string& path, uint32_t flags = O_RDONLY) {
        Result<FileRef> file = vfs_open(mount_->cwd(), absolute(path).c_str(), flags, 0, ROOT);
        EXPECT_EQ(error_of(file), 0) << path;
        return file.is_error() ? FileRef() : file.release_value();
    }
    linux_abi::stat64 stat(const std::string& path) {
        linux_abi::stat64 status{};
        EXPECT_EQ(error_of(vfs_stat(mount_->cwd(), absolute(path).c_str(), false, ROOT, &status)), 0) << path;
        return status;
    }
    static std::vector<uint8_t> read_through(File& file, size_t chunk) {
        std::vector<uint8_t> data;
        std::vector<uint8_t> buffer(chunk);
        for (;;) {
            Result<size_t> got = vfs_read(file, buffer.data(), buffer.size());
            EXPECT_EQ(error_of(got), 0);
            if (got.is_error() || got.value() == 0) return data;
            data.insert(data.end(), buffer.begin(), buffer.begin() + long(got.value()));
        }
    }
    static std::vector<std::string> paths_of_type(mode_t type) {
        std::vector<std::string> paths;
        for (const auto& [path, status] : source_tree().nodes)
            if ((status.st_mode & S_IFMT) == type) paths.push_back(path);
        return paths;
    }

    // The image's superblock, as mke2fs wrote it.
    Ext2SuperBlockRecord superblock() const {
        std::vector<uint8_t> bytes = ext2_test::read_bytes(image_, EXT2_SUPERBLOCK_OFFSET, sizeof(Ext2SuperBlockRecord));
        Ext2SuperBlockRecord record;
        std::memcpy(&record, bytes.data(), sizeof record);
        return record;
    }

    uint32_t superblock_block_size() const { return 1024u << superblock().log_block_size; }

    std::string image_;
    std::unique_ptr<Ext2Mount> mount_ = std::make_unique<Ext2Mount>();
};

TEST_P(Ext2ImageTest, EveryFileReadsBackEqualToItsSource) {
    size_t files = 0;
    for (const std::string& path : paths_of_type(S_IFREG)) {
        std::vector<uint8_t> expected = source_tree().file_bytes(path);
        size_t chunk = expected.size() > (1 << 20) ? (1 << 20) + 4093 : 1000;
        FileRef file = open(path);
        ASSERT_TRUE(file);
        EXPECT_TRUE(read_through(*file, chunk) == expected) << path << " (" << expected.size() << " bytes)";
        ++files;
    }
    EXPECT_GE(files, 2000u + 17u);
}

TEST_P(Ext2ImageTest, PreadReadsHolesAndIndirectBlocksAtAnyOffset) {
    for (const char* path : {"files/holes", "files/triple_indirect", "files/size_3145739"}) {
        std::vector<uint8_t> expected = source_tree().file_bytes(path);
        FileRef file = open(path);
        ASSERT_TRUE(file);
        int64_t size = int64_t(expected.size());
        for (int64_t offset : {int64_t(0), int64_t(1023), int64_t(12 * 1024 - 3), int64_t(268 * 1024 + 1),
                               int64_t(40 * 1024), size - 9700, size - 1, size, size + 5}) {
            if (offset < 0) continue;
            std::vector<uint8_t> buffer(5000, 0xAA);
            Result<size_t> got = vfs_pread(*file, buffer.data(), buffer.size(), offset);
            ASSERT_EQ(error_of(got), 0) << path << " at " << offset;
            size_t want = offset >= size ? 0 : std::min<size_t>(buffer.size(), size_t(size - offset));
            ASSERT_EQ(got.value(), want) << path << " at " << offset;
            EXPECT_TRUE(std::equal(buffer.begin(), buffer.begin() + long(want), expected.begin() + offset))
                << path << " at " << offset;
        }
    }
}

TEST_P(Ext2ImageTest, LargeFilesAreReadAheadInRunsOfBlocks) {
    const char* path = "files/size_3145739";
    uint64_t file_blocks = source_tree().nodes.at(path).st_size / superblock_block_size() + 1;
    uint64_t requests_before = mount_->cache().statistics().reads_submitted;
    FileRef file = open(path);
    ASSERT_TRUE(file);
    EXPECT_EQ(read_through(*file, 1 << 20).size(), uint64_t(source_tree().nodes.at(path).st_size));
    uint64_t requests = mount_->cache().statistics().reads_submitted - requests_before;
    EXPECT_LT(requests, file_blocks / 8) << file_blocks << " blocks";
}

TEST_P(Ext2ImageTest, DirectoriesListExactlyTheSourceNames) {
    bool has_types = superblock().revision_level >= EXT2_DYNAMIC_REVISION &&
                     (superblock().feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE) != 0;
    EXPECT_EQ(has_types, std::string(GetParam().name) != "no_filetype" && std::string(GetParam().name) != "revision_0");
    for (const std::string& path : paths_of_type(S_IFDIR)) {
        FileRef directory = open(path, O_RDONLY | O_DIRECTORY);
        ASSERT_TRUE(directory);
        std::vector<Entry> entries = read_directory(*directory, path == "many" ? 300 : 4096);
        std::vector<std::string> names;
        for (const Entry& entry : entries) {
            names.push_back(entry.name);
            if (entry.name == "." || entry.name == ".." || entry.name == "lost+found") continue;
            std::string child = path.empty() ? entry.name : path + "/" + entry.name;
            linux_abi::stat64 status = stat(child);
            EXPECT_EQ(entry.inode_number, status.st_ino) << child;
            uint8_t expected_type = has_types ? directory_entry_type(source_tree().nodes.at(child).st_mode) : uint8_t(DT_UNKNOWN);
            EXPECT_EQ(entry.type, expected_type) << child;
        }
        std::vector<std::string> expected = source_tree().children_of(path);
        expected.push_back(".");
        expected.push_back("..");
        if (path.empty()) expected.push_back("lost+found");  // mke2fs makes it
        std::sort(expected.begin(), expected.end());
        std::sort(names.begin(), names.end());
        EXPECT_EQ(names, expected) << "directory /" << path;
    }
}

TEST_P(Ext2ImageTest, DirectoryReadsResumeAtAnyOffset) {
    FileRef directory = open("many", O_RDONLY | O_DIRECTORY);
    ASSERT_TRUE(directory);
    std::vector<Entry> all = read_directory(*directory);
    ASSERT_EQ(all.size(), 2002u);
    for (size_t index : {size_t(0), size_t(1), size_t(500), size_t(1999), size_t(2000)}) {
        // A d_off from getdents resumes at the entry after it.
        ASSERT_EQ(error_of(vfs_lseek(*directory, all[index].next_offset, SEEK_SET)), 0);
        std::vector<Entry> rest = read_directory(*directory);
        ASSERT_EQ(rest.size(), all.size() - index - 1) << index;
        if (!rest.empty()) {
            EXPECT_EQ(rest.front().name, all[index + 1].name);
        }
        // A made-up offset inside an entry resumes at the next whole entry.
        ASSERT_EQ(error_of(vfs_lseek(*directory, all[index].next_offset - 3, SEEK_SET)), 0);
        rest = read_directory(*directory);
        ASSERT_EQ(rest.size(), all.size() - index - 1) << index;
    }
    ASSERT_EQ(error_of(vfs_lseek(*directory, 1 << 30, SEEK_SET)), 0);
    EXPECT_TRUE(read_directory(*directory).empty());
}

TEST_P(Ext2ImageTest, SymbolicLinksReadBackTheirTargets) {
    size_t links = 0;
    for (const std::string& path : paths_of_type(S_IFLNK)) {
        char buffer[4096];
        Result<size_t> got = vfs_readlink(mount_->cwd(), absolute(path).c_str(), buffer, sizeof buffer, ROOT);
        ASSERT_EQ(error_of(got), 0) << path;
        EXPECT_EQ(std::string(buffer, got.value()), source_tree().symlink_target(path)) << path;
        ++links;
    }
    EXPECT_EQ(links, 5u);
    // Through the link: the fast link leads to a file of 17 bytes.
    linux_abi::stat64 status{};
    ASSERT_EQ(error_of(vfs_stat(mount_->cwd(), "/links/fast", true, ROOT, &status)), 0);
    EXPECT_EQ(status.st_size, 17);
}

TEST_P(Ext2ImageTest, StatMatchesTheSourceTree) {
    for (const auto& [path, host] : source_tree().nodes) {
        linux_abi::stat64 status = stat(path);
        EXPECT_EQ(status.st_mode, host.st_mode) << path;
        if (!S_ISDIR(host.st_mode)) {
            EXPECT_EQ(uint64_t(status.st_size), uint64_t(host.st_size)) << path;
        }
        if (!path.empty()) {  // the root also holds lost+found, and mke2fs -d gives it its own owner and time
            EXPECT_EQ(status.st_nlink, host.st_nlink) << path;
            EXPECT_EQ(status.st_uid, host.st_uid) << path;
            EXPECT_EQ(status.st_gid, host.st_gid) << path;
            EXPECT_EQ(int64_t(int32_t(status.st_mtime)), int64_t(host.st_mtim.tv_sec)) << path;  // i386 time_t is signed
        }
    }
    EXPECT_EQ(stat("").st_ino, EXT2_ROOT_INODE);
    EXPECT_EQ(stat("linked").st_ino, stat("nested/a/linked_too").st_ino);
    EXPECT_EQ(stat("linked").st_ino, stat("files/linked_third").st_ino);
    EXPECT_EQ(stat("files/size_17").st_mtime, 1234567890);
    EXPECT_EQ(int32_t(stat("owners/from_1969").st_mtime), -86400 * 30);
}

TEST_P(Ext2ImageTest, MountIsReadOnlyAndStatfsReportsTheSuperblockCounts) {
    Ext2SuperBlockRecord superblock = this->superblock();
    linux_abi::statfs64 statistics{};
    ASSERT_EQ(error_of(vfs_statfs(mount_->cwd(), "/", ROOT, &statistics)), 0);
    EXPECT_EQ(statistics.f_type, 0xEF53u);
    EXPECT_EQ(statistics.f_bsize, 1024u << superblock.log_block_size);
    EXPECT_EQ(statistics.f_blocks, superblock.blocks_count);
    EXPECT_EQ(statistics.f_bfree, superblock.free_blocks_count);
    EXPECT_EQ(statistics.f_bavail, superblock.free_blocks_count - superblock.reserved_blocks_count);
    EXPECT_EQ(statistics.f_files, superblock.inodes_count);
    EXPECT_EQ(statistics.f_ffree, superblock.free_inodes_count);
    EXPECT_EQ(statistics.f_namelen, 255u);
    EXPECT_EQ(statistics.f_flags & linux_abi::ST_RDONLY, linux_abi::ST_RDONLY);
    EXPECT_EQ(error_of(vfs_open(mount_->cwd(), "/new", O_WRONLY | O_CREAT, 0644, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_open(mount_->cwd(), "/files/size_17", O_WRONLY, 0, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_mkdir(mount_->cwd(), "/new_dir", 0755, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_unlink(mount_->cwd(), "/linked", ROOT)), EROFS);
}

TEST_P(Ext2ImageTest, MissingNamesAreEnoent) {
    linux_abi::stat64 status{};
    EXPECT_EQ(error_of(vfs_stat(mount_->cwd(), "/many/entry_2000", false, ROOT, &status)), ENOENT);
    EXPECT_EQ(error_of(vfs_stat(mount_->cwd(), "/files/size_1/x", false, ROOT, &status)), ENOTDIR);
    EXPECT_EQ(error_of(vfs_stat(mount_->cwd(), "/many/entry_1999", false, ROOT, &status)), 0);
}

INSTANTIATE_TEST_SUITE_P(Images, Ext2ImageTest, ::testing::ValuesIn(CONFIGS),
                         [](const ::testing::TestParamInfo<ImageConfig>& info) { return std::string(info.param.name); });

}  // namespace
