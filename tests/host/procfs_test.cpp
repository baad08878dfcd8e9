// tests/host/procfs_test.cpp -- procfs (fs/procfs/) on /proc of a tmpfs root,
// over the fake process table of tests/host/support/fake_procfs_sources.
//
// What is checked: the listing of /proc (system entries, then one directory
// per pid, resumable at any getdents position), the formats of stat, status,
// cmdline, mounts, filesystems, meminfo, uptime, diskstats and version,
// /proc/self, partial reads and lseek, read-only errors, and what happens
// when a process ends while its names are cached or its files are open.
// After every test the VFS must be empty again.
#include <gtest/gtest.h>

#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/block/block_device_registry.h"
#include "fs/procfs/procfs.h"
#include "fs/procfs/procfs_internal.h"
#include "fs/tmpfs/tmpfs.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/vfs.h"
#include "tests/host/support/fake_procfs_sources.h"
#include "tests/host/support/recording_device.h"
#include "tests/host/support/vfs_test_support.h"

namespace {

const Credentials ROOT = Credentials::root();

std::vector<std::string> split_words(const std::string& line) {
    std::istringstream stream(line);
    std::vector<std::string> words;
    for (std::string word; stream >> word;) words.push_back(word);
    return words;
}

class ProcfsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        static bool registered = [] {
            EXPECT_EQ(error_of(register_filesystem(tmpfs_file_system_type())), 0);
            EXPECT_EQ(error_of(register_filesystem(procfs_file_system_type())), 0);
            return true;
        }();
        (void)registered;
    }

    void SetUp() override {
        VfsObjectCounts counts = vfs_object_counts();
        ASSERT_EQ(counts.super_blocks + counts.mounts + counts.dentries + counts.inodes + counts.files, 0u);
        fake_procfs::reset();
        fake_procfs::add_process(1, "init", 0).state = 'S';
        fake_procfs::set_command_line(1, {"/bin/init"});
        fake_procfs::add_process(4, "sh", 1).state = 'S';
        fake_procfs::set_command_line(4, {"sh"});
        fake_procfs::add_process(12, "cat", 4);
        fake_procfs::set_command_line(12, {"cat", "/proc/self/status"});
        fake_procfs::set_current_pid(12);
        ASSERT_EQ(error_of(namespace_.mount_root("tmpfs", nullptr, 0, "")), 0);
        cwd_ = namespace_.root();
        ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/proc", 0555, ROOT)), 0);
        ASSERT_EQ(error_of(vfs_mount(cwd_, "proc", nullptr, "/proc", 0, "", ROOT)), 0);
    }

    void TearDown() override {
        cwd_.reset();
        EXPECT_EQ(error_of(namespace_.unmount_all()), 0);
        expect_vfs_empty();
        reset_block_device_registry();
    }

    FileRef open(const char* name, uint32_t flags = O_RDONLY) {
        Result<FileRef> file = vfs_open(cwd_, name, flags, 0, ROOT);
        EXPECT_EQ(error_of(file), 0) << name;
        return file.is_error() ? FileRef() : file.release_value();
    }
    static std::string read_all(File& file, size_t piece = 1000) {
        std::string contents;
        std::vector<char> buffer(piece);
        for (;;) {
            Result<size_t> got = vfs_read(file, buffer.data(), buffer.size());
            EXPECT_EQ(error_of(got), 0);
            if (got.is_error() || got.value() == 0) return contents;
            contents.append(buffer.data(), got.value());
        }
    }
    std::string read_file(const char* name) {
        FileRef file = open(name);
        return file ? read_all(*file) : "error";
    }
    int stat_error(const char* name) {
        linux_abi::stat64 out{};
        return error_of(vfs_stat(cwd_, name, true, ROOT, &out));
    }
    linux_abi::stat64 stat(const char* name, bool follow = false) {
        linux_abi::stat64 out{};
        EXPECT_EQ(error_of(vfs_stat(cwd_, name, follow, ROOT, &out)), 0) << name;
        return out;
    }
    std::string readlink(const char* name) {
        char target[256];
        Result<size_t> length = vfs_readlink(cwd_, name, target, sizeof(target), ROOT);
        return length.is_error() ? "error " + std::to_string(length.error()) : std::string(target, length.value());
    }
    std::vector<std::string> names_in(const char* directory, size_t buffer_size = 4096) {
        FileRef file = open(directory, O_RDONLY | O_DIRECTORY);
        std::vector<std::string> names;
        if (!file) return names;
        for (const Entry& entry : read_directory(*file, buffer_size)) names.push_back(entry.name);
        return names;
    }

    DentryCache cache_{64};
    MountNamespace namespace_{cache_};
    Path cwd_;
};

