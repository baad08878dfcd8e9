// tests/host/tmpfs_test.cpp -- tmpfs (fs/tmpfs/) as the root file system,
// driven through the vfs_* calls: file data across page boundaries and holes,
// O_APPEND, truncate, directories, unlink of an open file, rename, link
// counts, symbolic links, getdents64, the size limit, and nothing left alive
// after unmount; a write advances the file's mtime and ctime (nanoseconds,
// the host's clock).
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <thread>
#include <set>
#include <string>
#include <vector>

#include "fs/tmpfs/tmpfs.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/vfs.h"
#include "tests/host/support/vfs_test_support.h"

namespace {

const Credentials ROOT = Credentials::root();
const Credentials USER = Credentials::user(1000, 1000);

std::string pattern(size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = char('a' + (i * 7 + seed) % 26);
    return bytes;
}

class TmpfsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        static bool registered = [] {
            EXPECT_EQ(error_of(register_filesystem(tmpfs_file_system_type())), 0);
            return true;
        }();
        (void)registered;
    }

    void SetUp() override {
        VfsObjectCounts counts = vfs_object_counts();
        ASSERT_EQ(counts.super_blocks + counts.mounts + counts.dentries + counts.inodes + counts.files, 0u);
        ASSERT_EQ(error_of(namespace_.mount_root("tmpfs", nullptr, 0, options())), 0);
        cwd_ = namespace_.root();
    }
    virtual const char* options() { return ""; }

    void TearDown() override {
        cwd_.reset();
        EXPECT_EQ(error_of(namespace_.unmount_all()), 0);
        expect_vfs_empty();
    }

    FileRef open(const char* name, uint32_t flags = O_RDONLY, const Credentials& who = ROOT) {
        Result<FileRef> file = vfs_open(cwd_, name, flags, 0644, who);
        EXPECT_EQ(error_of(file), 0) << name;
        return file.is_error() ? FileRef() : file.release_value();
    }
    void write_file(const char* name, const std::string& contents) {
        FileRef file = open(name, O_WRONLY | O_CREAT | O_TRUNC);
        ASSERT_TRUE(file);
        Result<size_t> wrote = vfs_write(*file, contents.data(), contents.size());
        ASSERT_EQ(error_of(wrote), 0);
        EXPECT_EQ(wrote.value(), contents.size());
    }
    std::string read_all(File& file) {
        std::string contents;
        char buffer[1000];  // not a page multiple on purpose
        for (;;) {
            Result<size_t> got = vfs_read(file, buffer, sizeof(buffer));
            if (got.is_error() || got.value() == 0) return contents;
            contents.append(buffer, got.value());
        }
    }
    std::string read_file(const char* name) {
        FileRef file = open(name);
        return file ? read_all(*file) : "error";
    }
    linux_abi::stat64 stat(const char* name) {
        linux_abi::stat64 out{};
        EXPECT_EQ(error_of(vfs_stat(cwd_, name, false, ROOT, &out)), 0) << name;
        return out;
    }
    std::vector<std::string> names_in(const char* directory) {
        FileRef file = open(directory, O_RDONLY | O_DIRECTORY);
        std::vector<std::string> names;
        if (!file) return names;
        for (const Entry& entry : read_directory(*file, 64)) names.push_back(entry.name);
        return names;
    }

    DentryCache cache_{16};
    MountNamespace namespace_{cache_};
    Path cwd_;
};

TEST_F(TmpfsTest, RootIsAnEmptyStickyDirectoryAndStatfsSaysTmpfs) {
    linux_abi::stat64 root = stat("/");
    EXPECT_EQ(root.st_mode, uint32_t(S_IFDIR | 01777));
    EXPECT_EQ(root.st_nlink, 2u);
    EXPECT_EQ(names_in("/"), (std::vector<std::string>{".", ".."}));
    linux_abi::statfs64 statistics{};
    ASSERT_EQ(error_of(vfs_statfs(cwd_, "/", ROOT, &statistics)), 0);
    EXPECT_EQ(statistics.f_type, TMPFS_MAGIC);
    EXPECT_EQ(statistics.f_blocks, TMPFS_DEFAULT_SIZE_KIB / 4);
    EXPECT_EQ(statistics.f_bfree, statistics.f_blocks);
}

TEST_F(TmpfsTest, FilesOfEverySizeReadBack) {
    for (size_t size : {0, 1, 4095, 4096, 4097, 100000}) {
        std::string name = "/file" + std::to_string(size);
        std::string contents = pattern(size, unsigned(size));
        write_file(name.c_str(), contents);
        EXPECT_EQ(read_file(name.c_str()), contents) << size;
        EXPECT_EQ(stat(name.c_str()).st_size, int64_t(size));
    }
}

