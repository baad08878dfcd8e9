/* strsignal.c -- the name of a signal as glibc spells it ("Segmentation
 * fault", "Killed"), so a shell reports a program's end exactly like bash
 * does on the host.
 *
 * Must stay true: the strings equal glibc's; numbers 34-64 are glibc's
 * real-time signals, counted from its SIGRTMIN of 34 (32 and 33 are kept
 * for its threads), and any other number is "Unknown signal N". */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = {
    [SIGHUP] = "Hangup",
    [SIGINT] = "Interrupt",
    [SIGQUIT] = "Quit",
    [SIGILL] = "Illegal instruction",
    [SIGTRAP] = "Trace/breakpoint trap",
    [SIGABRT] = "Aborted",
    [SIGBUS] = "Bus error",
    [SIGFPE] = "Floating point exception",
    [SIGKILL] = "Killed",
    [SIGUSR1] = "User defined signal 1",
    [SIGSEGV] = "Segmentation fault",
    [SIGUSR2] = "User defined signal 2",
    [SIGPIPE] = "Broken pipe",
    [SIGALRM] = "Alarm clock",
    [SIGTERM] = "Terminated",
    [SIGSTKFLT] = "Stack fault",
    [SIGCHLD] = "Child exited",
    [SIGCONT] = "Continued",
    [SIGSTOP] = "Stopped (signal)",
    [SIGTSTP] = "Stopped",
    [SIGTTIN] = "Stopped (tty input)",
    [SIGTTOU] = "Stopped (tty output)",
    [SIGURG] = "Urgent I/O condition",
    [SIGXCPU] = "CPU time limit exceeded",
    [SIGXFSZ] = "File size limit exceeded",
    [SIGVTALRM] = "Virtual timer expired",
    [SIGPROF] = "Profiling timer expired",
    [SIGWINCH] = "Window changed",
    [SIGIO] = "I/O possible",
    [SIGPWR] = "Power failure",
    [SIGSYS] = "Bad system call",
};

#define FIRST_REAL_TIME 34

/* Numbers without a fixed name are formatted into a static buffer, as
 * strerror does for unknown errors. */
char *strsignal(int sig)
{
    static char numbered[32];
    if (sig > 0 && (size_t)sig < sizeof names / sizeof names[0])
        return (char *)names[sig];
    if (sig >= FIRST_REAL_TIME && sig < NSIG)
        snprintf(numbered, sizeof numbered, "Real-time signal %d", sig - FIRST_REAL_TIME);
    else
        snprintf(numbered, sizeof numbered, "Unknown signal %d", sig);
    return numbered;
}
