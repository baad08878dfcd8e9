/* jobcheck -- checks the kernel's job control against what Linux does.
 *
 * Usage: jobcheck            the checks (below)
 *        jobcheck fg PROGRAM [ARG...]
 *                            a tiny job-control shell: runs PROGRAM as a
 *                            foreground job in a process group of its own,
 *                            and when it stops (Ctrl-Z) says so, takes the
 *                            terminal back, continues it with SIGCONT in
 *                            the foreground and waits until it ends.
 *
 * The checks: setsid, setpgid, getpgid, getpgrp and getsid with their
 * errors (EPERM, ESRCH, EACCES, EINVAL); stopping and continuing children
 * (SIGSTOP, SIGTSTP, SIGCONT) as waitpid reports them with WUNTRACED and
 * WCONTINUED, once each, and as SIGCHLD's si_code says (CLD_STOPPED,
 * CLD_CONTINUED), SA_NOCLDSTOP, /proc/PID/stat's state T, SIGKILL of a
 * stopped child, SIGCONT dropping a pending stop, a stop signal dropped in
 * an orphaned process group. When standard input is the controlling
 * terminal and jobcheck is in its foreground group, also the terminal's
 * side: TIOCGPGRP/TIOCSPGRP/TIOCGSID/TIOCSCTTY/TIOCNOTTY, SIGTTIN for a
 * background reader (stop, EIO when ignored, EINTR with a handler) and
 * SIGTTOU for a background tcsetpgrp.
 *
 * Prints "ok NAME" or "FAIL NAME: got X, expected Y" for each check and
 * "jobcheck: N failed" at the end; the exit status is N. The same binary
 * runs on a Linux host, which is the reference (tests/user, under a pty),
 * and on our kernel (tests/qemu/test_job_control.py). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYS_setpgid_call 57
#define SYS_getpgrp_call 65
#define SYS_setsid_call 66
#define SYS_getpgid_call 132
#define SYS_getsid_call 147
#define SYS_waitid_call 284
#define P_PID_TYPE 1
#define P_PGID_TYPE 2
#define WEXITED_OPTION 4
#define WSTOPPED_OPTION 2
#define WNOWAIT_OPTION 0x01000000
#define TIOCSCTTY_REQUEST 0x540E
#define TIOCGPGRP_REQUEST 0x540F
#define TIOCSPGRP_REQUEST 0x5410
#define TIOCNOTTY_REQUEST 0x5422
#define TIOCGSID_REQUEST 0x5429
#define CLD_STOPPED_CODE 5
#define CLD_CONTINUED_CODE 6

/* The calls, as raw results: the value or -errno. */
static long job_setsid(void) { return syscall0(SYS_setsid_call); }
static long job_setpgid(long pid, long group) { return syscall2(SYS_setpgid_call, pid, group); }
static long job_getpgid(long pid) { return syscall1(SYS_getpgid_call, pid); }
static long job_getpgrp(void) { return syscall0(SYS_getpgrp_call); }
static long job_getsid(long pid) { return syscall1(SYS_getsid_call, pid); }
static long terminal_get(int fd, unsigned long request)
{
    int value = -1;
    long result = syscall3(SYS_ioctl, fd, (long)request, (long)&value);
    return result < 0 ? result : value;
}
static long terminal_set_group(int fd, int group) { return syscall3(SYS_ioctl, fd, TIOCSPGRP_REQUEST, (long)&group); }

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

/* A child that waits in pause() for signals until killed. For stops, in
 * a group of its own: our group may be orphaned (a session leader's, or
 * init's), where SIGTSTP does nothing; the child's group, whose parent --
 * we -- is in another group of the same session, is not. */
static pid_t start_sleeper(int own_group)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        if (own_group)
            job_setpgid(0, 0);
        for (;;)
            pause();
    }
    if (own_group)
        job_setpgid(child, child);
    return child;
}

/* A pid that no process has: a child's, once it was reaped. */
static pid_t unused_pid(void)
{
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
    return child;
}

/* The state letter of /proc/PID/stat ('?' when unreadable). */
static char process_state(pid_t pid)
{
    char path[40], text[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return '?';
    long length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0)
        return '?';
    text[length] = '\0';
    char *end = strrchr(text, ')');
    return end && end[1] == ' ' ? end[2] : '?';
}

