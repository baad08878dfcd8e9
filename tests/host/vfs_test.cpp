// tests/host/vfs_test.cpp -- the VFS on "testfs" (tests/host/support/memory_fs):
// path lookup and its errors, symbolic links, mounts, the dentry cache,
// getdents64 and stat64 as Linux lays them out, open files, lseek, the file
// descriptor table, and reference counts back to zero after every test.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fs/vfs/file_descriptor_table.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/path_lookup.h"
#include "fs/vfs/vfs.h"
#include "tests/host/support/memory_fs.h"
#include "tests/host/support/vfs_test_support.h"

namespace {

const Credentials ROOT = Credentials::root();
const Credentials USER = Credentials::user(1000, 1000);
constexpr size_t MAX_UNUSED_DENTRIES = 32;
constexpr int MANY_FILES = SAMPLE_TREE_MANY_FILES;


// The root file system is memory_fs's sample tree (/etc/passwd, /links/...,
// /many/file0..99; see build_sample_tree), disk1 and disk2 are small images
// to mount on it.
class VfsTest : public ::testing::Test {
protected:
    void SetUp() override {
        VfsObjectCounts counts = vfs_object_counts();
        ASSERT_EQ(counts.super_blocks + counts.mounts + counts.dentries + counts.inodes + counts.files, 0u);
        build_sample_tree(root_image_);
        disk1_.add_file("/hello", "from disk1\n");
        disk1_.add_directory("/sub");
        disk2_.add_file("/second", "two");
        for (auto [name, image] : {std::pair{"root", &root_image_}, {"disk1", &disk1_}, {"disk2", &disk2_}})
            memory_file_system_type().publish(name, image);
        ASSERT_EQ(error_of(namespace_.mount_root("testfs", nullptr, 0, "root")), 0);
        cwd_ = namespace_.root();
    }

    // Everything a test opened is closed by now: the VFS must be empty again.
    void TearDown() override {
        cwd_.reset();
        EXPECT_EQ(error_of(namespace_.unmount_all()), 0);
        expect_vfs_empty();
        for (const char* name : {"root", "disk1", "disk2"}) memory_file_system_type().withdraw(name);
    }

    Result<Path> walk(const char* name, uint32_t flags = LOOKUP_FOLLOW, const Credentials& who = ROOT) {
        return path_walk(cwd_, name, flags, who);
    }
    int walk_error(const char* name, uint32_t flags = LOOKUP_FOLLOW, const Credentials& who = ROOT) {
        return error_of(walk(name, flags, who));
    }
    uint64_t inode_of(const char* name, uint32_t flags = LOOKUP_FOLLOW) {
        Result<Path> path = walk(name, flags);
        return path.is_error() ? 0 : path.value().inode()->number();
    }
    std::string name_of(const Path& path) {
        char buffer[256];
        Result<size_t> length = d_path(path, buffer, sizeof(buffer));
        return length.is_error() ? "error" : std::string(buffer, length.value());
    }
    FileRef open(const char* name, uint32_t flags = O_RDONLY, const Credentials& who = ROOT) {
        Result<FileRef> file = vfs_open(cwd_, name, flags, 0644, who);
        EXPECT_EQ(error_of(file), 0) << name;
        return file.is_error() ? FileRef() : file.release_value();
    }
    std::string read_all(File& file) {
        std::string contents;
        char buffer[7];  // odd on purpose: several reads per file
        for (;;) {
            Result<size_t> got = vfs_read(file, buffer, sizeof(buffer));
            if (got.is_error() || got.value() == 0) return contents;
            contents.append(buffer, got.value());
        }
    }
    Result<void> mount(const char* image, const char* target, uint32_t flags = 0) {
        return vfs_mount(cwd_, "testfs", nullptr, target, flags, image, ROOT);
    }
    std::vector<Entry> list(File& directory, size_t buffer_size = 4096) {
        return read_directory(directory, buffer_size);
    }

