// kernel/syscall/syscall_threads.cpp -- new processes and threads.
//
// Layer: system calls. fork, vfork, clone, clone3, exit, exit_group, and
// what threads need: the thread's id and TLS, futexes, the robust list. clone() makes a thread of the caller's process with
// CLONE_THREAD (kernel/proc/user_thread.h), a new process otherwise
// (process.h's fork_current_process): with CLONE_VM it shares the caller's
// memory (vfork, posix_spawn), and with CLONE_VFORK the caller sleeps until
// the child runs execve or exits. Without CLONE_THREAD, CLONE_FILES,
// CLONE_FS and CLONE_SIGHAND give the child copies, not shared tables --
// the difference from Linux that no C library's fork, vfork, posix_spawn
// or pthread_create sees. CLONE_NEWNS and the other namespace flags,
// CLONE_PIDFD and CLONE_PTRACE are EINVAL (no namespaces, pidfds or ptrace
// here); CLONE_SYSVSEM, CLONE_DETACHED and CLONE_UNTRACED are accepted.
//
// clone3(struct clone_args*, size) takes the same request in a structure;
// glibc's pthread_create calls it first and falls back to clone() only on
// ENOSYS, so both paths are real here.
//
// futex(2) (futex.h): WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP,
// WAIT_BITSET, WAKE_BITSET, with FUTEX_PRIVATE_FLAG and
// FUTEX_CLOCK_REALTIME; the priority-inheritance operations (LOCK_PI...)
// answer ENOSYS, as a Linux built without CONFIG_FUTEX_PI.
#include "kernel/lib/errno.h"
#include "kernel/proc/futex.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/thread_local_storage.h"
#include "kernel/proc/user_memory.h"
#include "kernel/proc/user_thread.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/syscall/user_time.h"
#include "kernel/time/monotonic_clock.h"
#include "kernel/time/wall_clock.h"

