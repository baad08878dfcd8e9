/* signal.h -- signals: numbers, sets, dispositions, and what a handler
 * learns (Linux i386 values and layouts).
 *
 * signal.c: sigaction/signal over rt_sigaction (call 174), sigprocmask (175),
 * sigpending (176), sigsuspend (179), raise (tgkill, 270), the sigset_t
 * functions; sigreturn.S: the restorers handlers return through. Elsewhere:
 * kill (syscalls.c), pause (unistd.h), strsignal (string.h), the context a
 * SA_SIGINFO handler gets (ucontext.h).
 *
 * Must stay true: struct sigaction is the kernel's i386 struct k_sigaction
 * (handler, flags, restorer, then the 64-bit mask that rt_sigaction's
 * sigsetsize of 8 describes), and siginfo_t is Linux's 128-byte i386
 * siginfo; signal.c checks both layouts at compile time. */
#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <sys/types.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT SIGABRT
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define NSIG 65             /* signals are 1..64 */

/* What a handler and the code it interrupts may both write (as volatile). */
typedef int sig_atomic_t;

/* A set of signals 1..64: bit (n - 1) of the kernel's 64-bit sigset_t. */
typedef struct { unsigned long sig[2]; } sigset_t;

/* What a SA_SIGINFO handler is told. Which members mean something
 * depends on the signal: si_pid/si_uid for kill and tgkill, those and
 * si_status (exit code or signal) for SIGCHLD, si_addr for the faults
 * (SIGSEGV: the address touched; SIGFPE, SIGILL: the instruction). */
typedef struct {
    int si_signo;
    int si_errno;
    int si_code;
    union {
        struct {
            pid_t si_pid;
            uid_t si_uid;
            int si_status;
        };
        void *si_addr;
        int __pad[29];
    };
} siginfo_t;

/* si_code: who sent the signal, or why the kernel did. */
#define SI_USER 0           /* kill() */
#define SI_KERNEL 0x80
#define SI_TKILL (-6)       /* tkill(), tgkill(): raise() */
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2        /* x86's invalid opcode (ud2) */
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define SEGV_MAPERR 1       /* nothing mapped there */
#define SEGV_ACCERR 2       /* mapped, but not for this access */
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3

typedef void (*sighandler_t)(int);
struct sigaction {
    union {
        sighandler_t sa_handler;                              /* without SA_SIGINFO */
        void (*sa_sigaction)(int, siginfo_t *, void *);      /* with SA_SIGINFO */
    };
    unsigned long sa_flags;
    void (*sa_restorer)(void);
    sigset_t sa_mask;
};
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000    /* set by sigaction() itself */
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

int kill(pid_t pid, int sig);
int raise(int sig);
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
#endif
