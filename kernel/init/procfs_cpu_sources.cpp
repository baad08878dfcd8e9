// kernel/init/procfs_cpu_sources.cpp -- the CPU's answers to procfs: its
// time and counters (/proc/stat, /proc/loadavg) and its CPUID (/proc/cpuinfo).
//
// Layer: init, the top floor (it may include any layer; nothing includes it).
// Implements cpu_statistics() and cpu_identity() of fs/procfs/procfs_sources.h
// from the scheduler's tick sums, the interrupt counters, the clocks and the
// CPUID instruction.
//
// Must stay true: the counters only ever grow, so two reads of /proc/stat
// never show time going backwards. The TSC frequency is measured once,
// against the timer, and is 0 (unknown: "cpu MHz" is left out) when it
// cannot be measured -- no TSC, or asked with interrupts off.
#include "fs/procfs/procfs_sources.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/string.h"
#include "kernel/proc/process.h"
#include "kernel/sched/scheduler.h"
#include "kernel/time/monotonic_clock.h"
#include "kernel/time/wall_clock.h"

namespace {

struct CpuidRegisters {
    uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

CpuidRegisters cpuid(uint32_t leaf, uint32_t subleaf = 0) {
    CpuidRegisters r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

uint64_t read_time_stamp_counter() {
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return uint64_t(high) << 32 | low;
}

void milliseconds_of_ticks(uint64_t ticks, uint64_t& out) { out = ticks * 1000 / monotonic_clock::TICKS_PER_SECOND; }

void count_thread(const Thread& thread, void* context) {
    auto& statistics = *static_cast<CpuStatisticsSnapshot*>(context);
    if (thread.id == 0 || thread.state == ThreadState::Dead) return;  // the idle thread is not a task
    ++statistics.threads;
    if (thread.state == ThreadState::Runnable) ++statistics.threads_runnable;
}

void find_newest_pid(Process& process, void* context) {
    int& newest = *static_cast<int*>(context);
    if (process.pid > newest) newest = process.pid;
}

// Counts TSC cycles across MEASURE_TICKS timer ticks, from one tick's edge.
uint32_t measure_tsc_khz() {
    constexpr uint64_t MEASURE_TICKS = 20;
    if (!cpu::interrupts_enabled()) return 0;  // the clock would not move
    uint64_t start_tick = monotonic_clock::ticks();
    while (monotonic_clock::ticks() == start_tick) asm volatile("pause");
    uint64_t first_tick = monotonic_clock::ticks(), first_cycles = read_time_stamp_counter();
    while (monotonic_clock::ticks() < first_tick + MEASURE_TICKS) asm volatile("pause");
    uint64_t cycles = read_time_stamp_counter() - first_cycles;
    uint64_t milliseconds = MEASURE_TICKS * 1000 / monotonic_clock::TICKS_PER_SECOND;
    return uint32_t(cycles / milliseconds);
}

void copy_register_text(char* out, const CpuidRegisters& r) {
    klib::memcpy(out, &r.eax, 4);
    klib::memcpy(out + 4, &r.ebx, 4);
    klib::memcpy(out + 8, &r.ecx, 4);
    klib::memcpy(out + 12, &r.edx, 4);
}

// The brand string, with the leading spaces some CPUs pad it with removed
// (as Linux's get_model_name does).
void read_model_name(CpuIdentity& identity) {
    char brand[49] = {};
    for (uint32_t i = 0; i < 3; ++i) copy_register_text(brand + 16 * i, cpuid(0x80000002 + i));
    const char* start = brand;
    while (*start == ' ') ++start;
    klib::strlcpy(identity.model_name, start, sizeof identity.model_name);
}

void read_extended_leaves(CpuIdentity& identity) {
    identity.max_extended_leaf = cpuid(0x80000000).eax;
    if (identity.max_extended_leaf < 0x80000001 || identity.max_extended_leaf > 0x8000ffff) {
        identity.max_extended_leaf = 0;
        return;
    }
    CpuidRegisters extended = cpuid(0x80000001);
    identity.extended_ecx = extended.ecx;
    identity.extended_edx = extended.edx;
    if (identity.max_extended_leaf >= 0x80000004) read_model_name(identity);
    if (identity.max_extended_leaf >= 0x80000006) identity.l2_cache_kib = cpuid(0x80000006).ecx >> 16;
    if (identity.max_extended_leaf >= 0x80000008) identity.address_sizes = cpuid(0x80000008).eax;
}

}  // namespace

namespace procfs_sources {

CpuStatisticsSnapshot cpu_statistics() {
    CpuStatisticsSnapshot statistics;
    scheduler::TickTotals ticks = scheduler::tick_totals();
    milliseconds_of_ticks(ticks.user, statistics.user_ms);
    milliseconds_of_ticks(ticks.system, statistics.system_ms);
    milliseconds_of_ticks(ticks.idle, statistics.idle_ms);
    // Linux's total counts the devices' interrupts, not exceptions nor int 0x80.
    for (int vector = interrupts::IRQ_BASE_VECTOR; vector < 256; ++vector)
        if (vector != interrupts::SYSCALL_VECTOR) statistics.interrupts += interrupts::count(vector);
    for (size_t irq = 0; irq < PROCFS_IRQ_COUNT; ++irq)
        statistics.irq_counts[irq] = interrupts::count(interrupts::IRQ_BASE_VECTOR + int(irq));
    statistics.context_switches = scheduler::context_switch_count();
    statistics.boot_time_seconds = wall_clock::realtime().seconds - int64_t(monotonic_clock::uptime_ms() / 1000);
    statistics.threads_created = scheduler::threads_created();
    scheduler::for_each_thread(count_thread, &statistics);
    for_each_process(find_newest_pid, &statistics.newest_pid);
    return statistics;
}

CpuIdentity cpu_identity() {
    static uint32_t tsc_khz = 0;
    CpuIdentity identity;
    CpuidRegisters leaf0 = cpuid(0);
    identity.max_basic_leaf = leaf0.eax;
    klib::memcpy(identity.vendor, &leaf0.ebx, 4);  // the vendor is ebx, edx, ecx
    klib::memcpy(identity.vendor + 4, &leaf0.edx, 4);
    klib::memcpy(identity.vendor + 8, &leaf0.ecx, 4);
    if (identity.max_basic_leaf >= 1) {
        CpuidRegisters leaf1 = cpuid(1);
        identity.signature = leaf1.eax;
        identity.leaf1_ebx = leaf1.ebx;
        identity.leaf1_ecx = leaf1.ecx;
        identity.leaf1_edx = leaf1.edx;
    }
    if (identity.max_basic_leaf >= 7) {
        CpuidRegisters leaf7 = cpuid(7, 0);
        identity.leaf7_ebx = leaf7.ebx;
        identity.leaf7_ecx = leaf7.ecx;
        identity.leaf7_edx = leaf7.edx;
    }
    read_extended_leaves(identity);
    identity.write_protect = cpu::read_cr0() & (1u << 16);
    constexpr uint32_t TSC_FEATURE = 1u << 4;
    if (tsc_khz == 0 && (identity.leaf1_edx & TSC_FEATURE)) tsc_khz = measure_tsc_khz();
    identity.tsc_khz = tsc_khz;
    return identity;
}

}  // namespace procfs_sources