    DentryCache cache_{MAX_UNUSED_DENTRIES};
    MountNamespace namespace_{cache_};
    MemoryImage root_image_, disk1_, disk2_;
    Path cwd_;
};

// --- path lookup ------------------------------------------------------------------

TEST_F(VfsTest, AbsoluteAndRelativeNamesReachTheSameFile) {
    uint64_t passwd = inode_of("/etc/passwd");
    EXPECT_EQ(passwd, root_image_.find("/etc/passwd")->number);
    cwd_ = walk("/etc").release_value();
    EXPECT_EQ(inode_of("passwd"), passwd);
    EXPECT_EQ(inode_of("./passwd"), passwd);
    EXPECT_EQ(inode_of("../etc/passwd"), passwd);
    EXPECT_EQ(name_of(cwd_), "/etc");
}

TEST_F(VfsTest, DotDotAboveTheRootStaysAtTheRoot) {
    EXPECT_EQ(inode_of("/.."), MemoryImage::ROOT_NUMBER);
    EXPECT_EQ(inode_of("/../../etc/../.."), MemoryImage::ROOT_NUMBER);
    EXPECT_EQ(inode_of("/../etc/./passwd"), inode_of("/etc/passwd"));
    EXPECT_EQ(name_of(walk("/etc/..").value()), "/");
}

TEST_F(VfsTest, RepeatedAndTrailingSlashes) {
    EXPECT_EQ(inode_of("//etc///passwd"), inode_of("/etc/passwd"));
    EXPECT_EQ(inode_of("/etc/"), inode_of("/etc"));
    EXPECT_EQ(inode_of("/etc//"), inode_of("/etc"));
    EXPECT_EQ(walk_error("/etc/passwd/"), ENOTDIR);
    EXPECT_EQ(walk_error("/etc/missing/"), ENOENT);
    EXPECT_EQ(inode_of(std::string(4095, '/').c_str()), MemoryImage::ROOT_NUMBER);
}

TEST_F(VfsTest, LookupErrors) {
    EXPECT_EQ(walk_error(""), ENOENT);
    EXPECT_EQ(walk_error("/etc/missing"), ENOENT);
    EXPECT_EQ(walk_error("/missing/passwd"), ENOENT);
    EXPECT_EQ(walk_error("/etc/passwd/anything"), ENOTDIR);
    EXPECT_EQ(walk_error("/etc/passwd/."), ENOTDIR);
    EXPECT_EQ(walk_error("/bin/sh", LOOKUP_FOLLOW | LOOKUP_DIRECTORY), ENOTDIR);
    std::string longest_component = "/" + std::string(255, 'n');
    EXPECT_EQ(walk_error(longest_component.c_str()), ENOENT);
    EXPECT_EQ(walk_error((longest_component + "n").c_str()), ENAMETOOLONG);
    EXPECT_EQ(walk_error(std::string(4096, '/').c_str()), ENAMETOOLONG);
}

TEST_F(VfsTest, SearchPermissionComesFromTheModeBits) {
    EXPECT_EQ(walk_error("/private/secret", LOOKUP_FOLLOW, USER), EACCES);
    EXPECT_EQ(walk_error("/private/../etc", LOOKUP_FOLLOW, USER), EACCES);
    EXPECT_EQ(walk_error("/private/secret", LOOKUP_FOLLOW, ROOT), 0);  // uid 0 passes
    EXPECT_EQ(walk_error("/search-only/file", LOOKUP_FOLLOW, USER), 0);  // x without r suffices
    EXPECT_EQ(error_of(vfs_open(cwd_, "/search-only", O_RDONLY | O_DIRECTORY, 0, USER)), EACCES);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/etc/passwd", O_WRONLY, 0, USER)), EACCES);
    EXPECT_EQ(error_of(vfs_access(cwd_, "/bin/sh", MAY_EXEC, USER)), 0);
    EXPECT_EQ(error_of(vfs_access(cwd_, "/etc/passwd", MAY_EXEC, ROOT)), EACCES);  // root needs an x bit
}

// --- symbolic links -----------------------------------------------------------------

TEST_F(VfsTest, SymbolicLinksAbsoluteRelativeAndInTheMiddle) {
    uint64_t passwd = inode_of("/etc/passwd");
    EXPECT_EQ(inode_of("/links/abs"), passwd);
    EXPECT_EQ(inode_of("/links/rel"), passwd);
    EXPECT_EQ(inode_of("/links/dir/passwd"), passwd);
    EXPECT_EQ(inode_of("/links/dir/../bin/sh"), inode_of("/bin/sh"));  // ".." of /etc, not of /links
    Path link = walk("/links/abs", 0).release_value();  // lstat: the link itself
    EXPECT_TRUE(link.inode()->is_symbolic_link());
    EXPECT_TRUE(walk("/links/dir/", 0).value().inode()->is_directory());  // a trailing slash follows
    EXPECT_EQ(walk_error("/links/dangling"), ENOENT);
    EXPECT_EQ(walk_error("/links/dangling", 0), 0);
    char target[64];
    Result<size_t> length = vfs_readlink(cwd_, "/links/rel", target, sizeof(target), ROOT);
    ASSERT_EQ(error_of(length), 0);
    EXPECT_EQ(std::string(target, length.value()), "../etc/passwd");
    EXPECT_EQ(error_of(vfs_readlink(cwd_, "/etc/passwd", target, sizeof(target), ROOT)), EINVAL);
}

TEST_F(VfsTest, SymbolicLinkLoopsAndLongChainsAreELOOP) {
    EXPECT_EQ(walk_error("/links/loop1"), ELOOP);
    EXPECT_EQ(walk_error("/links/loop1/x"), ELOOP);
    EXPECT_EQ(walk_error("/links/loop1", 0), 0);  // not followed: no loop
    EXPECT_EQ(walk_error("/links/chain1"), ELOOP);  // 41 links
    EXPECT_EQ(inode_of("/links/chain2"), inode_of("/etc/passwd"));  // 40 links: the limit
    EXPECT_EQ(error_of(vfs_open(cwd_, "/links/abs", O_RDONLY | O_NOFOLLOW, 0, ROOT)), ELOOP);
}

// --- mounts ---------------------------------------------------------------------------

TEST_F(VfsTest, MountHidesTheDirectoryAndUmountRevealsIt) {
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a")), 0);
    EXPECT_EQ(walk_error("/mnt/a/underneath"), ENOENT);
    EXPECT_EQ(inode_of("/mnt/a/hello"), disk1_.find("/hello")->number);
    EXPECT_EQ(walk("/mnt/a").value().mount()->root(), walk("/mnt/a").value().dentry());
    ASSERT_EQ(error_of(vfs_umount(cwd_, "/mnt/a", ROOT)), 0);
    EXPECT_EQ(walk_error("/mnt/a/hello"), ENOENT);
    EXPECT_EQ(walk_error("/mnt/a/underneath"), 0);
}

TEST_F(VfsTest, DotDotLeavesAMountForTheParentFileSystem) {
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a")), 0);
    EXPECT_EQ(inode_of("/mnt/a/.."), inode_of("/mnt"));
    EXPECT_EQ(inode_of("/mnt/a/sub/../../b"), inode_of("/mnt/b"));
    cwd_ = walk("/mnt/a/sub").release_value();
    EXPECT_EQ(name_of(cwd_), "/mnt/a/sub");
    EXPECT_EQ(inode_of("../../../etc/passwd"), inode_of("/etc/passwd"));
    cwd_ = namespace_.root();
}

TEST_F(VfsTest, MountsStackAndUnstackInOrder) {
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a")), 0);
    ASSERT_EQ(error_of(mount("disk2", "/mnt/a")), 0);
    EXPECT_EQ(walk_error("/mnt/a/second"), 0);  // the latest mount shows
    EXPECT_EQ(walk_error("/mnt/a/hello"), ENOENT);
    EXPECT_EQ(inode_of("/mnt/a/.."), inode_of("/mnt"));  // through both mount roots
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/mnt/a", ROOT)), 0);
    EXPECT_EQ(walk_error("/mnt/a/hello"), 0);
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/mnt/a", ROOT)), 0);
    EXPECT_EQ(walk_error("/mnt/a/underneath"), 0);
}

TEST_F(VfsTest, UmountIsBusyWhileSomethingUsesTheMount) {
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a")), 0);
    {
        FileRef file = open("/mnt/a/hello");
        EXPECT_EQ(file->path().mount()->open_file_count(), 1u);
        EXPECT_EQ(error_of(vfs_umount(cwd_, "/mnt/a", ROOT)), EBUSY);
    }
    ASSERT_EQ(error_of(mount("disk2", "/mnt/a/sub")), 0);
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/mnt/a", ROOT)), EBUSY);  // a child mount
    ASSERT_EQ(error_of(vfs_umount(cwd_, "/mnt/a/sub", ROOT)), 0);
    cwd_ = walk("/mnt/a/sub").release_value();
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/mnt/a", ROOT)), EBUSY);  // a working directory
    cwd_ = namespace_.root();
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/mnt/a", ROOT)), 0);
}

TEST_F(VfsTest, RemountReadOnlyWaitsForWritersAndRemountReadWriteWritesAgain) {
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a")), 0);
    {
        FileRef writer = open("/mnt/a/hello", O_WRONLY);
        EXPECT_EQ(writer->path().mount()->writer_count(), 1u);
        EXPECT_EQ(error_of(vfs_remount(cwd_, "/mnt/a", MS_RDONLY, ROOT)), EBUSY);
        FileRef reader = open("/mnt/a/hello");
        EXPECT_EQ(writer->path().mount()->writer_count(), 1u);
    }
    EXPECT_EQ(error_of(vfs_remount(cwd_, "/mnt/a/sub", MS_RDONLY, ROOT)), EINVAL);  // not the mount's root
    EXPECT_EQ(error_of(vfs_remount(cwd_, "/mnt/a", MS_RDONLY, USER)), EPERM);
    ASSERT_EQ(error_of(vfs_remount(cwd_, "/mnt/a", MS_RDONLY, ROOT)), 0);
    EXPECT_TRUE(walk("/mnt/a").value().mount()->is_read_only());
    EXPECT_EQ(error_of(vfs_open(cwd_, "/mnt/a/hello", O_WRONLY, 0, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/mnt/a/new", 0755, ROOT)), EROFS);
    ASSERT_EQ(error_of(vfs_remount(cwd_, "/mnt/a", 0, ROOT)), 0);
    EXPECT_FALSE(walk("/mnt/a").value().mount()->is_read_only());
    EXPECT_EQ(error_of(vfs_open(cwd_, "/mnt/a/hello", O_WRONLY, 0, ROOT)), 0);
}

TEST_F(VfsTest, MountAndUmountErrors) {
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/mnt/b", ROOT)), EINVAL);  // not a mount point
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/", ROOT)), EBUSY);
    EXPECT_EQ(error_of(vfs_mount(cwd_, "nofs", nullptr, "/mnt/a", 0, "", ROOT)), ENODEV);
    EXPECT_EQ(error_of(mount("disk1", "/etc/passwd")), ENOTDIR);
    EXPECT_EQ(error_of(mount("no-such-image", "/mnt/a")), EINVAL);
    EXPECT_EQ(error_of(vfs_mount(cwd_, "testfs", nullptr, "/mnt/a", 0, "disk1", USER)), EPERM);
    EXPECT_EQ(error_of(namespace_.mount_root("testfs", nullptr, 0, "disk1")), EBUSY);
}

// A disk format that needs a device, as ext2 and romfs do.
class DiskFormatType final : public FileSystemType {
public:
    DiskFormatType() : FileSystemType("diskfmt", true) {}
    Result<SuperBlock*> mount(BlockDevice*, uint32_t, const char*) override { return Error{EINVAL}; }
};

TEST_F(VfsTest, FileSystemTypeRegistry) {
    DiskFormatType type, twin;
    ASSERT_EQ(error_of(register_filesystem(type)), 0);
    EXPECT_EQ(error_of(register_filesystem(twin)), EEXIST);  // same name
    EXPECT_EQ(find_filesystem("diskfmt"), &type);
    EXPECT_EQ(find_filesystem("ext9"), nullptr);
    std::string listing;  // as /proc/filesystems shows it
    for_each_filesystem([](FileSystemType& each, void* text) {
        *static_cast<std::string*>(text) += std::string(each.requires_device() ? "\t" : "nodev\t") + each.name() + "\n";
    }, &listing);
    EXPECT_NE(listing.find("nodev\ttestfs\n"), std::string::npos);
    EXPECT_NE(listing.find("\tdiskfmt\n"), std::string::npos);
    EXPECT_EQ(error_of(vfs_mount(cwd_, "diskfmt", nullptr, "/mnt/a", 0, "", ROOT)), ENOTBLK);
    EXPECT_EQ(error_of(unregister_filesystem(memory_file_system_type())), EBUSY);  // "/" is testfs
    EXPECT_EQ(error_of(unregister_filesystem(type)), 0);
}

TEST_F(VfsTest, ReadOnlyMountRefusesEveryWriteWithEROFS) {
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a", MS_RDONLY)), 0);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/mnt/a/new", 0755, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/mnt/a/hello", O_WRONLY, 0, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/mnt/a/new", O_WRONLY | O_CREAT, 0644, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_unlink(cwd_, "/mnt/a/hello", ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/mnt/a/hello", "/mnt/a/bye", ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_truncate(cwd_, "/mnt/a/hello", 0, ROOT)), EROFS);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/mnt/a/sub", 0755, ROOT)), EEXIST);  // EEXIST first, as Linux
    FileRef file = open("/mnt/a/hello");
    EXPECT_EQ(read_all(*file), "from disk1\n");
    linux_abi::statfs64 statistics;
    ASSERT_EQ(error_of(vfs_statfs(cwd_, "/mnt/a", ROOT, &statistics)), 0);
    EXPECT_EQ(statistics.f_flags & linux_abi::ST_RDONLY, linux_abi::ST_RDONLY);
    EXPECT_EQ(statistics.f_type, MEMORY_FS_MAGIC);
}

TEST_F(VfsTest, MountListingAndPathNames) {
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a", MS_RDONLY)), 0);
    std::vector<std::string> lines;
    namespace_.for_each_mount(
        [](const MountInfo& info, void* context) {
            static_cast<std::vector<std::string>*>(context)->push_back(
                std::string(info.device_name) + " on " + info.mount_point + " type " + info.type_name +
                ((info.flags & MS_RDONLY) ? " (ro)" : " (rw)"));
        },
        &lines);
    EXPECT_EQ(lines, (std::vector<std::string>{"testfs on / type testfs (rw)", "testfs on /mnt/a type testfs (ro)"}));
    EXPECT_EQ(name_of(walk("/mnt/a/sub").value()), "/mnt/a/sub");
    EXPECT_EQ(name_of(walk("/links/dir").value()), "/etc");
    char tiny[4];
    EXPECT_EQ(error_of(d_path(walk("/mnt/a/sub").value(), tiny, sizeof(tiny))), ERANGE);
}

// --- the dentry cache -----------------------------------------------------------------

TEST_F(VfsTest, TheSecondLookupIsAnsweredByTheDentryCache) {
    ASSERT_EQ(walk_error("/etc/passwd"), 0);
    uint64_t lookups = root_image_.counters().lookups;
    uint64_t hits = cache_.statistics().hits;
    ASSERT_EQ(walk_error("/etc/passwd"), 0);
    EXPECT_EQ(root_image_.counters().lookups, lookups);  // the file system was not asked
    EXPECT_EQ(cache_.statistics().hits, hits + 2);       // "etc" and "passwd"
}

TEST_F(VfsTest, NegativeEntriesAnswerENOENTUntilTheNameIsCreated) {
    EXPECT_EQ(walk_error("/tmp/later"), ENOENT);
    uint64_t lookups = root_image_.counters().lookups;
    EXPECT_EQ(walk_error("/tmp/later"), ENOENT);
    EXPECT_EQ(root_image_.counters().lookups, lookups);
    EXPECT_GE(cache_.statistics().negative_hits, 1u);
    { FileRef created = open("/tmp/later", O_WRONLY | O_CREAT); }
    EXPECT_EQ(walk_error("/tmp/later"), 0);
    EXPECT_EQ(root_image_.counters().lookups, lookups);  // the negative dentry became positive
    ASSERT_EQ(error_of(vfs_unlink(cwd_, "/tmp/later", ROOT)), 0);
    EXPECT_EQ(walk_error("/tmp/later"), ENOENT);
    EXPECT_EQ(root_image_.counters().lookups, lookups);  // and negative again
}

TEST_F(VfsTest, EvictionKeepsTheCacheBoundedAndForgottenNamesAreAskedForAgain) {
    for (int i = 0; i < MANY_FILES; ++i) ASSERT_EQ(walk_error(("/many/file" + std::to_string(i)).c_str()), 0);
    DentryCacheStatistics statistics = cache_.statistics();
    EXPECT_LE(statistics.unused, MAX_UNUSED_DENTRIES);
    EXPECT_GT(statistics.evictions, 0u);
    EXPECT_LE(vfs_object_counts().dentries, MAX_UNUSED_DENTRIES + 4);
    // The inode cache holds only what dentries hold: evicted names took their inodes along.
    EXPECT_LE(vfs_object_counts().inodes, MAX_UNUSED_DENTRIES + 4);
    uint64_t lookups = root_image_.counters().lookups;
    uint64_t inodes_read = root_image_.counters().inodes_read;
    ASSERT_EQ(walk_error("/many/file0"), 0);  // evicted long ago
    EXPECT_EQ(root_image_.counters().lookups, lookups + 1);
    EXPECT_EQ(root_image_.counters().inodes_read, inodes_read + 1);
}

TEST_F(VfsTest, OneInodeObjectForTwoNames) {
    ASSERT_EQ(error_of(vfs_link(cwd_, "/etc/passwd", "/tmp/passwd-link", ROOT)), 0);
    Path first = walk("/etc/passwd").release_value();
    Path second = walk("/tmp/passwd-link").release_value();
    EXPECT_EQ(first.inode(), second.inode());
    EXPECT_NE(first.dentry(), second.dentry());
    EXPECT_EQ(first.inode()->link_count(), 2u);
    EXPECT_EQ(error_of(vfs_link(cwd_, "/etc", "/tmp/etc-link", ROOT)), EPERM);
}

// --- getdents64 --------------------------------------------------------------------------

TEST_F(VfsTest, GetdentsListsEveryEntryOnceWithItsType) {
    FileRef directory = open("/dev", O_RDONLY | O_DIRECTORY);
    std::vector<Entry> entries = list(*directory);
    std::set<std::string> names;
    for (const Entry& entry : entries) names.insert(entry.name);
    EXPECT_EQ(names, (std::set<std::string>{".", "..", "zero", "hda", "nodriver"}));
    EXPECT_EQ(entries.size(), names.size());
    for (const Entry& entry : entries) {
        uint8_t expected = entry.name == "zero" || entry.name == "nodriver" ? DT_CHR
                           : entry.name == "hda"                           ? DT_BLK
                                                                           : DT_DIR;
        EXPECT_EQ(entry.type, expected) << entry.name;
        if (entry.name == "zero") {
            EXPECT_EQ(entry.inode_number, root_image_.find("/dev/zero")->number);
        }
    }
    EXPECT_EQ(list(*directory).size(), 0u);  // at the end: 0 bytes
}

TEST_F(VfsTest, GetdentsAcrossManySmallBuffers) {
    FileRef directory = open("/many", O_RDONLY | O_DIRECTORY);
    std::vector<Entry> entries = list(*directory, 64);  // two records at most per call
    std::set<std::string> names;
    for (const Entry& entry : entries) EXPECT_TRUE(names.insert(entry.name).second) << entry.name;
    EXPECT_EQ(names.size(), size_t(MANY_FILES) + 2);
    uint8_t buffer[16];
    ASSERT_EQ(error_of(vfs_lseek(*directory, 0, SEEK_SET)), 0);
    EXPECT_EQ(error_of(vfs_getdents64(*directory, buffer, sizeof(buffer))), EINVAL);  // no record fits
    std::vector<uint8_t> file_buffer(256);
    FileRef file = open("/etc/passwd");
    EXPECT_EQ(error_of(vfs_getdents64(*file, file_buffer.data(), file_buffer.size())), ENOTDIR);
}

TEST_F(VfsTest, DirectoryPositionsAreCookiesThatLseekAccepts) {
    FileRef directory = open("/bin", O_RDONLY | O_DIRECTORY);
    std::vector<Entry> all = list(*directory);
    ASSERT_EQ(all.size(), 3u);  // ".", "..", "sh"
    ASSERT_EQ(vfs_lseek(*directory, all[1].next_offset, SEEK_SET).value(), all[1].next_offset);
    std::vector<Entry> rest = list(*directory);
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].name, "sh");
    EXPECT_EQ(error_of(vfs_lseek(*directory, 0, SEEK_END)), EINVAL);
    EXPECT_EQ(error_of(vfs_lseek(*directory, -1, SEEK_SET)), EINVAL);
    EXPECT_EQ(vfs_lseek(*directory, 0, SEEK_SET).value(), 0);
    EXPECT_EQ(list(*directory).size(), 3u);
}

