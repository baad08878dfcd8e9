// kernel/sched/scheduler.h -- preemptive round-robin scheduling of threads.
//
// Layer: processes and scheduling. Runnable threads wait in one FIFO run
// queue; each runs for a time slice of TIME_SLICE_TICKS timer ticks, then the
// timer interrupt moves it to the back of the queue. A thread that blocks
// (wait queue, sleep, mutex) leaves the queue until something wakes it.
// When nothing is runnable the idle thread -- the boot flow itself, once
// initialize() has turned it into thread 0 -- halts the CPU until the next
// interrupt.
//
// Rules: block_current() and wake() need interrupts off (the caller holds an
// InterruptGuard around "check the condition, then sleep", which is what
// makes a wakeup between the two impossible to lose). Interrupt handlers may
// wake() threads but never block.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"
#include "kernel/sched/thread.h"

namespace scheduler {

constexpr uint32_t TIME_SLICE_TICKS = 5;  // 5 ms at 1000 Hz

// Makes the calling boot flow thread 0, "idle".
void initialize();

// Creates a thread that starts running entry(argument) with interrupts on.
// Returns ENOMEM when no stack or memory is left.
Result<Thread*> spawn(const char* name, void (*entry)(void*), void* argument);

Thread& current();

// Gives up the CPU to the next runnable thread, if any.
void yield();

// The current thread stops running until wake(). Caller has set nothing:
// this marks it Blocked; the caller must already have queued it somewhere
// a waker will find it. Interrupts must be off.
void block_current();

// Makes a blocked thread runnable (no effect on a runnable one).
void wake(Thread& thread);

// Sleeps for at least `milliseconds`.
void sleep_ms(uint64_t milliseconds);

// Adds the current thread to the timer's sleep list until `deadline_ms`
// (interrupts off; the caller then calls block_current()).
void arm_wake_deadline(uint64_t deadline_ms);
void disarm_wake_deadline(Thread& thread);

// The current thread ends; its stack is freed later by the idle thread.
[[noreturn]] void exit_current();

// From the timer interrupt: account the tick (to the program when it
// interrupted user mode, else to the kernel), wake sleepers whose deadline
// passed, and ask for preemption when the time slice is used up.
void on_timer_tick(uint64_t now_ms, bool in_user_mode);
// Called at the end of every tick with the time and whether the tick found
// the running thread in user mode (interrupts off); the process layer's
// interval timers use it. One hook; nullptr: none.
void set_tick_hook(void (*hook)(uint64_t now_ms, bool in_user_mode));

// From the end of every interrupt: switch threads if one should run now.
void preempt_if_needed();

// Has the current thread a signal to act on? Sleeps that a signal may cut
// short (pipes, wait4, the console) ask before each sleep and end with
// EINTR. The process layer, which owns signals, installs the check; until
// then (and in kernel threads) the answer is no.
bool signal_pending();
void set_signal_pending_check(bool (*check)(Thread& thread));

// The idle loop: frees dead threads' stacks and halts until an interrupt.
[[noreturn]] void run_idle_loop();

// Calls visit(thread) for every thread, interrupts off throughout.
void for_each_thread(void (*visit)(const Thread& thread, void* context), void* context);
uint32_t thread_count();
uint64_t context_switch_count();

// What every timer tick since boot found the CPU doing (/proc/stat's cpu
// line): running a program, running the kernel for a thread, or idle.
// Read-only sums, counted in on_timer_tick; and how many threads were ever
// created (the idle thread included: /proc/stat's "processes").
struct TickTotals {
    uint64_t user = 0, system = 0, idle = 0;
};
TickTotals tick_totals();
uint32_t threads_created();

}  // namespace scheduler
