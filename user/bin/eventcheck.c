/* eventcheck -- checks the kernel's eventfd, timerfd and epoll against Linux.
 *
 * Usage: eventcheck
 *        eventcheck --console   (epoll on standard input, a terminal)
 *
 * eventfd: the counter, EFD_SEMAPHORE, EFD_NONBLOCK (EAGAIN), the limits,
 * poll, a reader woken by another process. timerfd: clocks and flags, a
 * one-shot and a periodic timer (the count of expirations read), absolute
 * times on CLOCK_MONOTONIC and CLOCK_REALTIME, the old setting, disarming,
 * poll. epoll: epoll_ctl's errors (EEXIST, ENOENT, EPERM for a regular
 * file, EINVAL, EBADF, ELOOP), level-triggered, edge-triggered (EPOLLET)
 * and one-shot items on pipes, sockets, eventfds and timerfds, EPOLLHUP and
 * EPOLLRDHUP, the order in which ready items are served, a closed file
 * leaving the set, nested epolls, EINTR. Prints "ok NAME" or "FAIL NAME:
 * got X, expected Y" per check and "eventcheck: N failed" at the end; the
 * exit status is N. The same binary runs on a Linux host, which is the
 * reference (tests/user/test_event_files.py), and on our kernel
 * (tests/qemu/test_event_files.py). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ERR(call) ((call) < 0 ? -errno : 0)
#define MS 1000000L

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * MS};
    nanosleep(&t, NULL);
}

static long read_count(int fd)
{
    uint64_t value = 0;
    long n = read(fd, &value, sizeof value);
    return n == 8 ? (long)value : n < 0 ? -errno : -1000;
}

static long add_count(int fd, uint64_t value)
{
    return write(fd, &value, sizeof value) == 8 ? 0 : -errno;
}

static int revents(int fd, short events)
{
    struct pollfd p = {fd, events, 0};
    return poll(&p, 1, 0) < 0 ? -errno : p.revents;
}

static void on_alarm(int signal) { (void)signal; }

static void eventfds(void)
{
    expect("eventfd: an unknown flag is EINVAL", ERR(eventfd(0, 0x10)), -EINVAL);
    int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    expect("eventfd: EFD_CLOEXEC", fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    struct stat st;
    fstat(fd, &st);
    expect("eventfd: fstat mode (an anonymous inode)", (long)st.st_mode, 0600);
    expect("eventfd: read takes the initial count", read_count(fd), 3);
    expect("eventfd: then EAGAIN", read_count(fd), -EAGAIN);
    expect("poll: an empty eventfd is POLLOUT", revents(fd, POLLIN | POLLOUT), POLLOUT);
    add_count(fd, 2);
    add_count(fd, 5);
    expect("poll: a counting eventfd is POLLIN|POLLOUT", revents(fd, POLLIN | POLLOUT), POLLIN | POLLOUT);
    expect("eventfd: writes add up", read_count(fd), 7);
    char small[4];
    expect("eventfd: a 4-byte read is EINVAL", ERR(read(fd, small, 4)), -EINVAL);
    expect("eventfd: writing 2^64-1 is EINVAL", add_count(fd, UINT64_MAX), -EINVAL);
    expect("eventfd: 2^64-2 fits", add_count(fd, UINT64_MAX - 1), 0);
    expect("eventfd: one more is EAGAIN", add_count(fd, 1), -EAGAIN);
    expect("poll: a full eventfd is POLLIN only", revents(fd, POLLIN | POLLOUT), POLLIN);
    close(fd);

    fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    long a = read_count(fd), b = read_count(fd), c = read_count(fd);
    expect("EFD_SEMAPHORE: each read takes 1", a == 1 && b == 1 && c == 1, 1);
    expect("EFD_SEMAPHORE: then EAGAIN", read_count(fd), -EAGAIN);
    close(fd);

    fd = eventfd(0, 0);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(50);
        _exit(add_count(fd, 42) == 0 ? 0 : 1);
    }
    expect("eventfd: a blocked read gets another process's write", read_count(fd), 42);
    waitpid(child, NULL, 0);
    close(fd);
}

static long timer_value_ms(int fd)
{
    struct itimerspec now;
    if (timerfd_gettime(fd, &now) != 0)
        return -errno;
    return now.it_value.tv_sec * 1000 + now.it_value.tv_nsec / MS;
}

static void timerfds(void)
{
    expect("timerfd_create: clock 99 is EINVAL", ERR(timerfd_create(99, 0)), -EINVAL);
    expect("timerfd_create: an unknown flag is EINVAL", ERR(timerfd_create(CLOCK_MONOTONIC, 0x10)), -EINVAL);
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    expect("timerfd: disarmed at first", timer_value_ms(fd), 0);
    expect("timerfd: a disarmed timer reads EAGAIN", read_count(fd), -EAGAIN);
    struct itimerspec setting = {{0, 0}, {0, 1000000000}};
    expect("timerfd_settime: 10^9 ns is EINVAL", ERR(timerfd_settime(fd, 0, &setting, NULL)), -EINVAL);
    setting.it_value.tv_nsec = 0;
    setting.it_value.tv_sec = -1;
    expect("timerfd_settime: a negative time is EINVAL", ERR(timerfd_settime(fd, 0, &setting, NULL)), -EINVAL);
    expect("timerfd_settime: flag 4 is EINVAL", ERR(timerfd_settime(fd, 4, &setting, NULL)), -EINVAL);
    int other = eventfd(0, 0);
    setting.it_value.tv_sec = 1;
    expect("timerfd_settime: an eventfd is EINVAL", ERR(timerfd_settime(other, 0, &setting, NULL)), -EINVAL);
    close(other);
    close(fd);
}

static void timerfd_expirations(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec setting = {{0, 0}, {0, 300 * MS}};
    timerfd_settime(fd, 0, &setting, NULL);
    long left = timer_value_ms(fd);
    expect("timerfd: armed for 300 ms, gettime says at most that", left > 0 && left <= 300, 1);
    expect("poll: not yet expired", revents(fd, POLLIN), 0);
    sleep_ms(400);
    expect("poll: expired is POLLIN", revents(fd, POLLIN), POLLIN);
    expect("timerfd: a one-shot timer expired once", read_count(fd), 1);
    expect("timerfd: ... and is disarmed then", timer_value_ms(fd), 0);
    close(fd);

    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec periodic = {{0, 20 * MS}, {0, 20 * MS}};
    timerfd_settime(fd, 0, &periodic, NULL);
    expect("timerfd: a blocked read waits for the first expiry", read_count(fd) >= 1, 1);
    sleep_ms(200);
    long count = read_count(fd);
    printf("# periodic 20 ms timer, 200 ms later: %ld expirations\n", count);
    /* About 10; a busy machine may let the sleep run long, never short. */
    expect("timerfd: periodic, 200 ms give about 10 expirations", count >= 9 && count <= 30, 1);
    struct itimerspec old;
    struct itimerspec long_one = {{3, 0}, {10, 0}};
    timerfd_settime(fd, 0, &long_one, NULL);
    timerfd_settime(fd, 0, &long_one, &old);
    expect("timerfd_settime: returns the old setting", old.it_interval.tv_sec == 3 && old.it_value.tv_sec >= 9, 1);
    struct itimerspec off = {{0, 0}, {0, 0}};
    timerfd_settime(fd, 0, &off, NULL);
    expect("timerfd: a zero value disarms", timer_value_ms(fd), 0);
    close(fd);

}

