// kernel/syscall/syscall_traits.cpp -- the settings a process asks for and
// reads back: nice, getpriority, setpriority, ioprio_get, ioprio_set,
// personality.
//
// Layer: system calls, over kernel/proc/process_traits.h. Linux's rules
// (kernel/sys.c, kernel/sched/core.c, block/ioprio.c): a target is a
// process, a process group or a user (who 0: the caller's own); changing
// another's setting needs the same real or effective uid as the caller's
// effective uid, or root (EPERM); lowering a nice value needs root, since
// RLIMIT_NICE is 0 (EACCES from setpriority, EPERM from nice). getpriority
// answers 20 - nice (1..40: a negative value would look like an error; the
// C library converts back). The scheduler does not weigh nice values and
// the block layer has no I/O classes: what is set is only reported.
//
// getcpu answers CPU 0 on node 0: there is one.
//
// personality(persona) sets the execution domain and flags and answers the
// old value; 0xFFFFFFFF only asks. Linux's only domain here is PER_LINUX
// (0); the flags (ADDR_NO_RANDOMIZE...) are kept and read back, and change
// nothing: this kernel places nothing at random.
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

constexpr uint32_t PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

// Which processes a (which, who) pair names (getpriority's numbering;
// ioprio's WHO_PROCESS.. are one more).
struct Target {
    uint32_t which;
    int who;
};

Result<Target> target_of(uint32_t which, uint32_t who) {
    if (which > PRIO_USER) return Error(EINVAL);
    Target target{which, int(who)};
    if (who != 0) return target;
    const Process& caller = self();
    target.who = which == PRIO_PROCESS ? caller.pid
                 : which == PRIO_PGRP  ? caller.process_group
                                       : int(caller.credentials.real_uid);
    return target;
}

bool is_target(const Process& process, const Target& target) {
    if (process.state != ProcessState::Running) return false;
    if (target.which == PRIO_PROCESS) return process.pid == target.who;
    if (target.which == PRIO_PGRP) return process.process_group == target.who;
    return process.credentials.real_uid == uint32_t(target.who);
}

// May the caller change `process`'s settings? (Linux: set_one_prio_perm.)
bool may_change(const Process& process) {
    const Credentials& caller = self().credentials;
    if (caller.effective_uid == 0) return true;
    return process.credentials.real_uid == caller.effective_uid ||
           process.credentials.effective_uid == caller.effective_uid;
}

struct Visit {
    Target target;
    int matched = 0;
    int best = 0;         // getpriority: the highest 20 - nice; ioprio: the best priority
    int error = 0;        // the first error of a change, as Linux keeps it
    int (*action)(Process& process, Visit& visit);
    int value = 0;        // what to set
};

void visit_targets(Process& process, void* context) {
    Visit& visit = *static_cast<Visit*>(context);
    if (!is_target(process, visit.target)) return;
    ++visit.matched;
    int error = visit.action(process, visit);
    if (error != 0 && visit.error == 0) visit.error = error;
}

// Runs visit.action on every target; ESRCH when there is none.
int32_t for_each_target(uint32_t which, uint32_t who, Visit& visit) {
    auto target = target_of(which, who);
    if (target.is_error()) return -target.error();
    visit.target = target.value();
    for_each_process(visit_targets, &visit);
    if (visit.matched == 0) return -ESRCH;
    return visit.error != 0 ? -visit.error : 0;
}

// --- nice values -----------------------------------------------------------------------
int clamp_nice(int nice) {
    return nice < ProcessTraits::NICE_MIN ? ProcessTraits::NICE_MIN
           : nice > ProcessTraits::NICE_MAX ? ProcessTraits::NICE_MAX : nice;
}

int32_t sys_getpriority(const SyscallArguments& a) {
    Visit visit;
    visit.action = [](Process& process, Visit& v) {
        int priority = 20 - process.traits.nice;
        if (priority > v.best) v.best = priority;
        return 0;
    };
    int32_t result = for_each_target(a.arg[0], a.arg[1], visit);
    return result < 0 ? result : visit.best;
}

int32_t sys_setpriority(const SyscallArguments& a) {
    Visit visit;
    visit.value = clamp_nice(int32_t(a.arg[2]));
    visit.action = [](Process& process, Visit& v) {
        if (!may_change(process)) return EPERM;
        if (v.value < process.traits.nice && self().credentials.effective_uid != 0) return EACCES;
        process.traits.nice = v.value;
        return 0;
    };
    return for_each_target(a.arg[0], a.arg[1], visit);
}

