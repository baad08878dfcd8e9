// kernel/syscall/syscall_sched.cpp -- what programs ask the scheduler.
//
// Layer: system calls. The kernel has one CPU and one scheduling policy, a
// round robin of equal time slices (kernel/sched/scheduler.h), which is
// Linux's SCHED_OTHER with nice 0 as far as a program can tell. So:
//   sched_yield                  gives up the CPU to the next runnable thread
//   sched_getaffinity            the mask of CPU 0 alone; returns the bytes
//                                written, as Linux (one long: 4 on i386)
//   sched_setaffinity            accepts a mask that holds CPU 0, EINVAL
//                                for one that holds no CPU we have
//   sched_getscheduler           SCHED_OTHER (0)
//   sched_getparam               priority 0
//   sched_get_priority_max/min   0 for SCHED_OTHER and SCHED_BATCH and
//                                SCHED_IDLE, 1 and 99 for FIFO and RR, as Linux
//   sched_setscheduler,          SCHED_OTHER, SCHED_BATCH and SCHED_IDLE with
//   sched_setparam,              priority 0 are accepted and reported back,
//   sched_setattr/getattr        and all run alike; the real-time policies
//                                (FIFO, RR, DEADLINE) are EPERM: there is no
//                                real-time scheduling here
//   sched_rr_get_interval        the time slice, 5 ms
// A pid is 0 (the caller) or a live thread (its tid; a process's pid is its
// first thread's): ESRCH otherwise; a size must be a whole number of longs
// large enough for one CPU (EINVAL), and a pointer a user one (EFAULT).
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"
#include "kernel/proc/user_thread.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/syscall/user_time.h"
#include "kernel/time/monotonic_clock.h"

namespace {

constexpr int32_t SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5;
constexpr uint32_t CPU_MASK_BYTES = sizeof(uint32_t);  // one long: room for 32 CPUs, we have one

// The thread `pid` names (0: the caller); nullptr if none. Interrupts off.
UserThread* thread_named(uint32_t pid) {
    return pid == 0 ? current_user_thread() : find_thread(int32_t(pid));
}

bool process_exists(uint32_t pid) {
    InterruptGuard atomic;
    return int32_t(pid) >= 0 && thread_named(pid) != nullptr;
}

int32_t sys_sched_yield(const SyscallArguments&) {
    scheduler::yield();
    return 0;
}

int32_t sys_sched_getaffinity(const SyscallArguments& a) {
    if (!process_exists(a.arg[0])) return -ESRCH;
    uint32_t size = a.arg[1];
    if (size < CPU_MASK_BYTES || size % sizeof(uint32_t) != 0) return -EINVAL;
    uint32_t mask = 1;  // CPU 0
    if (copy_to_user(a.arg[2], &mask, sizeof mask).is_error()) return -EFAULT;
    return int32_t(CPU_MASK_BYTES);
}

int32_t sys_sched_setaffinity(const SyscallArguments& a) {
    if (!process_exists(a.arg[0])) return -ESRCH;
    uint32_t mask = 0;
    if (a.arg[1] == 0) return -EINVAL;
    // A shorter mask is read as far as it goes; CPU 0 is in its first byte.
    uint32_t bytes = a.arg[1] < sizeof mask ? a.arg[1] : sizeof mask;
    if (copy_from_user(&mask, a.arg[2], bytes).is_error()) return -EFAULT;
    return (mask & 1) ? 0 : -EINVAL;
}

int32_t sys_sched_getscheduler(const SyscallArguments& a) {
    if (int32_t(a.arg[0]) < 0) return -EINVAL;
    InterruptGuard atomic;
    UserThread* thread = thread_named(a.arg[0]);
    return thread ? thread->scheduling_policy : -ESRCH;
}

// The policies that run here (see the header): EPERM for the real-time
// ones, EINVAL for unknown ones or a priority other than 0.
constexpr int32_t SCHED_DEADLINE = 6, SCHED_RESET_ON_FORK = 0x40000000;
Result<void> check_policy(int32_t policy, int32_t priority) {
    switch (policy) {
    case SCHED_OTHER:
    case SCHED_BATCH:
    case SCHED_IDLE: return priority == 0 ? Result<void>() : Result<void>(Error(EINVAL));
    case SCHED_FIFO:
    case SCHED_RR: return (priority < 1 || priority > 99) ? Result<void>(Error(EINVAL)) : Result<void>(Error(EPERM));
    case SCHED_DEADLINE: return Error(EPERM);
    default: return Error(EINVAL);
    }
}

Result<void> set_policy(uint32_t pid, int32_t policy, int32_t priority) {
    if (int32_t(pid) < 0) return Error(EINVAL);
    TRY(check_policy(policy, priority));
    InterruptGuard atomic;
    UserThread* thread = thread_named(pid);
    if (!thread) return Error(ESRCH);
    thread->scheduling_policy = policy;
    return {};
}

// sched_setscheduler(pid, policy, const struct sched_param*)
int32_t sys_sched_setscheduler(const SyscallArguments& a) {
    if (a.arg[2] == 0) return -EINVAL;
    int32_t priority;
    if (copy_from_user(&priority, a.arg[2], sizeof priority).is_error()) return -EFAULT;
    auto set = set_policy(a.arg[0], int32_t(a.arg[1]) & ~SCHED_RESET_ON_FORK, priority);
    return set.is_error() ? -set.error() : 0;
}

// sched_setparam(pid, const struct sched_param*): the priority of the current policy.
int32_t sys_sched_setparam(const SyscallArguments& a) {
    if (a.arg[1] == 0) return -EINVAL;
    int32_t priority;
    if (copy_from_user(&priority, a.arg[1], sizeof priority).is_error()) return -EFAULT;
    int32_t policy = sys_sched_getscheduler(a);
    if (policy < 0) return policy;
    auto set = set_policy(a.arg[0], policy, priority);
    return set.is_error() ? -set.error() : 0;
}

// struct sched_attr (the first version, SCHED_ATTR_SIZE_VER0: 48 bytes).
struct SchedAttr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
};
static_assert(sizeof(SchedAttr) == 48);