static void timerfd_clocks(void)
{
    int fd;
    int clocks[2] = {CLOCK_MONOTONIC, CLOCK_REALTIME};
    const char *names[2] = {"timerfd: TFD_TIMER_ABSTIME on CLOCK_MONOTONIC", "timerfd: TFD_TIMER_ABSTIME on CLOCK_REALTIME"};
    for (int i = 0; i < 2; ++i) {
        fd = timerfd_create(clocks[i], 0);
        struct timespec now;
        clock_gettime(clocks[i], &now);
        struct itimerspec at = {{0, 0}, {now.tv_sec, now.tv_nsec + 30 * MS}};
        if (at.it_value.tv_nsec >= 1000000000)
            at.it_value.tv_sec++, at.it_value.tv_nsec -= 1000000000;
        timerfd_settime(fd, TFD_TIMER_ABSTIME, &at, NULL);
        expect(names[i], read_count(fd), 1);
        close(fd);
    }

    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct sigaction action = {0};
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    alarm(1);
    expect("timerfd: a signal ends a blocked read with EINTR", read_count(fd), -EINTR);
    signal(SIGALRM, SIG_DFL);
    close(fd);
}

/* ---- epoll ---------------------------------------------------------------- */

static int add(int epfd, int fd, uint32_t events, uint64_t tag)
{
    struct epoll_event event = {events, {.u64 = tag}};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) == 0 ? 0 : -errno;
}