static void kill_and_reap(pid_t child)
{
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

/* ---- sessions and process groups ---- */

static void new_session_in_child(void)
{
    long pid = getpid();
    expect("setsid: returns the new session id, the caller's pid", job_setsid(), pid);
    expect("setsid: the caller leads the new session", job_getsid(0), pid);
    expect("setsid: and a new process group", job_getpgrp(), pid);
    expect("setsid: a session leader cannot start another (EPERM)", job_setsid(), -EPERM);
    expect("setpgid: a session leader cannot change its group (EPERM)", job_setpgid(0, 0), -EPERM);
    expect("setsid: the new session has no controlling terminal (TIOCGPGRP: ENOTTY)",
           terminal_get(0, TIOCGPGRP_REQUEST), -ENOTTY);
    if (isatty(0))
        expect("TIOCSCTTY: a session leader may not take another session's terminal (EPERM)",
               syscall3(SYS_ioctl, 0, TIOCSCTTY_REQUEST, 0), -EPERM);
}

static void group_leader_cannot_setsid(void)
{
    expect("setpgid(0, 0): a group of one's own", job_setpgid(0, 0), 0);
    expect("setsid: a process-group leader gets EPERM", job_setsid(), -EPERM);
}

static void identity_calls(void)
{
    expect("getpgid(0) is getpgrp()", job_getpgid(0), job_getpgrp());
    expect("getsid(0) is getsid(getpid())", job_getsid(0), job_getsid(getpid()));
    pid_t gone = unused_pid();
    expect("getpgid of no process: ESRCH", job_getpgid(gone), -ESRCH);
    expect("getsid of no process: ESRCH", job_getsid(gone), -ESRCH);
    check_in_child(new_session_in_child);
    check_in_child(group_leader_cannot_setsid);
}

static void setpgid_rules(const char *sleep_program)
{
    pid_t child = start_sleeper(0);
    expect("fork: the child is in the parent's group", job_getpgid(child), job_getpgrp());
    expect("fork: and in its session", job_getsid(child), job_getsid(0));
    expect("setpgid(child, child): a new group for the child", job_setpgid(child, child), 0);
    expect("getpgid(child) is the new group", job_getpgid(child), child);
    expect("setpgid(child, 0) means the child's own pid", job_setpgid(child, 0), 0);
    expect("setpgid: back to the parent's group (same session)", job_setpgid(child, job_getpgrp()), 0);
    expect("setpgid: a negative group is EINVAL", job_setpgid(child, -5), -EINVAL);
    pid_t gone = unused_pid();
    expect("setpgid: a group that does not exist in the session is EPERM", job_setpgid(child, gone), -EPERM);
    expect("setpgid: a process that is no child is ESRCH", job_setpgid(getppid(), 0), -ESRCH);
    expect("setpgid: no such process is ESRCH", job_setpgid(gone, 0), -ESRCH);
    kill_and_reap(child);

    int ready[2];
    pipe(ready);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        job_setsid();
        write(ready[1], "s", 1);
        for (;;)
            pause();
    }
    char c;
    read(ready[0], &c, 1);
    expect("setpgid: a child in another session is EPERM", job_setpgid(child, child), -EPERM);
    kill_and_reap(child);

    fflush(stdout);
    child = fork();
    if (child == 0) {
        char *argv[] = {(char *)sleep_program, "5", NULL};
        execve(sleep_program, argv, NULL);
        _exit(127);
    }
    /* Wait until the exec happened: the child's name in /proc changes. */
    for (int i = 0; i < 200; ++i) {
        char path[40], text[64] = "";
        snprintf(path, sizeof path, "/proc/%d/stat", (int)child);
        int fd = open(path, O_RDONLY);
        long n = fd >= 0 ? read(fd, text, sizeof text - 1) : 0;
        if (fd >= 0)
            close(fd);
        if (n > 0 && strstr(text, "(sleep)"))
            break;
        sleep_ms(10);
    }
    expect("setpgid: a child that ran execve is EACCES", job_setpgid(child, child), -EACCES);
    kill_and_reap(child);
}

/* ---- stop and continue ---- */

static volatile int chld_code, chld_status, chld_count;
static void record_sigchld(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    chld_code = info->si_code;
    chld_status = info->si_status;
    chld_count++;
}

static void install_sigchld(int flags)
{
    struct sigaction act = {.sa_sigaction = record_sigchld, .sa_flags = SA_SIGINFO | flags};
    sigaction(SIGCHLD, &act, NULL);
}

