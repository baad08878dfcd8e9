// kernel/sched/wait_conditions.h -- "sleep until this is true", written once.
//
// Layer: processes and scheduling. The loop that makes waiting correct --
// check the condition with interrupts off, sleep, re-check after every
// wake -- is the same whatever the wait queue underneath. The kernel's
// WaitQueue (wait_queue.h) and the host tests' stand-in
// (tests/host/platform/host_platform.h) both inherit it from here.
// A Queue provides sleep(), sleep_until(deadline_ms) -> bool (false when the
// deadline woke it) and a static now_ms() for its clock.
#pragma once

#include <cstdint>

#include "kernel/arch/x86/interrupt_guard.h"

template <typename Queue>
class WaitConditions {
public:
    template <typename Condition>
    void wait_until(Condition condition) {
        InterruptGuard atomic;
        while (!condition()) queue().sleep();
    }

    // Returns false if `timeout_ms` passed with the condition still false.
    template <typename Condition>
    bool wait_until_or_timeout(Condition condition, uint64_t timeout_ms) {
        InterruptGuard atomic;
        uint64_t deadline = Queue::now_ms() + timeout_ms;
        while (!condition()) {
            if (!queue().sleep_until(deadline) && !condition()) return false;
        }
        return true;
    }

private:
    Queue& queue() { return static_cast<Queue&>(*this); }
};
