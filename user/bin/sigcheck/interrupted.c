/* user/bin/sigcheck/interrupted.c -- waiting for signals, and calls that a signal interrupts
 * (EINTR) or restarts (SA_RESTART).
 * Part of sigcheck (sigcheck.h says what it checks and how).
 */
#include "sigcheck.h"

/* ---- waiting for signals, interrupted calls ---- */

void waiting_for_a_signal(void) {
    install_with_info(SIGUSR1, record_info);
    change_mask(SIG_BLOCK, SIGUSR1);
    deliveries = 0;
    pid_t child = start_sender(SIGUSR1, 1, -1, 0);
    sigset_t unblocked = current_mask();
    sigdelset(&unblocked, SIGUSR1);
    errno = 0;
    int result = sigsuspend(&unblocked);
    expect("sigsuspend returns -1 with EINTR after the handler", result == -1 && errno == EINTR && deliveries == 1, 1);
    expect("a signal from a child carries its pid", last_info.si_pid, child);
    sigset_t after = current_mask();
    expect("sigsuspend puts the mask back", sigismember(&after, SIGUSR1), 1);
    reap(child);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    deliveries = 0;
    child = start_sender(SIGUSR1, MANY, -1, 0);
    errno = 0;
    result = pause();
    expect("pause returns -1 with EINTR after a handler", result == -1 && errno == EINTR && deliveries >= 1, 1);
    stop(child);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

void interrupted_reads(void) {
    char buffer[8] = { 0 };
    int fds[2];
    install(SIGUSR1, count_delivery, 0, 0);
    pipe(fds);
    pid_t child = start_sender(SIGUSR1, MANY, fds[1], 0);
    errno = 0;
    long got = read(fds[0], buffer, sizeof buffer);
    expect("a handler interrupts read on a pipe: EINTR", got == -1 && errno == EINTR, 1);
    stop(child);
    close(fds[0]);
    close(fds[1]);
    install(SIGUSR1, count_delivery, SA_RESTART, 0);
    pipe(fds);
    deliveries = 0;
    child = start_sender(SIGUSR1, FEW, fds[1], 0);
    got = read(fds[0], buffer, sizeof buffer);
    expect("with SA_RESTART the read goes on and returns the data",
           got == 4 && memcmp(buffer, "data", 4) == 0 && deliveries >= 1, 1);
    reap(child);
    close(fds[0]);
    close(fds[1]);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

void interrupted_waits(void) {
    int status = 0;
    install(SIGUSR1, count_delivery, 0, 0);
    pid_t child = start_sender(SIGUSR1, MANY, -1, 0);
    errno = 0;
    long waited = waitpid(child, &status, 0);
    expect("a handler interrupts wait4: EINTR", waited == -1 && errno == EINTR, 1);
    stop(child);
    install(SIGUSR1, count_delivery, SA_RESTART, 0);
    child = start_sender(SIGUSR1, FEW, -1, 7);
    waited = waitpid(child, &status, 0);
    expect("with SA_RESTART wait4 goes on until the child ends", waited == child && ending(status) == 1007, 1);
    child = start_sender(SIGUSR1, MANY, -1, 0);
    struct timespec request = { 5, 0 }, left = { 0, 0 };
    errno = 0;
    int slept = nanosleep(&request, &left);
    expect("nanosleep is interrupted even with SA_RESTART", slept == -1 && errno == EINTR, 1);
    /* Linux's timers have 50 microseconds of slack: "left" may exceed 5 s. */
    expect("and tells the time left", left.tv_sec <= 5 && (left.tv_sec > 0 || left.tv_nsec > 0), 1);
    stop(child);
    install(SIGUSR1, SIG_DFL, 0, 0);
}
