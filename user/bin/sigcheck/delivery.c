/* user/bin/sigcheck/delivery.c -- handlers run, siginfo says who sent, blocked signals wait,
 * the mask while a handler runs.
 * Part of sigcheck (sigcheck.h says what it checks and how).
 */
#include "sigcheck.h"

/* The child of "and so does a SA_SIGINFO handler": exits 0 once its handler
 * ran and returned. */
static void siginfo_handler_without_restorer(void) {
    struct sigaction bare = { .sa_sigaction = record_info, .sa_flags = SA_SIGINFO };
    int before = deliveries;
    syscall4(SYS_rt_sigaction, SIGUSR1, (long)&bare, 0, sizeof(sigset_t));
    _exit(raise(SIGUSR1) == 0 && deliveries == before + 1 ? 0 : 1);
}

/* ---- handlers, siginfo ---- */

void handlers_run(void) {
    deliveries = 0;
    install(SIGUSR1, count_delivery, 0, 0);
    expect("kill(getpid()) runs the handler", kill(getpid(), SIGUSR1) == 0 && deliveries == 1, 1);
    expect("the handler gets the signal number", last_signal, SIGUSR1);
    expect("raise runs the handler", raise(SIGUSR1) == 0 && deliveries == 2, 1);
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    expect("sigaction reports the handler", old.sa_handler == count_delivery, 1);
    expect("signal() returns the previous handler", signal(SIGUSR1, SIG_IGN) == count_delivery, 1);
    expect("an ignored signal does nothing", raise(SIGUSR1) == 0 && deliveries == 2, 1);
    /* Without SA_RESTORER the kernel provides the way back (Linux: its
     * vDSO; ours: code in the frame), for both kinds of frame. */
    struct sigaction bare = { .sa_handler = count_delivery };
    syscall4(SYS_rt_sigaction, SIGUSR1, (long)&bare, 0, sizeof(sigset_t));
    expect("without SA_RESTORER a handler returns too", raise(SIGUSR1) == 0 && deliveries == 3, 1);
    /* In a child: a way back that is missing would end the program there,
     * and the check says so (the signal that ended it) instead. */
    expect("and so does a SA_SIGINFO handler", ending(in_child(siginfo_handler_without_restorer)), 1000);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

void siginfo_says_who_sent(void) {
    install_with_info(SIGUSR2, record_info);
    change_mask(SIG_BLOCK, SIGTERM);
    kill(getpid(), SIGUSR2);
    expect("SA_SIGINFO: si_signo", last_info.si_signo, SIGUSR2);
    expect("kill: si_code is SI_USER", last_info.si_code, SI_USER);
    expect("kill: si_pid is the sender", last_info.si_pid, getpid());
    expect("kill: si_uid is the sender's", last_info.si_uid, getuid());
    expect("the context holds the mask to go back to",
           sigismember(&context_mask, SIGTERM) == 1 && sigismember(&context_mask, SIGUSR2) == 0, 1);
    memset(&last_info, 0, sizeof last_info);
    raise(SIGUSR2);
    expect("raise: si_code is SI_TKILL", last_info.si_code, SI_TKILL);
    expect("raise: si_pid is the sender", last_info.si_pid, getpid());
    change_mask(SIG_UNBLOCK, SIGTERM);
    install(SIGUSR2, SIG_DFL, 0, 0);
}

/* ---- blocking and masks ---- */

void blocked_signals_wait(void) {
    sigset_t pending, old, all, now;
    install(SIGUSR1, count_delivery, 0, 0);
    deliveries = 0;
    change_mask(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    raise(SIGUSR1);
    expect("a blocked signal is not delivered", deliveries, 0);
    sigpending(&pending);
    expect("sigpending shows it", sigismember(&pending, SIGUSR1), 1);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    expect("unblocked, it is delivered once", deliveries, 1);
    sigpending(&pending);
    expect("and is no longer pending", sigismember(&pending, SIGUSR1), 0);
    change_mask(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    install(SIGUSR1, SIG_IGN, 0, 0);
    sigpending(&pending);
    expect("ignoring a pending signal discards it", sigismember(&pending, SIGUSR1), 0);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    now = current_mask();
    sigprocmask(SIG_SETMASK, &old, NULL);
    expect("SIGKILL and SIGSTOP cannot be blocked", sigismember(&now, SIGKILL) + sigismember(&now, SIGSTOP), 0);
    expect("the other signals can", sigismember(&now, SIGUSR1) + sigismember(&now, 64), 2);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

static sigset_t mask_inside;
static volatile sig_atomic_t depth, deepest;
static char trace[16];

static void note_mask_and_raise_again(int sig) {
    depth++;
    if (depth > deepest)
        deepest = depth;
    sigprocmask(SIG_BLOCK, NULL, &mask_inside);
    if (++deliveries == 1)
        raise(sig);
    depth--;
}

static void trace_add(char c) { trace[strlen(trace)] = c; }
static void outer_handler(int sig) { (void)sig; trace_add('('); raise(SIGUSR2); trace_add(')'); }
static void inner_handler(int sig) { (void)sig; trace_add('*'); }

void masks_while_handling(void) {
    install(SIGUSR1, note_mask_and_raise_again, 0, SIGUSR2);
    deliveries = deepest = 0;
    raise(SIGUSR1);
    expect("in its handler a signal is blocked", sigismember(&mask_inside, SIGUSR1), 1);
    expect("and so is its sa_mask", sigismember(&mask_inside, SIGUSR2), 1);
    expect("raised in its own handler, it waits for the return", deepest, 1);
    expect("and then runs", deliveries, 2);
    sigset_t after = current_mask();
    expect("the mask is back after the handler", sigismember(&after, SIGUSR1) + sigismember(&after, SIGUSR2), 0);
    install(SIGUSR1, note_mask_and_raise_again, SA_NODEFER, 0);
    deliveries = deepest = 0;
    raise(SIGUSR1);
    expect("SA_NODEFER: its signal is not blocked", sigismember(&mask_inside, SIGUSR1), 0);
    expect("SA_NODEFER: raised again, the handler nests", deepest, 2);
    install(SIGUSR1, outer_handler, 0, 0);
    install(SIGUSR2, inner_handler, 0, 0);
    memset(trace, 0, sizeof trace);
    raise(SIGUSR1);
    expect("a signal raised in another's handler runs inside it", strcmp(trace, "(*)"), 0);
    install(SIGUSR1, SIG_DFL, 0, 0);
    install(SIGUSR2, SIG_DFL, 0, 0);
}
