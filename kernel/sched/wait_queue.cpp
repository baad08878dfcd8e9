// kernel/sched/wait_queue.cpp -- see wait_queue.h.
#include "kernel/sched/wait_queue.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/panic.h"
#include "kernel/time/monotonic_clock.h"

void WaitQueue::sleep() {
    KASSERT(!cpu::interrupts_enabled());
    Thread& self = scheduler::current();
    self.wait_entry.thread = &self;
    self.wait_entry.woken = false;
    waiters_.push_back(self.wait_entry);
    self.wait_list = &waiters_;
    scheduler::block_current();
}

bool WaitQueue::sleep_until(uint64_t deadline_ms) {
    KASSERT(!cpu::interrupts_enabled());
    Thread& self = scheduler::current();
    if (monotonic_clock::uptime_ms() >= deadline_ms) return false;
    self.wait_entry.thread = &self;
    self.wait_entry.woken = false;
    waiters_.push_back(self.wait_entry);
    self.wait_list = &waiters_;
    scheduler::arm_wake_deadline(deadline_ms);
    scheduler::block_current();
    return !self.woken_by_timeout;
}

// Takes `entry` off this queue and wakes its thread; a thread's own entry
// also stops naming this queue as the one it sleeps in.
void WaitQueue::wake_entry(WaitEntry& entry) {
    waiters_.remove(entry);
    entry.woken = true;
    Thread& thread = *entry.thread;
    if (&entry == &thread.wait_entry) thread.wait_list = nullptr;
    scheduler::wake(thread);
}

void WaitQueue::wake_one() {
    InterruptGuard atomic;
    if (WaitEntry* first = waiters_.front()) wake_entry(*first);
}

void WaitQueue::wake_all() {
    InterruptGuard atomic;
    while (WaitEntry* first = waiters_.front()) wake_entry(*first);
}

void WaitQueue::add_entry(WaitEntry& entry) {
    KASSERT(!cpu::interrupts_enabled());
    KASSERT(!entry.node.is_linked());
    entry.thread = &scheduler::current();
    entry.woken = false;
    waiters_.push_back(entry);
}

void WaitQueue::remove_entry(WaitEntry& entry) {
    KASSERT(!cpu::interrupts_enabled());
    if (entry.node.is_linked()) waiters_.remove(entry);
}

bool WaitQueue::sleep_on_entries(bool (*any_woken)(void* context), void* context, uint64_t deadline_ms) {
    KASSERT(!cpu::interrupts_enabled());
    if (any_woken(context)) return true;
    Thread& self = scheduler::current();
    if (deadline_ms == UINT64_MAX) {
        scheduler::block_current();
        return true;
    }
    if (monotonic_clock::uptime_ms() >= deadline_ms) return false;
    scheduler::arm_wake_deadline(deadline_ms);
    scheduler::block_current();
    return !self.woken_by_timeout;
}
