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
// A pid is 0 (the caller) or a live process (ESRCH otherwise); a size must
// be a whole number of longs large enough for one CPU (EINVAL), and a
// pointer a user one (EFAULT).
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

constexpr int32_t SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5;
constexpr uint32_t CPU_MASK_BYTES = sizeof(uint32_t);  // one long: room for 32 CPUs, we have one

bool process_exists(uint32_t pid) { return pid == 0 || find_process(int32_t(pid)) != nullptr; }

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
    return process_exists(a.arg[0]) ? SCHED_OTHER : -ESRCH;
}

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
    };
    add_system_calls(table, size, calls);
}