namespace {

const InterruptFrame& caller_frame() { return *scheduler::current().user_frame; }

// The flags no request may carry here (see the header comment).
constexpr uint32_t REFUSED_FLAGS = CLONE_NEWNS | CLONE_PIDFD | CLONE_PTRACE | 0x02000000 /* CLONE_NEWCGROUP */ |
                                   0x04000000 /* NEWUTS */ | 0x08000000 /* NEWIPC */ | 0x10000000 /* NEWUSER */ |
                                   0x20000000 /* NEWPID */ | 0x40000000 /* NEWNET */ | 0x80000000 /* IO */;

// A vfork parent sleeps until its child let go of the memory they share.
void wait_for_vfork_child(Process& child) {
    child.state_changed.wait_until([&] { return child.memory_released; });
}

Result<int> clone_with(const CloneRequest& request) {
    uint32_t flags = request.flags;
    if (flags & REFUSED_FLAGS) return Error(EINVAL);
    if (flags & CLONE_THREAD) {
        if (flags & CLONE_VFORK) return Error(EINVAL);
        return create_thread(caller_frame(), request);  // it stores CLONE_PARENT_SETTID's id
    }
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return Error(EINVAL);
    int exit_signal = int(flags & CLONE_EXIT_SIGNAL_MASK);
    if (exit_signal > SIGNAL_COUNT) return Error(EINVAL);
    Process* child = TRY(fork_current_process(caller_frame(), request));
    child->exit_signal = exit_signal;
    int pid = child->pid;
    if (flags & CLONE_PARENT_SETTID) (void)copy_to_user(request.parent_tid, &pid, sizeof pid);
    if (flags & CLONE_VFORK) wait_for_vfork_child(*child);
    return pid;
}

int32_t sys_fork(const SyscallArguments&) {
    CloneRequest request;
    request.flags = SIGCHLD;
    return syscall_result(clone_with(request));
}

int32_t sys_vfork(const SyscallArguments&) {
    CloneRequest request;
    request.flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
    return syscall_result(clone_with(request));
}

// clone(flags, stack, parent_tid, tls, child_tid): the i386 argument order.
int32_t sys_clone(const SyscallArguments& a) {
    CloneRequest request{a.arg[0], a.arg[1], a.arg[2], a.arg[3], a.arg[4]};
    return syscall_result(clone_with(request));
}

// struct clone_args of clone3(2): every field 64 bits wide.
struct CloneArguments {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size,
        cgroup;
};
constexpr uint32_t CLONE_ARGUMENTS_SIZE_VER0 = 64;

// clone3(args, size): sizes from the first version's 64 bytes up; fields
// this kernel does not know must be zero (E2BIG otherwise, as Linux).
int32_t sys_clone3(const SyscallArguments& a) {
    uint32_t size = a.arg[1];
    if (size < CLONE_ARGUMENTS_SIZE_VER0 || size > 4096) return -EINVAL;
    CloneArguments arguments{};
    uint32_t known = size < sizeof arguments ? size : sizeof arguments;
    if (copy_from_user(&arguments, a.arg[0], known).is_error()) return -EFAULT;
    for (uint32_t offset = known; offset < size; ++offset) {
        uint8_t byte;
        if (copy_from_user(&byte, a.arg[0] + offset, 1).is_error()) return -EFAULT;
        if (byte) return -E2BIG;
    }
    if (arguments.flags >> 32 || arguments.exit_signal > SIGNAL_COUNT || (arguments.flags & CLONE_EXIT_SIGNAL_MASK))
        return -EINVAL;
    if (arguments.set_tid || arguments.set_tid_size || arguments.cgroup) return -EINVAL;
    if ((arguments.stack == 0) != (arguments.stack_size == 0)) return -EINVAL;
    CloneRequest request;
    request.flags = uint32_t(arguments.flags) | uint32_t(arguments.exit_signal);
    request.stack = uint32_t(arguments.stack + arguments.stack_size);  // clone3 names the lowest byte
    request.parent_tid = uint32_t(arguments.parent_tid);
    request.tls = uint32_t(arguments.tls);
    request.child_tid = uint32_t(arguments.child_tid);
    return syscall_result(clone_with(request));
}

int32_t sys_exit(const SyscallArguments& a) { exit_current_thread(exit_status(int(a.arg[0]))); }
int32_t sys_exit_group(const SyscallArguments& a) { exit_thread_group(exit_status(int(a.arg[0]))); }
int32_t sys_gettid(const SyscallArguments&) { return current_user_thread()->tid; }

// set_tid_address(address): where the kernel writes 0 and wakes a futex
// waiter when this thread ends; returns the thread's id.
int32_t sys_set_tid_address(const SyscallArguments& a) {
    UserThread& thread = *current_user_thread();
    thread.clear_child_tid = a.arg[0];
    return thread.tid;
}

int32_t sys_set_thread_area(const SyscallArguments& a) {
    auto tls = read_tls_descriptor(a.arg[0]);
    if (tls.is_error()) return -tls.error();
    set_thread_local_storage(scheduler::current(), tls.value());
    auto written = write_tls_entry_number(a.arg[0]);
    return written.is_error() ? -written.error() : 0;
}

int32_t sys_get_thread_area(const SyscallArguments& a) {
    auto written = write_tls_descriptor(a.arg[0], thread_local_storage_of(scheduler::current()));
    return written.is_error() ? -written.error() : 0;
}

// unshare(flags): what is shared here is shared by the threads of a
// process, so in a process of one thread CLONE_FILES, CLONE_FS,
// CLONE_SIGHAND, CLONE_VM, CLONE_THREAD and CLONE_SYSVSEM have nothing to
// unshare (0, as Linux); with other threads they are EINVAL (Linux would
// give this thread tables of its own). The namespace flags are EINVAL, as a
// Linux built without namespaces.
int32_t sys_unshare(const SyscallArguments& a) {
    constexpr uint32_t SHARING = CLONE_FILES | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_THREAD | CLONE_SYSVSEM;
    uint32_t flags = a.arg[0];
    if (flags & ~SHARING) return -EINVAL;
    if (flags && self().threads.size() > 1) return -EINVAL;
    return 0;
}

// struct robust_list_head is three pointers: 12 bytes on i386.
constexpr uint32_t ROBUST_LIST_HEAD_SIZE = 12;

int32_t sys_set_robust_list(const SyscallArguments& a) {
    if (a.arg[1] != ROBUST_LIST_HEAD_SIZE) return -EINVAL;
    current_user_thread()->robust_list_head = a.arg[0];
    return 0;
}

// get_robust_list(tid, head**, size*): 0 for the caller; another thread of
// any process for a caller with the same user or root (EPERM otherwise).
int32_t sys_get_robust_list(const SyscallArguments& a) {
    uint32_t head;
    {
        InterruptGuard atomic;
        UserThread* thread = a.arg[0] == 0 ? current_user_thread() : find_thread(int(a.arg[0]));
        if (!thread) return -ESRCH;
        const Credentials& mine = self().credentials;
        if (mine.uid != 0 && thread->process->credentials.uid != mine.uid) return -EPERM;
        head = thread->robust_list_head;
    }
    uint32_t size = ROBUST_LIST_HEAD_SIZE;
    if (copy_to_user(a.arg[1], &head, sizeof head).is_error()) return -EFAULT;
    if (copy_to_user(a.arg[2], &size, sizeof size).is_error()) return -EFAULT;
    return 0;
}

// Futex operations and flags (Linux's values).
constexpr uint32_t FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
                   FUTEX_WAKE_OP = 5, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
constexpr uint32_t FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

// The deadline of a wait, on the monotonic clock in ms: FUTEX_WAIT's
// timeout is relative, WAIT_BITSET's absolute (on CLOCK_REALTIME with
// FUTEX_CLOCK_REALTIME, else CLOCK_MONOTONIC). Rounded up to the next ms.
Result<uint64_t> futex_deadline(uint32_t address, bool absolute, bool realtime, bool time64) {
    if (!address) return futex::NO_DEADLINE;
    int64_t ns = TRY(read_timespec(address, time64));
    int64_t now_ms = int64_t(monotonic_clock::uptime_ms());
    if (!absolute) return uint64_t(now_ms + (ns + 999999) / 1000000);
    wall_clock::Time clock = realtime ? wall_clock::realtime() : wall_clock::monotonic();
    int64_t clock_ns = clock.seconds * NANOSECONDS_PER_SECOND + clock.nanoseconds;
    int64_t left_ms = ns > clock_ns ? (ns - clock_ns + 999999) / 1000000 : 0;
    return uint64_t(now_ms + left_ms);
}

// futex(address, op, value, timeout or value2, address2, value3)
int32_t futex_common(const SyscallArguments& a, bool time64) {
    uint32_t address = a.arg[0], op = a.arg[1], value = a.arg[2];
    uint32_t command = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    bool realtime = op & FUTEX_CLOCK_REALTIME;
    if (realtime && command != FUTEX_WAIT_BITSET && command != FUTEX_WAIT) return -ENOSYS;
    switch (command) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        bool bitset_wait = command == FUTEX_WAIT_BITSET;
        auto deadline = futex_deadline(a.arg[3], bitset_wait, realtime, time64);
        if (deadline.is_error()) return -deadline.error();
        uint32_t bitset = bitset_wait ? a.arg[5] : futex::BITSET_MATCH_ANY;
        auto waited = futex::wait(address, value, bitset, deadline.value());
        return waited.is_error() ? -waited.error() : 0;
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
        uint32_t bitset = command == FUTEX_WAKE_BITSET ? a.arg[5] : futex::BITSET_MATCH_ANY;
        return syscall_result(futex::wake(address, int(value > INT32_MAX ? INT32_MAX : value), bitset));
    }
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
        // value2 (the number to requeue) comes in the timeout's place.
        return syscall_result(futex::requeue(address, int(value), int(a.arg[3]), a.arg[4],
                                             command == FUTEX_CMP_REQUEUE, a.arg[5]));
    case FUTEX_WAKE_OP:
        return syscall_result(futex::wake_op(address, int(value), a.arg[4], int(a.arg[3]), a.arg[5]));
    case FUTEX_FD: return -EINVAL;  // removed from Linux in 2.6.26
    default: return -ENOSYS;        // the PI operations, and unknown ones
    }
}

int32_t sys_futex(const SyscallArguments& a) { return futex_common(a, false); }
int32_t sys_futex_time64(const SyscallArguments& a) { return futex_common(a, true); }

}  // namespace

void register_thread_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {1, {"exit", sys_exit}},
        {2, {"fork", sys_fork}},
        {120, {"clone", sys_clone}},
        {190, {"vfork", sys_vfork}},
        {224, {"gettid", sys_gettid}},
        {240, {"futex", sys_futex}},
        {243, {"set_thread_area", sys_set_thread_area}},
        {244, {"get_thread_area", sys_get_thread_area}},
        {310, {"unshare", sys_unshare}},
        {252, {"exit_group", sys_exit_group}},
        {258, {"set_tid_address", sys_set_tid_address}},
        {311, {"set_robust_list", sys_set_robust_list}},
        {312, {"get_robust_list", sys_get_robust_list}},
        {422, {"futex_time64", sys_futex_time64}},
        {435, {"clone3", sys_clone3}},
    };
    add_system_calls(table, size, calls);
}