int64_t modification_ns(const linux_abi::stat64& status) {
    return int64_t(status.st_mtime) * 1000000000 + status.st_mtime_nsec;
}
int64_t change_ns(const linux_abi::stat64& status) {
    return int64_t(status.st_ctime) * 1000000000 + status.st_ctime_nsec;
}
int64_t host_now_ns() {
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

// A write is a change of the contents: mtime and ctime both become the
// time of the write (between the host's clock before and after it).
TEST_F(TmpfsTest, AWriteAdvancesModificationAndChangeTimes) {
    write_file("/stamped", "first");
    linux_abi::stat64 first = stat("/stamped");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    int64_t before = host_now_ns();
    {
        FileRef file = open("/stamped", O_WRONLY);
        ASSERT_TRUE(file);
        ASSERT_EQ(error_of(vfs_pwrite(*file, "second", 6, 3)), 0);
    }
    int64_t after = host_now_ns();
    linux_abi::stat64 second = stat("/stamped");
    EXPECT_GT(modification_ns(second), modification_ns(first));
    EXPECT_GE(modification_ns(second), before);
    EXPECT_LE(modification_ns(second), after);
    EXPECT_GE(change_ns(second), before);
    EXPECT_LE(change_ns(second), after);
}

TEST_F(TmpfsTest, WritesPastTheEndLeaveHolesOfZeros) {
    FileRef file = open("/sparse", O_RDWR | O_CREAT);
    ASSERT_TRUE(file);
    ASSERT_EQ(error_of(vfs_pwrite(*file, "A", 1, 10000)), 0);
    ASSERT_EQ(error_of(vfs_pwrite(*file, "BC", 2, 4095)), 0);  // straddles pages 0 and 1
    std::string expected(10001, '\0');
    expected[4095] = 'B';
    expected[4096] = 'C';
    expected[10000] = 'A';
    EXPECT_EQ(read_all(*file), expected);
    EXPECT_EQ(stat("/sparse").st_blocks, 3 * 8);  // pages 0, 1 and 2; no others
}

TEST_F(TmpfsTest, AppendWritesAtTheEnd) {
    write_file("/log", "one");
    FileRef file = open("/log", O_WRONLY | O_APPEND);
    ASSERT_TRUE(file);
    ASSERT_EQ(error_of(vfs_lseek(*file, 0, SEEK_SET)), 0);
    ASSERT_EQ(error_of(vfs_write(*file, "two", 3)), 0);
    EXPECT_EQ(read_file("/log"), "onetwo");
}

TEST_F(TmpfsTest, TruncateDownFreesAndUpShowsZeros) {
    std::string contents = pattern(10000, 3);
    write_file("/t", contents);
    ASSERT_EQ(error_of(vfs_truncate(cwd_, "/t", 5000, ROOT)), 0);
    EXPECT_EQ(read_file("/t"), contents.substr(0, 5000));
    EXPECT_EQ(stat("/t").st_blocks, 2 * 8);
    ASSERT_EQ(error_of(vfs_truncate(cwd_, "/t", 9000, ROOT)), 0);
    EXPECT_EQ(read_file("/t"), contents.substr(0, 5000) + std::string(4000, '\0'));
    ASSERT_EQ(error_of(vfs_truncate(cwd_, "/t", 0, ROOT)), 0);
    EXPECT_EQ(stat("/t").st_blocks, 0);
    EXPECT_EQ(read_file("/t"), "");
}

TEST_F(TmpfsTest, DirectoriesAndRmdir) {
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/d", 0755, USER)), 0);
    EXPECT_EQ(stat("/d").st_uid, 1000u);  // creator's credentials
    EXPECT_EQ(stat("/").st_nlink, 3u);
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/d/e", 0755, ROOT)), 0);
    write_file("/d/e/f", "x");
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/d", 0755, ROOT)), EEXIST);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/d", ROOT)), ENOTEMPTY);
    ASSERT_EQ(error_of(vfs_unlink(cwd_, "/d/e/f", ROOT)), 0);
    ASSERT_EQ(error_of(vfs_rmdir(cwd_, "/d/e", ROOT)), 0);
    ASSERT_EQ(error_of(vfs_rmdir(cwd_, "/d", ROOT)), 0);
    EXPECT_EQ(stat("/").st_nlink, 2u);
    EXPECT_EQ(names_in("/"), (std::vector<std::string>{".", ".."}));
}

TEST_F(TmpfsTest, UnlinkedOpenFileStaysReadableUntilClosed) {
    write_file("/gone", "still here");
    FileRef file = open("/gone");
    ASSERT_TRUE(file);
    ASSERT_EQ(error_of(vfs_unlink(cwd_, "/gone", ROOT)), 0);
    linux_abi::stat64 out{};
    EXPECT_EQ(error_of(vfs_stat(cwd_, "/gone", false, ROOT, &out)), ENOENT);
    EXPECT_EQ(read_all(*file), "still here");
    ASSERT_EQ(error_of(vfs_fstat(*file, &out)), 0);
    EXPECT_EQ(out.st_nlink, 0u);
    file.reset();
    linux_abi::statfs64 statistics{};
    ASSERT_EQ(error_of(vfs_statfs(cwd_, "/", ROOT, &statistics)), 0);
    EXPECT_EQ(statistics.f_bfree, statistics.f_blocks);  // its page was freed
}