// --- stat64 ---------------------------------------------------------------------------------

TEST_F(VfsTest, Stat64AndDirent64HaveTheI386Layout) {  // linux_abi.h also checks them at compile time
    using linux_abi::stat64;
    EXPECT_EQ(sizeof(stat64), 96u);
    EXPECT_EQ((std::vector<size_t>{offsetof(stat64, st_mode), offsetof(stat64, st_rdev), offsetof(stat64, st_size),
                                   offsetof(stat64, st_blocks), offsetof(stat64, st_mtime), offsetof(stat64, st_ino)}),
              (std::vector<size_t>{16, 32, 44, 56, 72, 88}));
    EXPECT_EQ(offsetof(linux_abi::linux_dirent64, d_name), 19u);
}

TEST_F(VfsTest, Stat64Fields) {
    linux_abi::stat64 status;
    ASSERT_EQ(error_of(vfs_stat(cwd_, "/etc/passwd", true, ROOT, &status)), 0);
    EXPECT_EQ(status.st_mode, uint32_t(S_IFREG | 0644));
    EXPECT_EQ(status.st_nlink, 1u);
    EXPECT_EQ(status.st_size, 11);
    EXPECT_EQ(status.st_ino, root_image_.find("/etc/passwd")->number);
    EXPECT_EQ(status.__st_ino, uint32_t(status.st_ino));
    EXPECT_EQ(status.st_blksize, 4096u);
    EXPECT_EQ(status.st_blocks, 1u);
    EXPECT_EQ(status.st_mtime, 1700000000u);
    EXPECT_EQ(status.st_mtime_nsec, 123456789u);
    ASSERT_EQ(error_of(vfs_stat(cwd_, "/home/user", true, ROOT, &status)), 0);
    EXPECT_EQ(status.st_uid, 1000u);
    EXPECT_EQ(status.st_gid, 1000u);
    ASSERT_EQ(error_of(vfs_stat(cwd_, "/dev/zero", true, ROOT, &status)), 0);
    EXPECT_EQ(status.st_rdev, 0x0105u);  // Linux's encoding of 1:5
    ASSERT_EQ(error_of(vfs_stat(cwd_, "/dev/hda", true, ROOT, &status)), 0);
    EXPECT_EQ(status.st_rdev, 0x0300u);
    ASSERT_EQ(error_of(vfs_stat(cwd_, "/links/abs", false, ROOT, &status)), 0);  // lstat
    EXPECT_EQ(status.st_mode & S_IFMT, uint32_t(S_IFLNK));
    EXPECT_EQ(status.st_size, 11);  // strlen("/etc/passwd")
    uint64_t root_device = status.st_dev;
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a")), 0);
    ASSERT_EQ(error_of(vfs_stat(cwd_, "/mnt/a/hello", true, ROOT, &status)), 0);
    EXPECT_NE(status.st_dev, root_device);
    FileRef file = open("/mnt/a/hello");
    linux_abi::stat64 by_file;
    ASSERT_EQ(error_of(vfs_fstat(*file, &by_file)), 0);
    EXPECT_EQ(std::memcmp(&by_file, &status, sizeof(status)), 0);
}