const std::vector<std::string> SYSTEM_NAMES = {"self",   "diskstats", "filesystems", "meminfo",
                                               "mounts", "uptime",    "version",     "bus"};

std::vector<std::string> with_dots(std::vector<std::string> names, std::vector<std::string> more = {}) {
    names.insert(names.begin(), {".", ".."});
    names.insert(names.end(), more.begin(), more.end());
    return names;
}

TEST_F(ProcfsTest, RootListsTheSystemEntriesThenEveryPid) {
    EXPECT_EQ(names_in("/proc"), with_dots(SYSTEM_NAMES, {"1", "4", "12"}));
    // One entry per getdents call (the smallest buffer that fits a record):
    // each read resumes after the last pid returned.
    EXPECT_EQ(names_in("/proc", 32), with_dots(SYSTEM_NAMES, {"1", "4", "12"}));
    FileRef directory = open("/proc", O_RDONLY | O_DIRECTORY);
    ASSERT_TRUE(directory);
    for (const Entry& entry : read_directory(*directory)) {
        if (entry.name == "self") {
            EXPECT_EQ(entry.type, DT_LNK);
        } else if (entry.name == "mounts") {
            EXPECT_EQ(entry.type, DT_REG);
        } else if (entry.name == "12") {
            EXPECT_EQ(entry.type, DT_DIR);
            EXPECT_EQ(entry.inode_number, procfs_process_directory_inode(12));
        }
    }
}

TEST_F(ProcfsTest, ListingResumesWhileProcessesComeAndGo) {
    FileRef directory = open("/proc", O_RDONLY | O_DIRECTORY);
    ASSERT_TRUE(directory);
    std::vector<uint8_t> buffer(32);  // one record per call
    std::vector<std::string> names;
    for (;;) {
        Result<size_t> got = vfs_getdents64(*directory, buffer.data(), buffer.size());
        ASSERT_EQ(error_of(got), 0);
        if (got.value() == 0) break;
        names.push_back(reinterpret_cast<const linux_abi::linux_dirent64*>(buffer.data())->d_name);
        if (names.back() == "1") {
            fake_procfs::remove_process(4);        // ends before it is listed
            fake_procfs::add_process(20, "ls", 4);  // starts after
        }
    }
    EXPECT_EQ(names, with_dots(SYSTEM_NAMES, {"1", "12", "20"}));
}

TEST_F(ProcfsTest, ProcessDirectoryAttributesAndEntries) {
    fake_procfs::add_process(30, "daemon", 1).uid = 1000;
    linux_abi::stat64 directory = stat("/proc/30");
    EXPECT_EQ(directory.st_mode, uint32_t(S_IFDIR | 0555));
    EXPECT_EQ(directory.st_uid, 1000u);
    EXPECT_EQ(names_in("/proc/30"), with_dots({"cmdline", "comm", "exe", "stat", "status"}));
    linux_abi::stat64 status = stat("/proc/30/status");
    EXPECT_EQ(status.st_mode, uint32_t(S_IFREG | 0444));
    EXPECT_EQ(status.st_size, 0);  // the text does not exist until it is read
    EXPECT_EQ(status.st_uid, 1000u);
    EXPECT_EQ(stat("/proc/mounts").st_uid, 0u);
    linux_abi::statfs64 statistics{};
    ASSERT_EQ(error_of(vfs_statfs(cwd_, "/proc", ROOT, &statistics)), 0);
    EXPECT_EQ(statistics.f_type, PROC_SUPER_MAGIC);
}

