// kernel/proc/user_thread.h -- the threads of a process.
//
// Layer: processes. A Process (process.h) is a thread group: one address
// space, one file table, one working directory, one set of signal
// dispositions, shared by one or more UserThreads. Each UserThread runs on
// a kernel Thread (kernel/sched/thread.h) and has what Linux keeps per
// task: its thread id, its signal mask and the signals sent to it alone
// (signals.h), its TLS segment (on the kernel Thread, switched on every
// context switch), the address clear_child_tid that set_tid_address and
// CLONE_CHILD_CLEARTID name, and its robust futex list (futex.h).
//
// Ids: the first thread's id is the process's pid (getpid); every new
// thread takes the next number of the same counter (gettid), as Linux.
//
// Life of a thread:
//   clone(CLONE_THREAD | CLONE_VM | ...) -> create_thread() makes it, on a
//   stack the caller gave, returning 0 in EAX like fork's child;
//   exit() ends one thread: exit_current_thread(); the last one out ends
//   the process, which becomes a zombie (process.h);
//   exit_group(), a fatal signal, or execve in another thread end every
//   other thread: they are marked `must_exit` and woken, and each ends
//   itself on its way back to user mode (or out of its interrupted sleep),
//   as Linux's zap_other_threads.
// At a thread's end the kernel writes 0 to clear_child_tid and wakes one
// futex waiter there (what pthread_join sleeps on), and marks the futexes
// the thread still held in its robust list FUTEX_OWNER_DIED.
//
// Locking: a process's thread list and a thread's fields other than its
// own signal state are changed with interrupts off (InterruptGuard); the
// kernel runs on one CPU.
#pragma once

#include <cstdint>

#include "kernel/arch/x86/fpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/list.h"
#include "kernel/lib/result.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/thread_local_storage.h"

struct Process;
struct Thread;

struct UserThread {
    int tid = 0;
    Process* process = nullptr;
    Thread* thread = nullptr;
    ThreadSignalState signals;
    uint32_t clear_child_tid = 0;    // user address; 0: none
    uint32_t robust_list_head = 0;   // set_robust_list's struct robust_list_head; 0: none
    bool must_exit = false;          // exit_group, a fatal signal, another thread's execve
    bool ending = false;             // in exit_current_thread: no longer found by its id
    int scheduling_policy = 0;       // SCHED_OTHER, BATCH or IDLE as set: all run alike (syscall_sched.cpp)
    klib::ListNode group_node;       // in Process::threads
};

// The calling thread's; nullptr in kernel threads.
UserThread* current_user_thread();

// clone() for a new thread of the calling process, per the CLONE_* flags
// (Linux i386 values below): the thread starts from a copy of `frame` (the
// caller's system-call frame) with EAX = 0 and, when `stack` is not 0, ESP
// = stack. `tls` is a struct user_desc address (CLONE_SETTLS);
// parent_tid / child_tid the addresses CLONE_PARENT_SETTID, CLONE_CHILD_SETTID
// and CLONE_CHILD_CLEARTID use (the parent's id is stored before the thread
// can run). Returns the new thread's id.
// EINVAL for flag combinations Linux refuses, EAGAIN when the process is
// ending, ENOMEM.
constexpr uint32_t CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
                   CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000,
                   CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000,
                   CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000,
                   CLONE_DETACHED = 0x400000, CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000,
                   CLONE_EXIT_SIGNAL_MASK = 0xFF;
struct CloneRequest {
    uint32_t flags = 0;
    uint32_t stack = 0;
    uint32_t parent_tid = 0;
    uint32_t tls = 0;
    uint32_t child_tid = 0;
};
Result<int> create_thread(const InterruptFrame& frame, const CloneRequest& request);

// The first thread of a new process (start_process): `user` joins the
// process on `thread`, its kernel Thread, not yet run; the id is the
// process's pid. Interrupts off.
void attach_first_thread(Process& process, UserThread& user, Thread& thread);

// The new thread of a clone, in two steps, so that fork can make its
// child's first thread the same way: prepare (may sleep for memory: with
// interrupts on), then start with interrupts off, where the caller also
// makes the thread's process visible. A started thread runs from a copy of
// the frame with EAX = 0, on request.stack if not 0, with request's TLS
// (CLONE_SETTLS) or the caller's, and the caller's signal mask; it stores
// its id at request.child_tid first with CLONE_CHILD_SETTID.
struct ThreadStart {
    InterruptFrame frame;
    uint32_t child_tid_address;
    int tid;
};
struct PreparedThread {
    UserThread* user = nullptr;
    ThreadStart* start = nullptr;
    fpu::State* registers = nullptr;
    ThreadLocalStorage tls;
    CloneRequest request;
};
Result<PreparedThread> prepare_cloned_thread(const InterruptFrame& frame, const CloneRequest& request);
void discard_prepared_thread(PreparedThread& prepared);
Result<UserThread*> start_prepared_thread(PreparedThread& prepared, Process& process, int tid);

// exit(): ends the calling thread only (never returns); the process ends
// with the last of its threads, with `wait_status` unless the group is
// already ending with a status of its own.
[[noreturn]] void exit_current_thread(int wait_status);
// exit_group() and the signals that end a process: every thread ends, the
// process with `wait_status`. Never returns.
[[noreturn]] void exit_thread_group(int wait_status);
// execve: ends every other thread of the calling process and waits until
// they are gone; afterwards the caller is the process's only thread and
// takes its id (the pid), as on Linux. When another thread's execve or an
// exit_group got there first, the caller ends instead.
void end_other_threads();

// A thread of `process` by id; nullptr if none. Interrupts off.
UserThread* find_thread_in(Process& process, int tid);
// A thread of any process by id (tkill); nullptr if none. Interrupts off.
UserThread* find_thread(int tid);