// sched_getattr(pid, attr*, size, flags): size at least 48; flags 0.
int32_t sys_sched_getattr(const SyscallArguments& a) {
    if (a.arg[1] == 0 || a.arg[2] < sizeof(SchedAttr) || a.arg[3] != 0 || int32_t(a.arg[0]) < 0) return -EINVAL;
    int32_t policy = sys_sched_getscheduler(a);
    if (policy < 0) return policy;
    SchedAttr attributes{sizeof(SchedAttr), uint32_t(policy), 0, 0, 0, 0, 0, 0};
    return copy_to_user(a.arg[1], &attributes, sizeof attributes).is_error() ? -EFAULT : 0;
}

// sched_setattr(pid, const attr*, flags): the policy and priority as
// sched_setscheduler; a nice value other than 0 is EPERM (one priority
// for all here), and unknown sched_flags EINVAL.
int32_t sys_sched_setattr(const SyscallArguments& a) {
    if (a.arg[1] == 0 || a.arg[2] != 0) return -EINVAL;
    SchedAttr attributes;
    if (copy_from_user(&attributes, a.arg[1], sizeof attributes).is_error()) return -EFAULT;
    if (attributes.size != 0 && attributes.size < sizeof(SchedAttr)) return -E2BIG;
    if (attributes.flags & ~uint64_t(1) /* SCHED_FLAG_RESET_ON_FORK */) return -EINVAL;
    if (attributes.nice != 0) return -EPERM;
    auto set = set_policy(a.arg[0], int32_t(attributes.policy), int32_t(attributes.priority));
    return set.is_error() ? -set.error() : 0;
}

// sched_rr_get_interval(pid, timespec*): the time slice.
int32_t rr_interval_common(const SyscallArguments& a, bool time64) {
    if (int32_t(a.arg[0]) < 0) return -EINVAL;
    if (!process_exists(a.arg[0])) return -ESRCH;
    int64_t slice_ns = int64_t(scheduler::TIME_SLICE_TICKS) * 1000000000 / monotonic_clock::TICKS_PER_SECOND;
    return write_timespec_ns(a.arg[1], slice_ns, time64).is_error() ? -EFAULT : 0;
}
int32_t sys_sched_rr_get_interval(const SyscallArguments& a) { return rr_interval_common(a, false); }
int32_t sys_sched_rr_get_interval64(const SyscallArguments& a) { return rr_interval_common(a, true); }

int32_t sys_sched_getparam(const SyscallArguments& a) {
    if (int32_t(a.arg[0]) < 0 || a.arg[1] == 0) return -EINVAL;
    if (!process_exists(a.arg[0])) return -ESRCH;
    int32_t priority = 0;
    return copy_to_user(a.arg[1], &priority, sizeof priority).is_error() ? -EFAULT : 0;
}

int32_t priority_limit(int32_t policy, bool maximum) {
    switch (policy) {
    case SCHED_OTHER:
    case SCHED_BATCH:
    case SCHED_IDLE:
        return 0;
    case SCHED_FIFO:
    case SCHED_RR:
        return maximum ? 99 : 1;
    default:
        return -EINVAL;
    }
}
int32_t sys_sched_get_priority_max(const SyscallArguments& a) { return priority_limit(int32_t(a.arg[0]), true); }
int32_t sys_sched_get_priority_min(const SyscallArguments& a) { return priority_limit(int32_t(a.arg[0]), false); }

}  // namespace

void register_sched_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {155, {"sched_getparam", sys_sched_getparam}},
        {157, {"sched_getscheduler", sys_sched_getscheduler}},
        {158, {"sched_yield", sys_sched_yield}},
        {159, {"sched_get_priority_max", sys_sched_get_priority_max}},
        {160, {"sched_get_priority_min", sys_sched_get_priority_min}},
        {241, {"sched_setaffinity", sys_sched_setaffinity}},
        {242, {"sched_getaffinity", sys_sched_getaffinity}},
        {154, {"sched_setparam", sys_sched_setparam}},
        {156, {"sched_setscheduler", sys_sched_setscheduler}},
        {161, {"sched_rr_get_interval", sys_sched_rr_get_interval}},
        {351, {"sched_setattr", sys_sched_setattr}},
        {352, {"sched_getattr", sys_sched_getattr}},
        {423, {"sched_rr_get_interval_time64", sys_sched_rr_get_interval64}},
    };
    add_system_calls(table, size, calls);
}
