// kernel/proc/process.h -- a running program.
//
// Layer: processes. A Process owns what a program sees: its address space,
// its open file descriptors, its working directory and credentials, and its
// program break. It runs on one or more threads (user_thread.h), each a
// kernel Thread that enters user mode to run the program and comes back
// into the kernel for every system call, interrupt and fault. (Linux: the
// thread group of task_structs sharing mm, files, fs, sighand, signal.)
//
// Life: create_process() (with the console on descriptors 0, 1 and 2) ->
// a program is loaded (program_loader.h) -> start_process() -> the program
// runs -> its last thread ends (user_thread.h) and end_current_process()
// makes it a zombie holding its wait status -> whoever waits (its parent,
// or the kernel for processes it started) collects the status and frees it.
//
// Locking: the process table, parent/child links and the thread list are
// guarded by InterruptGuard; the kernel runs on one CPU. Other threads
// read a process's fields only under InterruptGuard, copying what they need
// (/proc does, through kernel/init/procfs_sources.cpp), so a field longer than a
// word (the name, the command line) is changed under InterruptGuard too.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/file_descriptor_table.h"
#include "fs/vfs/file_mode.h"
#include "fs/vfs/path.h"
#include "kernel/lib/list.h"
#include "kernel/proc/address_space.h"
#include "kernel/proc/interval_timers.h"
#include "kernel/proc/resource_limits.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_thread.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/wait_queue.h"

enum class ProcessState : uint8_t { Running, Zombie };

namespace posix_timers {
struct Table;
}

// CPU time in timer ticks, split as the ticks found the CPU: in the
// program (user) or in the kernel on its behalf (system). Sampled, as
// Linux's tick accounting: a program that runs between ticks is not seen.
struct CpuTime {
    uint64_t user_ticks = 0;
    uint64_t system_ticks = 0;
};

constexpr size_t PROCESS_COMMAND_LINE_SIZE = 512;
constexpr size_t PROCESS_EXECUTABLE_PATH_SIZE = 128;

struct Process {
    int pid = 0;
    Process* parent = nullptr;  // nullptr: started by the kernel, which waits for it
    char name[32] = {};
    ProcessState state = ProcessState::Running;
    int wait_status = 0;  // Linux encoding: (code << 8) or the terminating signal

    AddressSpace* address_space = nullptr;
    FileDescriptorTable* files = nullptr;
    Path working_directory;
    Credentials credentials;
    uint32_t umask = 022;
    uint32_t break_start = 0;  // the end of the loaded image
    uint32_t break_end = 0;    // the current program break (brk)
    uint32_t next_mapping = 0x40000000;  // where mmap2 places the next anonymous mapping
    resource_limits::Limits limits;      // getrlimit/setrlimit; kept over execve

    // Job control (job_control.h): the process group and session, whether
    // the console is this process's controlling terminal, and whether it
    // ran execve since fork (then its parent's setpgid is EACCES).
    int process_group = 1;
    int session = 1;
    bool has_controlling_terminal = false;
    bool has_executed = false;
    // Stopped by a stop signal until SIGCONT or SIGKILL (signals.cpp); the
    // stop and the continue that wait4 with WUNTRACED / WCONTINUED has yet
    // to report, each once.
    bool stopped = false;
    int stop_signal = 0;
    bool stop_to_report = false;
    bool continue_to_report = false;
    SignalState signals;  // dispositions and signals sent to the process (signals.h)
    IntervalTimer timers[TIMER_KIND_COUNT];  // setitimer's, by TimerKind: interval_timers.h
    posix_timers::Table* posix_timers = nullptr;  // timer_create's (posix_timers.h); nullptr: none yet
    CpuTime cpu_time;           // of its threads that ended (cpu_time_of adds the live ones)
    CpuTime children_cpu_time;  // of the children it reaped, with theirs (times, getrusage)
    bool reaped_by_kernel = false; // an orphan: freed as soon as it exits
    int exit_signal = SIGCHLD;     // what its parent is sent when it ends (clone's low byte; 0: none)
    // Its execve or its end: a vfork parent sharing its memory may go on.
    bool memory_released = false;
    bool is_init = false;          // the first program (init=): signals.h protects it

    // For /proc/<pid>: when it started, and the program and arguments of its
    // last execve, copied then (Linux reads argv from the process's memory;
    // a copy is simpler, and a program that rewrites its argv is not shown).
    uint64_t start_time_ms = 0;     // since boot
    uint32_t command_line_length = 0;
    char command_line[PROCESS_COMMAND_LINE_SIZE] = {};  // argv, each NUL-terminated, cut to fit
    char executable_path[PROCESS_EXECUTABLE_PATH_SIZE] = {};  // "" when it did not fit

