/* signal.h -- signal numbers (Linux i386) and kill (call 37);
 * sigaction/signal over rt_sigaction (call 174) in process.c. */
#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <sys/types.h>
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGABRT 6
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGTERM 15
#define SIGBUS 7
#define SIGFPE 8
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGALRM 14
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define NSIG 65
int kill(pid_t pid, int sig);

/* The kernel's struct k_sigaction on i386, used as is: handler, flags,
 * restorer, then a 64-bit mask (rt_sigaction's sigsetsize is 8).
 * Without SA_RESTORER a handler returns through the kernel's own trampoline
 * (Linux: the vDSO); SIG_DFL and SIG_IGN need none. */
typedef void (*sighandler_t)(int);
typedef struct { unsigned long sig[2]; } sigset_t;
struct sigaction {
    sighandler_t sa_handler;
    unsigned long sa_flags;
    void (*sa_restorer)(void);
    sigset_t sa_mask;
};
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)
#define SA_RESTART 0x10000000
#define SA_RESTORER 0x04000000
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
sighandler_t signal(int sig, sighandler_t handler);
#endif
