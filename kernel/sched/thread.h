// kernel/sched/thread.h -- a kernel thread: a stack, saved registers, a state.
//
// Layer: processes and scheduling. A Thread is the unit the scheduler runs.
// Its kernel stack comes from kernel_stacks (with a guard page below); when
// it is not running, its callee-saved registers are on that stack and
// saved_stack_pointer points at them (see context_switch.asm).
//
// Lifetime: created by scheduler::spawn, deleted by the idle thread after
// it died; a Thread* must not be kept past the thread's exit.
//
// Field ownership: everything here is changed only with interrupts off, by
// the scheduler, a wait queue or the thread itself.
#pragma once

#include <cstdint>

#include "kernel/arch/x86/fpu.h"
#include "kernel/lib/list.h"
#include "kernel/mm/kernel_stacks.h"

enum class ThreadState : uint8_t {
    Runnable,  // in the run queue, or running (the current thread)
    Blocked,   // in a wait queue and/or the sleep list, waiting for wake()
    Dead,      // finished; its stack is freed by the reaper, not by itself
};

const char* thread_state_name(ThreadState state);

struct Thread;

// One waiter on one WaitQueue (Linux: wait_queue_entry). A thread that
// sleeps in one queue uses its own entry (Thread::wait_entry); poll() and
// select() put one entry of their own on each queue they watch, so one
// thread can wait on several queues at once. A wake takes the entry off
// its queue, sets `woken` and wakes `thread`.
struct WaitEntry {
    klib::ListNode node;
    Thread* thread = nullptr;
    bool woken = false;
};
using WaitList = klib::IntrusiveList<WaitEntry, &WaitEntry::node>;

struct Thread {
    uint32_t id = 0;
    char name[24] = {};
    ThreadState state = ThreadState::Runnable;
    uint32_t saved_stack_pointer = 0;
    kernel_stacks::Stack stack = {0, 0};

    // The run queue's link.
    klib::ListNode queue_node;
    // Its entry for a plain sleep on one wait queue, and the queue's list
    // holding it while Blocked there (else nullptr), so that a timeout or a
    // signal's wake() can take the thread out of it. (poll's entries are
    // the poller's own: fs/vfs/poll.h.)
    WaitEntry wait_entry;
    WaitList* wait_list = nullptr;
    // The list of all threads, for `threads` and the reaper.
    klib::ListNode all_threads_node;
    // The timer's sleep list, while waiting with a deadline.
    klib::ListNode sleep_node;
    uint64_t wake_deadline_ms = 0;
    bool woken_by_timeout = false;

    uint64_t ticks_run = 0;        // timer ticks spent running
    uint64_t user_ticks = 0;       // of them, ticks that found it in user mode
    uint32_t slice_ticks_left = 0; // of the current time slice

    void (*entry)(void* argument) = nullptr;
    void* argument = nullptr;

    // For a thread that runs a user program: its process and the page
    // directory to load when it is switched in (0: the kernel's own).
    struct Process* process = nullptr;
    struct UserThread* user_thread = nullptr;  // its part of the process (kernel/proc/user_thread.h)
    uint32_t page_directory_physical = 0;
    // While in a system call: the frame that returns to user mode.
    struct InterruptFrame* user_frame = nullptr;
    // Its thread-local storage segment (set_thread_area), loaded on switch.
    uint32_t tls_base = 0, tls_limit_pages = 0;
    bool tls_present = false;
    // A user thread's x87/SSE registers while it is switched out (fpu.h);
    // nullptr for kernel threads, which never use them. Owned by the thread.
    fpu::State* fpu_state = nullptr;
};

// The running thread; nullptr before the scheduler starts (early boot).
Thread* current_thread_or_null();
