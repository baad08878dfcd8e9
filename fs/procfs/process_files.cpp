// fs/procfs/process_files.cpp -- the files of /proc/<pid>.
//
// Layer: concrete file system (Linux: fs/proc/array.c -- do_task_stat,
// proc_pid_status; fs/proc/base.c -- proc_pid_cmdline_read, proc_exe_link,
// the tgid_base_stuff table). Each generator takes one snapshot of the
// process through procfs_sources and prints it in Linux's format (proc(5)):
// what the kernel keeps is filled in, every other field is 0, in its place,
// so that tools written for Linux find each field where they expect it.
//
// Clock ticks: Linux counts times in /proc/<pid>/stat in USER_HZ = 100 ticks
// per second, whatever the kernel's own timer rate; so do we (the PIT runs
// at 1000 Hz: one tick here is 10 ms).
#include "fs/procfs/procfs_internal.h"
#include "fs/procfs/procfs_sources.h"
#include "fs/vfs/file_mode.h"

namespace {

constexpr uint64_t USER_HZ = 100;
constexpr uint64_t PAGE_KIB = 4;
constexpr int SIGCHLD_NUMBER = 17;  // the exit signal a fork()ed child sends its parent

uint64_t to_clock_ticks(uint64_t milliseconds) { return milliseconds / (1000 / USER_HZ); }

Result<void> take_snapshot(int pid, ProcessSnapshot& snapshot) {
    if (!procfs_sources::snapshot_process(pid, snapshot)) return Error{ESRCH};
    return {};
}

const char* state_description(char state) {
    switch (state) {
        case 'R': return "R (running)";
        case 'S': return "S (sleeping)";
        case 'T': return "T (stopped)";
        case 'Z': return "Z (zombie)";
        default: return "S (sleeping)";
    }
}

// Fields 1-24 of /proc/<pid>/stat: identity, state, times and memory.
void print_stat_head(const ProcessSnapshot& process, ProcfsText& text) {
    // pid (comm) state ppid pgrp session tty_nr tpgid flags
    text.print("%d (%s) %c %d %d %d %u %d 0 ", process.pid, process.name, process.state, process.parent_pid,
               process.process_group, process.session, unsigned(process.terminal_device),
               process.terminal_foreground_group);
    // minflt cminflt majflt cmajflt utime stime cutime cstime (no fault counts kept)
    text.print("0 0 0 0 %llu %llu 0 0 ", static_cast<unsigned long long>(to_clock_ticks(process.user_time_ms)),
               static_cast<unsigned long long>(to_clock_ticks(process.system_time_ms)));
    // priority nice num_threads itrealvalue starttime vsize rss
    uint64_t resident = process.has_memory ? process.resident_pages : 0;
    text.print("20 0 %u 0 %llu %llu %llu", process.thread_count, static_cast<unsigned long long>(to_clock_ticks(process.start_time_ms)),
               static_cast<unsigned long long>(resident * PAGE_KIB * 1024),
               static_cast<unsigned long long>(resident));
}

// Fields 25-52: limits, addresses and scheduling details this kernel does
// not keep are 0; the signal masks and the exit signal and code are real.
void print_stat_tail(const ProcessSnapshot& process, ProcfsText& text) {
    // rsslim startcode endcode startstack kstkesp kstkeip
    text.append(" 0 0 0 0 0 0");
    // signal blocked sigignore sigcatch (the first 32 signals, decimal)
    text.print(" %u %u %u %u", unsigned(process.pending_signals & 0xffffffffu),
               unsigned(process.blocked_signals & 0xffffffffu), unsigned(process.ignored_signals & 0xffffffffu),
               unsigned(process.caught_signals & 0xffffffffu));
    // wchan nswap cnswap exit_signal processor rt_priority policy
    text.print(" 0 0 0 %d 0 0 0", SIGCHLD_NUMBER);
    // delayacct_blkio_ticks guest_time cguest_time start_data end_data
    // start_brk arg_start arg_end env_start env_end exit_code
    text.print(" 0 0 0 0 0 0 0 0 0 0 %d\n", process.state == 'Z' ? process.wait_status : 0);
}

Result<void> generate_stat(const ProcfsContext& context, ProcfsText& text) {
    ProcessSnapshot process;
    TRY(take_snapshot(context.pid, process));
    print_stat_head(process, text);
    print_stat_tail(process, text);
    return {};
}

Result<void> generate_status(const ProcfsContext& context, ProcfsText& text) {
    ProcessSnapshot process;
    TRY(take_snapshot(context.pid, process));
    text.print("Name:\t%s\nUmask:\t%04o\nState:\t%s\n", process.name, process.umask,
               state_description(process.state));
    text.print("Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", process.pid, process.pid,
               process.parent_pid);
    // real, effective, saved and file-system ids: one pair is all we keep
    text.print("Uid:\t%u\t%u\t%u\t%u\n", process.uid, process.uid, process.uid, process.uid);
    text.print("Gid:\t%u\t%u\t%u\t%u\n", process.gid, process.gid, process.gid, process.gid);
    if (process.has_memory) {
        // Every page is mapped eagerly and stays in memory: size == resident.
        unsigned long long kib = uint64_t(process.resident_pages) * PAGE_KIB;
        text.print("VmSize:\t%8llu kB\nVmRSS:\t%8llu kB\n", kib, kib);
    }
    text.print("Threads:\t%u\n", process.thread_count);
    text.print("SigPnd:\t%016llx\nSigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
               static_cast<unsigned long long>(process.pending_signals),
               static_cast<unsigned long long>(process.blocked_signals),
               static_cast<unsigned long long>(process.ignored_signals),
               static_cast<unsigned long long>(process.caught_signals));
    return {};
}

Result<void> generate_command_line(const ProcfsContext& context, ProcfsText& text) {
    ProcessSnapshot process;
    TRY(take_snapshot(context.pid, process));
    if (process.has_memory) text.append(process.command_line, process.command_line_length);
    return {};
}

Result<void> generate_name(const ProcfsContext& context, ProcfsText& text) {
    ProcessSnapshot process;
    TRY(take_snapshot(context.pid, process));
    text.print("%s\n", process.name);
    return {};
}

// The link's target. A zombie runs nothing any more: ENOENT, as on Linux.
Result<void> generate_executable_link(const ProcfsContext& context, ProcfsText& text) {
    ProcessSnapshot process;
    TRY(take_snapshot(context.pid, process));
    if (!process.has_memory || process.executable[0] == '\0') return Error{ENOENT};
    text.append(process.executable);
    return {};
}

}  // namespace

const ProcfsEntry PROCFS_PROCESS_ENTRIES[] = {
    {"cmdline", S_IFREG | 0444, generate_command_line},
    {"comm", S_IFREG | 0444, generate_name},
    {"exe", S_IFLNK | 0777, generate_executable_link},
    {"stat", S_IFREG | 0444, generate_stat},
    {"status", S_IFREG | 0444, generate_status},
};
const size_t PROCFS_PROCESS_ENTRY_COUNT = sizeof(PROCFS_PROCESS_ENTRIES) / sizeof(PROCFS_PROCESS_ENTRIES[0]);
