// kernel/proc/futex.cpp -- see futex.h.
#include "kernel/proc/futex.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/list.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"
#include "kernel/sched/scheduler.h"

namespace futex {
namespace {

struct Key {
    const AddressSpace* space;
    uint32_t address;
    bool operator==(const Key& other) const { return space == other.space && address == other.address; }
};

// One sleeping thread, on its own kernel stack while it waits.
struct Waiter {
    klib::ListNode node;
    Key key;
    uint32_t bitset;
    Thread* thread;
    bool woken = false;
};
using WaiterList = klib::IntrusiveList<Waiter, &Waiter::node>;

constexpr uint32_t BUCKET_COUNT = 64;
WaiterList buckets[BUCKET_COUNT];

WaiterList& bucket_of(const Key& key) {
    uint32_t mix = key.address ^ (uint32_t(uintptr_t(key.space)) >> 4);
    mix ^= mix >> 12;
    return buckets[(mix >> 2) % BUCKET_COUNT];
}

Result<Key> key_of(uint32_t address) {
    if (address & 3) return Error(EINVAL);
    Process* process = current_process();
    return Key{process->address_space, address};
}

// Takes `waiter` off its bucket and makes its thread run. Interrupts off.
void wake_waiter(WaiterList& bucket, Waiter& waiter) {
    bucket.remove(waiter);
    waiter.woken = true;
    scheduler::wake(*waiter.thread);
}

// Wakes up to `count` waiters on `key` whose bitset meets `bitset`. Interrupts off.
int wake_matching(const Key& key, int count, uint32_t bitset) {
    WaiterList& bucket = bucket_of(key);
    int woken = 0;
    for (auto it = bucket.begin(); it != bucket.end() && woken < count;) {
        Waiter& waiter = *it;
        ++it;  // before the wake unlinks it
        if (!(waiter.key == key) || !(waiter.bitset & bitset)) continue;
        wake_waiter(bucket, waiter);
        ++woken;
    }
    return woken;
}

Result<uint32_t> read_word(uint32_t address) {
    uint32_t value;
    TRY(copy_from_user(&value, address, sizeof value));
    return value;
}

// FUTEX_OP_* of WAKE_OP: `operation` is op:4 cmp:4 oparg:12 cmparg:12,
// and op's bit 3 (FUTEX_OP_OPARG_SHIFT) makes oparg a shift count.
Result<uint32_t> apply_operation(uint32_t old_value, uint32_t operation) {
    uint32_t op = operation >> 28 & 7;
    int32_t oparg = int32_t(operation << 8) >> 20;  // sign-extended 12 bits
    if (operation >> 31) oparg = oparg < 0 || oparg > 31 ? 0 : int32_t(1u << oparg);
    switch (op) {
    case 0: return uint32_t(oparg);               // FUTEX_OP_SET
    case 1: return old_value + uint32_t(oparg);   // FUTEX_OP_ADD
    case 2: return old_value | uint32_t(oparg);   // FUTEX_OP_OR
    case 3: return old_value & ~uint32_t(oparg);  // FUTEX_OP_ANDN
    case 4: return old_value ^ uint32_t(oparg);   // FUTEX_OP_XOR
    default: return Error(ENOSYS);
    }
}

Result<bool> compare(uint32_t old_value, uint32_t operation) {
    int32_t value = int32_t(old_value);
    int32_t cmparg = int32_t(operation << 20) >> 20;
    switch (operation >> 24 & 15) {
    case 0: return value == cmparg;  // FUTEX_OP_CMP_EQ
    case 1: return value != cmparg;  // NE
    case 2: return value < cmparg;   // LT
    case 3: return value <= cmparg;  // LE
    case 4: return value > cmparg;   // GT
    case 5: return value >= cmparg;  // GE
    default: return Error(ENOSYS);
    }
}

}  // namespace

Result<void> wait(uint32_t address, uint32_t expected, uint32_t bitset, uint64_t deadline_ms) {
    if (bitset == 0) return Error(EINVAL);
    Key key = TRY(key_of(address));
    Waiter waiter;
    waiter.key = key;
    waiter.bitset = bitset;
    waiter.thread = &scheduler::current();
    InterruptGuard atomic;
    uint32_t value = TRY(read_word(address));
    if (value != expected) return Error(EAGAIN);
    WaiterList& bucket = bucket_of(key);
    bucket.push_back(waiter);
    bool timed_out = false;
    while (!waiter.woken) {
        if (scheduler::signal_pending()) break;
        if (deadline_ms != NO_DEADLINE) {
            if (WaitQueue::now_ms() >= deadline_ms) {
                timed_out = true;
                break;
            }
            scheduler::arm_wake_deadline(deadline_ms);
        }
        scheduler::block_current();
        scheduler::disarm_wake_deadline(*waiter.thread);
    }
    if (waiter.woken) return {};
    // A requeue may have moved it: its key says which bucket holds it now.
    bucket_of(waiter.key).remove(waiter);
    return Error(timed_out ? ETIMEDOUT : EINTR);
}

Result<int> wake(uint32_t address, int count, uint32_t bitset) {
    if (bitset == 0) return Error(EINVAL);
    Key key = TRY(key_of(address));
    InterruptGuard atomic;
    return wake_matching(key, count, bitset);
}

Result<int> requeue(uint32_t address, int wake_count, int requeue_count, uint32_t target, bool compare_first,
                    uint32_t expected) {
    if (wake_count < 0 || requeue_count < 0) return Error(EINVAL);
    Key from = TRY(key_of(address));
    Key to = TRY(key_of(target));
    InterruptGuard atomic;
    if (compare_first && TRY(read_word(address)) != expected) return Error(EAGAIN);
    int woken = wake_matching(from, wake_count, BITSET_MATCH_ANY);
    int moved = 0;
    WaiterList& source = bucket_of(from);
    WaiterList& destination = bucket_of(to);
    for (auto it = source.begin(); it != source.end() && moved < requeue_count;) {
        Waiter& waiter = *it;
        ++it;
        if (!(waiter.key == from)) continue;
        source.remove(waiter);
        waiter.key = to;
        destination.push_back(waiter);
        ++moved;
    }
    return compare_first ? woken + moved : woken;
}

Result<int> wake_op(uint32_t address, int count, uint32_t target, int target_count, uint32_t operation) {
    Key first = TRY(key_of(address));
    Key second = TRY(key_of(target));
    // The word is changed with interrupts off, so the page must be present
    // and writable before (a copy-on-write page is copied here, not there).
    if (prepare_user_buffer(target, 4, true) < 4) return Error(EFAULT);
    InterruptGuard atomic;
    uint32_t old_value = TRY(read_word(target));
    uint32_t new_value = TRY(apply_operation(old_value, operation));
    bool passed = TRY(compare(old_value, operation));
    TRY(copy_to_user(target, &new_value, sizeof new_value));
    int woken = wake_matching(first, count, BITSET_MATCH_ANY);
    if (passed) woken += wake_matching(second, target_count, BITSET_MATCH_ANY);
    return woken;
}

namespace {

// The robust futex ABI (Linux's Documentation/locking/robust-futex-ABI):
// struct robust_list_head { next, futex_offset, list_op_pending }, a
// circular list of the locks a thread holds, each futex word at
// entry + futex_offset holding the owner's tid.
constexpr uint32_t FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3FFFFFFF;
constexpr uint32_t ROBUST_LIST_LIMIT = 2048;  // Linux's bound against loops

// The lock word at `entry` held by `tid`: marked owner-died, a waiter woken.
void mark_owner_died(uint32_t word_address, int tid) {
    if (prepare_user_buffer(word_address, 4, true) < 4) return;
    InterruptGuard atomic;
    auto word = read_word(word_address);
    if (word.is_error() || (word.value() & FUTEX_TID_MASK) != uint32_t(tid)) return;
    uint32_t marked = (word.value() & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
    if (copy_to_user(word_address, &marked, sizeof marked).is_error()) return;
    if (word.value() & FUTEX_WAITERS) {
        if (auto key = key_of(word_address); !key.is_error()) wake_matching(key.value(), 1, BITSET_MATCH_ANY);
    }
}

void release_robust_list(UserThread& thread) {
    if (!thread.robust_list_head) return;
    uint32_t head[3];  // next, futex_offset, list_op_pending
    if (copy_from_user(head, thread.robust_list_head, sizeof head).is_error()) return;
    int32_t offset = int32_t(head[1]);
    // Bit 0 of each pointer marks a PI futex; the kernel treats them alike here.
    uint32_t entry = head[0] & ~1u;
    for (uint32_t steps = 0; entry != thread.robust_list_head && steps < ROBUST_LIST_LIMIT; ++steps) {
        uint32_t next;
        if (copy_from_user(&next, entry, sizeof next).is_error()) return;
        if (entry != (head[2] & ~1u)) mark_owner_died(entry + uint32_t(offset), thread.tid);
        entry = next & ~1u;
    }
    if (head[2]) mark_owner_died((head[2] & ~1u) + uint32_t(offset), thread.tid);
}

}  // namespace

void release_at_thread_exit(UserThread& thread) {
    release_robust_list(thread);
    if (thread.clear_child_tid) {
        uint32_t zero = 0;
        if (!copy_to_user(thread.clear_child_tid, &zero, sizeof zero).is_error()) {
            (void)wake(thread.clear_child_tid, 1, BITSET_MATCH_ANY);
        }
    }
}

}  // namespace futex