TEST_F(ProcfsTest, NamesThatAreNotProcessesAreMissing) {
    for (const char* name : {"/proc/2", "/proc/0", "/proc/012", "/proc/12x", "/proc/-12", "/proc/99999999999",
                             "/proc/nothing", "/proc/12/nothing"})
        EXPECT_EQ(stat_error(name), ENOENT) << name;
}

TEST_F(ProcfsTest, StatHasFiftyTwoFieldsInLinuxOrder) {
    ProcessSnapshot& cat = fake_procfs::add_process(40, "cat", 4);
    cat.process_group = 4;
    cat.user_time_ms = 1234;    // 123 ticks of 10 ms
    cat.system_time_ms = 505;   // 50 ticks
    cat.thread_count = 3;
    cat.start_time_ms = 56789;  // 5678 ticks
    cat.resident_pages = 90;
    cat.ignored_signals = 1u << (13 - 1);  // SIGPIPE
    std::string line = read_file("/proc/40/stat");
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n');
    std::vector<std::string> fields = split_words(line);
    ASSERT_EQ(fields.size(), 52u) << line;
    EXPECT_EQ(fields[0], "40");
    EXPECT_EQ(fields[1], "(cat)");
    EXPECT_EQ(fields[2], "R");
    EXPECT_EQ(fields[3], "4");       // ppid
    EXPECT_EQ(fields[4], "4");       // pgrp
    EXPECT_EQ(fields[7], "-1");      // tpgid: no controlling terminal
    EXPECT_EQ(fields[13], "123");    // utime
    EXPECT_EQ(fields[14], "50");     // stime
    EXPECT_EQ(fields[19], "3");      // num_threads
    EXPECT_EQ(fields[21], "5678");   // starttime
    EXPECT_EQ(fields[22], std::to_string(90 * 4096));  // vsize in bytes
    EXPECT_EQ(fields[23], "90");     // rss in pages
    EXPECT_EQ(fields[32], "4096");   // sigignore
    EXPECT_EQ(fields[37], "17");     // exit_signal
}

TEST_F(ProcfsTest, StatNameMayHoldSpacesAndParentheses) {
    fake_procfs::add_process(41, "a) b (c", 1);
    std::string line = read_file("/proc/41/stat");
    // Parsers find the name between the first '(' and the *last* ')'.
    EXPECT_EQ(line.substr(0, 15), "41 (a) b (c) R ");
}

TEST_F(ProcfsTest, StatShowsAStoppedJobWithItsSessionAndTerminal) {
    ProcessSnapshot& job = fake_procfs::add_process(42, "cat", 4);
    job.state = 'T';
    job.process_group = 42;
    job.session = 4;
    job.terminal_device = 5 << 8 | 1;  // /dev/console
    job.terminal_foreground_group = 4;
    std::vector<std::string> fields = split_words(read_file("/proc/42/stat"));
    ASSERT_EQ(fields.size(), 52u);
    EXPECT_EQ(fields[2], "T");
    EXPECT_EQ(fields[4], "42");    // pgrp
    EXPECT_EQ(fields[5], "4");     // session
    EXPECT_EQ(fields[6], "1281");  // tty_nr
    EXPECT_EQ(fields[7], "4");     // tpgid
    EXPECT_NE(read_file("/proc/42/status").find("State:\tT (stopped)\n"), std::string::npos);
}

TEST_F(ProcfsTest, StatusNamesTheFieldsLikeLinux) {
    ProcessSnapshot& daemon = fake_procfs::add_process(50, "daemon", 1);
    daemon.state = 'S';
    daemon.uid = 1000;
    daemon.gid = 100;
    daemon.resident_pages = 25;
    std::string status = read_file("/proc/50/status");
    for (const char* line : {"Name:\tdaemon\n", "Umask:\t0022\n", "State:\tS (sleeping)\n", "Tgid:\t50\n",
                             "Pid:\t50\n", "PPid:\t1\n", "Uid:\t1000\t1000\t1000\t1000\n",
                             "Gid:\t100\t100\t100\t100\n", "VmRSS:\t     100 kB\n", "Threads:\t1\n"})
        EXPECT_NE(status.find(line), std::string::npos) << line << " in\n" << status;
    EXPECT_EQ(status.rfind("Name:", 0), 0u);
}