static void stop_and_continue(void)
{
    pid_t child = start_sleeper(1);
    int status = 0;
    kill(child, SIGSTOP);
    expect("waitpid WUNTRACED: reports the stopped child", waitpid(child, &status, WUNTRACED), child);
    expect("and its status is 0x7f | SIGSTOP << 8", status, 0x7f | SIGSTOP << 8);
    expect("WIFSTOPPED and WSTOPSIG", WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, 1);
    expect("the stop is reported once", waitpid(child, &status, WUNTRACED | WNOHANG), 0);
    expect("/proc/PID/stat: state T while stopped", process_state(child), 'T');
    expect("waitpid without WUNTRACED does not report a stop", waitpid(child, &status, WNOHANG), 0);
    kill(child, SIGCONT);
    expect("waitpid WCONTINUED: reports the continued child", waitpid(child, &status, WCONTINUED), child);
    expect("and its status is 0xffff", status, 0xffff);
    expect("WIFCONTINUED", WIFCONTINUED(status), 1);
    expect("the continue is reported once", waitpid(child, &status, WCONTINUED | WNOHANG), 0);
    sleep_ms(50);
    expect("/proc/PID/stat: not T once continued", process_state(child) != 'T', 1);
    kill(child, SIGTSTP);
    expect("SIGTSTP stops it too", waitpid(child, &status, WUNTRACED), child);
    expect("with WSTOPSIG SIGTSTP", WSTOPSIG(status), SIGTSTP);
    kill(child, SIGKILL);
    expect("SIGKILL ends a stopped child", waitpid(child, &status, 0), child);
    expect("killed by SIGKILL", status, SIGKILL);
}

static long job_waitid(int type, long id, siginfo_t *info, int options)
{
    memset(info, 0x55, sizeof *info);
    return syscall5(SYS_waitid_call, type, id, (long)info, options, 0);
}

static void waitid_reports(void)
{
    pid_t child = start_sleeper(1);
    siginfo_t info;
    kill(child, SIGSTOP);
    expect("waitid WSTOPPED: returns 0", job_waitid(P_PID_TYPE, child, &info, WSTOPPED_OPTION | WNOWAIT_OPTION), 0);
    expect("waitid: si_signo SIGCHLD", info.si_signo, SIGCHLD);
    expect("waitid: si_code CLD_STOPPED", info.si_code, CLD_STOPPED_CODE);
    expect("waitid: si_pid the child", info.si_pid, child);
    expect("waitid: si_status the stop signal", info.si_status, SIGSTOP);
    expect("waitid WNOWAIT: the stop is still there for waitpid", waitpid(child, NULL, WUNTRACED | WNOHANG), child);
    expect("waitid WNOHANG with nothing to report: 0", job_waitid(P_PGID_TYPE, child, &info,
                                                                   WSTOPPED_OPTION | WNOHANG), 0);
    expect("and si_pid 0", info.si_pid, 0);
    kill(child, SIGKILL);
    expect("waitid WEXITED of a killed child", job_waitid(P_PID_TYPE, child, &info, WEXITED_OPTION), 0);
    expect("waitid: si_code CLD_KILLED", info.si_code, CLD_KILLED);
    expect("waitid: si_status SIGKILL", info.si_status, SIGKILL);
    expect("waitid: the child was reaped", waitpid(child, NULL, WNOHANG), -1);
    expect("waitid without WEXITED, WSTOPPED or WCONTINUED: EINVAL", job_waitid(0, 0, &info, 0), -EINVAL);
}

static void sigchld_on_stop(void)
{
    sigset_t block, unblocked;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &unblocked);
    sigdelset(&unblocked, SIGCHLD);
    install_sigchld(0);
    pid_t child = start_sleeper(1);
    chld_count = 0;
    kill(child, SIGTSTP);
    sigsuspend(&unblocked);
    expect("SIGCHLD on a stop: si_code CLD_STOPPED", chld_code, CLD_STOPPED_CODE);
    expect("and si_status the stop signal", chld_status, SIGTSTP);
    waitpid(child, NULL, WUNTRACED);
    kill(child, SIGCONT);
    sigsuspend(&unblocked);
    expect("SIGCHLD on a continue: si_code CLD_CONTINUED", chld_code, CLD_CONTINUED_CODE);
    expect("and si_status SIGCONT", chld_status, SIGCONT);
    waitpid(child, NULL, WCONTINUED);

    install_sigchld(SA_NOCLDSTOP);
    int status;
    kill(child, SIGSTOP);
    expect("SA_NOCLDSTOP: waitpid still reports the stop", waitpid(child, &status, WUNTRACED), child);
    sigset_t pending;
    sigpending(&pending);
    expect("SA_NOCLDSTOP: but no SIGCHLD came", sigismember(&pending, SIGCHLD), 0);
    kill(child, SIGCONT);
    expect("SA_NOCLDSTOP: waitpid reports the continue", waitpid(child, &status, WCONTINUED), child);
    sigpending(&pending);
    expect("SA_NOCLDSTOP: and no SIGCHLD for it", sigismember(&pending, SIGCHLD), 0);
    kill_and_reap(child);
    sigprocmask(SIG_SETMASK, &unblocked, NULL);
    chld_count = 0;
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
}

