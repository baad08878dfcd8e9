// kernel/proc/futex.h -- fast user-space locking: the kernel's half.
//
// Layer: processes. A futex is a 32-bit word in a program's memory. The
// program takes and releases its locks with atomic instructions on the
// word alone; only when it must wait does it ask the kernel to sleep "while
// the word still holds the value I saw" (FUTEX_WAIT), and the releasing
// side asks to wake sleepers on that word (FUTEX_WAKE). pthread mutexes,
// condition variables, pthread_join and semaphores are built on this.
// (Linux: kernel/futex/; the futex(2) manual page.)
//
// A waiter is found by its key: the address space and the word's address
// in it, for private futexes (FUTEX_PRIVATE_FLAG) and shared ones alike --
// the only memory two processes share here is an address space itself
// (clone(CLONE_VM)), so the two keys are the same. Waiters sleep in a
// hash table of buckets, each a FIFO list: a wake takes the oldest first.
//
// Must stay true: "compare the word, then sleep" is atomic against every
// wake (interrupts are off from the compare until the waiter sleeps, on
// this one CPU), so a wake that comes after the program changed the word
// is never lost.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

struct UserThread;

namespace futex {

constexpr uint32_t BITSET_MATCH_ANY = 0xFFFFFFFF;
constexpr uint64_t NO_DEADLINE = UINT64_MAX;

// FUTEX_WAIT(_BITSET): sleeps while *address == expected, until a wake whose
// bitset shares a bit with `bitset`, a signal (EINTR) or the monotonic
// `deadline_ms` (ETIMEDOUT). EAGAIN when the word already differs, EFAULT
// for a bad address, EINVAL for a misaligned one or an empty bitset.
Result<void> wait(uint32_t address, uint32_t expected, uint32_t bitset, uint64_t deadline_ms);
// FUTEX_WAKE(_BITSET): wakes up to `count` waiters on the word; returns how many.
Result<int> wake(uint32_t address, int count, uint32_t bitset);
// FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes up to `wake_count` waiters on
// `address` and moves up to `requeue_count` more to wait on `target`; with
// `compare`, EAGAIN unless *address == expected. Returns the woken count
// (CMP_REQUEUE: woken plus requeued, as Linux).
Result<int> requeue(uint32_t address, int wake_count, int requeue_count, uint32_t target, bool compare,
                    uint32_t expected);
// FUTEX_WAKE_OP: atomically applies `operation` (op, cmp, oparg, cmparg as
// Linux encodes them) to *target, wakes up to `count` waiters on
// `address`, and, if the old value of *target passed the comparison, up to
// `target_count` on `target`. Returns the total woken; ENOSYS for an
// unknown operation or comparison, EFAULT.
Result<int> wake_op(uint32_t address, int count, uint32_t target, int target_count, uint32_t operation);

// At a thread's end: the robust list's futexes that it still holds get
// FUTEX_OWNER_DIED and one waiter each is woken; then clear_child_tid is
// zeroed and its waiter woken (pthread_join). Bad pointers end the walk.
void release_at_thread_exit(UserThread& thread);

}  // namespace futex