TEST_F(ProcfsTest, ZombieShowsStateZWithoutMemoryOrCommandLine) {
    ProcessSnapshot& zombie = fake_procfs::add_process(60, "sleep", 4);
    fake_procfs::set_command_line(60, {"sleep", "100"});
    zombie.state = 'Z';
    zombie.has_memory = false;
    zombie.wait_status = 9;  // killed by SIGKILL
    std::vector<std::string> fields = split_words(read_file("/proc/60/stat"));
    ASSERT_EQ(fields.size(), 52u);
    EXPECT_EQ(fields[2], "Z");
    EXPECT_EQ(fields[23], "0");
    EXPECT_EQ(fields[51], "9");  // exit_code
    std::string status = read_file("/proc/60/status");
    EXPECT_NE(status.find("State:\tZ (zombie)\n"), std::string::npos);
    EXPECT_EQ(status.find("VmRSS"), std::string::npos);
    EXPECT_EQ(read_file("/proc/60/cmdline"), "");
    EXPECT_EQ(readlink("/proc/60/exe"), "error " + std::to_string(ENOENT));
}

TEST_F(ProcfsTest, CommandLineIsNulSeparatedAndCommIsTheName) {
    EXPECT_EQ(read_file("/proc/12/cmdline"), std::string("cat\0/proc/self/status\0", 22));
    EXPECT_EQ(read_file("/proc/12/comm"), "cat\n");
    std::strcpy(fake_procfs::add_process(70, "ls", 4).executable, "/bin/ls");
    EXPECT_EQ(readlink("/proc/70/exe"), "/bin/ls");
    EXPECT_EQ(stat("/proc/70/exe").st_mode, uint32_t(S_IFLNK | 0777));
}

TEST_F(ProcfsTest, SelfIsTheCallersPid) {
    EXPECT_EQ(readlink("/proc/self"), "12");
    EXPECT_NE(read_file("/proc/self/status").find("Pid:\t12\n"), std::string::npos);
    fake_procfs::set_current_pid(4);
    EXPECT_NE(read_file("/proc/self/status").find("Pid:\t4\n"), std::string::npos);
    fake_procfs::set_current_pid(0);  // a kernel thread
    EXPECT_EQ(readlink("/proc/self"), "error " + std::to_string(ENOENT));
    EXPECT_EQ(stat_error("/proc/self/status"), ENOENT);
}

TEST_F(ProcfsTest, AnEndedProcessLeavesNoStaleNames) {
    EXPECT_EQ(stat_error("/proc/4/status"), 0);  // now cached by the dentry cache
    fake_procfs::remove_process(4);
    EXPECT_EQ(stat_error("/proc/4"), ENOENT);
    EXPECT_EQ(stat_error("/proc/4/status"), ENOENT);
    EXPECT_EQ(names_in("/proc"), with_dots(SYSTEM_NAMES, {"1", "12"}));
}

TEST_F(ProcfsTest, ANewProcessIsFoundAfterItsNameWasMissing) {
    EXPECT_EQ(stat_error("/proc/80"), ENOENT);  // a negative dentry now
    fake_procfs::add_process(80, "new", 1);
    EXPECT_EQ(stat_error("/proc/80"), 0);
    EXPECT_EQ(read_file("/proc/80/comm"), "new\n");
}

TEST_F(ProcfsTest, FilesOfAnEndedProcessReadEsrchAndItsDirectoryEnoent) {
    FileRef status = open("/proc/12/status");
    FileRef directory = open("/proc/12", O_RDONLY | O_DIRECTORY);
    ASSERT_TRUE(status && directory);
    fake_procfs::remove_process(12);
    char buffer[100];
    EXPECT_EQ(error_of(vfs_read(*status, buffer, sizeof(buffer))), ESRCH);
    std::vector<uint8_t> entries(4096);
    EXPECT_EQ(error_of(vfs_getdents64(*directory, entries.data(), entries.size())), ENOENT);
}