static void continue_drops_pending_stop(void)
{
    int ready[2], go[2];
    pipe(ready);
    pipe(go);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        job_setpgid(0, 0);  /* not orphaned: a stop would stop it (start_sleeper) */
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGTSTP);
        sigprocmask(SIG_BLOCK, &block, NULL);
        write(ready[1], "r", 1);
        char c;
        read(go[0], &c, 1);
        sigprocmask(SIG_UNBLOCK, &block, NULL);
        _exit(42);
    }
    job_setpgid(child, child);
    char c;
    read(ready[0], &c, 1);
    kill(child, SIGTSTP);
    kill(child, SIGCONT);
    write(go[1], "g", 1);
    int status = 0;
    waitpid(child, &status, WUNTRACED);
    expect("SIGCONT drops a pending (blocked) stop signal: the child exits", status, 42 << 8);
    close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

/* A child blocked in read() or poll() on a pipe is stopped and continued;
 * then data comes: the call went on, it did not end with EINTR. */
static void resumed_after_stop(int use_poll)
{
    int data[2];
    pipe(data);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        job_setpgid(0, 0);
        char c = 0;
        if (use_poll) {
            struct pollfd p = {data[0], POLLIN, 0};
            _exit(poll(&p, 1, -1) == 1 ? 0 : errno);
        }
        _exit(read(data[0], &c, 1) == 1 && c == 'd' ? 0 : errno);
    }
    job_setpgid(child, child);
    sleep_ms(100);
    int status = 0;
    kill(child, SIGSTOP);
    waitpid(child, &status, WUNTRACED);
    kill(child, SIGCONT);
    waitpid(child, &status, WCONTINUED);
    sleep_ms(100);
    write(data[1], "d", 1);
    waitpid(child, &status, 0);
    expect(use_poll ? "poll cut short by a stop goes on after SIGCONT"
                    : "read cut short by a stop goes on after SIGCONT", status, 0);
    close(data[0]), close(data[1]);
}

/* nanosleep(400 ms) stopped at 100 ms and continued at 200 ms: it goes on
 * and returns 0 at its deadline, not EINTR at once. */
static void sleep_resumed_after_stop(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        job_setpgid(0, 0);
        struct timespec start, end, nap = {0, 400000000};
        clock_gettime(CLOCK_MONOTONIC, &start);
        int result = nanosleep(&nap, NULL);
        clock_gettime(CLOCK_MONOTONIC, &end);
        long ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
        _exit(result == 0 && ms >= 390 ? 0 : 1);
    }
    job_setpgid(child, child);
    sleep_ms(100);
    kill(child, SIGSTOP);
    waitpid(child, NULL, WUNTRACED);
    sleep_ms(100);
    kill(child, SIGCONT);
    int status = -1;
    waitpid(child, &status, 0);
    expect("nanosleep cut short by a stop sleeps on until its time after SIGCONT", status, 0);
}

static void orphaned_group_ignores_stops(void)
{
    int report[2];
    pipe(report);
    fflush(stdout);
    pid_t middle = fork();
    if (middle == 0) {
        middle = getpid();
        pid_t grandchild = fork();
        if (grandchild == 0) {
            job_setpgid(0, 0);
            char c = 'x';
            /* Wait until the middle process is gone: then this group is orphaned. */
            while (getppid() == middle)
                sleep_ms(10);
            raise(SIGTSTP);
            write(report[1], &c, 1);
            _exit(0);
        }
        _exit(0);
    }
    waitpid(middle, NULL, 0);
    close(report[1]);
    struct pollfd p = {report[0], POLLIN, 0};
    int ready = poll(&p, 1, 5000);
    expect("SIGTSTP in an orphaned process group is dropped: the process runs on", ready, 1);
    close(report[0]);
}

