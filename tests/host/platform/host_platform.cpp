// tests/host/platform/host_platform.cpp -- see host_platform.h.
#include "tests/host/platform/host_platform.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace {

std::recursive_mutex big_lock;
thread_local int big_lock_depth_of_this_thread = 0;

// One mutex and condition variable serve every WaitQueue: generations tell
// the queues apart, and a spurious wakeup only costs a re-check.
std::mutex wait_mutex;
std::condition_variable wait_condition;

std::atomic<long> allocations_left{-1};

LogLevel host_log_threshold() {
    const char* setting = std::getenv("HOST_LOG");
    if (setting && std::strcmp(setting, "debug") == 0) return LogLevel::Debug;
    if (setting && std::strcmp(setting, "info") == 0) return LogLevel::Info;
    return LogLevel::Warning;
}

}  // namespace

namespace host_platform {

void enter_big_lock() {
    big_lock.lock();
    ++big_lock_depth_of_this_thread;
}

void leave_big_lock() {
    --big_lock_depth_of_this_thread;
    big_lock.unlock();
}

int big_lock_depth() { return big_lock_depth_of_this_thread; }

int release_big_lock_fully() {
    int depth = big_lock_depth_of_this_thread;
    for (int i = 0; i < depth; ++i) leave_big_lock();
    return depth;
}

void reacquire_big_lock(int depth) {
    for (int i = 0; i < depth; ++i) enter_big_lock();
}

void fail_allocations_after(long successes) { allocations_left = successes; }
void reset_allocation_failures() { allocations_left = -1; }

}  // namespace host_platform

void* kmalloc(size_t size, size_t alignment) {
    long left = allocations_left.load();
    while (left >= 0) {
        if (left == 0) return nullptr;
        if (allocations_left.compare_exchange_weak(left, left - 1)) break;
    }
    if (alignment < sizeof(void*)) alignment = sizeof(void*);
    void* pointer = nullptr;
    if (posix_memalign(&pointer, alignment, size ? size : 1) != 0) return nullptr;
    return pointer;
}

void* kzalloc(size_t size, size_t alignment) {
    void* pointer = kmalloc(size, alignment);
    if (pointer) std::memset(pointer, 0, size);
    return pointer;
}

void kfree(void* pointer) { std::free(pointer); }

void klog(LogLevel level, const char* format, ...) {
    static const LogLevel threshold = host_log_threshold();
    if (level > threshold) return;
    static const char* const prefix[] = {"error: ", "warning: ", "", ""};
    va_list arguments;
    va_start(arguments, format);
    std::fprintf(stderr, "[kernel] %s", prefix[int(level)]);
    std::vfprintf(stderr, format, arguments);
    std::fputc('\n', stderr);
    va_end(arguments);
}

void panic(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    std::fprintf(stderr, "KERNEL PANIC: ");
    std::vfprintf(stderr, format, arguments);
    std::fputc('\n', stderr);
    va_end(arguments);
    std::abort();
}

void* platform::allocate_page() { return kmalloc(PAGE_BYTES, PAGE_BYTES); }
void platform::free_page(void* page) { kfree(page); }

uint64_t platform::now_ms() {
    using namespace std::chrono;
    return uint64_t(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

int64_t platform::realtime_ns() {
    using namespace std::chrono;
    return int64_t(duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count());
}

void WaitQueue::sleep() { sleep_until(UINT64_MAX); }

bool WaitQueue::sleep_until(uint64_t deadline_ms) {
    KASSERT(host_platform::big_lock_depth() > 0);
    std::unique_lock<std::mutex> lock(wait_mutex);
    uint64_t generation_at_sleep = generation_;
    // Release the big lock only now, holding wait_mutex, so a wake between
    // the caller's check and this wait cannot be missed.
    int depth = host_platform::release_big_lock_fully();
    bool woken = true;
    if (deadline_ms == UINT64_MAX) {
        wait_condition.wait(lock, [&] { return generation_ != generation_at_sleep; });
    } else {
        auto deadline = std::chrono::steady_clock::time_point(std::chrono::milliseconds(deadline_ms));
        woken = wait_condition.wait_until(lock, deadline, [&] { return generation_ != generation_at_sleep; });
    }
    lock.unlock();
    host_platform::reacquire_big_lock(depth);
    return woken;
}

void WaitQueue::wake_all() {
    {
        std::lock_guard<std::mutex> lock(wait_mutex);
        ++generation_;
        while (WaitEntry* entry = entries_.pop_front()) entry->woken = true;
    }
    wait_condition.notify_all();
}

void WaitQueue::add_entry(WaitEntry& entry) {
    std::lock_guard<std::mutex> lock(wait_mutex);
    entry.woken = false;
    entries_.push_back(entry);
}

void WaitQueue::remove_entry(WaitEntry& entry) {
    std::lock_guard<std::mutex> lock(wait_mutex);
    if (entry.node.is_linked()) entries_.remove(entry);
}

// The entries' flags are set under wait_mutex, which any_woken reads under.
bool WaitQueue::sleep_on_entries(bool (*any_woken)(void* context), void* context, uint64_t deadline_ms) {
    KASSERT(host_platform::big_lock_depth() > 0);
    std::unique_lock<std::mutex> lock(wait_mutex);
    int depth = host_platform::release_big_lock_fully();
    bool woken = true;
    auto predicate = [&] { return any_woken(context); };
    if (deadline_ms == UINT64_MAX) {
        wait_condition.wait(lock, predicate);
    } else {
        auto deadline = std::chrono::steady_clock::time_point(std::chrono::milliseconds(deadline_ms));
        woken = wait_condition.wait_until(lock, deadline, predicate);
    }
    lock.unlock();
    host_platform::reacquire_big_lock(depth);
    return woken;
}

void Mutex::lock() {
    InterruptGuard atomic;
    if (held_ && owner_ == std::this_thread::get_id()) panic("mutex %s: locked twice by one thread", name_);
    while (held_) waiters_.sleep();
    held_ = true;
    owner_ = std::this_thread::get_id();
}

bool Mutex::try_lock() {
    InterruptGuard atomic;
    if (held_) return false;
    held_ = true;
    owner_ = std::this_thread::get_id();
    return true;
}

void Mutex::unlock() {
    InterruptGuard atomic;
    if (!held_ || owner_ != std::this_thread::get_id()) panic("mutex %s: unlocked by a non-owner", name_);
    held_ = false;
    waiters_.wake_one();
}

bool Mutex::is_held_by_current_thread() const { return held_ && owner_ == std::this_thread::get_id(); }