// --- open files, lseek, read and write ------------------------------------------------------------

TEST_F(VfsTest, ReadsEndWithZeroAndLseekFollowsTheRules) {
    FileRef file = open("/etc/passwd");
    EXPECT_EQ(read_all(*file), "root:x:0:0\n");
    char buffer[4];
    EXPECT_EQ(vfs_read(*file, buffer, 1).value(), 0u);  // at the end: 0, not an error
    EXPECT_EQ(error_of(vfs_write(*file, "x", 1)), EBADF);
    EXPECT_EQ(vfs_lseek(*file, 5, SEEK_SET).value(), 5);
    EXPECT_EQ(vfs_lseek(*file, 2, SEEK_CUR).value(), 7);
    EXPECT_EQ(vfs_lseek(*file, -1, SEEK_END).value(), 10);
    EXPECT_EQ(error_of(vfs_lseek(*file, -11, SEEK_CUR)), EINVAL);
    EXPECT_EQ(file->position(), 10u);  // a failed lseek moves nothing
    EXPECT_EQ(error_of(vfs_lseek(*file, 0, 7)), EINVAL);
    EXPECT_EQ(vfs_lseek(*file, 100, SEEK_SET).value(), 100);  // beyond the end is allowed
    EXPECT_EQ(vfs_read(*file, buffer, sizeof(buffer)).value(), 0u);
    EXPECT_EQ(vfs_pread(*file, buffer, 4, 5).value(), 4u);
    EXPECT_EQ(std::string(buffer, 4), "x:0:");
    EXPECT_EQ(file->position(), 100u);  // pread leaves the position alone
    EXPECT_EQ(error_of(vfs_pread(*file, buffer, 4, -1)), EINVAL);
}

