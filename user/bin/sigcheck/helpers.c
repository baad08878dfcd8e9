/* user/bin/sigcheck/helpers.c -- installing handlers, masks, children that send signals, and what
 * the counting handlers saw: the pieces every group of checks uses.
 * Part of sigcheck (sigcheck.h says what it checks and how).
 */
#include "sigcheck.h"

/* ---- helpers ---- */

void install(int sig, void (*handler)(int), unsigned long flags, int also_blocked) {
    struct sigaction act = { .sa_handler = handler, .sa_flags = flags };
    sigemptyset(&act.sa_mask);
    if (also_blocked)
        sigaddset(&act.sa_mask, also_blocked);
    sigaction(sig, &act, NULL);
}

void install_with_info(int sig, void (*handler)(int, siginfo_t *, void *)) {
    struct sigaction act = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
    sigemptyset(&act.sa_mask);
    sigaction(sig, &act, NULL);
}

void change_mask(int how, int sig) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(how, &set, NULL);
}

sigset_t current_mask(void) {
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    return mask;
}

/* Waits for `child`, whatever signals arrive meanwhile; its raw status. */
int reap(pid_t child) {
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        continue;
    return status;
}

int ending(int status) { return WIFSIGNALED(status) ? WTERMSIG(status) : 1000 + WEXITSTATUS(status); }

/* Runs `body` in a child process; returns its raw wait status. */
int in_child(void (*body)(void)) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        body();
        _exit(0);
    }
    return reap(child);
}

/* A child that sends `sig` to this process `count` times, every
 * SEND_INTERVAL_MS, then writes "data" into `fd` (if >= 0) and exits with
 * `status`. */
pid_t start_sender(int sig, int count, int fd, int status) {
    pid_t parent = getpid();
    struct timespec interval = { 0, SEND_INTERVAL_MS * 1000000 };
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < count; i++) {
            kill(parent, sig);
            nanosleep(&interval, NULL);
        }
        if (fd >= 0)
            write(fd, "data", 4);
        _exit(status);
    }
    return child;
}

void stop(pid_t child) {
    kill(child, SIGKILL);
    reap(child);
}

/* What the handlers saw. */
volatile sig_atomic_t deliveries, last_signal;
siginfo_t last_info;
sigset_t context_mask;

void count_delivery(int sig) {
    deliveries++;
    last_signal = sig;
}

void record_info(int sig, siginfo_t *info, void *context) {
    (void)sig;
    last_info = *info;
    context_mask = ((ucontext_t *)context)->uc_sigmask;
    deliveries++;
}
