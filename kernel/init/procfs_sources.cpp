// kernel/init/procfs_sources.cpp -- the kernel's answers to procfs's questions.
//
// Layer: init, the top floor (it may include any layer; nothing includes it).
// Implements fs/procfs/procfs_sources.h (the seam that
// lets procfs build on the host too) from the process table, the threads,
// the page allocator, the kernel heap, the buffer cache, the timer and the
// PCI bus.
//
// Must stay true: everything about a process is copied inside one
// InterruptGuard, the same guard that keeps the process table and under
// which a process becomes a zombie and is freed. So a snapshot is never
// half of a process that was changing, and no pointer to a process leaves
// this file.
#include "fs/procfs/procfs_sources.h"

#include "drivers/pci/pci.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/proc/job_control.h"
#include "kernel/proc/process.h"
#include "kernel/sched/scheduler.h"
#include "kernel/storage/storage.h"
#include "kernel/time/monotonic_clock.h"
#include "kernel/version.h"

static_assert(sizeof(Process::name) <= PROCFS_NAME_SIZE);
static_assert(PROCESS_COMMAND_LINE_SIZE <= PROCFS_COMMAND_LINE_SIZE);
static_assert(PROCESS_EXECUTABLE_PATH_SIZE <= PROCFS_EXECUTABLE_SIZE);

namespace {

// Linux's letters: a zombie is Z; a live process is R while its thread
// runs or waits for the CPU, S while it is blocked (in a wait queue), T
// while a stop signal keeps it stopped.
// /dev/console's device number as stat's tty_nr encodes it: major 5, minor 1.
constexpr uint32_t CONSOLE_DEVICE_NUMBER = 5 << 8 | 1;

char state_letter(const Process& process) {
    if (process.state == ProcessState::Zombie) return 'Z';
    if (process.stopped) return 'T';  // stopped by a signal (job control)
    const UserThread* first = process.threads.front();
    if (first != nullptr && first->thread->state == ThreadState::Blocked) return 'S';
    return 'R';
}

// Interrupts are off: nothing here may sleep or allocate.
void copy_process_locked(const Process& process, ProcessSnapshot& out) {
    out.pid = process.pid;
    out.parent_pid = process.parent ? process.parent->pid : 0;
    out.process_group = process.process_group;
    out.session = process.session;
    if (process.has_controlling_terminal) {
        out.terminal_device = CONSOLE_DEVICE_NUMBER;
        out.terminal_foreground_group = console_foreground_group();
    }
    out.state = state_letter(process);
    klib::strlcpy(out.name, process.name, sizeof out.name);
    out.uid = process.credentials.uid;
    out.gid = process.credentials.gid;
    out.umask = process.umask;
    out.has_memory = process.address_space != nullptr;
    out.resident_pages = out.has_memory ? process.address_space->mapped_pages() : 0;
    CpuTime used = cpu_time_of(process);
    out.user_time_ms = used.user_ticks * 1000 / monotonic_clock::TICKS_PER_SECOND;
    out.system_time_ms = used.system_ticks * 1000 / monotonic_clock::TICKS_PER_SECOND;
    out.thread_count = process.threads.empty() ? 1 : uint32_t(process.threads.size());
    out.start_time_ms = process.start_time_ms;
    // As Linux's status: the pending and blocked signals of its first thread.
    const UserThread* first = process.threads.front();
    out.pending_signals = first ? pending_signals_of(*first) : process.signals.pending;
    out.blocked_signals = first ? first->signals.blocked : 0;
    for (int signal = 1; signal <= SIGNAL_COUNT; ++signal) {
        uint32_t handler = process.signals.actions[signal - 1].handler;
        if (handler == SIG_IGN) out.ignored_signals |= signal_bit(signal);
        else if (handler != SIG_DFL) out.caught_signals |= signal_bit(signal);
    }
    out.wait_status = process.wait_status;
    out.command_line_length = process.command_line_length;
    klib::memcpy(out.command_line, process.command_line, process.command_line_length);
    klib::strlcpy(out.executable, process.executable_path, sizeof out.executable);
}

void find_idle_thread_time(const Thread& thread, void* context) {
    if (thread.id == 0) *static_cast<uint64_t*>(context) = thread.ticks_run;
}

}  // namespace

