// fs/procfs/procfs_sources.h -- what procfs asks of the kernel beyond storage.
//
// Layer: the seam between procfs (a concrete file system, built for the host
// too) and the parts of the kernel it reports on that are not part of the
// storage stack: the process table, the memory allocators, the clock. Like
// kernel/platform.h, this header only declares; kernel/init/procfs_sources.cpp
// answers from the real kernel, tests/host/support/fake_procfs_sources.cpp
// from a table a test fills in. The storage stack's own state (mounts, file
// system types, block device statistics) procfs reads directly.
//
// Interface (namespace procfs_sources):
//   snapshot_process(pid, out)  a copy of what /proc/<pid> shows; false when
//                               no process has that pid (zombies still do)
//   next_pid(at_least)          the smallest live pid >= at_least, 0 if none
//                               (readdir of /proc walks the pids with it)
//   current_pid()               the caller's pid; 0 in a kernel thread
//   memory()                    the figures of /proc/meminfo
//   uptime_ms(), idle_ms()      since boot; idle: time the CPU had nothing to run
//   kernel_version()            one line, no newline: "NAME version RELEASE ..."
//   pci_function_count()        PCI functions found at boot (/proc/bus/pci)
//   snapshot_pci_function(i, out)  the i-th in bus/device/function order;
//                               false past the end
//   read_pci_config(i, bytes)   its configuration space, PROCFS_PCI_CONFIG_SIZE
//                               bytes read now; false past the end
//
// Invariants: every answer is a copy taken at once (the kernel side copies
// under the process table's guard), so procfs never holds a pointer into a
// process that could end while it formats. Pids are never reused, so a pid
// names one process for the life of the system.
#pragma once

#include <cstddef>
#include <cstdint>

constexpr size_t PROCFS_NAME_SIZE = 32;            // comm, NUL-terminated
constexpr size_t PROCFS_COMMAND_LINE_SIZE = 512;   // argv as kept at exec
constexpr size_t PROCFS_EXECUTABLE_SIZE = 128;     // the program's path at exec

struct ProcessSnapshot {
    int pid = 0;
    int parent_pid = 0;  // 0: started or adopted by the kernel
    int process_group = 0;
    int session = 0;
    // Its controlling terminal's device number (tty_nr, 0: none) and that
    // terminal's foreground group (tpgid, -1: none).
    uint32_t terminal_device = 0;
    int terminal_foreground_group = -1;
    char state = 'R';    // Linux's letters: R running or runnable, S sleeping, T stopped, Z zombie
    char name[PROCFS_NAME_SIZE] = {};
    uint32_t uid = 0, gid = 0;
    uint32_t umask = 0;
    bool has_memory = false;      // false for a zombie: its address space is gone
    uint32_t resident_pages = 0;  // mapped user pages; all are resident (no swap)
    uint64_t user_time_ms = 0;    // CPU time its threads have used, in the program
    uint64_t system_time_ms = 0;  // ... and in the kernel for it
    uint32_t thread_count = 1;    // its threads (a zombie counts one, as on Linux)
    uint64_t start_time_ms = 0;   // since boot
    // bit (signal - 1): pending, blocked, ignored (SIG_IGN) and caught (a handler)
    uint64_t pending_signals = 0, blocked_signals = 0, ignored_signals = 0, caught_signals = 0;
    int wait_status = 0;          // a zombie's, as wait4 reports it
    // argv as the last exec saw it, each argument NUL-terminated; empty for
    // a zombie (as on Linux, which reads it from the memory that is gone).
    size_t command_line_length = 0;
    char command_line[PROCFS_COMMAND_LINE_SIZE] = {};
    char executable[PROCFS_EXECUTABLE_SIZE] = {};  // "" when unknown
};

struct MemorySnapshot {
    uint64_t total_kib = 0;        // RAM the page allocator manages
    uint64_t free_kib = 0;
    uint64_t buffers_kib = 0;      // blocks in the buffer cache
    uint64_t cached_kib = 0;       // pages of file data in the page cache
    uint64_t dirty_kib = 0;        // of those, newer than the disk
    uint64_t writeback_kib = 0;    // of those, being written right now
    uint64_t kernel_heap_kib = 0;  // kmalloc'ed bytes in use (Linux's "Slab" is the nearest)
};

// One PCI function as /proc/bus/pci shows it (Linux: drivers/pci/proc.c).
constexpr size_t PROCFS_PCI_CONFIG_SIZE = 256;     // conventional PCI's configuration space
constexpr size_t PROCFS_PCI_RESOURCES = 7;         // six BARs and the expansion ROM
constexpr size_t PROCFS_PCI_DRIVER_NAME_SIZE = 32;

struct PciFunctionSnapshot {
    uint8_t bus = 0, device = 0, function = 0;
    uint16_t vendor_id = 0, device_id = 0;
    uint32_t irq = 0;  // 0: none
    // Start | the BAR's low flag bits (I/O 0x1; memory type and prefetch
    // 0x8), as Linux prints them; 0 for an unused resource. Sizes in bytes.
    uint64_t resource_start[PROCFS_PCI_RESOURCES] = {};
    uint64_t resource_size[PROCFS_PCI_RESOURCES] = {};
    char driver[PROCFS_PCI_DRIVER_NAME_SIZE] = {};  // "" when no driver took it
};

namespace procfs_sources {

bool snapshot_process(int pid, ProcessSnapshot& out);
int next_pid(int at_least);
int current_pid();
MemorySnapshot memory();
uint64_t uptime_ms();
uint64_t idle_ms();
const char* kernel_version();
int pci_function_count();
bool snapshot_pci_function(int index, PciFunctionSnapshot& out);
bool read_pci_config(int index, uint8_t* config);

}  // namespace procfs_sources