TEST_F(ProcfsTest, AWorkingDirectoryInAnEndedProcessFindsNothing) {
    Result<Path> directory = vfs_resolve_directory(cwd_, "/proc/12", ROOT);
    ASSERT_EQ(error_of(directory), 0);
    Path inside = directory.release_value();
    linux_abi::stat64 out{};
    EXPECT_EQ(error_of(vfs_stat(inside, "status", true, ROOT, &out)), 0);
    fake_procfs::remove_process(12);
    EXPECT_EQ(error_of(vfs_stat(inside, "status", true, ROOT, &out)), ENOENT);
    EXPECT_EQ(error_of(vfs_open(inside, ".", O_RDONLY, 0, ROOT)), 0);  // the directory itself is still held
}

TEST_F(ProcfsTest, AMountOnAnEndedProcessStaysReachableForUmount) {
    ASSERT_EQ(error_of(vfs_mount(cwd_, "tmpfs", nullptr, "/proc/4", 0, "", ROOT)), 0);
    fake_procfs::remove_process(4);
    EXPECT_EQ(stat("/proc/4").st_mode, uint32_t(S_IFDIR | 01777));  // tmpfs's root, still there
    EXPECT_EQ(error_of(vfs_umount(cwd_, "/proc/4", ROOT)), 0);
    EXPECT_EQ(stat_error("/proc/4"), ENOENT);
}

TEST_F(ProcfsTest, PartialReadsAndSeeksServeOneSnapshot) {
    fake_procfs::set_uptime(12345, 5067);
    FileRef uptime = open("/proc/uptime");
    ASSERT_TRUE(uptime);
    EXPECT_EQ(read_all(*uptime, 3), "12.34 5.06\n");
    // Later reads continue the text made at offset 0 ...
    ASSERT_EQ(error_of(vfs_lseek(*uptime, 6, SEEK_SET)), 0);
    fake_procfs::set_uptime(99999, 0);
    char buffer[16] = {};
    ASSERT_EQ(error_of(vfs_read(*uptime, buffer, sizeof(buffer))), 0);
    EXPECT_STREQ(buffer, "5.06\n");
    ASSERT_EQ(error_of(vfs_pread(*uptime, buffer, 2, 3)), 0);
    EXPECT_EQ(std::string(buffer, 2), "34");
    // ... and a read from offset 0 makes it afresh.
    ASSERT_EQ(error_of(vfs_lseek(*uptime, 0, SEEK_SET)), 0);
    EXPECT_EQ(read_all(*uptime), "99.99 0.00\n");
    EXPECT_EQ(error_of(vfs_lseek(*uptime, 0, SEEK_END)), EINVAL);
    Result<int64_t> at = vfs_lseek(*uptime, -3, SEEK_CUR);
    ASSERT_EQ(error_of(at), 0);
    EXPECT_EQ(at.value(), 8);
    EXPECT_EQ(read_all(*uptime), "00\n");
}

TEST_F(ProcfsTest, WritingCreatingAndRemovingAreRefused) {
    for (uint32_t flags : {uint32_t(O_WRONLY), uint32_t(O_RDWR), uint32_t(O_RDONLY | O_TRUNC)})
        EXPECT_EQ(error_of(vfs_open(cwd_, "/proc/mounts", flags, 0, ROOT)), EACCES) << flags;
    EXPECT_EQ(error_of(vfs_open(cwd_, "/proc/12/stat", O_WRONLY, 0, ROOT)), EACCES);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/proc/new", O_WRONLY | O_CREAT, 0644, ROOT)), EACCES);
    EXPECT_EQ(error_of(vfs_truncate(cwd_, "/proc/version", 0, ROOT)), EACCES);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/proc/dir", 0755, ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_mkdir(cwd_, "/proc/12/dir", 0755, ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_unlink(cwd_, "/proc/version", ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_rmdir(cwd_, "/proc/12", ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_rename(cwd_, "/proc/version", "/proc/v", ROOT)), EPERM);
    EXPECT_EQ(error_of(vfs_symlink("x", cwd_, "/proc/link", ROOT)), EPERM);
    EXPECT_EQ(read_file("/proc/version"), "StorageKernel version 0.1 (host test) #1\n");
}