TEST_F(VfsTest, CreateWriteAppendTruncate) {
    FileRef file = open("/tmp/log", O_WRONLY | O_CREAT | O_EXCL);
    ASSERT_EQ(vfs_write(*file, "hello", 5).value(), 5u);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/tmp/log", O_WRONLY | O_CREAT | O_EXCL, 0644, ROOT)), EEXIST);
    FileRef appender = open("/tmp/log", O_WRONLY | O_APPEND);
    ASSERT_EQ(vfs_write(*file, "HE", 2).value(), 2u);  // at position 5
    ASSERT_EQ(vfs_write(*appender, " world", 6).value(), 6u);  // at the end, whatever its position
    FileRef reader = open("/tmp/log");
    EXPECT_EQ(read_all(*reader), "helloHE world");
    EXPECT_EQ(error_of(vfs_read(*file, nullptr, 0)), EBADF);
    FileRef truncating = open("/tmp/log", O_RDWR | O_TRUNC);
    EXPECT_EQ(truncating->inode()->size(), 0u);
    ASSERT_EQ(vfs_pwrite(*truncating, "z", 1, 3).value(), 1u);
    EXPECT_EQ(read_all(*truncating), std::string("\0\0\0z", 4));
    EXPECT_EQ(error_of(vfs_ftruncate(*truncating, 1)), 0);
    EXPECT_EQ(truncating->inode()->size(), 1u);
    EXPECT_EQ(error_of(vfs_ftruncate(*reader, 0)), EINVAL);  // not open for writing
}

