// tests/host/platform/host_platform.h -- the kernel's services, on the host.
//
// Layer: host platform for unit tests (selected by kernel/platform.h when
// KERNEL_HOST_BUILD is defined). Same names and contracts as the kernel's:
//   kmalloc/kfree          malloc/free, with failure injection for ENOMEM tests
//   platform::allocate_page/free_page  4 KiB-aligned kmalloc (the same injection)
//   WaitQueue              sleep/wake on a condition variable under the big lock
//   Mutex, MutexLocker     a sleeping lock with an owner
//   log_error ... log_debug  to stderr (warnings and errors; more when
//                          HOST_LOG=debug is set in the environment)
//   panic, KASSERT         print and abort (a test that hits one fails loudly)
//   platform::now_ms()     a monotonic clock
//   platform::realtime_ns() the calendar (the host's system clock)
#pragma once

#include <cstddef>
#include <cstdint>
#include <thread>

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/list.h"
#include "kernel/lib/result.h"
#include "kernel/sched/wait_conditions.h"

// --- allocation ---------------------------------------------------------
void* kmalloc(size_t size, size_t alignment = 16);
void* kzalloc(size_t size, size_t alignment = 16);
void kfree(void* pointer);

namespace host_platform {
// After `successes` more successful kmalloc calls, every further one fails
// (returns nullptr) until reset_allocation_failures(). -1: never fail.
void fail_allocations_after(long successes);
void reset_allocation_failures();
}  // namespace host_platform

// --- logging and panics ---------------------------------------------------
enum class LogLevel { Error = 0, Warning = 1, Info = 2, Debug = 3 };
void klog(LogLevel level, const char* format, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) klog(LogLevel::Error, __VA_ARGS__)
#define log_warning(...) klog(LogLevel::Warning, __VA_ARGS__)
#define log_info(...) klog(LogLevel::Info, __VA_ARGS__)
#define log_debug(...) klog(LogLevel::Debug, __VA_ARGS__)

[[noreturn]] void panic(const char* format, ...) __attribute__((format(printf, 1, 2)));
#define KASSERT(condition)                                                                        \
    do {                                                                                          \
        if (!(condition)) panic("assertion failed: %s (%s:%d)", #condition, __FILE__, __LINE__); \
    } while (0)

namespace platform {
constexpr size_t PAGE_BYTES = 4096;
void* allocate_page();  // nullptr when kmalloc fails
void free_page(void* page);
uint64_t now_ms();
int64_t realtime_ns();  // the host's calendar clock
// Host memory is its own "physical" memory: the identity, so tests choose
// adjacency and alignment by choosing addresses.
inline uint64_t physical_address_of(const void* address) { return uint64_t(reinterpret_cast<uintptr_t>(address)); }
}  // namespace platform

// --- sleeping and waking --------------------------------------------------
// A poller's entry on one queue (kernel: kernel/sched/thread.h); a wake
// takes it off the queue and sets `woken`.
struct WaitEntry {
    klib::ListNode node;
    bool woken = false;
};

class WaitQueue : public WaitConditions<WaitQueue> {
public:
    // The caller holds an InterruptGuard (the big lock), as in the kernel.
    void sleep();
    bool sleep_until(uint64_t deadline_ms);
    void wake_one() { wake_all(); }  // spurious wakeups are allowed by the contract
    void wake_all();
    static uint64_t now_ms() { return platform::now_ms(); }
    // Host threads have no signals: interruptible sleeps are never cut short.
    static bool signal_pending() { return false; }

    // Several queues at once, as poll() waits (kernel/sched/wait_queue.h):
    // the caller holds the big lock for all three.
    void add_entry(WaitEntry& entry);
    void remove_entry(WaitEntry& entry);
    static bool sleep_on_entries(bool (*any_woken)(void* context), void* context, uint64_t deadline_ms);

private:
    uint64_t generation_ = 0;  // bumped by every wake; guarded by the queue's own mutex
    klib::IntrusiveList<WaitEntry, &WaitEntry::node> entries_;  // guarded by the same mutex
};

class Mutex {
public:
    explicit Mutex(const char* name) : name_(name) {}
    void lock();
    bool try_lock();
    void unlock();
    bool is_held_by_current_thread() const;
    const char* name() const { return name_; }

private:
    const char* name_;
    std::thread::id owner_{};
    bool held_ = false;
    WaitQueue waiters_;
};

class MutexLocker {
public:
    explicit MutexLocker(Mutex& mutex) : mutex_(mutex) { mutex_.lock(); }
    ~MutexLocker() { mutex_.unlock(); }
    MutexLocker(const MutexLocker&) = delete;
    MutexLocker& operator=(const MutexLocker&) = delete;

private:
    Mutex& mutex_;
};
