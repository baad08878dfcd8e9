// tests/host/platform/host_interrupt_guard.h -- "interrupts off" on the host.
//
// Layer: host platform for unit tests. In the kernel, masking interrupts
// makes a section atomic with respect to interrupt handlers and preemption.
// On the host the same code runs on std::threads (a test's "interrupt
// handler" is a device thread completing requests), so InterruptGuard holds
// one process-wide recursive lock -- the big lock -- instead. WaitQueue::sleep
// releases it completely while sleeping, exactly as the kernel's sleep lets
// interrupts in again while another thread runs.
#pragma once

namespace host_platform {
void enter_big_lock();
void leave_big_lock();
// How deeply the calling thread holds the big lock (0: not at all).
int big_lock_depth();
// Releases every level the calling thread holds; returns how many.
int release_big_lock_fully();
void reacquire_big_lock(int depth);
}  // namespace host_platform

class InterruptGuard {
public:
    InterruptGuard() { host_platform::enter_big_lock(); }
    ~InterruptGuard() { host_platform::leave_big_lock(); }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
};
