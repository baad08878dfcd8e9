// kernel/sched/mutex.cpp -- see mutex.h.
#include "kernel/sched/mutex.h"

#include "kernel/panic.h"

void Mutex::lock() {
    InterruptGuard atomic;
    Thread& self = scheduler::current();
    if (owner_ == &self) panic("mutex %s: locked twice by thread %s", name_, self.name);
    while (owner_) waiters_.sleep();
    owner_ = &self;
}

bool Mutex::try_lock() {
    InterruptGuard atomic;
    if (owner_) return false;
    owner_ = &scheduler::current();
    return true;
}

void Mutex::unlock() {
    InterruptGuard atomic;
    if (owner_ != &scheduler::current()) panic("mutex %s: unlocked by a thread that does not hold it", name_);
    owner_ = nullptr;
    // The woken thread re-checks owner_; if another thread took the mutex in
    // between, it simply sleeps again.
    waiters_.wake_one();
}

bool Mutex::is_held_by_current_thread() const { return owner_ && owner_ == current_thread_or_null(); }
