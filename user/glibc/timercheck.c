/* user/glibc/timercheck.c -- POSIX timers, CPU-time clocks, sigwaitinfo,
 * sigqueue and the alternate signal stack, through Debian's glibc.
 *
 * Built with the cross compiler's static glibc (-pthread: SIGEV_THREAD and
 * pthread_getcpuclockid). Each check prints one line whose text does not
 * depend on timing; the QEMU tier compares the output with Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static void block(int signal) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

static double seconds_of(const struct timespec *t) { return (double)t->tv_sec + (double)t->tv_nsec / 1e9; }

static void burn_cpu(double seconds) {
    struct timespec start, now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
    do clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    while (seconds_of(&now) - seconds_of(&start) < seconds);
}

/* --- sigqueue and sigtimedwait --------------------------------------------- */
static void check_sigwait(void) {
    block(SIGUSR1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    struct timespec short_wait = {0, 50 * 1000 * 1000};
    errno = 0;
    check(sigtimedwait(&set, NULL, &short_wait) == -1 && errno == EAGAIN, "sigtimedwait: EAGAIN after its timeout");
    union sigval value = {.sival_int = 1234};
    sigqueue(getpid(), SIGUSR1, value);
    siginfo_t info;
    int taken = sigwaitinfo(&set, &info);
    check(taken == SIGUSR1 && info.si_code == SI_QUEUE && info.si_value.sival_int == 1234 && info.si_pid == getpid(),
          "sigqueue then sigwaitinfo: SI_QUEUE, the value, the sender");
    block(SIGCHLD);
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    pid_t child = fork();
    if (child == 0) _exit(9);
    taken = sigwaitinfo(&set, &info);  /* SIGCHLD is ignored by default: blocked, it is still taken */
    check(taken == SIGCHLD && info.si_pid == child && info.si_code == CLD_EXITED && info.si_status == 9,
          "sigwaitinfo takes a blocked SIGCHLD: CLD_EXITED and the status");
    waitpid(child, NULL, 0);
    siginfo_t fake;
    memset(&fake, 0, sizeof fake);
    fake.si_code = SI_USER;  /* only the kernel and kill() may say so */
    errno = 0;
    check(syscall(SYS_rt_sigqueueinfo, getppid(), SIGUSR1, &fake) == -1 && errno == EPERM,
          "rt_sigqueueinfo claiming SI_USER to another process: EPERM");
}

/* --- sigaltstack ------------------------------------------------------------ */
static char alternate[64 * 1024];
static atomic_int handler_on_alternate, handler_saw_onstack, handler_change_refused;

static void on_usr2(int signal) {
    (void)signal;
    char here;
    handler_on_alternate = &here >= alternate && &here < alternate + sizeof alternate;
    stack_t now;
    sigaltstack(NULL, &now);
    handler_saw_onstack = (now.ss_flags & SS_ONSTACK) != 0;
    stack_t other = {.ss_sp = alternate, .ss_size = sizeof alternate, .ss_flags = 0};
    handler_change_refused = sigaltstack(&other, NULL) == -1 && errno == EPERM;
}

static void check_alternate_stack(void) {
    stack_t small = {.ss_sp = alternate, .ss_size = 1024, .ss_flags = 0};
    errno = 0;
    check(sigaltstack(&small, NULL) == -1 && errno == ENOMEM, "sigaltstack smaller than MINSIGSTKSZ: ENOMEM");
    stack_t wrong = {.ss_sp = alternate, .ss_size = sizeof alternate, .ss_flags = 0x40};
    errno = 0;
    check(sigaltstack(&wrong, NULL) == -1 && errno == EINVAL, "sigaltstack with unknown flags: EINVAL");
    stack_t stack = {.ss_sp = alternate, .ss_size = sizeof alternate, .ss_flags = 0};
    check(sigaltstack(&stack, NULL) == 0, "sigaltstack sets a 64 KiB stack");
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr2;
    action.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &action, NULL);
    raise(SIGUSR2);
    check(handler_on_alternate && handler_saw_onstack, "an SA_ONSTACK handler runs on it and sees SS_ONSTACK");
    check(handler_change_refused, "changing it while on it: EPERM");
    stack_t old;
    sigaltstack(NULL, &old);
    check(old.ss_sp == alternate && old.ss_size == sizeof alternate && old.ss_flags == 0,
          "after the handler the stack is set and not in use");
    stack_t off = {.ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    sigaltstack(NULL, &old);
    check(old.ss_flags == SS_DISABLE, "SS_DISABLE turns it off");
}

/* --- POSIX timers ------------------------------------------------------------ */
static atomic_int alarm_count, alarm_value, alarm_code, thread_timer_tid, thread_callback_runs;

static void on_rtmin(int signal, siginfo_t *info, void *context) {
    (void)signal, (void)context;
    alarm_count++;
    alarm_value = info->si_value.sival_int;
    alarm_code = info->si_code;
    thread_timer_tid = (int)syscall(SYS_gettid);
}

static void on_timer_thread(union sigval value) {
    if (value.sival_int == 77) thread_callback_runs++;
}

static void check_timers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_rtmin;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &action, NULL);
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGRTMIN;
    event.sigev_value.sival_int = 99;
    timer_t timer;
    check(timer_create(CLOCK_MONOTONIC, &event, &timer) == 0, "timer_create CLOCK_MONOTONIC SIGEV_SIGNAL");
    struct itimerspec every_20ms = {{0, 20 * 1000 * 1000}, {0, 20 * 1000 * 1000}};
    timer_settime(timer, 0, &every_20ms, NULL);
    while (alarm_count < 5) pause();
    check(alarm_value == 99 && alarm_code == SI_TIMER, "a periodic timer: 5 signals with SI_TIMER and its value");
    struct itimerspec now;
    timer_gettime(timer, &now);
    check(now.it_interval.tv_nsec == 20 * 1000 * 1000 && now.it_value.tv_sec == 0 && now.it_value.tv_nsec > 0,
          "timer_gettime: the interval, and less than one interval left");
    /* Overruns: with the signal blocked, expiries pile up as one signal. */
    block(SIGRTMIN);
    usleep(150 * 1000);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    siginfo_t info;
    sigwaitinfo(&set, &info);
    check(info.si_overrun > 0 && timer_getoverrun(timer) > 0, "blocked expiries count as overruns");
    struct itimerspec off = {{0, 0}, {0, 0}};
    timer_settime(timer, 0, &off, NULL);
    timer_gettime(timer, &now);
    check(now.it_value.tv_sec == 0 && now.it_value.tv_nsec == 0, "a disarmed timer reads 0");
    check(timer_delete(timer) == 0, "timer_delete");
    errno = 0;
    check(timer_gettime(timer, &now) == -1 && errno == EINVAL, "a deleted timer: EINVAL");

    /* SIGEV_NONE with an absolute time on CLOCK_REALTIME. */
    event.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_REALTIME, &event, &timer);
    struct itimerspec at;
    memset(&at, 0, sizeof at);
    clock_gettime(CLOCK_REALTIME, &at.it_value);
    at.it_value.tv_sec += 100;
    timer_settime(timer, TIMER_ABSTIME, &at, NULL);
    timer_gettime(timer, &now);
    check(now.it_value.tv_sec >= 98 && now.it_value.tv_sec <= 100, "TIMER_ABSTIME on CLOCK_REALTIME: 100 s away");
    timer_delete(timer);

    /* SIGEV_THREAD: glibc's helper thread runs the function. */
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_THREAD;
    event.sigev_notify_function = on_timer_thread;
    event.sigev_value.sival_int = 77;
    timer_create(CLOCK_MONOTONIC, &event, &timer);
    struct itimerspec once = {{0, 0}, {0, 10 * 1000 * 1000}};
    timer_settime(timer, 0, &once, NULL);
    for (int i = 0; i < 200 && thread_callback_runs == 0; i++) usleep(5000);
    check(thread_callback_runs == 1, "SIGEV_THREAD runs the function once");
    timer_delete(timer);
    errno = 0;
    check(timer_create(42, &event, &timer) == -1 && errno == EINVAL, "timer_create on an unknown clock: EINVAL");
}

