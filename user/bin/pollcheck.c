/* pollcheck -- checks the kernel's poll, ppoll, select and pselect6 (and
 * the old i386 select and the time64 twins) against what Linux does.
 *
 * Usage: pollcheck [REGULAR-FILE]   (default: the program itself, argv[0])
 *
 * Pipes (empty, with data, full, without writers or readers), /dev/null,
 * a regular file and a directory; a closed and a negative descriptor;
 * timeouts (zero, short, infinite until a child writes); EINTR when a
 * child's signal comes, and the signal mask of ppoll and pselect during
 * and after the wait; select's fd_set rules and the time it writes back;
 * bad arguments (EINVAL, EBADF, EFAULT). Prints "ok NAME" or "FAIL NAME:
 * got X, expected Y" for each check and "pollcheck: N failed" at the end;
 * the exit status is N. The same binary runs on a Linux host, which is
 * the reference (tests/user), and on our kernel (tests/qemu/test_poll.py). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYS_old_select 82
#define SYS_ugetrlimit_call 191
#define SYS_pipe2_call 331
#define SYS_pselect6_time64 413
#define SYS_ppoll_time64 414
#define RLIMIT_NOFILE_RESOURCE 7

static long elapsed_ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

/* poll of one descriptor: its revents, or -errno. */
static long poll_one(int fd, short events, int timeout_ms)
{
    struct pollfd p = {fd, events, 0x7777};
    int n = poll(&p, 1, timeout_ms);
    if (n < 0)
        return -errno;
    return n == 0 ? (p.revents == 0 ? 0 : 0x10000 | p.revents) : p.revents;
}

/* A child that writes one byte to `fd` after `delay_ms`, then ends. */
static pid_t write_later(int fd, long delay_ms)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(delay_ms);
        write(fd, "w", 1);
        _exit(0);
    }
    return child;
}

/* A child that sends `sig` to its parent after `delay_ms`. */
static pid_t signal_later(int sig, long delay_ms)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(delay_ms);
        kill(getppid(), sig);
        _exit(0);
    }
    return child;
}

static void reap(pid_t child) { waitpid(child, NULL, 0); }

static volatile int handled;
static void count_signal(int sig) { (void)sig; handled++; }

static void install_handler(int sig, int flags)
{
    struct sigaction act = {.sa_handler = count_signal, .sa_flags = flags};
    sigaction(sig, &act, NULL);
}

static int blocked_now(int sig)
{
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    return sigismember(&mask, sig);
}

/* ---- poll on pipes ---- */

static void pipe_events(void)
{
    int fds[2];
    pipe(fds);
    expect("poll: an empty pipe is not readable", poll_one(fds[0], POLLIN, 0), 0);
    expect("poll: an empty pipe's write end is writable", poll_one(fds[1], POLLOUT, 0), POLLOUT);
    expect("poll: POLLWRNORM too when asked", poll_one(fds[1], POLLOUT | POLLWRNORM, 0), POLLOUT | POLLWRNORM);
    write(fds[1], "ab", 2);
    expect("poll: a pipe with data is readable", poll_one(fds[0], POLLIN | POLLRDNORM, 0), POLLIN | POLLRDNORM);
    expect("poll: only the events asked for", poll_one(fds[0], POLLOUT, 0), 0);
    close(fds[1]);
    expect("poll: data and no writer: POLLIN and POLLHUP", poll_one(fds[0], POLLIN, 0), POLLIN | POLLHUP);
    char buffer[4];
    read(fds[0], buffer, sizeof buffer);
    expect("poll: empty without writers: POLLHUP only", poll_one(fds[0], POLLIN, 0), POLLHUP);
    expect("poll: POLLHUP even when not asked for", poll_one(fds[0], 0, 0), POLLHUP);
    close(fds[0]);

    pipe(fds);
    close(fds[0]);
    expect("poll: a write end without readers: POLLOUT and POLLERR", poll_one(fds[1], POLLOUT, 0),
           POLLOUT | POLLERR);
    expect("poll: POLLERR even when not asked for", poll_one(fds[1], 0, 0), POLLERR);
    close(fds[1]);
}