static int hangup_pipe = -1;
static void report_hangup(int sig)
{
    (void)sig;
    write(hangup_pipe, "h", 1);
    _exit(0);
}

/* A stopped process whose group an exit orphans gets SIGHUP and SIGCONT. */
static void orphaned_stopped_group_is_hung_up(void)
{
    int report[2];
    pipe(report);
    fflush(stdout);
    pid_t middle = fork();
    if (middle == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            job_setpgid(0, 0);
            hangup_pipe = report[1];
            signal(SIGHUP, report_hangup);
            raise(SIGSTOP);
            _exit(1);  /* continued without SIGHUP */
        }
        job_setpgid(grandchild, grandchild);
        waitpid(grandchild, NULL, WUNTRACED);
        _exit(0);  /* now the stopped grandchild's group is orphaned */
    }
    waitpid(middle, NULL, 0);
    close(report[1]);
    struct pollfd p = {report[0], POLLIN, 0};
    expect("a stopped process in a newly orphaned group gets SIGHUP", poll(&p, 1, 5000), 1);
    close(report[0]);
}

/* ---- the terminal ---- */

static volatile int ttin_handled;
static void count_ttin(int sig) { (void)sig; ttin_handled++; }

static void background_read_with(void (*prepare)(void))
{
    if (prepare)
        prepare();
    job_setpgid(0, 0);
    char c;
    long n = read(0, &c, 1);
    _exit(n < 0 ? errno : 200 + (int)n);
}

static void ignore_ttin(void) { signal(SIGTTIN, SIG_IGN); }
static void handle_ttin(void)
{
    struct sigaction act = {.sa_handler = count_ttin};
    sigaction(SIGTTIN, &act, NULL);
}
static pid_t fork_background_reader(void (*prepare)(void))
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        background_read_with(prepare);
    job_setpgid(child, child);  /* also from here, so there is no race */
    return child;
}

static void handle_ttin_and_check(void)
{
    handle_ttin();
    job_setpgid(0, 0);
    char c;
    long n = read(0, &c, 1);
    _exit(n < 0 && errno == EINTR && ttin_handled == 1 ? 0 : 1);
}

static void background_tcsetpgrp(void)
{
    int parent_group = job_getpgrp();
    job_setpgid(0, 0);
    expect("TIOCSPGRP: a background process with SIGTTOU ignored may set the foreground",
           (signal(SIGTTOU, SIG_IGN), terminal_set_group(0, job_getpgrp())), 0);
    expect("TIOCGPGRP: it is now the foreground group", terminal_get(0, TIOCGPGRP_REQUEST), job_getpgrp());
    expect("TIOCSPGRP: and gives the terminal back", terminal_set_group(0, parent_group), 0);
    pid_t gone = unused_pid();
    expect("TIOCSPGRP: a group that does not exist is ESRCH", terminal_set_group(0, gone), -ESRCH);
    expect("TIOCSPGRP: a negative group is EINVAL", terminal_set_group(0, -3), -EINVAL);
}

static void not_a_session_leader(void)
{
    expect("TIOCSCTTY: a process that leads no session gets EPERM",
           syscall3(SYS_ioctl, 0, TIOCSCTTY_REQUEST, 0), -EPERM);
    expect("TIOCNOTTY: a non-leader gives its controlling terminal up", syscall3(SYS_ioctl, 0, TIOCNOTTY_REQUEST, 0),
           0);
    expect("TIOCGPGRP: ENOTTY once it has none", terminal_get(0, TIOCGPGRP_REQUEST), -ENOTTY);
    expect("TIOCNOTTY: ENOTTY the second time", syscall3(SYS_ioctl, 0, TIOCNOTTY_REQUEST, 0), -ENOTTY);
}

