// tests/host/ext2_write_files_test.cpp -- ext2's write side (fs/ext2/) and
// the VFS above it, on the lives of files: when their inodes and blocks go
// back, open files, the group of new files.
//
// What is tested (images made by mke2fs, mounted through the VFS like
// ext2_write_test.cpp, judged by statfs, e2fsck -fn and debugfs):
//   Ext2WriteFiles.RemovedFilesGiveTheirBlocksAndInodesBackAtOnce
//       unlink, both hard links, rename over a file or an empty directory,
//       truncate to 0, a slow symlink, rmdir after every way a directory can
//       empty (cached missing names, subdirectories, renames out of it, an
//       open file unlinked inside it): statfs's free counts come back at
//       once, and equal the superblock's after the unmount.
//   Ext2WriteFiles.AnOpenFileOutlivesItsNameAndIsFreedAtClose
//   Ext2WriteFiles.ASetGroupIdDirectoryPassesItsGroupOn   (Linux's
//       inode_init_owner rule)
//   Ext2WriteFiles.AnExtendedAttributeBlockGoesWithItsLastFile
//       attribute blocks debugfs's ea_set made, one shared by two files
//       (h_refcount 2): deleting one sharer leaves the block with count 1,
//       deleting the last one or a sole owner frees it in the bitmap.
//   Ext2WriteFiles.AWriteAdvancesModificationAndChangeTimes
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <cerrno>
#include <ctime>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "tests/host/support/ext2_fixture.h"
#include "tests/host/support/ext2_write_support.h"
#include "tests/host/support/vfs_test_support.h"