TEST_F(VfsTest, OpenFlagErrors) {
    EXPECT_EQ(error_of(vfs_open(cwd_, "/etc/passwd", O_RDONLY | O_DIRECTORY, 0, ROOT)), ENOTDIR);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/etc", O_WRONLY, 0, ROOT)), EISDIR);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/etc/", O_WRONLY | O_CREAT, 0644, ROOT)), EISDIR);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/etc/passwd", O_ACCMODE, 0, ROOT)), EINVAL);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/etc/passwd", O_PATH, 0, ROOT)), EINVAL);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/etc/new", O_RDONLY, 0, ROOT)), ENOENT);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/etc/new", O_WRONLY | O_CREAT, 0644, USER)), EACCES);
    FileRef through_link = open("/links/abs", O_RDONLY | O_CREAT);  // an existing link is followed
    EXPECT_EQ(through_link->inode()->number(), inode_of("/etc/passwd"));
}

// A character device driver, as devfs will register console, null and zero.
class ZeroFile final : public File {
public:
    ZeroFile(Path&& path, uint32_t flags) : File(static_cast<Path&&>(path), flags) {}
    Result<size_t> read(void* buffer, size_t size) override {
        std::memset(buffer, 0, size);
        return size;
    }
    Result<int32_t> ioctl(uint32_t request, uintptr_t) override {
        if (request == 0x1234) return 42;
        return Error{ENOTTY};
    }
};

