/* process.c -- process creation, waiting and signal dispositions:
 * fork (call 2), wait4 (114) with waitpid/wait over it, and sigaction/signal
 * over rt_sigaction (174).
 * Must stay true: struct sigaction has the layout of the kernel's i386
 * struct k_sigaction (checked below), and the mask size passed is 8 bytes. */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(sizeof(struct sigaction) == 20, "k_sigaction on i386");
_Static_assert(offsetof(struct sigaction, sa_mask) == 12, "k_sigaction.mask");

pid_t fork(void) { return (pid_t)__syscall_ret(syscall0(SYS_fork)); }

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    return (pid_t)__syscall_ret(syscall4(SYS_wait4, pid, (long)status, options, (long)usage));
}

pid_t waitpid(pid_t pid, int *status, int options) { return wait4(pid, status, options, NULL); }
pid_t wait(int *status) { return wait4(-1, status, 0, NULL); }

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    return (int)__syscall_ret(syscall4(SYS_rt_sigaction, sig, (long)act, (long)old,
                                       sizeof(sigset_t)));
}

/* BSD semantics, like glibc's signal(): calls interrupted by the handler restart. */
sighandler_t signal(int sig, sighandler_t handler)
{
    struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART };
    struct sigaction old;
    if (sigaction(sig, &act, &old) < 0)
        return SIG_ERR;
    return old.sa_handler;
}
