// kernel/sched/wait_queue.h -- sleeping until something happens.
//
// Layer: processes and scheduling. A WaitQueue is a list of threads waiting
// for one kind of event (a line typed on the console, a disk request
// completing, a mutex released). The waiting side:
//
//     InterruptGuard guard;              // condition and sleep are atomic
//     while (!condition()) queue.sleep();
//
// or simply queue.wait_until([&] { return condition(); }). The waking side,
// often an interrupt handler, makes the condition true and calls wake_one()
// or wake_all(). Because the condition is checked with interrupts off and
// sleep() only returns after a wake, no wakeup is ever lost; because a woken
// thread re-checks the condition, spurious wakeups are harmless.
#pragma once

#include <cstdint>

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/wait_conditions.h"
#include "kernel/time/monotonic_clock.h"

class WaitQueue : public WaitConditions<WaitQueue> {
public:
    // Blocks the current thread until woken. Interrupts must be off.
    void sleep();
    // As sleep(), but also wakes at `deadline_ms` (monotonic_clock::uptime_ms() clock).
    // Returns false when it was the deadline that woke the thread.
    bool sleep_until(uint64_t deadline_ms);

    void wake_one();
    void wake_all();
    bool has_waiters() const { return !waiters_.empty(); }

    // wait_until(condition), wait_until_or_timeout(condition, ms): see
    // wait_conditions.h.
    static uint64_t now_ms() { return monotonic_clock::uptime_ms(); }
    // Should an interruptible sleep end now with EINTR? (scheduler.h)
    static bool signal_pending() { return scheduler::signal_pending(); }

private:
    klib::IntrusiveList<Thread, &Thread::queue_node> waiters_;
};