static void full_pipe(void)
{
    int fds[2];
    syscall2(SYS_pipe2_call, (long)fds, O_NONBLOCK);
    static char block[1024];
    long total = 0;
    while (write(fds[1], block, sizeof block) > 0)
        total += sizeof block;
    expect("poll: a full pipe is not writable", poll_one(fds[1], POLLOUT, 0), 0);
    expect("poll: a full pipe is readable", poll_one(fds[0], POLLIN, 0), POLLIN);
    static char out[4096];
    expect("read 4096 bytes of a full pipe", read(fds[0], out, sizeof out), 4096);
    expect("poll: writable again once 4096 bytes are free", poll_one(fds[1], POLLOUT, 0), POLLOUT);
    close(fds[0]);
    close(fds[1]);
}

static void several_descriptors(void)
{
    int a[2], b[2];
    pipe(a);
    pipe(b);
    pid_t child = write_later(b[1], 100);
    struct pollfd set[3] = {{a[0], POLLIN, 0}, {-1, POLLIN, 0x55}, {b[0], POLLIN, 0}};
    int n = poll(set, 3, -1);
    expect("poll -1: sleeps until a child writes to one of two pipes", n, 1);
    expect("poll: the quiet pipe has no events", set[0].revents, 0);
    expect("poll: a negative fd is skipped with revents 0", set[1].revents, 0);
    expect("poll: the pipe written to is readable", set[2].revents, POLLIN);
    reap(child);
    close(a[0]), close(a[1]), close(b[0]), close(b[1]);
}

/* ---- other files ---- */