// nice(increment): 0 on success, as the system call (not the C library) answers.
int32_t sys_nice(const SyscallArguments& a) {
    int increment = int32_t(a.arg[0]);
    increment = increment < -40 ? -40 : increment > 40 ? 40 : increment;
    int nice = clamp_nice(self().traits.nice + increment);
    if (increment < 0 && nice < self().traits.nice && self().credentials.effective_uid != 0) return -EPERM;
    self().traits.nice = nice;
    return 0;
}

// --- I/O priorities ---------------------------------------------------------------------
constexpr uint32_t IOPRIO_CLASS_SHIFT = 13, IOPRIO_DATA_MASK = (1u << IOPRIO_CLASS_SHIFT) - 1;
constexpr uint32_t IOPRIO_CLASS_NONE = 0, IOPRIO_CLASS_RT = 1, IOPRIO_CLASS_BE = 2, IOPRIO_CLASS_IDLE = 3;
constexpr uint32_t IOPRIO_LEVELS = 8;

// Linux: ioprio_check_cap. The real-time class is root's.
int check_io_priority(uint32_t priority) {
    uint32_t io_class = (priority >> IOPRIO_CLASS_SHIFT) & 7, data = priority & IOPRIO_DATA_MASK;
    switch (io_class) {
    case IOPRIO_CLASS_RT:
        if (self().credentials.effective_uid != 0) return EPERM;
        [[fallthrough]];
    case IOPRIO_CLASS_BE: return data >= IOPRIO_LEVELS ? EINVAL : 0;
    case IOPRIO_CLASS_IDLE: return 0;
    case IOPRIO_CLASS_NONE: return data != 0 ? EINVAL : 0;
    default: return EINVAL;
    }
}

// ioprio's "who" kinds are getpriority's plus one (IOPRIO_WHO_PROCESS = 1).
Result<uint32_t> priority_which(uint32_t which) {
    if (which < 1 || which > 3) return Error(EINVAL);
    return which - 1;
}

int32_t sys_ioprio_set(const SyscallArguments& a) {
    auto which = priority_which(a.arg[0]);
    if (which.is_error()) return -EINVAL;
    if (int error = check_io_priority(a.arg[2]); error != 0) return -error;
    Visit visit;
    visit.value = int(a.arg[2]);
    visit.action = [](Process& process, Visit& v) {
        if (!may_change(process)) return EPERM;
        process.traits.io_priority = uint16_t(v.value);
        return 0;
    };
    return for_each_target(which.value(), a.arg[1], visit);
}

// The best of the targets' priorities: a lower class number wins (real
// time before best effort before idle), then lower data; "none" loses to
// any class set.
int32_t sys_ioprio_get(const SyscallArguments& a) {
    auto which = priority_which(a.arg[0]);
    if (which.is_error()) return -EINVAL;
    Visit visit;
    visit.best = -1;
    visit.action = [](Process& process, Visit& v) {
        int priority = process.traits.io_priority;
        auto rank = [](int p) { return p >> IOPRIO_CLASS_SHIFT == IOPRIO_CLASS_NONE ? 0x7FFFFFFF : p; };
        if (v.best < 0 || rank(priority) < rank(v.best)) v.best = priority;
        return 0;
    };
    int32_t result = for_each_target(which.value(), a.arg[1], visit);
    return result < 0 ? result : visit.best;
}

// --- personality ---------------------------------------------------------------------------
int32_t sys_personality(const SyscallArguments& a) {
    uint32_t old = self().traits.personality;
    if (a.arg[0] != 0xFFFFFFFF) self().traits.personality = a.arg[0];
    return int32_t(old);
}

// getcpu(cpu, node, cache): the one CPU, 0, on node 0; NULL pointers are skipped.
int32_t sys_getcpu(const SyscallArguments& a) {
    uint32_t zero = 0;
    for (int i = 0; i < 2; ++i)
        if (a.arg[i] != 0 && copy_to_user(a.arg[i], &zero, sizeof zero).is_error()) return -EFAULT;
    return 0;
}

}  // namespace

void register_trait_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {34, {"nice", sys_nice}},
        {96, {"getpriority", sys_getpriority}},
        {97, {"setpriority", sys_setpriority}},
        {136, {"personality", sys_personality}},
        {289, {"ioprio_set", sys_ioprio_set}},
        {290, {"ioprio_get", sys_ioprio_get}},
        {318, {"getcpu", sys_getcpu}},
    };
    add_system_calls(table, size, calls);
}
