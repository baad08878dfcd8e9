// fs/procfs/cpu_files.cpp -- /proc/stat, /proc/cpuinfo and /proc/loadavg:
// the one CPU, in Linux's formats.
//
// Layer: concrete file system (Linux: fs/proc/stat.c show_stat,
// arch/x86/kernel/cpu/proc.c show_cpuinfo, fs/proc/loadavg.c). The numbers
// come through procfs_sources (cpu_statistics, cpu_identity); this file only
// formats them, so it builds and is tested on the host too.
//
// What must stay true, as readers (procps, busybox top, glibc's get_nprocs)
// rely on it:
//   - /proc/stat's "cpu" line (two spaces after the name) and "cpu0" carry
//     ten counters in USER_HZ = 100 ticks: user nice system idle iowait irq
//     softirq steal guest guest_nice. With one CPU both lines agree. This
//     kernel has no nice levels, no I/O-wait or interrupt-time accounting and
//     no guests, so those read 0; interrupts run on the interrupted thread's
//     time, as Linux's tick accounting without IRQ_TIME_ACCOUNTING does.
//   - /proc/cpuinfo has one "processor : 0" block; flags carry Linux's names
//     (arch/x86/include/asm/cpufeatures.h) of the CPUID bits, in Linux's
//     order; the flags Linux synthesizes itself (constant_tsc, cpuid, ...) and
//     the ones it hides are not shown. "cpu MHz" appears only when the TSC
//     was measured; bogomips is then 2 * MHz, as Linux computes it from the
//     TSC, and without it the calibration this kernel does not run is not
//     faked: bogomips reads 0.00.
//   - /proc/loadavg: no load sampler runs, so the three averages read 0.00;
//     the runnable/all threads and the newest pid are real.
#include "fs/procfs/procfs_internal.h"
#include "fs/procfs/procfs_sources.h"

namespace {

using u64 = unsigned long long;  // what %llu expects, on the host as in the kernel

constexpr uint64_t USER_HZ = 100;
u64 user_hz_ticks(uint64_t milliseconds) { return u64(milliseconds * USER_HZ / 1000); }

// --- /proc/stat --------------------------------------------------------------------------

void print_cpu_line(ProcfsText& text, const char* name, const CpuStatisticsSnapshot& s) {
    // user nice system idle iowait irq softirq steal guest guest_nice
    text.print("%s %llu 0 %llu %llu 0 0 0 0 0 0\n", name, user_hz_ticks(s.user_ms), user_hz_ticks(s.system_ms),
               user_hz_ticks(s.idle_ms));
}

}  // namespace

Result<void> generate_procfs_stat(const ProcfsContext& /*context*/, ProcfsText& text) {
    CpuStatisticsSnapshot s = procfs_sources::cpu_statistics();
    print_cpu_line(text, "cpu ", s);
    print_cpu_line(text, "cpu0", s);
    text.print("intr %llu", u64(s.interrupts));
    for (uint64_t count : s.irq_counts) text.print(" %llu", u64(count));
    text.print("\nctxt %llu\nbtime %lld\nprocesses %u\n", u64(s.context_switches),
               (long long)s.boot_time_seconds, s.threads_created);
    // procs_blocked counts Linux's tasks in I/O wait; this kernel does not
    // tell an I/O sleep from any other, so it claims none.
    text.print("procs_running %u\nprocs_blocked 0\n", s.threads_runnable);
    text.append("softirq 0 0 0 0 0 0 0 0 0 0 0\n");  // no softirqs: total and Linux's ten kinds
    return {};
}

// --- /proc/loadavg ------------------------------------------------------------------------

Result<void> generate_procfs_loadavg(const ProcfsContext& /*context*/, ProcfsText& text) {
    CpuStatisticsSnapshot s = procfs_sources::cpu_statistics();
    text.print("0.00 0.00 0.00 %u/%u %d\n", s.threads_runnable, s.threads, s.newest_pid);
    return {};
}

