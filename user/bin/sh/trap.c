/* trap.c -- signals in the shell (user space, /bin/sh; XCU 2.14 `trap`).
 *
 * Signal names (INT, SIGINT, 2), the trap table (an action string, '' to
 * ignore, or none for the default), and the shell's own dispositions: an
 * interactive shell ignores SIGINT, SIGQUIT and SIGTERM, and with job
 * control SIGTSTP, SIGTTIN and SIGTTOU too; its children get the defaults
 * back (a trap's action is reset in a child, an ignored signal stays
 * ignored, as POSIX says). A trapped signal only sets a flag; the action
 * runs between commands (traps_run_pending), with $? preserved.
 * Must stay true: nothing but setting flags happens in a signal handler. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

static const char *names[NSIG] = {
    [0] = "EXIT", [SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
    [SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
    [SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
    [SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT",
    [SIGCHLD] = "CHLD", [SIGCONT] = "CONT", [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",
    [SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU",
    [SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
    [SIGIO] = "IO", [SIGPWR] = "PWR", [SIGSYS] = "SYS",
};

static char *actions[NSIG];      /* NULL: default; "": ignored */
static volatile int pending[NSIG];
volatile int trap_pending;
static volatile int last_signal;
static int running_trap;

const char *signal_name(int sig)
{
    return sig >= 0 && sig < NSIG && names[sig] ? names[sig] : NULL;
}

int signal_number(const char *name)
{
    if (*name >= '0' && *name <= '9') {
        char *end;
        long n = strtol(name, &end, 10);
        return *end || n >= NSIG ? -1 : (int)n;
    }
    if (strncmp(name, "SIG", 3) == 0)
        name += 3;
    for (int i = 0; i < NSIG; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return i;
    return -1;
}

static void set_disposition(int sig, sighandler_t handler)
{
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = handler;
    sigaction(sig, &act, NULL);
}

static void on_signal(int sig)
{
    pending[sig] = 1;
    last_signal = sig;
    trap_pending = 1;
}

int trap_last_signal(void) { return last_signal; }

/* What a signal does in the shell itself when no trap names it. */
static sighandler_t shell_default(int sig)
{
    if (sh.interactive && (sig == SIGINT || sig == SIGQUIT || sig == SIGTERM))
        return SIG_IGN;
    if (sh.job_control && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU))
        return SIG_IGN;
    return SIG_DFL;
}

void trap_set_shell_signals(int interactive)
{
    (void)interactive;
    int list[] = { SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (!actions[list[i]])
            set_disposition(list[i], shell_default(list[i]));
}

void signals_default_in_child(int background_without_job_control)
{
    for (int sig = 1; sig < NSIG; sig++) {
        if (actions[sig] && !*actions[sig])
            continue;   /* ignored stays ignored */
        if (actions[sig]) {
            free(actions[sig]);
            actions[sig] = NULL;
        }
        if (sig == SIGINT || sig == SIGQUIT || sig == SIGTERM || sig == SIGTSTP ||
            sig == SIGTTIN || sig == SIGTTOU || pending[sig])
            set_disposition(sig, SIG_DFL);
        pending[sig] = 0;
    }
    free(actions[0]);
    actions[0] = NULL;
    trap_pending = 0;
    if (background_without_job_control) {
        set_disposition(SIGINT, SIG_IGN);
        set_disposition(SIGQUIT, SIG_IGN);
    }
}

void traps_run_pending(void)
{
    if (running_trap)
        return;
    trap_pending = 0;
    for (int sig = 1; sig < NSIG; sig++) {
        if (!pending[sig])
            continue;
        pending[sig] = 0;
        if (!actions[sig] || !*actions[sig])
            continue;
        int saved = sh.status;
        running_trap = 1;
        char *action = xstrdup(actions[sig]);
        exec_string(action);
        free(action);
        running_trap = 0;
        if (sh.jump != JUMP_RETURN || !sh.function_depth)
            sh.status = saved;
    }
}

void trap_run_exit(void)
{
    if (!actions[0] || !*actions[0])
        return;
    char *action = actions[0];
    actions[0] = NULL;
    int saved = sh.status;
    exec_string(action);
    sh.status = saved;
    free(action);
}

static void print_traps(void)
{
    for (int sig = 0; sig < NSIG; sig++) {
        if (!actions[sig])
            continue;
        char *quoted = var_quote(actions[sig]);
        printf("trap -- %s %s\n", *actions[sig] ? quoted : "''", names[sig]);
        free(quoted);
    }
}

static int set_trap(const char *action, const char *name)
{
    int sig = signal_number(name);
    if (sig < 0) {
        sh_error("trap: %s: bad trap", name);
        return 1;
    }
    if (sig == SIGKILL || sig == SIGSTOP)
        return 0;
    free(actions[sig]);
    actions[sig] = action ? xstrdup(action) : NULL;
    if (sig == 0)
        return 0;
    if (!action)
        set_disposition(sig, shell_default(sig));
    else if (!*action)
        set_disposition(sig, SIG_IGN);
    else
        set_disposition(sig, on_signal);
    return 0;
}

int trap_builtin(int argc, char **argv)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc) {
        print_traps();
        return 0;
    }
    if (strcmp(argv[i], "-l") == 0) {
        for (int sig = 1; sig < NSIG; sig++)
            if (names[sig])
                printf("%d) SIG%s\n", sig, names[sig]);
        return 0;
    }
    const char *action = argv[i];
    int status = 0;
    /* A first operand that is a number is a condition: reset them all. */
    if (signal_number(action) >= 0 && (*action >= '0' && *action <= '9')) {
        for (; i < argc; i++)
            status |= set_trap(NULL, argv[i]);
        return status;
    }
    if (strcmp(action, "-") == 0)
        action = NULL;
    for (i++; i < argc; i++)
        status |= set_trap(action, argv[i]);
    return status;
}

void traps_init(void)
{
    trap_set_shell_signals(sh.interactive);
}

int traps_reset_in_child(void) { return 0; }
int sigint_received(void) { return pending[SIGINT]; }

int trap_has_exit(void) { return actions[0] && *actions[0]; }

/* A non-interactive shell waiting for a command lets Ctrl-C end only the
 * command (the terminal signals the whole group): SIGINT is ignored for
 * the wait unless a trap wants it. */
void trap_hold_sigint(int hold)
{
    if (sh.interactive || actions[SIGINT])
        return;
    set_disposition(SIGINT, hold ? SIG_IGN : SIG_DFL);
}
