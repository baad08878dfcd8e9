/* user/bin/sigcheck/timers.c -- SIGALRM from alarm() and setitimer(ITIMER_REAL),
 * SIGVTALRM and SIGPROF from the CPU-time timers.
 * Part of sigcheck (sigcheck.h says what it checks and how). Timing is
 * checked only one way: a timer must not fire before its time, and must
 * fire within a generous bound after it (the machine may be slow).
 */
#include <sys/time.h>
#include "sigcheck.h"

static long milliseconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void alarm_kills_by_default(void) {
    alarm(1);
    for (;;)
        pause();
}

static void alarm_is_not_inherited(void) {
    struct itimerval left;
    getitimer(ITIMER_REAL, &left);
    _exit(left.it_value.tv_sec == 0 && left.it_value.tv_usec == 0 ? 0 : 1);
}

static void alarms(void) {
    expect("alarm with none pending returns 0", alarm(0), 0);
    alarm(5);
    expect("alarm returns the seconds left of the one it replaces", alarm(0), 5);
    expect("alarm(0) cancelled it", alarm(0), 0);
    expect("SIGALRM's default action ends the process", ending(in_child(alarm_kills_by_default)), SIGALRM);

    install_with_info(SIGALRM, record_info);
    deliveries = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    alarm(1);
    while (deliveries == 0)
        pause();
    long waited = milliseconds_since(&start);
    expect("alarm(1) comes after a second, not before", waited >= 990 && waited < 10000, 1);
    expect("SIGALRM from alarm says the kernel sent it", last_info.si_code, SI_KERNEL);
    alarm(30);
    expect("a child has no alarm of its parent's", ending(in_child(alarm_is_not_inherited)), 1000);
    alarm(0);
    install(SIGALRM, SIG_DFL, 0, 0);
}

static void interval_timers(void) {
    install(SIGALRM, count_delivery, 0, 0);
    deliveries = 0;
    struct itimerval every_50ms = { { 0, 50000 }, { 0, 50000 } }, old;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    expect("setitimer(ITIMER_REAL) with an interval", setitimer(ITIMER_REAL, &every_50ms, NULL), 0);
    while (deliveries < 4)
        pause();
    long waited = milliseconds_since(&start);
    expect("four expiries take at least four intervals", waited >= 195 && waited < 20000, 1);
    struct itimerval now;
    getitimer(ITIMER_REAL, &now);
    expect("getitimer: the interval as set", now.it_interval.tv_sec == 0 && now.it_interval.tv_usec == 50000, 1);
    expect("getitimer: the time left is at most one interval",
           now.it_value.tv_sec == 0 && now.it_value.tv_usec > 0 && now.it_value.tv_usec <= 50000, 1);
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    expect("setitimer to 0 disarms and returns the old setting", setitimer(ITIMER_REAL, &off, &old), 0);
    expect("the old setting has the interval", old.it_interval.tv_usec, 50000);
    getitimer(ITIMER_REAL, &now);
    expect("a disarmed timer reads as 0", now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0, 1);

    struct itimerval once = { { 0, 0 }, { 0, 200000 } };
    setitimer(ITIMER_REAL, &once, NULL);
    alarm(0);
    expect("alarm and setitimer share one timer: alarm(0) cancelled it", getitimer(ITIMER_REAL, &now) == 0 &&
           now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0, 1);
    install(SIGALRM, SIG_DFL, 0, 0);
}

/* Computes until `sig` was delivered, for at most 10 seconds of real time. */
static int compute_until_delivered(void) {
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    volatile unsigned long sum = 0;
    while (deliveries == 0 && milliseconds_since(&start) < 10000)
        for (int i = 0; i < 100000; i++)
            sum += (unsigned long)i * i;
    return deliveries > 0;
}

/* The names of its three checks. */
struct timer_checks {
    const char *delivered, *disarmed, *asleep;
};

static void cpu_time_timer(int which, int sig, struct timer_checks names) {
    install(sig, count_delivery, 0, 0);
    deliveries = 0;
    struct itimerval once = { { 0, 0 }, { 0, 100000 } }, now;
    setitimer(which, &once, NULL);
    expect(names.delivered, compute_until_delivered(), 1);
    getitimer(which, &now);
    expect(names.disarmed, now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0, 1);
    struct itimerval long_one = { { 0, 0 }, { 5, 0 } };
    setitimer(which, &long_one, NULL);
    struct timespec nap = { 0, 300000000 };
    nanosleep(&nap, NULL);
    getitimer(which, &now);
    expect(names.asleep, now.it_value.tv_sec >= 4, 1);
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(which, &off, NULL);
    install(sig, SIG_DFL, 0, 0);
}

static void cpu_time_timers(void) {
    cpu_time_timer(ITIMER_VIRTUAL, SIGVTALRM,
                   (struct timer_checks){ "ITIMER_VIRTUAL: computing brings SIGVTALRM",
                                          "ITIMER_VIRTUAL: without an interval it is disarmed after it fired",
                                          "ITIMER_VIRTUAL: sleeping uses none of it" });
    cpu_time_timer(ITIMER_PROF, SIGPROF,
                   (struct timer_checks){ "ITIMER_PROF: computing brings SIGPROF",
                                          "ITIMER_PROF: without an interval it is disarmed after it fired",
                                          "ITIMER_PROF: sleeping uses (almost) none of it" });
}

static void timer_errors(void) {
    struct itimerval bad = { { 0, 0 }, { 0, 1000000 } }, value;
    errno = 0;
    expect("setitimer: microseconds of a million is EINVAL", setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL, 1);
    errno = 0;
    expect("getitimer of an unknown timer is EINVAL", getitimer(7, &value) == -1 && errno == EINVAL, 1);
    errno = 0;
    expect("getitimer into a kernel address is EFAULT",
           getitimer(ITIMER_REAL, (struct itimerval *)KERNEL_POINTER) == -1 && errno == EFAULT, 1);
    errno = 0;
    expect("setitimer from an unmapped address is EFAULT",
           setitimer(ITIMER_REAL, (struct itimerval *)UNMAPPED_POINTER, NULL) == -1 && errno == EFAULT, 1);
}

void alarms_and_interval_timers(void) {
    alarms();
    interval_timers();
    cpu_time_timers();
    timer_errors();
}
