/* user/bin/sigcheck/arguments.c -- bad arguments to the signal calls give Linux's errors.
 * Part of sigcheck (sigcheck.h says what it checks and how).
 */
#include "sigcheck.h"

/* ---- bad arguments ---- */

void bad_arguments(void) {
    struct sigaction act = { .sa_handler = SIG_IGN }, old;
    sigset_t set;
    sigemptyset(&set);
    long a = (long)&act, o = (long)&old, s = (long)&set, pid = getpid();
    expect("rt_sigaction with sigsetsize 4", syscall4(SYS_rt_sigaction, SIGUSR1, a, 0, 4), -EINVAL);
    expect("rt_sigaction for SIGKILL", syscall4(SYS_rt_sigaction, SIGKILL, a, 0, 8), -EINVAL);
    expect("rt_sigaction for SIGSTOP", syscall4(SYS_rt_sigaction, SIGSTOP, a, 0, 8), -EINVAL);
    expect("rt_sigaction asking about SIGKILL", syscall4(SYS_rt_sigaction, SIGKILL, 0, o, 8), 0);
    expect("rt_sigaction for signal 0", syscall4(SYS_rt_sigaction, 0, a, 0, 8), -EINVAL);
    expect("rt_sigaction for signal 65", syscall4(SYS_rt_sigaction, 65, a, 0, 8), -EINVAL);
    expect("rt_sigaction from an unmapped address", syscall4(SYS_rt_sigaction, SIGUSR1, UNMAPPED_POINTER, 0, 8),
           -EFAULT);
    expect("rt_sigaction from a kernel address", syscall4(SYS_rt_sigaction, SIGUSR1, KERNEL_POINTER, 0, 8), -EFAULT);
    expect("rt_sigaction into an unmapped address", syscall4(SYS_rt_sigaction, SIGUSR1, 0, UNMAPPED_POINTER, 8),
           -EFAULT);
    expect("rt_sigprocmask with how 7", syscall4(SYS_rt_sigprocmask, 7, s, 0, 8), -EINVAL);
    expect("rt_sigprocmask with how 7 and no set", syscall4(SYS_rt_sigprocmask, 7, 0, s, 8), 0);
    expect("rt_sigprocmask from an unmapped set", syscall4(SYS_rt_sigprocmask, SIG_BLOCK, UNMAPPED_POINTER, 0, 8),
           -EFAULT);
    expect("rt_sigprocmask into an unmapped address",
           syscall4(SYS_rt_sigprocmask, SIG_BLOCK, 0, UNMAPPED_POINTER, 8), -EFAULT);
    expect("rt_sigprocmask with sigsetsize 4", syscall4(SYS_rt_sigprocmask, SIG_BLOCK, s, 0, 4), -EINVAL);
    expect("rt_sigpending into an unmapped address", syscall2(SYS_rt_sigpending, UNMAPPED_POINTER, 8), -EFAULT);
    expect("rt_sigpending with sigsetsize 4 (the low half)", syscall2(SYS_rt_sigpending, s, 4), 0);
    expect("rt_sigpending with sigsetsize 16", syscall2(SYS_rt_sigpending, s, 16), -EINVAL);
    expect("rt_sigsuspend with sigsetsize 4", syscall2(SYS_rt_sigsuspend, s, 4), -EINVAL);
    expect("rt_sigsuspend from an unmapped mask", syscall2(SYS_rt_sigsuspend, UNMAPPED_POINTER, 8), -EFAULT);
    expect("kill of a process that does not exist", syscall2(SYS_kill, NO_SUCH_PID, SIGUSR1), -ESRCH);
    expect("kill with signal 65", syscall2(SYS_kill, pid, 65), -EINVAL);
    expect("kill with signal -1", syscall2(SYS_kill, pid, -1), -EINVAL);
    expect("kill with signal 0 only checks", syscall2(SYS_kill, pid, 0), 0);
    expect("tgkill of a thread not in the group", syscall3(SYS_tgkill, pid, NO_SUCH_PID, SIGUSR1), -ESRCH);
    expect("tgkill with thread group 0", syscall3(SYS_tgkill, 0, pid, SIGUSR1), -EINVAL);
    expect("tgkill with signal 65", syscall3(SYS_tgkill, pid, pid, 65), -EINVAL);
    expect("tkill of thread 0", syscall2(SYS_tkill, 0, SIGUSR1), -EINVAL);
}