namespace {

// --- /proc/cpuinfo ------------------------------------------------------------------------

// Linux's names for the bits of one CPUID register; nullptr: unnamed, or
// hidden by Linux ("" in cpufeatures.h).
using FlagNames = const char* const[32];

FlagNames LEAF1_EDX = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", nullptr, "sep",
                       "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", nullptr, "dts", "acpi", "mmx",
                       "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
// 0x80000001 edx: only the bits that are not copies of leaf 1's.
FlagNames EXTENDED_EDX = {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                          nullptr, nullptr, nullptr, "syscall", nullptr, nullptr, nullptr, nullptr,
                          nullptr, nullptr, nullptr, "mp", "nx", nullptr, "mmxext", nullptr,
                          nullptr, "fxsr_opt", "pdpe1gb", "rdtscp", nullptr, "lm", "3dnowext", "3dnow"};
FlagNames LEAF1_ECX = {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3",
                       "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", nullptr, "pcid", "dca", "sse4_1", "sse4_2",
                       "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", nullptr, "avx", "f16c",
                       "rdrand", "hypervisor"};
FlagNames EXTENDED_ECX = {"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
                          "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", nullptr, "lwp", "fma4", "tce",
                          nullptr, "nodeid_msr", nullptr, "tbm", "topoext", "perfctr_core", "perfctr_nb", nullptr,
                          "bpext", "ptsc", "perfctr_llc", "mwaitx", nullptr, nullptr};
FlagNames LEAF7_EBX = {"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", nullptr, "smep", "bmi2", "erms",
                       "invpcid", "rtm", "cqm", nullptr, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx", "smap",
                       "avx512ifma", nullptr, "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er", "avx512cd",
                       "sha_ni", "avx512bw", "avx512vl"};
FlagNames LEAF7_ECX = {nullptr, "avx512vbmi", "umip", "pku", "ospke", "waitpkg", "avx512_vbmi2", nullptr, "gfni",
                       "vaes", "vpclmulqdq", "avx512_vnni", "avx512_bitalg", "tme", "avx512_vpopcntdq", nullptr,
                       "la57", nullptr, nullptr, nullptr, nullptr, nullptr, "rdpid", nullptr, "bus_lock_detect",
                       "cldemote", nullptr, "movdiri", "movdir64b", "enqcmd", "sgx_lc", nullptr};

void print_flags(ProcfsText& text, const char* const* names, uint32_t bits) {
    for (int bit = 0; bit < 32; ++bit)
        if ((bits & (1u << bit)) && names[bit] != nullptr) text.print(" %s", names[bit]);
}

// Family, model and stepping as Linux's x86_family/x86_model/x86_stepping
// decode leaf 1's eax.
void print_signature(ProcfsText& text, uint32_t signature) {
    uint32_t family = (signature >> 8) & 0xf, model = (signature >> 4) & 0xf;
    if (family == 0xf) family += (signature >> 20) & 0xff;
    if (family >= 6) model += ((signature >> 16) & 0xf) << 4;
    text.print("cpu family\t: %u\nmodel\t\t: %u\n", family, model);
}

void print_identity(ProcfsText& text, const CpuIdentity& cpu) {
    text.print("processor\t: 0\nvendor_id\t: %s\n", cpu.vendor);
    print_signature(text, cpu.signature);
    text.print("model name\t: %s\n", cpu.model_name[0] ? cpu.model_name : "unknown");
    text.print("stepping\t: %u\n", cpu.signature & 0xf);
    if (cpu.tsc_khz != 0) text.print("cpu MHz\t\t: %u.%03u\n", cpu.tsc_khz / 1000, cpu.tsc_khz % 1000);
    if (cpu.l2_cache_kib != 0) text.print("cache size\t: %u KB\n", cpu.l2_cache_kib);
    bool fpu = cpu.leaf1_edx & 1;
    // The 32-bit kernel's lines about old CPUs' bugs, none of which this kernel looks for or works around.
    text.append("fdiv_bug\t: no\nf00f_bug\t: no\ncoma_bug\t: no\n");
    text.print("fpu\t\t: %s\nfpu_exception\t: %s\n", fpu ? "yes" : "no", fpu ? "yes" : "no");
    text.print("cpuid level\t: %u\nwp\t\t: %s\n", cpu.max_basic_leaf, cpu.write_protect ? "yes" : "no");
}

void print_sizes(ProcfsText& text, const CpuIdentity& cpu) {
    uint32_t clflush = ((cpu.leaf1_ebx >> 8) & 0xff) * 8;
    uint32_t bogomips_hundredths = cpu.tsc_khz / 5;  // 2 * kHz / 1000, in hundredths
    text.print("bogomips\t: %u.%02u\n", bogomips_hundredths / 100, bogomips_hundredths % 100);
    if (clflush != 0) text.print("clflush size\t: %u\n", clflush);
    text.print("cache_alignment\t: %u\n", clflush != 0 ? clflush : 32);
    // Without leaf 0x80000008, what Linux assumes of a 32-bit CPU: 36 bits with PAE, else 32.
    uint32_t physical = cpu.address_sizes ? cpu.address_sizes & 0xff : ((cpu.leaf1_edx & (1u << 6)) ? 36 : 32);
    uint32_t virtual_bits = cpu.address_sizes ? (cpu.address_sizes >> 8) & 0xff : 32;
    text.print("address sizes\t: %u bits physical, %u bits virtual\n", physical, virtual_bits);
    text.append("power management:\n\n");
}

}  // namespace

Result<void> generate_procfs_cpuinfo(const ProcfsContext& /*context*/, ProcfsText& text) {
    CpuIdentity cpu = procfs_sources::cpu_identity();
    print_identity(text, cpu);
    text.append("flags\t\t:");
    print_flags(text, LEAF1_EDX, cpu.leaf1_edx);
    print_flags(text, EXTENDED_EDX, cpu.extended_edx);
    print_flags(text, LEAF1_ECX, cpu.leaf1_ecx);
    print_flags(text, EXTENDED_ECX, cpu.extended_ecx);
    print_flags(text, LEAF7_EBX, cpu.leaf7_ebx);
    print_flags(text, LEAF7_ECX, cpu.leaf7_ecx);
    text.append("\nbugs\t\t:\n");  // none looked for
    print_sizes(text, cpu);
    return {};
}