TEST_F(VfsTest, DeviceNodesOpenTheirDriversFile) {
    auto open_zero = [](Path&& path, uint32_t flags, uint32_t, void*) -> Result<FileRef> {
        return make_file<ZeroFile>(static_cast<Path&&>(path), flags);
    };
    ASSERT_EQ(error_of(register_device_driver(DeviceKind::Character, 1, 5, 1, "zero", open_zero, nullptr)), 0);
    EXPECT_EQ(error_of(register_device_driver(DeviceKind::Character, 1, 0, 8, "mem", open_zero, nullptr)), EBUSY);
    {
        FileRef zero = open("/dev/zero", O_RDWR);
        char buffer[8] = {1, 1, 1, 1, 1, 1, 1, 1};
        EXPECT_EQ(vfs_read(*zero, buffer, 8).value(), 8u);
        EXPECT_EQ(std::string(buffer, 8), std::string(8, '\0'));
        EXPECT_EQ(zero->ioctl(0x1234, 0).value(), 42);
        EXPECT_EQ(error_of(zero->ioctl(1, 0)), ENOTTY);
        EXPECT_EQ(error_of(vfs_pread(*zero, buffer, 1, 0)), ESPIPE);
        EXPECT_EQ(error_of(vfs_lseek(*zero, 0, SEEK_SET)), ESPIPE);
    }
    EXPECT_EQ(error_of(vfs_open(cwd_, "/dev/nodriver", O_RDONLY, 0, ROOT)), ENXIO);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/dev/hda", O_RDONLY, 0, ROOT)), ENXIO);
    EXPECT_EQ(error_of(unregister_device_driver(DeviceKind::Character, 1, 5)), 0);
}

// --- changing directories ----------------------------------------------------------------------------

TEST_F(VfsTest, AnUnlinkedFileLivesUntilItsLastClose) {
    { FileRef created = open("/tmp/doomed", O_WRONLY | O_CREAT); vfs_write(*created, "bye", 3).value(); }
    size_t nodes = root_image_.node_count();
    FileRef file = open("/tmp/doomed");
    ASSERT_EQ(error_of(vfs_unlink(cwd_, "/tmp/doomed", ROOT)), 0);
    EXPECT_EQ(walk_error("/tmp/doomed"), ENOENT);
    EXPECT_EQ(read_all(*file), "bye");
    EXPECT_EQ(root_image_.node_count(), nodes);  // still on "disk"
    file.reset();
    EXPECT_EQ(root_image_.node_count(), nodes - 1);  // evicted with its last reference
}

TEST_F(VfsTest, MkdirRmdirAndTheirErrors) {
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/tmp/d", 0755, ROOT)), 0);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/tmp/d", 0755, ROOT)), EEXIST);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/etc/x", 0755, USER)), EACCES);
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/tmp/d/e/", 0755, ROOT)), 0);
    EXPECT_EQ(walk("/tmp/d").value().inode()->link_count(), 3u);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/tmp/d", ROOT)), ENOTEMPTY);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/tmp/d/e/.", ROOT)), EINVAL);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/", ROOT)), EBUSY);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/etc/passwd", ROOT)), ENOTDIR);
    EXPECT_EQ(error_of(vfs_unlink(cwd_, "/tmp/d", ROOT)), EISDIR);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/mnt", ROOT)), ENOTEMPTY);
    ASSERT_EQ(error_of(mount("disk1", "/mnt/b")), 0);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/mnt/b", ROOT)), EBUSY);  // a mount point
    ASSERT_EQ(error_of(vfs_rmdir(cwd_, "/tmp/d/e", ROOT)), 0);
    ASSERT_EQ(error_of(vfs_rmdir(cwd_, "/tmp/d", ROOT)), 0);
    EXPECT_EQ(walk_error("/tmp/d"), ENOENT);
}

TEST_F(VfsTest, RenameMovesReplacesAndRefusesLoops) {
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/tmp/a", 0755, ROOT)), 0);
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/tmp/a/b", 0755, ROOT)), 0);
    { FileRef file = open("/tmp/f", O_WRONLY | O_CREAT); vfs_write(*file, "1", 1).value(); }
    { FileRef file = open("/tmp/g", O_WRONLY | O_CREAT); vfs_write(*file, "2", 1).value(); }
    uint64_t moved = inode_of("/tmp/f");
    ASSERT_EQ(error_of(vfs_rename(cwd_, "/tmp/f", "/tmp/a/b/f", ROOT)), 0);
    EXPECT_EQ(walk_error("/tmp/f"), ENOENT);
    EXPECT_EQ(inode_of("/tmp/a/b/f"), moved);
    ASSERT_EQ(error_of(vfs_rename(cwd_, "/tmp/g", "/tmp/a/b/f", ROOT)), 0);  // replaces
    FileRef file = open("/tmp/a/b/f");
    EXPECT_EQ(read_all(*file), "2");
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/tmp/a", "/tmp/a/b/c", ROOT)), EINVAL);
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/tmp/a", "/tmp/a/b/f", ROOT)), ENOTDIR);
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/tmp/a/b/f", "/tmp/a/b", ROOT)), EISDIR);
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/tmp/a/b/f", "/tmp/a/b/f", ROOT)), 0);
    ASSERT_EQ(error_of(mount("disk1", "/mnt/a")), 0);
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/tmp/a/b/f", "/mnt/a/f", ROOT)), EXDEV);
    ASSERT_EQ(error_of(vfs_rename(cwd_, "/tmp/a/b", "/tmp/b", ROOT)), 0);
    EXPECT_EQ(inode_of("/tmp/b/.."), inode_of("/tmp"));
    EXPECT_EQ(name_of(walk("/tmp/b/f").value()), "/tmp/b/f");
}