static void other_files(const char *regular)
{
    int null_fd = open("/dev/null", O_WRONLY);
    expect("poll: /dev/null is readable and writable", poll_one(null_fd, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
    close(null_fd);
    int zero_fd = open("/dev/zero", O_RDONLY);
    expect("poll: /dev/zero is readable", poll_one(zero_fd, POLLIN, 0), POLLIN);
    close(zero_fd);
    int file = open(regular, O_RDONLY);
    expect("open the regular file", file >= 0, 1);
    expect("poll: a regular file is always readable and writable", poll_one(file, POLLIN | POLLOUT, 0),
           POLLIN | POLLOUT);
    int directory = open("/", O_RDONLY | O_DIRECTORY);
    expect("poll: a directory is readable", poll_one(directory, POLLIN, 0), POLLIN);
    close(directory);
    close(file);
    expect("poll: a closed descriptor gets POLLNVAL", poll_one(file, POLLIN, 0), POLLNVAL);
    struct pollfd p = {file, POLLIN, 0};
    expect("poll: and counts as ready", poll(&p, 1, 0), 1);
}

/* ---- timeouts and signals ---- */

static void timeouts(void)
{
    int fds[2];
    pipe(fds);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    expect("poll 200 ms on an empty pipe: 0", poll_one(fds[0], POLLIN, 200), 0);
    long waited = elapsed_ms_since(&start);
    expect("poll: waited at least 190 ms", waited >= 190, 1);
    expect("poll: and less than 2 s", waited < 2000, 1);
    expect("poll with no descriptors sleeps its timeout", poll(NULL, 0, 50), 0);
    struct timespec ppoll_timeout = {0, 150000000};
    struct pollfd p = {fds[0], POLLIN, 0};
    clock_gettime(CLOCK_MONOTONIC, &start);
    expect("ppoll 150 ms: 0", ppoll(&p, 1, &ppoll_timeout, NULL), 0);
    expect("ppoll: waited at least 140 ms", elapsed_ms_since(&start) >= 140, 1);
    struct timespec bad = {0, 1000000000};
    expect("ppoll: tv_nsec of a second is EINVAL", ppoll(&p, 1, &bad, NULL) == -1 ? errno : 0, EINVAL);
    bad.tv_sec = -1, bad.tv_nsec = 0;
    expect("ppoll: a negative timeout is EINVAL", ppoll(&p, 1, &bad, NULL) == -1 ? errno : 0, EINVAL);
    long long time64[2] = {0, 0};
    expect("ppoll_time64 with a zero timeout", syscall5(SYS_ppoll_time64, (long)&p, 1, (long)time64, 0, 8), 0);
    write(fds[1], "x", 1);
    expect("ppoll_time64 sees the data", syscall5(SYS_ppoll_time64, (long)&p, 1, (long)time64, 0, 8), 1);
    close(fds[0]);
    close(fds[1]);
}

static void interrupted_by_signals(void)
{
    int fds[2];
    pipe(fds);
    install_handler(SIGUSR1, SA_RESTART);
    handled = 0;
    pid_t child = signal_later(SIGUSR1, 100);
    long result = poll_one(fds[0], POLLIN, -1);
    expect("poll: a signal ends the wait with EINTR, even with SA_RESTART", result, -EINTR);
    expect("poll: and the handler ran", handled, 1);
    reap(child);

    sigset_t block_usr1, unblocked;
    sigemptyset(&block_usr1);
    sigaddset(&block_usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block_usr1, NULL);
    sigprocmask(SIG_BLOCK, NULL, &unblocked);
    sigdelset(&unblocked, SIGUSR1);
    handled = 0;
    child = signal_later(SIGUSR1, 100);
    struct pollfd p = {fds[0], POLLIN, 0};
    struct timespec long_wait = {10, 0};
    int n = ppoll(&p, 1, &long_wait, &unblocked);
    expect("ppoll: a signal its mask lets through ends it with EINTR", n == -1 ? errno : n, EINTR);
    expect("ppoll: the handler ran", handled, 1);
    expect("ppoll: the old mask is back afterwards", blocked_now(SIGUSR1), 1);
    reap(child);

    handled = 0;
    child = signal_later(SIGUSR1, 100);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fds[0], &readable);
    struct timespec select_wait = {10, 0};
    n = pselect(fds[0] + 1, &readable, NULL, NULL, &select_wait, &unblocked);
    expect("pselect: a signal its mask lets through ends it with EINTR", n == -1 ? errno : n, EINTR);
    expect("pselect: the handler ran", handled, 1);
    expect("pselect: the old mask is back afterwards", blocked_now(SIGUSR1), 1);
    reap(child);

    /* A blocked signal does not cut a plain poll short. */
    handled = 0;
    child = signal_later(SIGUSR1, 50);
    expect("poll: a blocked signal does not interrupt it", poll_one(fds[0], POLLIN, 300), 0);
    reap(child);
    sigprocmask(SIG_UNBLOCK, &block_usr1, NULL);
    expect("the blocked signal is delivered once unblocked", handled, 1);
    signal(SIGUSR1, SIG_DFL);
    close(fds[0]);
    close(fds[1]);
}

/* ---- select ---- */

static void select_sets(void)
{
    int a[2], b[2];
    pipe(a);
    pipe(b);
    write(a[1], "x", 1);
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_SET(a[0], &readable);
    FD_SET(b[0], &readable);
    FD_SET(a[1], &writable);
    struct timeval zero = {0, 0};
    int nfds = (a[0] > b[0] ? a[0] : b[0]) + 1;
    if (a[1] + 1 > nfds)
        nfds = a[1] + 1;
    expect("select: counts each ready bit", select(nfds, &readable, &writable, NULL, &zero), 2);
    expect("select: the pipe with data stays in the read set", FD_ISSET(a[0], &readable), 1);
    expect("select: the empty pipe is taken out", FD_ISSET(b[0], &readable), 0);
    expect("select: the write end stays in the write set", FD_ISSET(a[1], &writable), 1);

    FD_ZERO(&readable);
    FD_SET(b[0], &readable);
    struct timeval wait = {0, 200000};
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    expect("select 200 ms on an empty pipe: 0", select(b[0] + 1, &readable, NULL, NULL, &wait), 0);
    expect("select: waited at least 190 ms", elapsed_ms_since(&start) >= 190, 1);
    expect("select: the set comes back empty", FD_ISSET(b[0], &readable), 0);
    expect("select: the time left is written back: 0", wait.tv_sec * 1000000 + wait.tv_usec, 0);

    FD_ZERO(&readable);
    FD_SET(a[0], &readable);
    struct timeval five = {5, 0};
    select(a[0] + 1, &readable, NULL, NULL, &five);
    long left = five.tv_sec * 1000000 + five.tv_usec;
    expect("select: ready at once leaves most of 5 s", left > 4000000 && left <= 5000000, 1);

    FD_ZERO(&readable);
    pid_t child = write_later(b[1], 100);
    FD_SET(b[0], &readable);
    expect("select with no timeout: sleeps until a child writes", select(b[0] + 1, &readable, NULL, NULL, NULL), 1);
    expect("select: and that pipe is set", FD_ISSET(b[0], &readable), 1);
    reap(child);

    close(b[1]);
    char c;
    read(b[0], &c, 1);
    FD_ZERO(&readable);
    FD_SET(b[0], &readable);
    expect("select: a pipe without writers is readable", select(b[0] + 1, &readable, NULL, NULL, &zero), 1);
    close(a[0]);
    FD_ZERO(&writable);
    FD_SET(a[1], &writable);
    expect("select: a pipe without readers is writable", select(a[1] + 1, NULL, &writable, NULL, &zero), 1);
    close(a[1]);
    close(b[0]);
}

static void select_errors(void)
{
    int fds[2];
    pipe(fds);
    int closed = dup(fds[1]);
    close(closed);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(closed, &readable);
    struct timeval zero = {0, 0};
    expect("select: a closed descriptor in a set is EBADF",
           select(closed + 1, &readable, NULL, NULL, &zero) == -1 ? errno : 0, EBADF);
    expect("select: a negative count is EINVAL", select(-1, NULL, NULL, NULL, &zero) == -1 ? errno : 0, EINVAL);
    struct timeval negative = {-1, 0};
    expect("select: a negative timeout is EINVAL", select(1, NULL, NULL, NULL, &negative) == -1 ? errno : 0, EINVAL);
    expect("select: a bad fd_set pointer is EFAULT",
           select(fds[0] + 1, (fd_set *)1, NULL, NULL, &zero) == -1 ? errno : 0, EFAULT);
    struct timeval micro = {0, 1500000};
    FD_ZERO(&readable);
    FD_SET(fds[0], &readable);
    expect("select: microseconds beyond a second are accepted", select(fds[0] + 1, &readable, NULL, NULL, &micro), 0);

    FD_ZERO(&readable);
    FD_SET(fds[0], &readable);
    struct timeval old_timeout = {0, 0};
    long arguments[5] = {fds[0] + 1, (long)&readable, 0, 0, (long)&old_timeout};
    expect("old select (82) takes its arguments in a block", syscall1(SYS_old_select, (long)arguments), 0);
    long long time64[2] = {0, 0};
    FD_SET(fds[0], &readable);
    expect("pselect6_time64 with a zero timeout",
           __syscall6(SYS_pselect6_time64, fds[0] + 1, (long)&readable, 0, 0, (long)time64, 0), 0);
    struct timespec zero_spec = {0, 0};
    FD_SET(fds[0], &readable);
    expect("pselect with a zero timeout", pselect(fds[0] + 1, &readable, NULL, NULL, &zero_spec, NULL), 0);
    close(fds[0]);
    close(fds[1]);
}

static void poll_errors(void)
{
    unsigned long limit[2];
    syscall2(SYS_ugetrlimit_call, RLIMIT_NOFILE_RESOURCE, (long)limit);
    struct pollfd p = {0, POLLIN, 0};
    expect("poll: nfds over RLIMIT_NOFILE is EINVAL", poll(&p, limit[0] + 1, 0) == -1 ? errno : 0, EINVAL);
    expect("poll: a bad array pointer is EFAULT", poll((struct pollfd *)1, 1, 0) == -1 ? errno : 0, EFAULT);
    struct timespec zero = {0, 0};
    sigset_t mask;
    sigemptyset(&mask);
    expect("ppoll: a bad signal set size is EINVAL",
           syscall5(309, (long)&p, 1, (long)&zero, (long)&mask, 4), -EINVAL);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: pollcheck [REGULAR_FILE]\n"
               "Checks poll, ppoll, select and pselect6 on pipes, devices and files:\n"
               "readiness, timeouts, signals and bad arguments (REGULAR_FILE: default this program).\n");
        return 0;
    }
    const char *regular = argc > 1 ? argv[1] : argv[0];
    pipe_events();
    full_pipe();
    several_descriptors();
    other_files(regular);
    timeouts();
    interrupted_by_signals();
    select_sets();
    select_errors();
    poll_errors();
    printf("pollcheck: %d failed\n", check_failures);
    return check_failures > 100 ? 100 : check_failures;
}
