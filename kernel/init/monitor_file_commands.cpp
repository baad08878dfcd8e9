// kernel/init/monitor_file_commands.cpp -- see monitor_file_commands.h.
#include "kernel/init/monitor_file_commands.h"

#include "drivers/block/block_device_registry.h"
#include "drivers/console/console.h"
#include "fs/vfs/file_mode.h"
#include "fs/vfs/open_flags.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/process.h"
#include "kernel/storage/storage.h"

namespace {

const Credentials ROOT_USER{};

void report_error(const char* command, const char* name, int error) {
    kprintf("%s: %s: %s\n", command, name, errno_message(error));
}

// "drwxr-xr-x" from a mode, as ls -l shows it.
void format_mode(uint32_t mode, char out[11]) {
    char type = '-';
    if (S_ISDIR(mode)) type = 'd';
    else if (S_ISLNK(mode)) type = 'l';
    else if (S_ISCHR(mode)) type = 'c';
    else if (S_ISBLK(mode)) type = 'b';
    else if (S_ISFIFO(mode)) type = 'p';
    else if (S_ISSOCK(mode)) type = 's';
    out[0] = type;
    const char* letters = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i) out[1 + i] = (mode & (0400u >> i)) ? letters[i] : '-';
    out[10] = '\0';
}

void print_long_entry(const char* directory, const char* name) {
    char path[512];
    klib::strlcpy(path, directory, sizeof path);
    if (path[0] && path[klib::strlen(path) - 1] != '/') klib::strlcat(path, "/", sizeof path);
    klib::strlcat(path, name, sizeof path);
    linux_abi::stat64 status;
    if (auto result = vfs_stat(storage::root(), path, false, ROOT_USER, &status); result.is_error()) {
        report_error("ls", path, result.error());
        return;
    }
    char mode[11];
    format_mode(status.st_mode, mode);
    kprintf("%s %3u %4u %4u ", mode, status.st_nlink, status.st_uid, status.st_gid);
    if (S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode)) {
        uint32_t device = uint32_t(status.st_rdev);
        kprintf("%4u, %4u ", linux_abi::decode_device_major(device), linux_abi::decode_device_minor(device));
    } else {
        kprintf("%10lld ", status.st_size);
    }
    kprintf("%s", name);
    if (S_ISLNK(status.st_mode)) {
        char target[256];
        if (auto length = vfs_readlink(storage::root(), path, target, sizeof target - 1, ROOT_USER); !length.is_error()) {
            target[length.value()] = '\0';
            kprintf(" -> %s", target);
        }
    }
    kprintf("\n");
}

// Names of one directory, collected so they can be sorted as ls does.
struct NameList {
    char* storage = nullptr;  // NUL-separated names
    size_t used = 0, capacity = 0;
    const char** names = nullptr;
    size_t count = 0, slots = 0;

    ~NameList() {
        kfree(storage);
        kfree(names);
    }
    bool add(const char* name);
    void sort();
};

bool NameList::add(const char* name) {
    size_t length = klib::strlen(name) + 1;
    if (used + length > capacity || count == slots) {
        size_t new_capacity = (capacity + length) * 2 + 256, new_slots = slots * 2 + 32;
        auto* new_storage = static_cast<char*>(kmalloc(new_capacity));
        auto* new_names = static_cast<const char**>(kmalloc(new_slots * sizeof(char*)));
        if (!new_storage || !new_names) {
            kfree(new_storage);
            kfree(new_names);
            return false;
        }
        if (storage) klib::memcpy(new_storage, storage, used);
        for (size_t i = 0; i < count; ++i) new_names[i] = new_storage + (names[i] - storage);
        kfree(storage);
        kfree(names);
        storage = new_storage, capacity = new_capacity, names = new_names, slots = new_slots;
    }
    klib::memcpy(storage + used, name, length);
    names[count++] = storage + used;
    used += length;
    return true;
}

void NameList::sort() {  // insertion sort: directories here are small
    for (size_t i = 1; i < count; ++i) {
        const char* name = names[i];
        size_t j = i;
        for (; j > 0 && klib::strcmp(names[j - 1], name) > 0; --j) names[j] = names[j - 1];
        names[j] = name;
    }
}

