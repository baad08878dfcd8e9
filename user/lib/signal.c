/* signal.c -- the signal API over the kernel's rt_* calls: dispositions
 * (sigaction, signal), the mask (sigprocmask, sigpending, sigsuspend,
 * pause), sending to oneself (raise, abort) and the sigset_t functions.
 *
 * Handlers return through a restorer of ours (sigreturn.S), as with glibc:
 * sigaction() sets SA_RESTORER unless the caller chose one, and picks the
 * restorer that matches the frame the kernel will build -- rt_sigreturn
 * for SA_SIGINFO handlers, sigreturn for the others. (Without it the
 * kernel would put return code on the stack itself.)
 *
 * Must stay true: every set passed to the kernel is the 8-byte sigset_t,
 * and the structures the kernel reads or writes have its layouts (below). */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

_Static_assert(sizeof(struct sigaction) == 20, "k_sigaction on i386");
_Static_assert(offsetof(struct sigaction, sa_flags) == 4, "k_sigaction.flags");
_Static_assert(offsetof(struct sigaction, sa_restorer) == 8, "k_sigaction.restorer");
_Static_assert(offsetof(struct sigaction, sa_mask) == 12, "k_sigaction.mask");
_Static_assert(sizeof(sigset_t) == 8, "the kernel's sigset_t");
_Static_assert(sizeof(siginfo_t) == 128, "siginfo on i386");
_Static_assert(offsetof(siginfo_t, si_code) == 8, "siginfo.si_code");
_Static_assert(offsetof(siginfo_t, si_pid) == 12, "siginfo._kill.pid");
_Static_assert(offsetof(siginfo_t, si_uid) == 16, "siginfo._kill.uid");
_Static_assert(offsetof(siginfo_t, si_status) == 20, "siginfo._sigchld.status");
_Static_assert(offsetof(siginfo_t, si_addr) == 12, "siginfo._sigfault.addr");
_Static_assert(offsetof(ucontext_t, uc_mcontext) == 20, "ucontext.uc_mcontext");
_Static_assert(sizeof(mcontext_t) == 88, "struct sigcontext");
_Static_assert(offsetof(ucontext_t, uc_sigmask) == 108, "ucontext.uc_sigmask");

/* sigreturn.S */
void __restore(void);
void __restore_rt(void);

/* ---- sets: bit (sig - 1) of two 32-bit words ---- */

static int valid(int sig)
{
    if (sig >= 1 && sig < NSIG)
        return 1;
    errno = EINVAL;
    return 0;
}

#define WORD(sig) ((unsigned)((sig) - 1) / 32)
#define BIT(sig) (1UL << ((unsigned)((sig) - 1) % 32))

int sigemptyset(sigset_t *set)
{
    set->sig[0] = set->sig[1] = 0;
    return 0;
}

int sigfillset(sigset_t *set)
{
    set->sig[0] = set->sig[1] = ~0UL;
    return 0;
}

int sigaddset(sigset_t *set, int sig)
{
    if (!valid(sig))
        return -1;
    set->sig[WORD(sig)] |= BIT(sig);
    return 0;
}

int sigdelset(sigset_t *set, int sig)
{
    if (!valid(sig))
        return -1;
    set->sig[WORD(sig)] &= ~BIT(sig);
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    if (!valid(sig))
        return -1;
    return (set->sig[WORD(sig)] & BIT(sig)) != 0;
}

/* ---- dispositions ---- */

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    struct sigaction with_restorer;
    if (act && !(act->sa_flags & SA_RESTORER)) {
        with_restorer = *act;
        with_restorer.sa_flags |= SA_RESTORER;
        with_restorer.sa_restorer = (act->sa_flags & SA_SIGINFO) ? __restore_rt : __restore;
        act = &with_restorer;
    }
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

/* ---- the mask ---- */

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    return (int)__syscall_ret(syscall4(SYS_rt_sigprocmask, how, (long)set, (long)old,
                                       sizeof(sigset_t)));
}

int sigpending(sigset_t *set)
{
    return (int)__syscall_ret(syscall2(SYS_rt_sigpending, (long)set, sizeof(sigset_t)));
}

/* Always -1 with EINTR: it returns only after a handler ran. */
int sigsuspend(const sigset_t *mask)
{
    return (int)__syscall_ret(syscall2(SYS_rt_sigsuspend, (long)mask, sizeof(sigset_t)));
}

/* pause is sigsuspend with the mask unchanged; i386 Linux also has a call
 * for it (29), which our kernel does not need. */
int pause(void)
{
    sigset_t mask;
    if (sigprocmask(SIG_BLOCK, NULL, &mask) < 0)
        return -1;
    return sigsuspend(&mask);
}

/* ---- signals to oneself ---- */

/* tgkill to our own thread: the handler has run (or the signal is pending,
 * if blocked) by the time raise returns. */
int raise(int sig)
{
    long pid = syscall0(SYS_getpid), thread = syscall0(SYS_gettid);
    return (int)__syscall_ret(syscall3(SYS_tgkill, pid, thread, sig));
}

/* SIGABRT even if it is blocked, and even if a handler returns: then the
 * default action is put back and it is raised again. _exit is for a kernel
 * that would still let the program run. */
_Noreturn void abort(void)
{
    sigset_t abort_only;
    sigemptyset(&abort_only);
    sigaddset(&abort_only, SIGABRT);
    sigprocmask(SIG_UNBLOCK, &abort_only, NULL);
    raise(SIGABRT);
    struct sigaction default_action = { .sa_handler = SIG_DFL };
    sigaction(SIGABRT, &default_action, NULL);
    raise(SIGABRT);
    _exit(127);
}
