// kernel/sched/mutex.h -- a lock that sleeps instead of spinning.
//
// Layer: processes and scheduling. A Mutex may be held across operations that
// sleep, such as waiting for a disk: a thread that finds it taken goes to
// sleep in the mutex's wait queue, and unlock() wakes one waiter. It has an
// owner, so recursive locking and unlocking by a non-owner are caught as
// kernel bugs. Never take a Mutex in an interrupt handler (it may sleep).
#pragma once

#include "kernel/sched/wait_queue.h"

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
    Thread* owner_ = nullptr;
    WaitQueue waiters_;
};

// Holds a Mutex for one scope.
class MutexLocker {
public:
    explicit MutexLocker(Mutex& mutex) : mutex_(mutex) { mutex_.lock(); }
    ~MutexLocker() { mutex_.unlock(); }
    MutexLocker(const MutexLocker&) = delete;
    MutexLocker& operator=(const MutexLocker&) = delete;

private:
    Mutex& mutex_;
};
