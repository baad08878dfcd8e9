// kernel/storage_init.cpp -- see storage_init.h.
#include "kernel/storage_init.h"

#include "drivers/block/block_device_registry.h"
#include "fs/devfs/devfs.h"
#include "fs/romfs/romfs_super.h"
#include "fs/tmpfs/tmpfs.h"
#include "fs/vfs/file_system_type.h"
#include "fs/vfs/path_lookup.h"
#include "kernel/boot_disks.h"
#include "kernel/command_line.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

namespace {

BufferCache* the_buffer_cache;
DentryCache* the_dentry_cache;
MountNamespace* the_mount_namespace;

size_t buffer_cache_bytes() {
    unsigned long long kib = BufferCache::DEFAULT_CAPACITY_BYTES / 1024;
    if (const char* setting = kernel_command_line.get("buffer_cache_kib")) {
        if (!klib::parse_unsigned(setting, 10, &kib) || kib < 64 || kib > 262144) {
            log_warning("buffer_cache_kib=%s: not a size between 64 and 262144; using %u", setting,
                        unsigned(BufferCache::DEFAULT_CAPACITY_BYTES / 1024));
            kib = BufferCache::DEFAULT_CAPACITY_BYTES / 1024;
        }
    }
    return size_t(kib) * 1024;
}

void register_file_system(FileSystemType& type) {
    if (auto registered = register_filesystem(type); registered.is_error()) {
        log_error("cannot register file system %s: %s", type.name(), errno_name(registered.error()));
    }
}

void mount_root_and_dev() {
    BlockDevice* ram0 = find_block_device("ram0");
    if (!ram0) {
        log_error("no boot module, so no /dev/ram0: nothing mounted on /");
        return;
    }
    if (auto mounted = the_mount_namespace->mount_root("romfs", ram0, 0, ""); mounted.is_error()) {
        log_error("cannot mount romfs from ram0 on /: %s", errno_message(mounted.error()));
        return;
    }
    log_info("vfs: mounted romfs from ram0 on /");
    Credentials root_user;
    auto dev = path_walk(the_mount_namespace->root(), "/dev", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, root_user);
    if (dev.is_error()) {
        log_error("cannot find /dev on the root file system: %s", errno_message(dev.error()));
        return;
    }
    if (auto mounted = the_mount_namespace->mount("devfs", nullptr, dev.value(), 0, ""); mounted.is_error()) {
        log_error("cannot mount devfs on /dev: %s", errno_message(mounted.error()));
        return;
    }
    log_info("vfs: mounted devfs on /dev");
    auto tmp = path_walk(the_mount_namespace->root(), "/tmp", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, root_user);
    if (tmp.is_error()) {
        log_error("cannot find /tmp on the root file system: %s", errno_message(tmp.error()));
        return;
    }
    if (auto mounted = the_mount_namespace->mount("tmpfs", nullptr, tmp.value(), 0, ""); mounted.is_error()) {
        log_error("cannot mount tmpfs on /tmp: %s", errno_message(mounted.error()));
        return;
    }
    log_info("vfs: mounted tmpfs on /tmp");
}

}  // namespace

namespace storage {

void initialize(const BootInfo& boot_info) {
    the_buffer_cache = new (std::nothrow) BufferCache(buffer_cache_bytes());
    the_dentry_cache = new (std::nothrow) DentryCache();
    the_mount_namespace = the_dentry_cache ? new (std::nothrow) MountNamespace(*the_dentry_cache) : nullptr;
    if (!the_buffer_cache || !the_mount_namespace) panic("out of memory while creating the storage caches");
    log_info("buffer cache: %u KiB", unsigned(buffer_cache_bytes() / 1024));

    static RomfsFileSystemType romfs(*the_buffer_cache);
    register_file_system(romfs);
    register_file_system(devfs_file_system_type());
    register_file_system(tmpfs_file_system_type());
    if (auto registered = register_devfs_drivers(); registered.is_error()) {
        log_error("cannot register the device drivers of /dev: %s", errno_name(registered.error()));
    }

    create_boot_ram_disks(boot_info);
    mount_root_and_dev();
}

BufferCache& buffer_cache() { return *the_buffer_cache; }
MountNamespace& mount_namespace() { return *the_mount_namespace; }
Path root() { return the_mount_namespace->root(); }

}  // namespace storage