TEST_F(ProcfsTest, MountsListsTheNamespaceWithEscapedNames) {
    ASSERT_EQ(error_of(vfs_mkdir(cwd_, "/with space", 0755, ROOT)), 0);
    ASSERT_EQ(error_of(vfs_mount(cwd_, "proc", nullptr, "/with space", MS_NOSUID | MS_NOEXEC, "", ROOT)), 0);
    EXPECT_EQ(read_file("/proc/mounts"),
              "tmpfs / tmpfs rw 0 0\n"
              "proc /proc proc rw 0 0\n"
              "proc /with\\040space proc rw,nosuid,noexec 0 0\n");
}

TEST_F(ProcfsTest, FilesystemsMarksTheOnesWithoutADevice) {
    std::string listing = read_file("/proc/filesystems");
    EXPECT_NE(listing.find("nodev\ttmpfs\n"), std::string::npos) << listing;
    EXPECT_NE(listing.find("nodev\tproc\n"), std::string::npos) << listing;
}

TEST_F(ProcfsTest, MeminfoUsesLinuxsColumns) {
    MemorySnapshot memory;
    memory.total_kib = 130556;
    memory.free_kib = 125000;
    memory.buffers_kib = 180;
    memory.cached_kib = 2048;
    memory.dirty_kib = 64;
    memory.writeback_kib = 16;
    memory.kernel_heap_kib = 240;
    fake_procfs::set_memory(memory);
    std::string meminfo = read_file("/proc/meminfo");
    EXPECT_EQ(meminfo.rfind("MemTotal:         130556 kB\nMemFree:          125000 kB\n", 0), 0u) << meminfo;
    EXPECT_NE(meminfo.find("\nBuffers:             180 kB\n"), std::string::npos);
    EXPECT_NE(meminfo.find("\nCached:             2048 kB\n"), std::string::npos);
    EXPECT_NE(meminfo.find("\nDirty:                64 kB\nWriteback:            16 kB\n"), std::string::npos);
    EXPECT_NE(meminfo.find("\nSlab:                240 kB\n"), std::string::npos);
}

TEST_F(ProcfsTest, DiskstatsHasTwentyFieldsPerDeviceFromTheQueue) {
    RecordingDevice ram0("ram0", 64);
    RecordingDevice vda("vda", 64);
    ASSERT_EQ(error_of(register_block_device(ram0)), 0);
    ASSERT_EQ(error_of(register_block_device(vda)), 0);
    std::vector<uint8_t> buffer(1024);
    ASSERT_EQ(error_of(ram0.read(0, buffer.data(), buffer.size())), 0);
    ASSERT_EQ(error_of(ram0.write(4096, buffer.data(), 512)), 0);
    std::istringstream lines(read_file("/proc/diskstats"));
    std::string line;
    ASSERT_TRUE(std::getline(lines, line));
    std::vector<std::string> fields = split_words(line);
    ASSERT_EQ(fields.size(), 20u) << line;
    EXPECT_EQ(line.substr(0, 18), "   1       0 ram0 ");
    EXPECT_EQ(fields[3], "1");  // reads completed
    EXPECT_EQ(fields[5], "2");  // sectors read
    EXPECT_EQ(fields[7], "1");  // writes completed
    EXPECT_EQ(fields[9], "1");  // sectors written
    EXPECT_EQ(fields[11], "0");  // nothing in flight
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line, " 254       0 vda 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0");
    EXPECT_FALSE(std::getline(lines, line));
}

// Three functions on two buses: a host bridge without resources, the IDE
// controller with its I/O BAR (start | 1 for I/O, as Linux prints it) and a
// device with a prefetchable memory BAR (| 8).
void add_fake_pci_functions(std::vector<uint8_t>& ide_config) {
    PciFunctionSnapshot bridge;
    bridge.vendor_id = 0x8086;
    bridge.device_id = 0x1237;
    fake_procfs::add_pci_function(bridge, {0x86, 0x80, 0x37, 0x12});
    PciFunctionSnapshot ide;
    ide.device = 1;
    ide.function = 1;
    ide.vendor_id = 0x8086;
    ide.device_id = 0x7010;
    ide.irq = 14;
    ide.resource_start[4] = 0xc040 | 1;
    ide.resource_size[4] = 16;
    std::strcpy(ide.driver, "ata");
    for (int i = 0; i < 256; ++i) ide_config.push_back(uint8_t(i * 3 + 1));
    fake_procfs::add_pci_function(ide, ide_config);
    PciFunctionSnapshot other;
    other.bus = 1;
    other.device = 2;
    other.vendor_id = 0x1af4;
    other.device_id = 0x1001;
    other.irq = 11;
    other.resource_start[0] = 0xfebf0000 | 8;
    other.resource_size[0] = 0x1000;
    fake_procfs::add_pci_function(other, {});
}

