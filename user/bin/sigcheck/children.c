/* user/bin/sigcheck/children.c -- how children end, what they inherit, abort().
 * Part of sigcheck (sigcheck.h says what it checks and how).
 */
#include "sigcheck.h"

/* ---- children ---- */

void child_endings(void) {
    install_with_info(SIGCHLD, record_info);
    change_mask(SIG_BLOCK, SIGCHLD);
    sigset_t unblocked = current_mask();
    sigdelset(&unblocked, SIGCHLD);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit(7);
    sigsuspend(&unblocked);
    expect("SIGCHLD: si_pid is the child", last_info.si_pid, child);
    expect("SIGCHLD: si_code is CLD_EXITED", last_info.si_code, CLD_EXITED);
    expect("SIGCHLD: si_status is the exit code", last_info.si_status, 7);
    reap(child);
    child = fork();
    if (child == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    sigsuspend(&unblocked);
    expect("SIGCHLD of a killed child: CLD_KILLED", last_info.si_code, CLD_KILLED);
    expect("and si_status is the signal", last_info.si_status, SIGTERM);
    reap(child);
    change_mask(SIG_UNBLOCK, SIGCHLD);
    install(SIGCHLD, SIG_DFL, 0, 0);
}

void inherited_by_a_child(void) {
    install(SIGUSR1, count_delivery, 0, 0);
    deliveries = 0;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        raise(SIGUSR1);
        _exit(deliveries);
    }
    expect("a child inherits the handlers", ending(reap(child)), 1001);
    change_mask(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    child = fork();
    if (child == 0) {
        sigset_t mask = current_mask(), pending;
        sigpending(&pending);
        _exit(sigismember(&mask, SIGUSR1) * 2 + sigismember(&pending, SIGUSR1));
    }
    expect("a child inherits the mask, not the pending signals", ending(reap(child)), 1002);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    expect("the parent's pending signal stays its own", deliveries, 1);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

static int abort_pipe = -1;
static void say_aborted(int sig) { (void)sig; write(abort_pipe, "h", 1); }
static void abort_plainly(void) { abort(); }
static void abort_after_handler(void) { install(SIGABRT, say_aborted, 0, 0); abort(); }
static void abort_while_blocked(void) { change_mask(SIG_BLOCK, SIGABRT); abort(); }

void aborts(void) {
    int fds[2];
    char said = 0;
    pipe(fds);
    abort_pipe = fds[1];
    expect("abort ends the program with SIGABRT", ending(in_child(abort_plainly)), SIGABRT);
    expect("a SIGABRT handler that returns does not stop abort", ending(in_child(abort_after_handler)), SIGABRT);
    expect("the handler ran first", read(fds[0], &said, 1) == 1 && said == 'h', 1);
    expect("abort ends the program with SIGABRT blocked", ending(in_child(abort_while_blocked)), SIGABRT);
    close(fds[0]);
    close(fds[1]);
}