Result<void> read_directory_names(File& directory, bool all, NameList& list) {
    static uint8_t buffer[2048];  // the monitor is a single thread
    for (;;) {
        size_t length = TRY(vfs_getdents64(directory, buffer, sizeof buffer));
        if (length == 0) return {};
        for (size_t offset = 0; offset < length;) {
            auto* record = reinterpret_cast<linux_abi::linux_dirent64*>(buffer + offset);
            if (all || record->d_name[0] != '.') {
                if (!list.add(record->d_name)) return Error(ENOMEM);
            }
            offset += record->d_reclen;
        }
    }
}

void list_path(const char* path, bool long_format, bool all) {
    linux_abi::stat64 status;
    if (auto result = vfs_stat(storage::root(), path, false, ROOT_USER, &status); result.is_error()) {
        report_error("ls", path, result.error());
        return;
    }
    if (!S_ISDIR(status.st_mode)) {
        if (long_format) print_long_entry("", path);
        else kprintf("%s\n", path);
        return;
    }
    auto directory = vfs_open(storage::root(), path, O_RDONLY | O_DIRECTORY, 0, ROOT_USER);
    if (directory.is_error()) {
        report_error("ls", path, directory.error());
        return;
    }
    NameList list;
    if (auto result = read_directory_names(*directory.value(), all, list); result.is_error()) {
        report_error("ls", path, result.error());
    }
    list.sort();
    for (size_t i = 0; i < list.count; ++i) {
        if (long_format) print_long_entry(path, list.names[i]);
        else kprintf("%s\n", list.names[i]);
    }
}

}  // namespace

void command_ls(int argc, char** argv) {
    bool long_format = false, all = false;
    int first_path = 1;
    for (; first_path < argc && argv[first_path][0] == '-' && argv[first_path][1]; ++first_path) {
        for (const char* flag = argv[first_path] + 1; *flag; ++flag) {
            if (*flag == 'l') long_format = true;
            else if (*flag == 'a') all = true;
            else if (*flag != '1') {
                kprintf("ls: unknown option -%c (usage: ls [-la1] [PATH...])\n", *flag);
                return;
            }
        }
    }
    if (storage::root().is_empty()) {
        kprintf("ls: no root file system is mounted\n");
        return;
    }
    if (first_path == argc) return list_path("/", long_format, all);
    for (int i = first_path; i < argc; ++i) {
        if (argc - first_path > 1) kprintf("%s:\n", argv[i]);
        list_path(argv[i], long_format, all);
    }
}

void command_cat(int argc, char** argv) {
    if (argc < 2) {
        kprintf("usage: cat PATH...\n");
        return;
    }
    static char buffer[4096];
    for (int i = 1; i < argc; ++i) {
        auto file = vfs_open(storage::root(), argv[i], O_RDONLY, 0, ROOT_USER);
        if (file.is_error()) {
            report_error("cat", argv[i], file.error());
            continue;
        }
        for (;;) {
            auto count = vfs_read(*file.value(), buffer, sizeof buffer);
            if (count.is_error()) {
                report_error("cat", argv[i], count.error());
                break;
            }
            if (count.value() == 0) break;
            console::write(buffer, count.value());
        }
    }
}

namespace {

const char* type_description(uint32_t mode) {
    if (S_ISREG(mode)) return "regular file";
    if (S_ISDIR(mode)) return "directory";
    if (S_ISLNK(mode)) return "symbolic link";
    if (S_ISCHR(mode)) return "character special file";
    if (S_ISBLK(mode)) return "block special file";
    if (S_ISFIFO(mode)) return "fifo";
    if (S_ISSOCK(mode)) return "socket";
    return "unknown";
}

// "/dev/ram1" or "ram1" -> the registered block device.
BlockDevice* block_device_from_name(const char* name) {
    if (klib::starts_with(name, "/dev/")) name += 5;
    return find_block_device(name);
}

void print_mount(const MountInfo& info, void*) {
    kprintf("%s on %s type %s (%s)\n", info.device_name, info.mount_point, info.type_name,
            (info.flags & MS_RDONLY) ? "ro" : "rw");
}

void print_disk(BlockDevice& device, void*) {
    BlockDeviceStatistics s = device.queue().statistics();
    kprintf("%-6s %8llu KiB  %-5s reads %llu (%llu merged, %llu sectors)  writes %llu (%llu merged, %llu sectors)\n",
            device.name(), device.capacity_bytes() / 1024, device.queue().scheduler_name(), s.reads_completed,
            s.reads_merged, s.sectors_read, s.writes_completed, s.writes_merged, s.sectors_written);
}

}  // namespace