TEST_F(ProcfsTest, BusPciDevicesHasLinuxsLineForEachFunction) {
    std::vector<uint8_t> ide_config;
    add_fake_pci_functions(ide_config);
    std::string zero = "\t               0";
    std::string six_zeros = zero + zero + zero + zero + zero + zero;
    std::string expected = "0000\t80861237\t0" + six_zeros + zero + six_zeros + zero + "\t\n";
    expected += "0009\t80867010\te" + zero + zero + zero + zero + "\t            c041" + zero + zero + zero + zero +
                zero + zero + "\t              10" + zero + zero + "\tata\n";
    expected += "0110\t1af41001\tb\t        febf0008" + zero + zero + zero + zero + zero + zero +
                "\t            1000" + six_zeros + "\t\n";
    EXPECT_EQ(read_file("/proc/bus/pci/devices"), expected);
}

TEST_F(ProcfsTest, BusPciHasADirectoryPerBusAndAConfigurationFilePerFunction) {
    std::vector<uint8_t> ide_config;
    add_fake_pci_functions(ide_config);
    EXPECT_EQ(names_in("/proc/bus"), with_dots({"pci"}));
    EXPECT_EQ(names_in("/proc/bus/pci"), with_dots({"devices", "00", "01"}));
    EXPECT_EQ(names_in("/proc/bus/pci", 48), with_dots({"devices", "00", "01"}));  // resumed listings
    EXPECT_EQ(names_in("/proc/bus/pci/00"), with_dots({"00.0", "01.1"}));
    EXPECT_EQ(names_in("/proc/bus/pci/01"), with_dots({"02.0"}));
    EXPECT_EQ(read_file("/proc/bus/pci/00/01.1"), std::string(ide_config.begin(), ide_config.end()));
    EXPECT_EQ(stat("/proc/bus/pci/00/01.1").st_size, 256);
    EXPECT_EQ(read_file("/proc/bus/pci/00/00.0").substr(0, 4), "\x86\x80\x37\x12");
    EXPECT_EQ(stat_error("/proc/bus/pci/02"), ENOENT);
    EXPECT_EQ(stat_error("/proc/bus/pci/00/02.0"), ENOENT);
    EXPECT_EQ(stat_error("/proc/bus/pci/00/1.1"), ENOENT);
    EXPECT_EQ(stat_error("/proc/bus/pci/00/01.8"), ENOENT);
    EXPECT_EQ(stat_error("/proc/bus/usb"), ENOENT);
    EXPECT_EQ(error_of(vfs_open(cwd_, "/proc/bus/pci/00/01.1", O_RDWR, 0, ROOT)), EACCES);
}

TEST(ProcfsTextTest, GrowsEscapesAndParsesPids) {
    ProcfsText text;
    std::string expected;
    for (int i = 0; i < 1000; ++i) {
        text.print("%d,", i);
        expected += std::to_string(i) + ",";
    }
    text.append_escaped("a b\tc\nd\\e");
    expected += "a\\040b\\011c\\012d\\134e";
    EXPECT_EQ(error_of(text.error()), 0);
    EXPECT_EQ(std::string(text.data(), text.size()), expected);
    text.clear();
    EXPECT_EQ(text.size(), 0u);
    EXPECT_EQ(procfs_parse_pid("42"), 42);
    EXPECT_EQ(procfs_parse_pid("2147483647"), 2147483647);
    for (const char* bad : {"", "0", "042", "-1", "+1", "4x", "2147483648", "self"})
        EXPECT_EQ(procfs_parse_pid(bad), 0) << bad;
}

}  // namespace