/* --- CPU-time clocks ------------------------------------------------------------ */
static atomic_int spinner_go = 1;
static void *spin(void *unused) {
    (void)unused;
    while (spinner_go) { }
    return NULL;
}

static void check_cpu_clocks(void) {
    struct timespec before, after, thread_time, resolution;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before);
    burn_cpu(0.05);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after);
    check(seconds_of(&after) - seconds_of(&before) >= 0.05, "CLOCK_PROCESS_CPUTIME_ID counts the time run");
    check(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &thread_time) == 0 && seconds_of(&thread_time) > 0,
          "CLOCK_THREAD_CPUTIME_ID");
    check(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &resolution) == 0, "clock_getres of a CPU clock");
    pthread_t spinner;
    pthread_create(&spinner, NULL, spin, NULL);
    clockid_t spinner_clock;
    pthread_getcpuclockid(spinner, &spinner_clock);
    struct timespec spun = {0, 0};
    for (int i = 0; i < 400 && seconds_of(&spun) < 0.03; i++) {
        usleep(5000);
        clock_gettime(spinner_clock, &spun);
    }
    check(seconds_of(&spun) >= 0.03, "pthread_getcpuclockid: another thread's CPU time");
    spinner_go = 0;
    pthread_join(spinner, NULL);
    clockid_t own;
    check(clock_getcpuclockid(getpid(), &own) == 0 && clock_gettime(own, &after) == 0,
          "clock_getcpuclockid of the process");
    /* A timer on the process's CPU clock fires after CPU time, not wall time. */
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGRTMIN + 1;
    block(SIGRTMIN + 1);
    timer_t timer;
    timer_create(CLOCK_PROCESS_CPUTIME_ID, &event, &timer);
    struct itimerspec in_30ms = {{0, 0}, {0, 30 * 1000 * 1000}};
    timer_settime(timer, 0, &in_30ms, NULL);
    burn_cpu(0.06);
    sigset_t pending;
    sigpending(&pending);
    check(sigismember(&pending, SIGRTMIN + 1), "a CPU-time timer fired after 30 ms of CPU");
    timer_delete(timer);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    check_sigwait();
    check_alternate_stack();
    check_timers();
    check_cpu_clocks();
    printf("%s\n", failures ? "timercheck: FAILED" : "timercheck: all ok");
    return failures != 0;
}