/* The events of one wait as "tag:events" words, e.g. "1:1 2:5". */
static const char *wait_words(int epfd, int max_events)
{
    static char words[256];
    struct epoll_event events[8];
    int n = epoll_wait(epfd, events, max_events, 0);
    if (n < 0) {
        snprintf(words, sizeof words, "error %d", errno);
        return words;
    }
    words[0] = 0;
    for (int i = 0; i < n; ++i) {
        char word[32];
        snprintf(word, sizeof word, "%s%llu:%x", i ? " " : "", (unsigned long long)events[i].data.u64,
                 events[i].events);
        strcat(words, word);
    }
    return words;
}

static void control_errors(void)
{
    expect("epoll_event is 12 bytes", sizeof(struct epoll_event), 12);
    expect("epoll_create: size 0 is EINVAL", ERR(epoll_create(0)), -EINVAL);
    expect("epoll_create1: a flag other than EPOLL_CLOEXEC is EINVAL", ERR(epoll_create1(1)), -EINVAL);
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    expect("epoll_create1: EPOLL_CLOEXEC", fcntl(epfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    int fds[2];
    pipe(fds);
    expect("epoll_ctl ADD a pipe", add(epfd, fds[0], EPOLLIN, 1), 0);
    expect("epoll_ctl ADD it again is EEXIST", add(epfd, fds[0], EPOLLIN, 1), -EEXIST);
    struct epoll_event event = {EPOLLIN, {0}};
    expect("epoll_ctl MOD a file not in the set is ENOENT", ERR(epoll_ctl(epfd, EPOLL_CTL_MOD, fds[1], &event)),
           -ENOENT);
    expect("epoll_ctl DEL a file not in the set is ENOENT", ERR(epoll_ctl(epfd, EPOLL_CTL_DEL, fds[1], NULL)),
           -ENOENT);
    expect("epoll_ctl: op 99 is EINVAL", ERR(epoll_ctl(epfd, 99, fds[1], &event)), -EINVAL);
    expect("epoll_ctl: epfd that is no epoll is EINVAL", ERR(epoll_ctl(fds[1], EPOLL_CTL_ADD, fds[0], &event)),
           -EINVAL);
    expect("epoll_ctl: epfd itself is EINVAL", ERR(epoll_ctl(epfd, EPOLL_CTL_ADD, epfd, &event)), -EINVAL);
    expect("epoll_ctl: a closed fd is EBADF", ERR(epoll_ctl(epfd, EPOLL_CTL_ADD, 200, &event)), -EBADF);
    int regular = open("/bin/sh", O_RDONLY);
    expect("epoll_ctl: a regular file is EPERM", ERR(epoll_ctl(epfd, EPOLL_CTL_ADD, regular, &event)), -EPERM);
    close(regular);
    expect("epoll_ctl: EPOLLEXCLUSIVE with MOD is EINVAL",
           (event.events = EPOLLIN | EPOLLEXCLUSIVE, ERR(epoll_ctl(epfd, EPOLL_CTL_MOD, fds[0], &event))), -EINVAL);
    int outer = epoll_create1(0);
    expect("epoll_ctl: an epoll in an epoll", add(outer, epfd, EPOLLIN, 9), 0);
    expect("epoll_ctl: the other way round is ELOOP", add(epfd, outer, EPOLLIN, 9), -ELOOP);
    expect("epoll_ctl DEL", epoll_ctl(epfd, EPOLL_CTL_DEL, fds[0], NULL), 0);
    struct epoll_event out[2];
    expect("epoll_wait: maxevents 0 is EINVAL", ERR(epoll_wait(epfd, out, 0, 0)), -EINVAL);
    expect("epoll_wait: on a pipe is EINVAL", ERR(epoll_wait(fds[0], out, 2, 0)), -EINVAL);
    expect("epoll_pwait: nothing ready, no wait", epoll_pwait(epfd, out, 2, 0, NULL), 0);
    close(outer);
    close(epfd);
    close(fds[0]);
    close(fds[1]);
}

/* Level vs edge on one kind of file: `make_ready` makes it readable (again). */
static void level_and_edge(const char *kind, int fd, void (*make_ready)(int), int ready_fd)
{
    char name[128];
    int level = epoll_create1(0), edge = epoll_create1(0);
    add(level, fd, EPOLLIN, 1);
    add(edge, fd, EPOLLIN | EPOLLET, 2);
    snprintf(name, sizeof name, "%s: nothing ready", kind);
    expect_string(name, wait_words(level, 4), "");
    make_ready(ready_fd);
    snprintf(name, sizeof name, "%s: level-triggered reports it", kind);
    expect_string(name, wait_words(level, 4), "1:1");
    snprintf(name, sizeof name, "%s: ... at every wait", kind);
    expect_string(name, wait_words(level, 4), "1:1");
    snprintf(name, sizeof name, "%s: edge-triggered reports it", kind);
    expect_string(name, wait_words(edge, 4), "2:1");
    snprintf(name, sizeof name, "%s: ... once", kind);
    expect_string(name, wait_words(edge, 4), "");
    make_ready(ready_fd);
    snprintf(name, sizeof name, "%s: ... and again after new input", kind);
    expect_string(name, wait_words(edge, 4), "2:1");
    close(level);
    close(edge);
}

static void write_byte(int fd) { write(fd, "x", 1); }
static void add_one(int fd) { add_count(fd, 1); }
static void expire_soon(int fd)
{
    struct itimerspec soon = {{0, 0}, {0, 10 * MS}};
    timerfd_settime(fd, 0, &soon, NULL);
    sleep_ms(30);
}

static void level_and_edge_on_four_kinds(void)
{
    int fds[2];
    pipe(fds);
    level_and_edge("pipe", fds[0], write_byte, fds[1]);
    close(fds[0]);
    close(fds[1]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    level_and_edge("socket", fds[0], write_byte, fds[1]);
    close(fds[0]);
    close(fds[1]);
    int counter = eventfd(0, 0);
    level_and_edge("eventfd", counter, add_one, counter);
    close(counter);
    int timer = timerfd_create(CLOCK_MONOTONIC, 0);
    level_and_edge("timerfd", timer, expire_soon, timer);
    close(timer);
}

static void one_shot_hangups_and_order(void)
{
    int epfd = epoll_create1(0), fds[2];
    pipe(fds);
    write(fds[1], "x", 1);
    add(epfd, fds[0], EPOLLIN | EPOLLONESHOT, 1);
    expect_string("EPOLLONESHOT: reported once", wait_words(epfd, 4), "1:1");
    expect_string("EPOLLONESHOT: then disabled", wait_words(epfd, 4), "");
    struct epoll_event event = {EPOLLIN | EPOLLONESHOT, {.u64 = 3}};
    epoll_ctl(epfd, EPOLL_CTL_MOD, fds[0], &event);
    expect_string("EPOLLONESHOT: MOD arms it again", wait_words(epfd, 4), "3:1");
    event.events = EPOLLIN;
    epoll_ctl(epfd, EPOLL_CTL_MOD, fds[0], &event);
    close(fds[1]);
    expect_string("EPOLLHUP: the writer closed (data left)", wait_words(epfd, 4), "3:11");
    char byte;
    read(fds[0], &byte, 1);
    expect_string("EPOLLHUP: the writer closed (drained)", wait_words(epfd, 4), "3:10");
    close(fds[0]);
    expect_string("close: a closed file leaves the set", wait_words(epfd, 4), "");

    int pair[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    add(epfd, pair[0], EPOLLIN | EPOLLOUT | EPOLLRDHUP, 4);
    expect_string("socket: connected and empty is EPOLLOUT", wait_words(epfd, 4), "4:4");
    shutdown(pair[1], SHUT_WR);
    expect_string("socket: the peer's SHUT_WR is EPOLLIN|EPOLLOUT|EPOLLRDHUP", wait_words(epfd, 4), "4:2005");
    close(pair[0]);
    close(pair[1]);

    int counters[3];
    for (int i = 0; i < 3; ++i) {
        counters[i] = eventfd(1, 0);
        add(epfd, counters[i], EPOLLIN, 10 + i);
    }
    expect_string("order: room for two of three ready", wait_words(epfd, 2), "10:1 11:1");
    expect_string("order: the third, then the first again", wait_words(epfd, 2), "12:1 10:1");
    for (int i = 0; i < 3; ++i)
        close(counters[i]);
    close(epfd);
}

static void nesting_and_interruption(void)
{
    int inner = epoll_create1(0), outer = epoll_create1(0), fds[2];
    pipe(fds);
    add(inner, fds[0], EPOLLIN, 1);
    add(outer, inner, EPOLLIN, 7);
    expect_string("nested: nothing ready inside", wait_words(outer, 4), "");
    expect("poll: an epoll with nothing ready", revents(inner, POLLIN), 0);
    write(fds[1], "x", 1);
    expect_string("nested: the inner epoll is readable", wait_words(outer, 4), "7:1");
    expect("poll: an epoll with a ready item is POLLIN", revents(inner, POLLIN), POLLIN);
    pid_t child = fork();
    if (child == 0) {
        char byte;
        read(fds[0], &byte, 1);
        sleep_ms(50);
        write(fds[1], "y", 1);
        _exit(0);
    }
    sleep_ms(20);
    struct epoll_event out[2];
    int n = epoll_wait(inner, out, 2, 5000);
    expect("epoll_wait: sleeps until another process writes", n == 1 && out[0].data.u64 == 1, 1);
    waitpid(child, NULL, 0);
    char byte;
    read(fds[0], &byte, 1);
    struct sigaction action = {0};
    action.sa_handler = on_alarm;
    action.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &action, NULL);
    alarm(1);
    expect("epoll_wait: a signal ends the wait with EINTR, even with SA_RESTART",
           ERR(epoll_wait(inner, out, 2, 5000)), -EINTR);
    signal(SIGALRM, SIG_DFL);
    close(outer);
    close(inner);
    close(fds[0]);
    close(fds[1]);
}

/* epoll on standard input, which must be a terminal nobody types on. */
static int console(void)
{
    int epfd = epoll_create1(0);
    expect("console: epoll_ctl ADD standard input", add(epfd, 0, EPOLLIN, 5), 0);
    expect_string("console: nothing typed, nothing ready", wait_words(epfd, 4), "");
    expect("console: EPOLLOUT on standard output", add(epfd, 1, EPOLLOUT, 6), 0);
    expect_string("console: the terminal is writable", wait_words(epfd, 4), "6:4");
    close(epfd);
    printf("eventcheck: %d failed\n", check_failures);
    return check_failures;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: eventcheck [--console]\n"
               "Checks eventfd, timerfd and epoll (level, edge and one-shot on pipes, sockets,\n"
               "eventfds and timerfds); --console: epoll on the terminal.\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--console") == 0)
        return console();
    eventfds();
    timerfds();
    timerfd_expirations();
    timerfd_clocks();
    control_errors();
    level_and_edge_on_four_kinds();
    one_shot_hangups_and_order();
    nesting_and_interruption();
    printf("eventcheck: %d failed\n", check_failures);
    return check_failures > 100 ? 100 : check_failures;
}