TEST_F(TmpfsTest, RenameWithinAcrossAndOverAFile) {
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/a", 0755, ROOT)), 0);
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/b", 0755, ROOT)), 0);
    write_file("/a/one", "1");
    write_file("/b/two", "2");
    ASSERT_EQ(error_of(vfs_rename(cwd_, "/a/one", "/a/uno", ROOT)), 0);
    EXPECT_EQ(read_file("/a/uno"), "1");
    ASSERT_EQ(error_of(vfs_rename(cwd_, "/a/uno", "/b/one", ROOT)), 0);
    EXPECT_EQ(names_in("/a"), (std::vector<std::string>{".", ".."}));
    ASSERT_EQ(error_of(vfs_rename(cwd_, "/b/one", "/b/two", ROOT)), 0);
    EXPECT_EQ(read_file("/b/two"), "1");
    EXPECT_EQ(names_in("/b"), (std::vector<std::string>{".", "..", "two"}));
    // A directory moves with its ".." link.
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/a/sub", 0755, ROOT)), 0);
    ASSERT_EQ(error_of(vfs_rename(cwd_, "/a/sub", "/b/sub", ROOT)), 0);
    EXPECT_EQ(stat("/a").st_nlink, 2u);
    EXPECT_EQ(stat("/b").st_nlink, 3u);
    EXPECT_EQ(stat("/b/sub/..").st_ino, stat("/b").st_ino);
}

TEST_F(TmpfsTest, LinkCountsFollowLinkAndUnlink) {
    write_file("/orig", "shared");
    ASSERT_EQ(error_of(vfs_link(cwd_, "/orig", "/second", ROOT)), 0);
    EXPECT_EQ(stat("/orig").st_nlink, 2u);
    EXPECT_EQ(stat("/orig").st_ino, stat("/second").st_ino);
    ASSERT_EQ(error_of(vfs_unlink(cwd_, "/orig", ROOT)), 0);
    EXPECT_EQ(stat("/second").st_nlink, 1u);
    EXPECT_EQ(read_file("/second"), "shared");
}

TEST_F(TmpfsTest, SymlinkAndReadlink) {
    write_file("/target", "pointed at");
    ASSERT_EQ(error_of(vfs_symlink("/target", cwd_, "/link", ROOT)), 0);
    char buffer[64];
    Result<size_t> length = vfs_readlink(cwd_, "/link", buffer, sizeof(buffer), ROOT);
    ASSERT_EQ(error_of(length), 0);
    EXPECT_EQ(std::string(buffer, length.value()), "/target");
    EXPECT_EQ(read_file("/link"), "pointed at");
    EXPECT_EQ(stat("/link").st_mode, uint32_t(S_IFLNK | 0777));
}

TEST_F(TmpfsTest, MknodMakesADeviceNode) {
    ASSERT_EQ(error_of(vfs_mknod(cwd_, "/zero", S_IFCHR | 0666, make_device_number(1, 5), ROOT)), 0);
    linux_abi::stat64 node = stat("/zero");
    EXPECT_EQ(node.st_mode, uint32_t(S_IFCHR | 0666));
}

TEST_F(TmpfsTest, GetdentsListsEachEntryOnce) {
    std::set<std::string> expected{".", ".."};
    for (int i = 0; i < 50; ++i) {
        std::string name = "/entry" + std::to_string(i);
        write_file(name.c_str(), "");
        expected.insert(name.substr(1));
    }
    ASSERT_EQ(error_of(vfs_unlink(cwd_, "/entry7", ROOT)), 0);
    expected.erase("entry7");
    std::vector<std::string> names = names_in("/");
    EXPECT_EQ(names.size(), expected.size());
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
}

class SmallTmpfsTest : public TmpfsTest {
protected:
    const char* options() override { return "size=64"; }
};

TEST_F(SmallTmpfsTest, FullFileSystemGivesEnospcAndKeepsEarlierData) {
    std::string first = pattern(40 * 1024, 1);
    write_file("/first", first);
    FileRef file = open("/second", O_WRONLY | O_CREAT);
    ASSERT_TRUE(file);
    std::string second = pattern(40 * 1024, 2);
    Result<size_t> wrote = vfs_write(*file, second.data(), second.size());
    ASSERT_EQ(error_of(wrote), 0);
    EXPECT_EQ(wrote.value(), 24u * 1024);  // a short write: what fit
    EXPECT_EQ(error_of(vfs_write(*file, "x", 1)), ENOSPC);
    file.reset();
    EXPECT_EQ(read_file("/first"), first);
    EXPECT_EQ(read_file("/second"), second.substr(0, 24 * 1024));
    ASSERT_EQ(error_of(vfs_unlink(cwd_, "/first", ROOT)), 0);
    write_file("/third", "room again");
    EXPECT_EQ(read_file("/third"), "room again");
}

TEST(TmpfsOptions, BadOptionsAreRejected) {
    DentryCache cache{4};
    MountNamespace mounts{cache};
    (void)register_filesystem(tmpfs_file_system_type());
    EXPECT_EQ(error_of(mounts.mount_root("tmpfs", nullptr, 0, "size=")), EINVAL);
    EXPECT_EQ(error_of(mounts.mount_root("tmpfs", nullptr, 0, "colour=blue")), EINVAL);
    expect_vfs_empty();
}

}  // namespace
