// kernel/syscall/syscall_signal.cpp -- the signal calls.
//
// Layer: system calls. kill, tkill, tgkill, rt_sigqueueinfo and
// rt_tgsigqueueinfo send; rt_sigaction sets a disposition; rt_sigprocmask,
// rt_sigpending and rt_sigsuspend work with the mask; pause waits; rt_sigtimedwait takes
// a signal without a handler; sigaltstack names the stack handlers run on;
// sigreturn and rt_sigreturn come back from a handler. The
// policy lives in kernel/proc/signals.h, the frame in signal_frame.h; this
// file only moves the Linux i386 structures across the user boundary.
// Every signal set here is the kernel's 64-bit sigset_t: a size other than
// 8 bytes is EINVAL, as on Linux (rt_sigpending also takes less).
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal_frame.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_thread.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/syscall/user_time.h"
#include "kernel/time/monotonic_clock.h"

namespace {

constexpr uint32_t SIGSET_SIZE = 8;

// kill() says SI_USER, tkill() and tgkill() SI_TKILL, as on Linux.
SignalInfo sent_by_user(int32_t code = SI_USER) {
    SignalInfo info;
    info.code = code;
    info.sender_pid = self().pid;
    info.sender_uid = self().credentials.uid;
    return info;
}

// kill(pid, signal): pid > 0 one process, 0 the caller's group, < -1 the
// group -pid. -1 ("every process you may signal") is refused with EPERM.
int32_t sys_kill(const SyscallArguments& a) {
    int pid = int(a.arg[0]), signal = int(a.arg[1]);
    Result<void> sent = pid > 0    ? send_signal_to_process(pid, signal, sent_by_user())
                        : pid == 0 ? send_signal_to_group(self().process_group, signal, sent_by_user())
                        : pid < -1 ? send_signal_to_group(-pid, signal, sent_by_user())
                                   : Result<void>(Error(EPERM));
    return sent.is_error() ? -sent.error() : 0;
}

// tkill(tid, signal) and tgkill(tgid, tid, signal): a signal to one
// thread (raise(), abort() and pthread_kill use tgkill); tgkill also checks
// that the thread is in that thread group.
int32_t sys_tkill(const SyscallArguments& a) {
    if (int(a.arg[0]) <= 0) return -EINVAL;
    auto sent = send_signal_to_thread_id(0, int(a.arg[0]), int(a.arg[1]), sent_by_user(SI_TKILL));
    return sent.is_error() ? -sent.error() : 0;
}

int32_t sys_tgkill(const SyscallArguments& a) {
    if (int(a.arg[0]) <= 0 || int(a.arg[1]) <= 0) return -EINVAL;
    auto sent = send_signal_to_thread_id(int(a.arg[0]), int(a.arg[1]), int(a.arg[2]), sent_by_user(SI_TKILL));
    return sent.is_error() ? -sent.error() : 0;
}

// struct k_sigaction on i386 as rt_sigaction reads and writes it.
struct KernelSigaction {
    uint32_t handler, flags, restorer;
    uint32_t mask[2];
};
static_assert(sizeof(KernelSigaction) == 20);

int32_t sys_rt_sigaction(const SyscallArguments& a) {
    if (a.arg[3] != SIGSET_SIZE) return -EINVAL;
    SignalAction new_action, old_action;
    if (a.arg[1]) {
        KernelSigaction in;
        if (copy_from_user(&in, a.arg[1], sizeof in).is_error()) return -EFAULT;
        new_action = {in.handler, in.flags, in.restorer, uint64_t(in.mask[1]) << 32 | in.mask[0]};
    }
    auto changed = change_signal_action(int(a.arg[0]), a.arg[1] ? &new_action : nullptr, &old_action);
    if (changed.is_error()) return -changed.error();
    KernelSigaction out{old_action.handler, old_action.flags, old_action.restorer,
                        {uint32_t(old_action.mask), uint32_t(old_action.mask >> 32)}};
    if (a.arg[2] && copy_to_user(a.arg[2], &out, sizeof out).is_error()) return -EFAULT;
    return 0;
}

// rt_sigprocmask(how, const sigset* set, sigset* old, size)
int32_t sys_rt_sigprocmask(const SyscallArguments& a) {
    if (a.arg[3] != SIGSET_SIZE) return -EINVAL;
    uint64_t set = 0, old = 0;
    if (a.arg[1] && copy_from_user(&set, a.arg[1], sizeof set).is_error()) return -EFAULT;
    auto changed = change_blocked_signals(int(a.arg[0]), a.arg[1] ? &set : nullptr, &old);
    if (changed.is_error()) return -changed.error();
    if (a.arg[2] && copy_to_user(a.arg[2], &old, sizeof old).is_error()) return -EFAULT;
    return 0;
}

// rt_sigpending(sigset* set, size): the pending signals that are blocked.
// Unlike the other calls, Linux takes any size up to 8 here and writes
// that many bytes (4: the signals 1-32).
int32_t sys_rt_sigpending(const SyscallArguments& a) {
    if (a.arg[1] > SIGSET_SIZE) return -EINVAL;
    UserThread& thread = *current_user_thread();
    uint64_t pending = pending_signals_of(thread) & thread.signals.blocked;
    auto copied = copy_to_user(a.arg[0], &pending, a.arg[1]);
    return copied.is_error() ? -copied.error() : 0;
}

// pause(): sleeps until a signal's handler is to run, or the process ends. Always EINTR.
int32_t sys_pause(const SyscallArguments&) {
    InterruptGuard atomic;
    while (!has_deliverable_signal()) scheduler::block_current();
    return -EINTR;
}

// rt_sigsuspend(const sigset* mask, size): sleeps with `mask` until a signal.
int32_t sys_rt_sigsuspend(const SyscallArguments& a) {
    if (a.arg[1] != SIGSET_SIZE) return -EINVAL;
    uint64_t mask;
    if (copy_from_user(&mask, a.arg[0], sizeof mask).is_error()) return -EFAULT;
    auto suspended = suspend_until_signal(mask);
    return -suspended.error();
}

// The fields of a user's siginfo_t that rt_sigqueueinfo passes on (Linux
// copies all 128 bytes; these are what si_pid, si_uid and si_value say).
struct QueuedSigInfo {
    int32_t signo, error, code, pid;
    uint32_t uid, value;
};

// rt_sigqueueinfo(tgid, signal, siginfo*) and rt_tgsigqueueinfo(tgid, tid,
// signal, siginfo*): sigqueue(). A program may not claim to be the kernel
// or kill() (si_code >= 0) or tkill (SI_TKILL) when signalling another
// process: EPERM, as Linux.
int32_t queue_signal_with_info(int thread_group, int tid, int signal, uint32_t user_info) {
    QueuedSigInfo in;
    if (copy_from_user(&in, user_info, sizeof in).is_error()) return -EFAULT;
    if ((in.code >= 0 || in.code == SI_TKILL) && thread_group != self().pid) return -EPERM;
    SignalInfo info;
    info.code = in.code;
    info.sender_pid = in.pid;
    info.sender_uid = in.uid;
    info.value = in.value;
    auto sent = tid ? send_signal_to_thread_id(thread_group, tid, signal, info)
                    : send_signal_to_process(thread_group, signal, info);
    return sent.is_error() ? -sent.error() : 0;
}

int32_t sys_rt_sigqueueinfo(const SyscallArguments& a) {
    if (int(a.arg[0]) <= 0) return -EINVAL;
    return queue_signal_with_info(int(a.arg[0]), 0, int(a.arg[1]), a.arg[2]);
}

int32_t sys_rt_tgsigqueueinfo(const SyscallArguments& a) {
    if (int(a.arg[0]) <= 0 || int(a.arg[1]) <= 0) return -EINVAL;
    return queue_signal_with_info(int(a.arg[0]), int(a.arg[1]), int(a.arg[2]), a.arg[3]);
}

// rt_sigtimedwait(const sigset*, siginfo*, const timespec*, size): the
// signal taken, its siginfo written when asked; EAGAIN when the timeout
// passes, EINTR when another signal's handler is to run.
int32_t sigtimedwait_common(const SyscallArguments& a, bool time64) {
    if (a.arg[3] != SIGSET_SIZE) return -EINVAL;
    uint64_t set;
    if (copy_from_user(&set, a.arg[0], sizeof set).is_error()) return -EFAULT;
    uint64_t deadline = UINT64_MAX;
    if (a.arg[2]) {
        auto timeout = read_timespec(a.arg[2], time64);
        if (timeout.is_error()) return -timeout.error();
        deadline = monotonic_clock::uptime_ms() + uint64_t((timeout.value() + 999999) / 1000000);
    }
    auto taken = wait_for_signal_in(set, deadline);
    if (taken.is_error()) return -taken.error();
    if (a.arg[1]) {
        auto written = write_siginfo(a.arg[1], taken.value().signal, taken.value().info);
        if (written.is_error()) return -written.error();
    }
    return taken.value().signal;
}

int32_t sys_rt_sigtimedwait(const SyscallArguments& a) { return sigtimedwait_common(a, false); }
int32_t sys_rt_sigtimedwait_time64(const SyscallArguments& a) { return sigtimedwait_common(a, true); }

// sigaltstack(const stack_t*, stack_t*): stack_t is { ss_sp, ss_flags, ss_size }.
int32_t sys_sigaltstack(const SyscallArguments& a) {
    StackSetting wanted;
    if (a.arg[0] && copy_from_user(&wanted, a.arg[0], sizeof wanted).is_error()) return -EFAULT;
    auto old = change_alternate_stack(a.arg[0] ? &wanted : nullptr, scheduler::current().user_frame->user_esp);
    if (old.is_error()) return -old.error();
    if (a.arg[1] && copy_to_user(a.arg[1], &old.value(), sizeof old.value()).is_error()) return -EFAULT;
    return 0;
}

// sigreturn / rt_sigreturn: back from a handler. The result is the
// restored EAX, so the dispatcher's store of "the result" keeps it. A frame
// the program spoiled ends it with SIGSEGV, as on Linux.
int32_t return_from_handler(bool realtime) {
    InterruptFrame& frame = *scheduler::current().user_frame;
    if (pop_signal_frame(frame, realtime).is_error()) {
        SignalInfo info;
        info.fault_address = frame.user_esp;
        force_signal(SIGSEGV, info);
    }
    return int32_t(frame.eax);
}
int32_t sys_sigreturn(const SyscallArguments&) { return return_from_handler(false); }
int32_t sys_rt_sigreturn(const SyscallArguments&) { return return_from_handler(true); }

}  // namespace

void register_signal_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {29, {"pause", sys_pause}},        {37, {"kill", sys_kill}},          {119, {"sigreturn", sys_sigreturn}}, {173, {"rt_sigreturn", sys_rt_sigreturn}},
        {174, {"rt_sigaction", sys_rt_sigaction}}, {175, {"rt_sigprocmask", sys_rt_sigprocmask}},
        {176, {"rt_sigpending", sys_rt_sigpending}}, {179, {"rt_sigsuspend", sys_rt_sigsuspend}},
        {238, {"tkill", sys_tkill}},       {270, {"tgkill", sys_tgkill}},
        {177, {"rt_sigtimedwait", sys_rt_sigtimedwait}}, {178, {"rt_sigqueueinfo", sys_rt_sigqueueinfo}},
        {186, {"sigaltstack", sys_sigaltstack}},  {335, {"rt_tgsigqueueinfo", sys_rt_tgsigqueueinfo}},
        {421, {"rt_sigtimedwait_time64", sys_rt_sigtimedwait_time64}},
    };
    add_system_calls(table, size, calls);
}