TEST_F(VfsTest, SymlinkAndStickyDirectories) {
    ASSERT_EQ(error_of(vfs_symlink("../etc/passwd", cwd_, "/tmp/pw", ROOT)), 0);
    EXPECT_EQ(inode_of("/tmp/pw"), inode_of("/etc/passwd"));
    EXPECT_EQ(error_of(vfs_symlink("x", cwd_, "/tmp/pw", ROOT)), EEXIST);
    EXPECT_EQ(error_of(vfs_unlink(cwd_, "/tmp/pw", USER)), EPERM);  // /tmp is sticky, root owns pw
    { FileRef mine = open("/tmp/mine", O_WRONLY | O_CREAT, USER); }
    EXPECT_EQ(error_of(vfs_unlink(cwd_, "/tmp/mine", USER)), 0);
    EXPECT_EQ(error_of(vfs_mknod(cwd_, "/tmp/null", S_IFCHR | 0666, make_device_number(1, 3), USER)), EPERM);
    ASSERT_EQ(error_of(vfs_mknod(cwd_, "/tmp/null", S_IFCHR | 0666, make_device_number(1, 3), ROOT)), 0);
    EXPECT_EQ(walk("/tmp/null").value().inode()->device_number(), make_device_number(1, 3));
}

// --- file descriptors ----------------------------------------------------------------------------

TEST_F(VfsTest, DescriptorsLowestFreeDupAndDup2) {
    FileDescriptorTable table;
    for (int expected = 0; expected < 3; ++expected) EXPECT_EQ(table.allocate(open("/etc/passwd"), false).value(), expected);
    ASSERT_EQ(error_of(table.close(1)), 0);
    EXPECT_EQ(error_of(table.close(1)), EBADF);
    EXPECT_EQ(table.allocate(open("/bin/sh"), false).value(), 1);
    EXPECT_EQ(table.dup(0).value(), 3);
    EXPECT_EQ(table.dup2(0, 0).value(), 0);
    EXPECT_EQ(table.dup2(0, 10).value(), 10);
    EXPECT_EQ(table.dup2(1, 10).value(), 10);  // closes what 10 was first
    FileRef at_one = table.get(1).release_value();
    FileRef at_ten = table.get(10).release_value();
    EXPECT_EQ(at_one.get(), at_ten.get());
    char buffer[4];
    ASSERT_EQ(vfs_read(*at_one, buffer, 4).value(), 4u);
    EXPECT_EQ(at_ten->position(), 4u);  // one File, one position
    EXPECT_EQ(error_of(table.get(5)), EBADF);
    EXPECT_EQ(error_of(table.get(-1)), EBADF);
    EXPECT_EQ(error_of(table.dup2(0, 256)), EBADF);
    EXPECT_EQ(error_of(table.dup(42)), EBADF);
}

TEST_F(VfsTest, CloseOnExecAndFork) {
    FileDescriptorTable table;
    ASSERT_EQ(table.allocate(open("/etc/passwd"), true).value(), 0);
    ASSERT_EQ(table.allocate(open("/bin/sh"), false).value(), 1);
    EXPECT_TRUE(table.close_on_exec(0).value());
    EXPECT_EQ(table.dup(0).value(), 2);
    EXPECT_FALSE(table.close_on_exec(2).value());  // dup clears it
    EXPECT_EQ(table.dup_at_least(1, 7, true).value(), 7);
    FileDescriptorTable* child = table.clone().release_value();
    EXPECT_EQ(table.get(1).value().reference_count(), 5u);  // fds 1 and 7 here and in the child, and get()'s
    table.close_all_marked_close_on_exec();
    EXPECT_EQ(error_of(table.get(0)), EBADF);
    EXPECT_EQ(error_of(table.get(7)), EBADF);
    EXPECT_EQ(table.open_count(), 2u);
    EXPECT_EQ(child->open_count(), 4u);  // the child keeps its copies
    delete child;
}

TEST_F(VfsTest, TooManyDescriptorsIsEMFILE) {
    FileDescriptorTable table;
    FileRef file = open("/etc/passwd");
    for (int fd = 0; fd < FileDescriptorTable::MAX_DESCRIPTORS; ++fd) ASSERT_EQ(table.allocate(file, false).value(), fd);
    EXPECT_EQ(error_of(table.allocate(file, false)), EMFILE);
    EXPECT_EQ(error_of(table.dup(0)), EMFILE);
    EXPECT_EQ(file.reference_count(), 257u);
    table.close_all();
    EXPECT_EQ(file.reference_count(), 1u);
}

// --- concurrency -------------------------------------------------------------------------------------

TEST_F(VfsTest, ThreadsLookingUpAndReadingAtOnceLeaveNothingBehind) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([this, t] {
            for (int i = 0; i < 150; ++i) {
                std::string name = "/many/file" + std::to_string((i * 7 + t) % MANY_FILES);
                EXPECT_EQ(walk_error(name.c_str()), 0);
                Result<FileRef> file = vfs_open(cwd_, "/links/rel", O_RDONLY, 0, ROOT);
                ASSERT_EQ(error_of(file), 0);
                char buffer[32];
                EXPECT_EQ(vfs_read(*file.value(), buffer, sizeof(buffer)).value(), 11u);
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_LE(cache_.statistics().unused, MAX_UNUSED_DENTRIES);
}

}  // namespace
