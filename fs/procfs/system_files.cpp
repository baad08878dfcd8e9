// fs/procfs/system_files.cpp -- the files in /proc itself.
//
// Layer: concrete file system (Linux: fs/proc/self.c, fs/proc_namespace.c
// show_vfsmnt, fs/filesystems.c filesystems_proc_show, fs/proc/meminfo.c,
// fs/proc/uptime.c, block/genhd.c diskstats_show, fs/proc/version.c). Each
// generator prints one kernel table in the format proc(5) gives it. The
// storage stack's tables are read directly (mount namespace, file system
// registry, block device registry and queue statistics); memory, time and
// the caller's pid come through procfs_sources.
#include "drivers/block/block_device_registry.h"
#include "fs/procfs/procfs_internal.h"
#include "fs/procfs/procfs_sources.h"
#include "fs/vfs/file_mode.h"
#include "fs/vfs/file_system_type.h"
#include "fs/vfs/mount_namespace.h"

namespace {

using u64 = unsigned long long;  // what %llu expects, on the host as in the kernel

// The target of /proc/self: the reader's pid, a name in /proc. A kernel
// thread has none (ENOENT, as for Linux's kernel threads).
Result<void> generate_self_link(const ProcfsContext& /*context*/, ProcfsText& text) {
    int pid = procfs_sources::current_pid();
    if (pid == 0) return Error{ENOENT};
    text.print("%d", pid);
    return {};
}

// --- /proc/mounts ---------------------------------------------------------------------

void print_mount_options(uint32_t flags, ProcfsText& text) {
    text.append((flags & MS_RDONLY) ? "ro" : "rw");
    // Linux's order: the super block's options, then the mount's.
    if (flags & MS_SYNCHRONOUS) text.append(",sync");
    if (flags & MS_NOSUID) text.append(",nosuid");
    if (flags & MS_NODEV) text.append(",nodev");
    if (flags & MS_NOEXEC) text.append(",noexec");
    if (flags & MS_NOATIME) text.append(",noatime");
    if (flags & MS_NODIRATIME) text.append(",nodiratime");
}

// "source target type options 0 0"; the source of a disk is its device
// file, that of a memory file system the label it was mounted with.
void print_mount(const MountInfo& mount, void* context) {
    ProcfsText& text = *static_cast<ProcfsText*>(context);
    FileSystemType* type = find_filesystem(mount.type_name);
    if (type != nullptr && type->requires_device()) text.append("/dev/");
    text.append_escaped(mount.device_name);
    text.put(' ');
    text.append_escaped(mount.mount_point);
    text.print(" %s ", mount.type_name);
    print_mount_options(mount.flags, text);
    text.append(" 0 0\n");
}

Result<void> generate_mounts(const ProcfsContext& context, ProcfsText& text) {
    if (context.mount_namespace == nullptr) return Error{EINVAL};
    context.mount_namespace->for_each_mount(print_mount, &text);
    return {};
}

// --- /proc/filesystems ---------------------------------------------------------------

void print_filesystem(FileSystemType& type, void* context) {
    static_cast<ProcfsText*>(context)->print("%s\t%s\n", type.requires_device() ? "" : "nodev", type.name());
}

Result<void> generate_filesystems(const ProcfsContext& /*context*/, ProcfsText& text) {
    for_each_filesystem(print_filesystem, &text);
    return {};
}

// --- /proc/meminfo ---------------------------------------------------------------------

void print_meminfo_line(ProcfsText& text, const char* label, uint64_t kib) {
    text.print("%-16s%8llu kB\n", label, u64(kib));  // label and colon padded to 16, as Linux
}

// The subset of Linux's fields this kernel has, in Linux's order. The
// buffer cache keeps its own bounded pool; the page cache's clean pages
// could be given back, but are counted as in use (MemAvailable is what is
// free). There is no swap.
Result<void> generate_meminfo(const ProcfsContext& /*context*/, ProcfsText& text) {
    MemorySnapshot memory = procfs_sources::memory();
    print_meminfo_line(text, "MemTotal:", memory.total_kib);
    print_meminfo_line(text, "MemFree:", memory.free_kib);
    print_meminfo_line(text, "MemAvailable:", memory.free_kib);
    print_meminfo_line(text, "Buffers:", memory.buffers_kib);
    print_meminfo_line(text, "Cached:", memory.cached_kib);
    print_meminfo_line(text, "SwapCached:", 0);
    print_meminfo_line(text, "SwapTotal:", 0);
    print_meminfo_line(text, "SwapFree:", 0);
    print_meminfo_line(text, "Dirty:", memory.dirty_kib);
    print_meminfo_line(text, "Writeback:", memory.writeback_kib);
    print_meminfo_line(text, "Slab:", memory.kernel_heap_kib);
    return {};
}

// --- /proc/uptime, /proc/version ----------------------------------------------------------

void print_seconds(ProcfsText& text, uint64_t milliseconds) {
    text.print("%llu.%02llu", u64(milliseconds / 1000), u64(milliseconds % 1000 / 10));
}

Result<void> generate_uptime(const ProcfsContext& /*context*/, ProcfsText& text) {
    print_seconds(text, procfs_sources::uptime_ms());
    text.put(' ');
    print_seconds(text, procfs_sources::idle_ms());
    text.put('\n');
    return {};
}

Result<void> generate_version(const ProcfsContext& /*context*/, ProcfsText& text) {
    text.print("%s\n", procfs_sources::kernel_version());
    return {};
}

// --- /proc/diskstats ------------------------------------------------------------------------

// major minor name, then 17 counters: reads (completed, merged, sectors, ms),
// writes (the same four), I/Os in flight, busy ms, weighted ms, discards
// (four zeros: there is no discard), flushes (completed, ms).
void print_disk(BlockDevice& device, void* context) {
    ProcfsText& text = *static_cast<ProcfsText*>(context);
    BlockDeviceStatistics s = device.queue().statistics();
    text.print("%4u %7u %s ", block_device_major(device), block_device_minor(device), device.name());
    text.print("%llu %llu %llu %llu ", u64(s.reads_completed), u64(s.reads_merged), u64(s.sectors_read),
               u64(s.read_time_ms));
    text.print("%llu %llu %llu %llu ", u64(s.writes_completed), u64(s.writes_merged), u64(s.sectors_written),
               u64(s.write_time_ms));
    text.print("%u %llu %llu 0 0 0 0 %llu %llu\n", s.in_flight, u64(s.busy_time_ms), u64(s.weighted_time_ms),
               u64(s.flushes_completed), u64(s.flush_time_ms));
}

Result<void> generate_diskstats(const ProcfsContext& /*context*/, ProcfsText& text) {
    for_each_block_device(print_disk, &text);
    return {};
}

}  // namespace

const ProcfsEntry PROCFS_SYSTEM_ENTRIES[] = {
    {"self", S_IFLNK | 0777, generate_self_link},
    {"cpuinfo", S_IFREG | 0444, generate_procfs_cpuinfo},
    {"diskstats", S_IFREG | 0444, generate_diskstats},
    {"filesystems", S_IFREG | 0444, generate_filesystems},
    {"loadavg", S_IFREG | 0444, generate_procfs_loadavg},
    {"meminfo", S_IFREG | 0444, generate_meminfo},
    {"mounts", S_IFREG | 0444, generate_mounts},
    {"stat", S_IFREG | 0444, generate_procfs_stat},
    {"uptime", S_IFREG | 0444, generate_uptime},
    {"version", S_IFREG | 0444, generate_version},
    {"bus", S_IFDIR | 0555, nullptr},  // /proc/bus/pci: pci_files.cpp
};
const size_t PROCFS_SYSTEM_ENTRY_COUNT = sizeof(PROCFS_SYSTEM_ENTRIES) / sizeof(PROCFS_SYSTEM_ENTRIES[0]);
