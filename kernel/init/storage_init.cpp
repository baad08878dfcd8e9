// kernel/init/storage_init.cpp -- see storage_init.h.
#include "kernel/init/storage_init.h"

#include "drivers/block/block_device_registry.h"
#include "drivers/block/io_scheduler.h"
#include "fs/devfs/devfs.h"
#include "fs/ext2/ext2_vfs.h"
#include "fs/procfs/procfs.h"
#include "fs/romfs/romfs_super.h"
#include "fs/tmpfs/tmpfs.h"
#include "fs/vfs/file_system_type.h"
#include "fs/vfs/path_lookup.h"
#include "kernel/init/boot_disks.h"
#include "kernel/storage/storage.h"
#include "kernel/command_line.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/memory_pressure.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/sched/scheduler.h"

namespace {

// Owned here, made once at boot; storage::install hands them to the
// kernel (kernel/storage/storage.h).
BufferCache* the_buffer_cache;
PageCache* the_page_cache;
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

// Three quarters of the memory free now, within [1 MiB, 768 MiB]: file data
// may use most of memory, as on Linux, because programs that run short get
// clean pages back (memory_pressure::reclaim); the last quarter keeps the
// kernel heap, whose allocations do not reclaim. page_cache_kib= overrides it.
size_t page_cache_pages() {
    constexpr size_t MIN_PAGES = 256, MAX_PAGES = 196608;
    size_t pages = physical_allocator::statistics().free_pages / 4 * 3;
    if (pages < MIN_PAGES) pages = MIN_PAGES;
    if (pages > MAX_PAGES) pages = MAX_PAGES;
    if (const char* setting = kernel_command_line.get("page_cache_kib")) {
        unsigned long long kib = 0;
        if (!klib::parse_unsigned(setting, 10, &kib) || kib < 64 || kib > 786432) {
            log_warning("page_cache_kib=%s: not a size between 64 and 786432; using %u", setting,
                        unsigned(pages * 4));
        } else {
            pages = size_t(kib / 4);
        }
    }
    return pages;
}

// The flusher thread: the policy is PageCache::flush_once; this only wakes
// it every second, or sooner when writers pass the background threshold.
void run_flusher(void* cache_pointer) {
    PageCache& cache = *static_cast<PageCache*>(cache_pointer);
    for (;;) {
        cache.wait_for_flusher_work(PageCache::FLUSHER_INTERVAL_MS);
        cache.flush_once(platform::now_ms());
    }
}

void start_page_cache() {
    size_t pages = page_cache_pages();
    the_page_cache = new (std::nothrow) PageCache(pages);
    if (!the_page_cache) panic("out of memory while creating the page cache");
    log_info("page cache: %u KiB", unsigned(pages * 4));
    memory_pressure::register_reclaimer([](size_t wanted) { return the_page_cache->reclaim(wanted); });
    if (auto flusher = scheduler::spawn("flusher", run_flusher, the_page_cache); flusher.is_error()) {
        // Still correct: writers past the hard limit and sync write back.
        log_error("page cache: cannot start the flusher thread: %s", errno_name(flusher.error()));
    } else {
        log_info("page cache: flusher thread started");
    }
}

// iosched=NAME: the scheduler every disk's queue starts with. Read before
// the first disk registers, since a queue picks its scheduler when made.
void apply_io_scheduler_setting() {
    const char* name = kernel_command_line.get("iosched");
    if (!name) return;
    if (set_default_io_scheduler(name).is_error()) {
        log_warning("iosched=%s: no such I/O scheduler (noop, elevator, deadline); using %s", name,
                    default_io_scheduler());
        return;
    }
    log_info("block: I/O scheduler %s for every disk", default_io_scheduler());
}

void register_file_system(FileSystemType& type) {
    if (auto registered = register_filesystem(type); registered.is_error()) {
        log_error("cannot register file system %s: %s", type.name(), errno_name(registered.error()));
    }
}

// Mounts a device-less file system on a directory of the root file system.
void mount_on_directory(const char* type, const char* directory) {
    Credentials root_user;
    auto target = path_walk(the_mount_namespace->root(), directory, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, root_user);
    if (target.is_error()) {
        log_error("cannot find %s on the root file system: %s", directory, errno_message(target.error()));
        return;
    }
    if (auto mounted = the_mount_namespace->mount(type, nullptr, target.value(), 0, ""); mounted.is_error()) {
        log_error("cannot mount %s on %s: %s", type, directory, errno_message(mounted.error()));
        return;
    }
    log_info("vfs: mounted %s on %s", type, directory);
}

void mount_root_and_standard_directories() {
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
    mount_on_directory("devfs", "/dev");
    mount_on_directory("tmpfs", "/tmp");
    mount_on_directory("proc", "/proc");
}

}  // namespace

namespace storage {

void initialize(const BootInfo& boot_info) {
    the_buffer_cache = new (std::nothrow) BufferCache(buffer_cache_bytes());
    the_dentry_cache = new (std::nothrow) DentryCache();
    the_mount_namespace = the_dentry_cache ? new (std::nothrow) MountNamespace(*the_dentry_cache) : nullptr;
    if (!the_buffer_cache || !the_mount_namespace) panic("out of memory while creating the storage caches");
    log_info("buffer cache: %u KiB", unsigned(buffer_cache_bytes() / 1024));
    start_page_cache();
    storage::install(*the_buffer_cache, *the_page_cache, *the_mount_namespace);

    static RomfsFileSystemType romfs(*the_buffer_cache);
    register_file_system(romfs);
    static Ext2FileSystemType ext2(*the_buffer_cache, *the_page_cache);
    register_file_system(ext2);
    register_file_system(devfs_file_system_type());
    register_file_system(tmpfs_file_system_type());
    register_file_system(procfs_file_system_type());
    if (auto registered = register_devfs_drivers(); registered.is_error()) {
        log_error("cannot register the device drivers of /dev: %s", errno_name(registered.error()));
    }

    apply_io_scheduler_setting();
    create_boot_ram_disks(boot_info);
    find_pci_disks();
    mount_root_and_standard_directories();
}

}  // namespace storage