static void terminal_checks(void)
{
    expect("TIOCGPGRP: the foreground group is ours", terminal_get(0, TIOCGPGRP_REQUEST), job_getpgrp());
    expect("TIOCGSID: the terminal's session is ours", terminal_get(0, TIOCGSID_REQUEST), job_getsid(0));

    int status = 0;
    pid_t child = fork_background_reader(NULL);
    expect("a background read: SIGTTIN stops the reader", waitpid(child, &status, WUNTRACED), child);
    expect("stopped by SIGTTIN", status, 0x7f | SIGTTIN << 8);
    kill_and_reap(child);

    child = fork_background_reader(ignore_ttin);
    waitpid(child, &status, 0);
    expect("a background read with SIGTTIN ignored: EIO", WEXITSTATUS(status), EIO);

    fflush(stdout);
    child = fork();
    if (child == 0)
        handle_ttin_and_check();
    job_setpgid(child, child);
    waitpid(child, &status, 0);
    expect("a background read with a SIGTTIN handler: EINTR after the handler", status, 0);

    fflush(stdout);
    child = fork();
    if (child == 0) {
        job_setpgid(0, 0);
        long result = terminal_set_group(0, job_getpgrp());
        _exit(result == 0 ? 0 : 1);
    }
    job_setpgid(child, child);
    expect("a background TIOCSPGRP: SIGTTOU stops the caller", waitpid(child, &status, WUNTRACED), child);
    expect("stopped by SIGTTOU", status, 0x7f | SIGTTOU << 8);
    kill_and_reap(child);
    expect("TIOCGPGRP: still ours after that", terminal_get(0, TIOCGPGRP_REQUEST), job_getpgrp());

    check_in_child(background_tcsetpgrp);
    expect("TIOCGPGRP: ours again", terminal_get(0, TIOCGPGRP_REQUEST), job_getpgrp());

    int ready[2];
    pipe(ready);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        job_setsid();
        write(ready[1], "s", 1);
        for (;;)
            pause();
    }
    char c;
    read(ready[0], &c, 1);
    expect("TIOCSPGRP: a group of another session is EPERM", terminal_set_group(0, child), -EPERM);
    kill_and_reap(child);
    close(ready[0]), close(ready[1]);
    check_in_child(not_a_session_leader);
}

/* ---- jobcheck fg PROGRAM: a job-control shell of one job ---- */

static int run_foreground_job(char **argv)
{
    signal(SIGTTOU, SIG_IGN);  /* a shell takes the terminal back from the background */
    int shell_group = job_getpgrp();
    fflush(stdout);
    pid_t job = fork();
    if (job == 0) {
        job_setpgid(0, 0);
        terminal_set_group(0, getpid());
        signal(SIGTTOU, SIG_DFL);
        execve(argv[0], argv, NULL);
        _exit(127);
    }
    job_setpgid(job, job);
    terminal_set_group(0, job);
    printf("job %d started\n", (int)job);
    fflush(stdout);
    int status;
    while (waitpid(job, &status, WUNTRACED) == job && WIFSTOPPED(status)) {
        terminal_set_group(0, shell_group);
        printf("job stopped by signal %d; foreground group back to the shell: %s\n", WSTOPSIG(status),
               terminal_get(0, TIOCGPGRP_REQUEST) == shell_group ? "yes" : "no");
        fflush(stdout);
        terminal_set_group(0, job);
        kill(-job, SIGCONT);
        printf("job continued\n");
        fflush(stdout);
    }
    terminal_set_group(0, shell_group);
    printf("job ended with status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: jobcheck [fg PROGRAM [ARG]...]\n"
               "Checks sessions, process groups, stopping and continuing, and the terminal's\n"
               "job control; with fg, runs PROGRAM as the one job of a tiny job-control shell.\n");
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "fg") == 0)
        return run_foreground_job(argv + 2);
    /* Our sleep program, next to this one (or /bin/sleep when found by PATH). */
    static char sleep_program[256] = "/bin/sleep";
    const char *slash = strrchr(argv[0], '/');
    if (slash && slash - argv[0] < 200) {
        memcpy(sleep_program, argv[0], slash - argv[0]);
        strcpy(sleep_program + (slash - argv[0]), "/sleep");
    }
    identity_calls();
    setpgid_rules(sleep_program);
    stop_and_continue();
    sigchld_on_stop();
    waitid_reports();
    continue_drops_pending_stop();
    resumed_after_stop(0);
    resumed_after_stop(1);
    sleep_resumed_after_stop();
    orphaned_group_ignores_stops();
    orphaned_stopped_group_is_hung_up();
    if (isatty(0) && terminal_get(0, TIOCGPGRP_REQUEST) == job_getpgrp()) {
        terminal_checks();
    } else {
        printf("jobcheck: standard input is not our controlling terminal in the foreground: no terminal checks\n");
    }
    printf("jobcheck: %d failed\n", check_failures);
    return check_failures > 100 ? 100 : check_failures;
}