    // Its threads (user_thread.h), the first one first; empty once a zombie.
    klib::IntrusiveList<UserThread, &UserThread::group_node> threads;
    // exit_group or a fatal signal: every thread ends, and the process with this status.
    bool exiting = false;
    int group_exit_status = 0;
    // exit() of the first thread while others go on: the status the process
    // ends with if no exit_group comes (Linux reports the leader's).
    bool leader_exited = false;
    int leader_exit_status = 0;
    WaitQueue threads_changed;   // woken when one of its threads ends (execve waits for them)
    WaitQueue state_changed;     // woken when this process becomes a zombie
    WaitQueue children_changed;  // woken when one of its children does
    klib::ListNode table_node;
};

// A process with no program yet: the console open on 0, 1, 2 and the
// namespace root as working directory. ENOMEM, or the console's open error.
Result<Process*> create_process(const char* name, Process* parent);

// Starts the process's thread, which enters user mode at `entry` with the
// stack pointer `user_stack`. The process must have an address space.
Result<void> start_process(Process& process, uint32_t entry, uint32_t user_stack);

// The process of the running thread; nullptr in kernel threads.
Process* current_process();

// The calling thread is the last of its process (user_thread.h): ends the
// process (never returns): closes its files, frees its memory, keeps the
// wait status for whoever waits.
[[noreturn]] void end_current_process(int wait_status);

// A thread of `process` to look at for /proc (its first); nullptr for a zombie.
Thread* first_thread_of(Process& process);

// Sleeps until `process` is a zombie; returns its wait status and frees it.
int wait_for_and_reap(Process& process);

// fork(), and clone() without CLONE_THREAD: a copy of the calling process
// whose one thread returns to user mode through `frame` (a copy of the
// parent's system-call frame) with EAX = 0, as user_thread.h's
// start_prepared_thread describes (request: the stack, TLS and tid
// addresses). Its memory is shared copy-on-write (address_space.h), or,
// with CLONE_VM, shared itself. EAGAIN when the user has as many processes
// as allowed, ENOMEM when memory is short (resource_limits.h).
Result<Process*> fork_current_process(const struct InterruptFrame& frame, const CloneRequest& request);

// The process ran execve or ended: a vfork parent waiting for it goes on.
void release_vfork_parent(Process& process);

// Takes the next process/thread id. Interrupts off.
int allocate_process_id();

// wait4(): waits for a child matching `pid` (-1: any, 0: of the caller's
// process group, < -1: of group -pid) to end -- or, with WUNTRACED, to
// stop, with WCONTINUED to be continued; returns its pid and status (the
// ended child is freed), 0 with WNOHANG when nothing is to report, ECHILD
// without such a child, EINTR when a signal comes. waitid's options:
// WAIT_EXITED (wait4 always adds it) and WAIT_NO_REAP (WNOWAIT: report,
// and leave the child or its report to a later wait).
constexpr uint32_t WAIT_NO_HANG = 1, WAIT_UNTRACED = 2, WAIT_EXITED = 4, WAIT_CONTINUED = 8,
                   WAIT_NO_REAP = 0x01000000;
struct WaitResult {
    int pid;
    int status;
};
Result<WaitResult> wait_for_child(int pid, uint32_t options);

// The CPU time `process` has used so far: its ended threads' and the
// live threads' counts.
CpuTime cpu_time_of(const Process& process);

// Calls visit(process) for every process, the table locked.
void for_each_process(void (*visit)(Process& process, void* context), void* context);
Process* find_process(int pid);

// Wait-status encodings, as Linux's wait4 reports them.
constexpr int exit_status(int code) { return (code & 0xFF) << 8; }
constexpr int killed_by_signal(int signal) { return signal & 0x7F; }
constexpr int stopped_by_signal(int signal) { return 0x7F | (signal & 0xFF) << 8; }
constexpr int CONTINUED_STATUS = 0xFFFF;

// Creates a process running the program at `path` (kernel strings; argv
// and envp NULL-terminated). The kernel monitor and init= use this; the
// caller waits with wait_for_and_reap().
// `as_init` marks the first program, which signals without a handler of
// its own do not end (signals.h). The program leads a session of its own,
// and the console, which the kernel opened for it (without O_NOCTTY),
// becomes its controlling terminal when no other session has it -- the
// rule of Linux's open() (job_control.h).
Result<Process*> spawn_program(const char* path, const char* const* argv, const char* const* envp,
                               bool as_init = false);
