// kernel/sched/wait_queue.h -- sleeping until something happens.
//
// Layer: processes and scheduling. A WaitQueue is a list of waiters for
// one kind of event (a line typed on the console, a disk request
// completing, a mutex released, data in a pipe). The waiting side:
//
//     InterruptGuard guard;              // condition and sleep are atomic
//     while (!condition()) queue.sleep();
//
// or simply queue.wait_until([&] { return condition(); }). The waking side,
// often an interrupt handler, makes the condition true and calls wake_one()
// or wake_all(). Because the condition is checked with interrupts off and
// sleep() only returns after a wake, no wakeup is ever lost; because a woken
// thread re-checks the condition, spurious wakeups are harmless.
//
// Waiters are WaitEntry records (thread.h): sleep() uses the thread's own
// entry; poll() and select() add entries of their own with add_entry() to
// every queue they watch, sleep once in sleep_on_entries(), and remove the
// entries again (Linux: add_wait_queue and poll_table). A wake takes each
// entry it wakes off the queue and sets its `woken` flag before it makes
// the thread runnable, so a poller that checks the flags with interrupts
// off, before it sleeps, cannot miss a wake that came while it looked at
// its files. wake_one() wakes the first entry; nothing sleeps exclusively
// (a mutex's waiters) on a queue that pollers watch.
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

    // For a thread that waits on several queues: `entry` (its `thread` is
    // set to the current thread here) joins this queue until a wake takes
    // it off or remove_entry() does (harmless when it is no longer queued).
    // Interrupts off.
    void add_entry(WaitEntry& entry);
    void remove_entry(WaitEntry& entry);
    // Blocks the current thread, whose entries are on their queues, unless
    // any_woken(context) already says that one was woken; until a wake, a
    // signal's wake, or `deadline_ms` (UINT64_MAX: none). Returns false
    // when the deadline passed. Interrupts must be off.
    static bool sleep_on_entries(bool (*any_woken)(void* context), void* context, uint64_t deadline_ms);

    // wait_until(condition), wait_until_or_timeout(condition, ms): see
    // wait_conditions.h.
    static uint64_t now_ms() { return monotonic_clock::uptime_ms(); }
    // Should an interruptible sleep end now with EINTR? (scheduler.h)
    static bool signal_pending() { return scheduler::signal_pending(); }

private:
    void wake_entry(WaitEntry& entry);

    WaitList waiters_;
};
