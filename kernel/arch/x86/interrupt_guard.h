// kernel/arch/x86/interrupt_guard.h -- RAII interrupt masking and spinlocks.
//
// Layer: architecture / synchronisation. The kernel runs on one CPU, so the
// only concurrency inside it comes from interrupt handlers and from the timer
// preempting one thread for another. Masking interrupts therefore makes a
// section atomic. InterruptGuard saves the interrupt flag, clears it, and
// restores the saved state (not blindly "sti") when it goes out of scope, so
// guards nest.
//
// SpinLock is the same thing with a name and an owner check: on one CPU a
// spinlock that had to spin would spin forever, so taking a held SpinLock is
// a kernel bug and panics. It keeps the code honest about what each lock
// guards, and is where a multiprocessor port would add the atomic exchange.
#pragma once

#include <cstdint>

#ifdef KERNEL_HOST_BUILD
// Host unit tests run the storage stack on real threads: there "interrupts
// off" becomes holding one process-wide lock (tests/host/platform/).
#include "tests/host/platform/host_interrupt_guard.h"
#else
#include "kernel/arch/x86/cpu.h"

class InterruptGuard {
public:
    InterruptGuard() : saved_flags_(cpu::read_eflags()) { cpu::disable_interrupts(); }
    ~InterruptGuard() {
        if (saved_flags_ & cpu::EFLAGS_INTERRUPT_ENABLE) cpu::enable_interrupts();
    }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

private:
    uint32_t saved_flags_;
};
#endif

void spinlock_deadlock(const char* name);

class SpinLock {
public:
    explicit constexpr SpinLock(const char* name) : name_(name) {}
    void lock_held_by_guard() {
        if (held_) spinlock_deadlock(name_);
        held_ = true;
    }
    void unlock() { held_ = false; }
    bool is_held() const { return held_; }
    const char* name() const { return name_; }

private:
    const char* name_;
    bool held_ = false;
};

// Holds a SpinLock for one scope, with interrupts masked for as long.
class SpinLockGuard {
public:
    explicit SpinLockGuard(SpinLock& lock) : lock_(lock) { lock_.lock_held_by_guard(); }
    ~SpinLockGuard() { lock_.unlock(); }
    SpinLockGuard(const SpinLockGuard&) = delete;
    SpinLockGuard& operator=(const SpinLockGuard&) = delete;

private:
    InterruptGuard interrupts_off_;  // constructed first, destroyed last
    SpinLock& lock_;
};