void command_stat(int argc, char** argv) {
    if (argc < 2) {
        kprintf("usage: stat PATH...\n");
        return;
    }
    for (int i = 1; i < argc; ++i) {
        linux_abi::stat64 s;
        if (auto result = vfs_stat(storage::root(), argv[i], false, ROOT_USER, &s); result.is_error()) {
            report_error("stat", argv[i], result.error());
            continue;
        }
        char mode[11];
        format_mode(s.st_mode, mode);
        kprintf("  File: %s\n", argv[i]);
        kprintf("  Size: %-10lld Blocks: %-10llu IO Block: %-6u %s\n", s.st_size, s.st_blocks, s.st_blksize,
                type_description(s.st_mode));
        kprintf("Device: %llxh/%llud  Inode: %-10llu Links: %u", s.st_dev, s.st_dev, s.st_ino, s.st_nlink);
        if (S_ISCHR(s.st_mode) || S_ISBLK(s.st_mode)) {
            uint32_t device = uint32_t(s.st_rdev);
            kprintf("  Device type: %u,%u", linux_abi::decode_device_major(device),
                    linux_abi::decode_device_minor(device));
        }
        kprintf("\nAccess: (%04o/%s)  Uid: %u  Gid: %u\n", s.st_mode & 07777, mode, s.st_uid, s.st_gid);
    }
}

void command_mount(int argc, char** argv) {
    if (argc == 1) {
        if (storage::root().is_empty()) kprintf("mount: nothing is mounted\n");
        else storage::mount_namespace().for_each_mount(print_mount, nullptr);
        return;
    }
    const char* type = nullptr;
    uint32_t flags = 0;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (klib::strcmp(argv[i], "-t") == 0) type = argv[i + 1];
        else if (klib::strcmp(argv[i], "-o") == 0 && klib::strcmp(argv[i + 1], "ro") == 0) flags |= MS_RDONLY;
        else if (klib::strcmp(argv[i], "-o") == 0 && klib::strcmp(argv[i + 1], "rw") == 0) flags &= ~uint32_t(MS_RDONLY);
        else break;
    }
    if (!type || argc - i != 2) {
        kprintf("usage: mount [-t TYPE [-o ro|rw] DEVICE DIRECTORY]\n");
        return;
    }
    const char* device_name = argv[i];
    const char* target = argv[i + 1];
    BlockDevice* device = block_device_from_name(device_name);
    if (!device && klib::strcmp(device_name, "none") != 0 && klib::strcmp(device_name, type) != 0) {
        kprintf("mount: %s: no such block device\n", device_name);
        return;
    }
    if (auto result = vfs_mount(storage::root(), type, device, target, flags, "", ROOT_USER); result.is_error()) {
        kprintf("mount: mounting %s on %s failed: %s\n", device_name, target, errno_message(result.error()));
    }
}

void command_umount(int argc, char** argv) {
    if (argc != 2) {
        kprintf("usage: umount DIRECTORY\n");
        return;
    }
    if (auto result = vfs_umount(storage::root(), argv[1], ROOT_USER); result.is_error()) {
        kprintf("umount: %s: %s\n", argv[1], errno_message(result.error()));
    }
}

void command_disks(int, char**) { for_each_block_device(print_disk, nullptr); }

void command_drop_caches(int, char**) {
    size_t pages = storage::page_cache().drop_clean_pages();
    size_t dropped = storage::buffer_cache().drop_clean_buffers();
    kprintf("dropped %u clean pages and %u clean buffers\n", unsigned(pages), unsigned(dropped));
}

void command_run(int argc, char** argv) {
    if (argc < 2) {
        kprintf("usage: run PROGRAM [ARGUMENT...]\n");
        return;
    }
    static const char* const environment[] = {"PATH=/bin", "HOME=/", "TERM=vt100", nullptr};
    auto process = spawn_program(argv[1], argv + 1, environment);
    if (process.is_error()) {
        kprintf("run: %s: %s\n", argv[1], errno_message(process.error()));
        return;
    }
    int status = wait_for_and_reap(*process.value());
    // The terminal echoes ^C without a newline, as Linux does; like a shell,
    // the monitor starts its report on a line of its own.
    if ((status & 0x7F) == 2) kprintf("\n");
    if (status & 0x7F) kprintf("run: %s: killed by signal %d\n", argv[1], status & 0x7F);
    else if (status >> 8) kprintf("run: %s: exit status %d\n", argv[1], status >> 8);
}