namespace procfs_sources {

bool snapshot_process(int pid, ProcessSnapshot& out) {
    InterruptGuard atomic;
    Process* process = find_process(pid);
    if (process == nullptr) return false;
    copy_process_locked(*process, out);
    return true;
}

int next_pid(int at_least) {
    struct Search {
        int at_least;
        int found;
    } search{at_least, 0};
    for_each_process(
        [](Process& process, void* context) {
            auto& wanted = *static_cast<Search*>(context);
            if (process.pid >= wanted.at_least && (wanted.found == 0 || process.pid < wanted.found))
                wanted.found = process.pid;
        },
        &search);
    return search.found;
}

int current_pid() {
    Process* process = current_process();
    return process ? process->pid : 0;
}

MemorySnapshot memory() {
    physical_allocator::Statistics pages = physical_allocator::statistics();
    MemorySnapshot memory;
    memory.total_kib = uint64_t(pages.total_pages) * 4;
    memory.free_kib = uint64_t(pages.free_pages) * 4;
    memory.buffers_kib = storage::buffer_cache().statistics().bytes_cached / 1024;
    PageCacheStatistics cache = storage::page_cache().statistics();
    memory.cached_kib = uint64_t(cache.pages) * (PAGE_CACHE_PAGE_SIZE / 1024);
    memory.dirty_kib = uint64_t(cache.dirty) * (PAGE_CACHE_PAGE_SIZE / 1024);
    memory.writeback_kib = uint64_t(cache.writeback) * (PAGE_CACHE_PAGE_SIZE / 1024);
    memory.kernel_heap_kib = kmalloc_statistics().bytes_in_use / 1024;
    return memory;
}

uint64_t uptime_ms() { return monotonic_clock::uptime_ms(); }

uint64_t idle_ms() {
    uint64_t idle_ticks = 0;
    scheduler::for_each_thread(find_idle_thread_time, &idle_ticks);
    return idle_ticks * 1000 / monotonic_clock::TICKS_PER_SECOND;
}

const char* kernel_version() {
    static char line[160];
    if (line[0] == '\0')
        klib::format(line, sizeof line, "%s version %s (gcc version %s) %s", ::kernel_version::SYSTEM_NAME,
                     ::kernel_version::RELEASE, __VERSION__, ::kernel_version::BUILD);
    return line;
}

int pci_function_count() { return pci::device_count(); }

// The list was made once at boot and never changes.
bool snapshot_pci_function(int index, PciFunctionSnapshot& out) {
    const pci::Device* device = pci::device_at(index);
    if (device == nullptr) return false;
    out.bus = device->address.bus;
    out.device = device->address.device;
    out.function = device->address.function;
    out.vendor_id = device->vendor_id;
    out.device_id = device->device_id;
    out.irq = device->interrupt_line == 0xFF ? 0 : device->interrupt_line;
    for (size_t i = 0; i < 6; ++i) {
        const pci::Bar& bar = device->bars[i];
        if (bar.kind == pci::Bar::Kind::None) continue;
        uint32_t flags = bar.kind == pci::Bar::Kind::Io ? 0x1 : (bar.prefetchable ? 0x8 : 0x0);
        out.resource_start[i] = uint64_t(bar.base) | flags;
        out.resource_size[i] = bar.size;
    }
    klib::strlcpy(out.driver, device->driver ? device->driver : "", sizeof out.driver);
    return true;
}

// Read now, so a status register shows its current value.
bool read_pci_config(int index, uint8_t* config) {
    const pci::Device* device = pci::device_at(index);
    if (device == nullptr) return false;
    for (size_t offset = 0; offset < PROCFS_PCI_CONFIG_SIZE; offset += 4) {
        uint32_t value = pci::read32(device->address, uint8_t(offset));
        for (size_t byte = 0; byte < 4; ++byte) config[offset + byte] = uint8_t(value >> (8 * byte));
    }
    return true;
}

}  // namespace procfs_sources