namespace {

using ext2_test::make_image;
using ext2_test::pattern_bytes;
using ext2_test::run_command;
using ext2_test::statfs_of;
using ext2_test::unmount_keeping_counts;
using ext2_test::VfsTarget;
using ext2_test::WritableExt2Mount;

const Credentials ROOT = Credentials::root();

// Every way a file or directory goes away gives its inode and blocks back at
// once (nothing holds them: no open file), as statfs shows.
TEST(Ext2WriteFiles, RemovedFilesGiveTheirBlocksAndInodesBackAtOnce) {
    std::string image = make_image("give_back", "-b 1024", "", "4M");
    ASSERT_FALSE(image.empty());
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    std::vector<uint8_t> bytes = pattern_bytes(30000, 9);
    linux_abi::statfs64 before = statfs_of(mount);
    // Each case starts from the counts the one before left, so a leak is
    // reported once, by the case that made it.
    auto expect_back = [&](const char* how, const linux_abi::statfs64& expected) {
        linux_abi::statfs64 after = statfs_of(mount);
        EXPECT_EQ(after.f_bfree, expected.f_bfree) << how;
        EXPECT_EQ(after.f_ffree, expected.f_ffree) << how;
        before = after;
    };
    ASSERT_EQ(target.write("/a", 0, bytes), 0);
    ASSERT_EQ(target.unlink("/a"), 0);
    expect_back("unlink", before);
    ASSERT_EQ(target.write("/a", 0, bytes), 0);
    ASSERT_EQ(target.link("/a", "/b"), 0);
    ASSERT_EQ(target.unlink("/a"), 0);
    ASSERT_EQ(target.unlink("/b"), 0);
    expect_back("unlink of both hard links", before);
    ASSERT_EQ(target.write("/keep", 0, bytes), 0);
    before = statfs_of(mount);
    ASSERT_EQ(target.write("/a", 0, bytes), 0);
    ASSERT_EQ(target.rename("/keep", "/a"), 0);
    expect_back("rename over a file", before);
    ASSERT_EQ(target.unlink("/a"), 0);
    before = statfs_of(mount);
    ASSERT_EQ(target.write("/t", 0, bytes), 0);
    ASSERT_EQ(target.truncate("/t", 0), 0);
    EXPECT_EQ(statfs_of(mount).f_bfree, before.f_bfree) << "an empty file holds no block";
    ASSERT_EQ(target.unlink("/t"), 0);
    expect_back("truncate to 0, then unlink", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.mkdir("/e"), 0);
    ASSERT_EQ(target.rename("/d", "/e"), 0);
    ASSERT_EQ(target.rmdir("/e"), 0);
    expect_back("rename over an empty directory, then rmdir", before);
    ASSERT_EQ(target.symlink(std::string(200, 's'), "/slow"), 0);
    ASSERT_EQ(target.unlink("/slow"), 0);
    expect_back("a slow symlink", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.write("/d/f", 0, bytes), 0);
    ASSERT_EQ(target.unlink("/d/f"), 0);
    ASSERT_EQ(target.rmdir("/d"), 0);
    expect_back("a directory with a file", before);
    // Names looked up and not found leave negative entries in the dentry
    // cache under the directory; they must not keep it alive once removed.
    ext2_model::TargetStatus status;
    ASSERT_EQ(target.mkdir("/d"), 0);
    EXPECT_EQ(target.status("/d/absent", status), ENOENT);
    ASSERT_EQ(target.rmdir("/d"), 0);
    expect_back("rmdir of a directory with a cached missing name", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.mkdir("/e"), 0);
    EXPECT_EQ(target.status("/e/absent", status), ENOENT);
    ASSERT_EQ(target.rename("/d", "/e"), 0);
    ASSERT_EQ(target.rmdir("/e"), 0);
    expect_back("rename over a directory with a cached missing name", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.mkdir("/d/s"), 0);
    EXPECT_EQ(target.status("/d/s/absent", status), ENOENT);
    ASSERT_EQ(target.rmdir("/d/s"), 0);
    ASSERT_EQ(target.rmdir("/d"), 0);
    expect_back("nested directories with cached missing names", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.mkdir("/e"), 0);
    ASSERT_EQ(target.mkdir("/e/s"), 0);
    EXPECT_EQ(target.status("/e/s/absent", status), ENOENT);
    ASSERT_EQ(target.rmdir("/e/s"), 0);
    ASSERT_EQ(target.rename("/d", "/e"), 0);
    ASSERT_EQ(target.rmdir("/e"), 0);
    expect_back("rename over a directory that had a subdirectory", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    EXPECT_EQ(target.mkdir("/d/x/y"), ENOENT);
    EXPECT_EQ(target.create("/d/x/y", true, false), ENOENT);
    EXPECT_EQ(target.rename("/d/x", "/d/z"), ENOENT);
    ASSERT_EQ(target.rmdir("/d"), 0);
    expect_back("rmdir after failed calls below missing names", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.write("/d/f", 0, bytes), 0);
    ASSERT_EQ(target.rename("/d/f", "/moved"), 0);
    ASSERT_EQ(target.rmdir("/d"), 0);
    ASSERT_EQ(target.unlink("/moved"), 0);
    expect_back("rmdir of a directory whose file was renamed out of it", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.mkdir("/d/s"), 0);
    ASSERT_EQ(target.rename("/d/s", "/moved"), 0);
    ASSERT_EQ(target.rmdir("/d"), 0);
    ASSERT_EQ(target.rmdir("/moved"), 0);
    expect_back("rmdir of a directory whose subdirectory was renamed out of it", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.write("/d/a", 0, bytes), 0);
    ASSERT_EQ(target.symlink("x", "/d/b"), 0);
    ASSERT_EQ(target.rename("/d/a", "/d/b"), 0);
    ASSERT_EQ(target.rename("/d/b", "/d/c"), 0);
    ASSERT_EQ(target.unlink("/d/c"), 0);
    ASSERT_EQ(target.rmdir("/d"), 0);
    expect_back("renames inside a directory, over a symlink, then rmdir", before);
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.write("/d/a", 0, bytes), 0);
    ASSERT_EQ(target.write("/other", 0, bytes), 0);
    ASSERT_EQ(target.rename("/d/a", "/other"), 0);
    ASSERT_EQ(target.rmdir("/d"), 0);
    ASSERT_EQ(target.unlink("/other"), 0);
    expect_back("rename out of a directory over another file, then rmdir", before);
    // An open file pins its directory (as in Linux, through the dentry's
    // parent) until it is closed: then both go.
    ASSERT_EQ(target.mkdir("/d"), 0);
    ASSERT_EQ(target.write("/d/f", 0, bytes), 0);
    ASSERT_EQ(target.open_handle(0, "/d/f"), 0);
    ASSERT_EQ(target.unlink("/d/f"), 0);
    ASSERT_EQ(target.rmdir("/d"), 0);
    target.close_handle(0);
    expect_back("an open file unlinked, its directory removed, then the file closed", before);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    EXPECT_TRUE(ext2_test::e2fsck(image).clean());
}

// --- open files and ownership ---------------------------------------------------------

// An unlinked file stays readable and writable through an open file; its
// inode and blocks come back when the last reference goes.
TEST(Ext2WriteFiles, AnOpenFileOutlivesItsNameAndIsFreedAtClose) {
    std::string image = make_image("open_unlinked", "-b 1024", "", "4M");
    ASSERT_FALSE(image.empty());
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    linux_abi::statfs64 before = statfs_of(mount);
    std::vector<uint8_t> first = pattern_bytes(40000, 21), second = pattern_bytes(20000, 22);
    {
        Result<FileRef> file = vfs_open(mount.cwd(), "/open", O_RDWR | O_CREAT, 0644, ROOT);
        ASSERT_EQ(error_of(file), 0);
        ASSERT_EQ(error_of(vfs_pwrite(*file.value(), first.data(), first.size(), 0)), 0);
        ASSERT_EQ(error_of(vfs_unlink(mount.cwd(), "/open", ROOT)), 0);
        ASSERT_EQ(error_of(vfs_pwrite(*file.value(), second.data(), second.size(), 30000)), 0);
        std::vector<uint8_t> expected = first;
        expected.resize(50000);
        std::copy(second.begin(), second.end(), expected.begin() + 30000);
        std::vector<uint8_t> got(60000);
        Result<size_t> read = vfs_pread(*file.value(), got.data(), got.size(), 0);
        ASSERT_EQ(error_of(read), 0);
        got.resize(read.value());
        EXPECT_TRUE(got == expected);
        EXPECT_LT(statfs_of(mount).f_bfree, before.f_bfree) << "the blocks are still in use";
        EXPECT_EQ(statfs_of(mount).f_ffree, before.f_ffree - 1) << "the inode is still in use";
    }
    EXPECT_EQ(statfs_of(mount).f_bfree, before.f_bfree);
    EXPECT_EQ(statfs_of(mount).f_ffree, before.f_ffree);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    ext2_test::FsckResult fsck = ext2_test::e2fsck(image);
    EXPECT_TRUE(fsck.clean()) << fsck.output;
}

// Linux's rule for new inodes (inode_init_owner): in a set-group-ID
// directory they take the directory's group, and new directories keep the
// set-group-ID bit.
TEST(Ext2WriteFiles, ASetGroupIdDirectoryPassesItsGroupOn) {
    std::string image = make_image("setgid", "-b 1024", "", "2M");
    ASSERT_FALSE(image.empty());
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    ASSERT_EQ(error_of(vfs_mkdir(mount.cwd(), "/shared", 0755, ROOT)), 0);
    ASSERT_EQ(error_of(vfs_chown(mount.cwd(), "/shared", 0xFFFFFFFFu, 1234, true, ROOT)), 0);
    ASSERT_EQ(error_of(vfs_chmod(mount.cwd(), "/shared", 02775, ROOT)), 0);
    ASSERT_EQ(error_of(vfs_open(mount.cwd(), "/shared/file", O_WRONLY | O_CREAT, 0644, ROOT)), 0);
    ASSERT_EQ(error_of(vfs_mkdir(mount.cwd(), "/shared/sub", 0755, ROOT)), 0);
    linux_abi::stat64 status{};
    ASSERT_EQ(error_of(vfs_stat(mount.cwd(), "/shared/file", false, ROOT, &status)), 0);
    EXPECT_EQ(status.st_gid, 1234u);
    EXPECT_EQ(status.st_mode & 07777, 0644u);
    ASSERT_EQ(error_of(vfs_stat(mount.cwd(), "/shared/sub", false, ROOT, &status)), 0);
    EXPECT_EQ(status.st_gid, 1234u);
    EXPECT_EQ(status.st_mode & 07777, 02755u);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    EXPECT_NE(ext2_test::debugfs(image, "stat /shared/sub").find("Group:  1234"), std::string::npos)
        << ext2_test::debugfs(image, "stat /shared/sub");
    EXPECT_NE(ext2_test::debugfs(image, "stat /shared/sub").find("Mode:  02755"), std::string::npos);
    EXPECT_TRUE(ext2_test::e2fsck(image).clean());
}

// --- extended attributes and times ---------------------------------------------------

// The block number debugfs's `stat` gives as "File ACL:" (0 if none).
uint32_t attribute_block_of(const std::string& image, const std::string& path) {
    std::string status = ext2_test::debugfs(image, "stat " + path);
    size_t at = status.find("File ACL: ");
    return at == std::string::npos ? 0 : uint32_t(std::stoul(status.substr(at + 10)));
}

// h_refcount, the u32 at byte 4 of an attribute block, as debugfs's
// block_dump shows it ("0000  0000 02ea RRRR RRRR ...": little-endian words).
uint32_t reference_count_of(const std::string& image, uint32_t block) {
    std::string dump = ext2_test::debugfs(image, "block_dump " + std::to_string(block));
    if (dump.size() < 26 || dump.compare(0, 16, "0000  0000 02ea ") != 0) return 0xFFFFFFFFu;
    std::string low = dump.substr(16, 4), high = dump.substr(21, 4);
    auto word = [](const std::string& bytes) { return uint32_t(std::stoul(bytes.substr(2, 2) + bytes.substr(0, 2), nullptr, 16)); };
    return word(low) | word(high) << 16;
}

bool block_in_use(const std::string& image, uint32_t block) {
    std::string answer = run_command("/sbin/debugfs -R 'testb " + std::to_string(block) + "' " + image + " 2>/dev/null");
    if (answer.find("marked in use") != std::string::npos) return true;
    EXPECT_NE(answer.find("not in use"), std::string::npos) << answer;
    return false;
}

// 128-byte inodes have no room for attributes: every one lives in a block.
// /a and /b share one (the second pointed at the first's block, h_refcount
// raised to 2, as Linux's mbcache shares equal blocks); /c has its own.
TEST(Ext2WriteFiles, AnExtendedAttributeBlockGoesWithItsLastFile) {
    std::string folder = ext2_test::scratch_directory() + "/xattr_tree";
    ASSERT_TRUE(::mkdir(folder.c_str(), 0755) == 0 || errno == EEXIST) << folder;
    for (const char* name : {"a", "b", "c"}) std::ofstream(folder + "/" + name) << "contents of " << name << "\n";
    std::string image = make_image("xattr", "-b 1024 -I 128", folder, "2M");
    ASSERT_FALSE(image.empty());
    ext2_test::debugfs(image, "ea_set /a user.shared " + std::string(300, 's'), true);
    ext2_test::debugfs(image, "ea_set /c user.own " + std::string(300, 'o'), true);
    uint32_t shared = attribute_block_of(image, "/a"), own = attribute_block_of(image, "/c");
    ASSERT_NE(shared, 0u);
    ASSERT_NE(own, 0u);
    ext2_test::debugfs(image, "sif /b file_acl " + std::to_string(shared), true);
    ext2_test::debugfs(image, "sif /b blocks 4", true);  // one 1 KiB data block and the attribute block
    ext2_test::debugfs(image, "zap_block -o 4 -l 1 -p 2 " + std::to_string(shared), true);
    ASSERT_EQ(attribute_block_of(image, "/b"), shared);
    ASSERT_EQ(reference_count_of(image, shared), 2u);
    ext2_test::FsckResult fsck = ext2_test::e2fsck(image);
    ASSERT_TRUE(fsck.clean()) << "the image as made: " << fsck.output;
    {
        WritableExt2Mount mount;
        ASSERT_EQ(mount.mount(image), 0);
        ASSERT_EQ(error_of(vfs_unlink(mount.cwd(), "/a", ROOT)), 0);
        ASSERT_EQ(error_of(vfs_unlink(mount.cwd(), "/c", ROOT)), 0);
        ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    }
    EXPECT_TRUE(block_in_use(image, shared)) << "/b still uses it";
    EXPECT_EQ(reference_count_of(image, shared), 1u);
    EXPECT_FALSE(block_in_use(image, own));
    fsck = ext2_test::e2fsck(image);
    EXPECT_TRUE(fsck.clean()) << fsck.output;
    {
        WritableExt2Mount mount;
        ASSERT_EQ(mount.mount(image), 0);
        ASSERT_EQ(error_of(vfs_unlink(mount.cwd(), "/b", ROOT)), 0);
        ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    }
    EXPECT_FALSE(block_in_use(image, shared));
    fsck = ext2_test::e2fsck(image);
    EXPECT_TRUE(fsck.clean()) << fsck.output;
}

// ext2 keeps whole seconds: the file starts in 2009, so any write's time
// (the host's clock here) is later, and it is the time of the write.
TEST(Ext2WriteFiles, AWriteAdvancesModificationAndChangeTimes) {
    std::string folder = ext2_test::scratch_directory() + "/times_tree";
    ASSERT_TRUE(::mkdir(folder.c_str(), 0755) == 0 || errno == EEXIST) << folder;
    std::ofstream(folder + "/old") << "old contents\n";
    ASSERT_EQ(run_command("touch -d @1234567890 " + folder + "/old"), "");
    std::string image = make_image("times", "-b 1024", folder, "2M");
    ASSERT_FALSE(image.empty());
    ext2_test::debugfs(image, "sif /old ctime 20090213233130", true);
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    linux_abi::stat64 status{};
    ASSERT_EQ(error_of(vfs_stat(mount.cwd(), "/old", false, ROOT, &status)), 0);
    ASSERT_EQ(status.st_mtime, 1234567890u);
    ASSERT_EQ(status.st_ctime, 1234567890u);
    int64_t before = int64_t(::time(nullptr));
    {
        Result<FileRef> file = vfs_open(mount.cwd(), "/old", O_WRONLY, 0, ROOT);
        ASSERT_EQ(error_of(file), 0);
        std::vector<uint8_t> bytes = pattern_bytes(100, 3);
        ASSERT_EQ(error_of(vfs_pwrite(*file.value(), bytes.data(), bytes.size(), 5)), 0);
    }
    int64_t after = int64_t(::time(nullptr));
    ASSERT_EQ(error_of(vfs_stat(mount.cwd(), "/old", false, ROOT, &status)), 0);
    EXPECT_GE(int64_t(status.st_mtime), before);
    EXPECT_LE(int64_t(status.st_mtime), after);
    EXPECT_GE(int64_t(status.st_ctime), before);
    EXPECT_LE(int64_t(status.st_ctime), after);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    std::string on_disk = ext2_test::debugfs(image, "stat /old");
    for (const char* field : {"\n ctime: 0x", "\n mtime: 0x"}) {
        size_t at = on_disk.find(field);
        ASSERT_NE(at, std::string::npos) << on_disk;
        EXPECT_EQ(int64_t(std::stoul(on_disk.substr(at + std::string(field).size(), 8), nullptr, 16)), int64_t(status.st_mtime))
            << field << " on the disk: " << on_disk;
    }
    EXPECT_TRUE(ext2_test::e2fsck(image).clean());
}

}  // namespace
