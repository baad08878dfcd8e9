// kernel/sched/wait_queue.cpp -- see wait_queue.h.
#include "kernel/sched/wait_queue.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/panic.h"
#include "kernel/time/monotonic_clock.h"

void WaitQueue::sleep() {
    KASSERT(!cpu::interrupts_enabled());
    Thread& self = scheduler::current();
    waiters_.push_back(self);
    self.wait_list = &waiters_;
    scheduler::block_current();
}

bool WaitQueue::sleep_until(uint64_t deadline_ms) {
    KASSERT(!cpu::interrupts_enabled());
    Thread& self = scheduler::current();
    if (monotonic_clock::uptime_ms() >= deadline_ms) return false;
    waiters_.push_back(self);
    self.wait_list = &waiters_;
    scheduler::arm_wake_deadline(deadline_ms);
    scheduler::block_current();
    return !self.woken_by_timeout;
}

void WaitQueue::wake_one() {
    InterruptGuard atomic;
    if (Thread* first = waiters_.front()) scheduler::wake(*first);
}

void WaitQueue::wake_all() {
    InterruptGuard atomic;
    while (Thread* first = waiters_.front()) scheduler::wake(*first);
}
