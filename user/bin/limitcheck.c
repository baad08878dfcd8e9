/* limitcheck -- checks the kernel's resource limits and its growing user
 * stack against what Linux does.
 *
 * Usage: limitcheck
 *
 * getrlimit (old and new), setrlimit and prlimit64 (layouts, RLIM_INFINITY,
 * EINVAL, ESRCH, another process's limits); the limits that act:
 * RLIMIT_NOFILE (EMFILE, EBADF, EINVAL), RLIMIT_FSIZE (a short write, then
 * EFBIG and SIGXFSZ), RLIMIT_DATA (brk) and RLIMIT_STACK: a program started
 * with a limit recurses deeply (the stack grows on demand), a recursion
 * beyond the limit ends in SIGSEGV -- also with a SIGSEGV handler that has
 * no stack left to run on -- and so does one beyond a limit lowered while
 * running; mmap places nothing where the stack may grow. Prints "ok NAME" or "FAIL NAME:
 * got X, expected Y" per check and "limitcheck: N failed" at the end; the
 * exit status is N. The same binary runs on a Linux host, which is the
 * reference (tests/user/test_limits.py), and on our kernel
 * (tests/qemu/test_limits.py). Raising a hard limit needs CAP_SYS_RESOURCE,
 * which the host's test may lack, so only lowering one is checked here. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS_old_getrlimit 76
#define SYS_brk_call 45
#define FRAME_BYTES 100
#define MiB (1024UL * 1024UL)

/* The exit status of a child as a number: the code, or 1000 + the signal. */
static long outcome_of(pid_t child)
{
    int status = 0;
    if (waitpid(child, &status, 0) != child)
        return -errno;
    return WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : (status >> 8) & 0xff;
}

static void call_interfaces(void)
{
    struct rlimit r;
    struct rlimit64 wide, old;
    expect("setrlimit: soft above hard is EINVAL",
           (r.rlim_cur = 200, r.rlim_max = 100, setrlimit(RLIMIT_CORE, &r) == 0 ? 0 : -errno), -EINVAL);
    expect("getrlimit: resource 16 is EINVAL", getrlimit(RLIMIT_NLIMITS, &r) == 0 ? 0 : -errno, -EINVAL);
    expect("setrlimit: resource 16 is EINVAL", setrlimit(RLIMIT_NLIMITS, &r) == 0 ? 0 : -errno, -EINVAL);
    expect("prlimit64: resource 16 is EINVAL", prlimit(0, RLIMIT_NLIMITS, NULL, &old) == 0 ? 0 : -errno, -EINVAL);
    r.rlim_cur = 0;
    r.rlim_max = RLIM_INFINITY;
    expect("setrlimit: RLIMIT_CORE 0, unlimited hard", setrlimit(RLIMIT_CORE, &r), 0);
    expect("prlimit64: RLIM_INFINITY reads as 2^64-1",
           prlimit(0, RLIMIT_CORE, NULL, &old) == 0 && old.rlim_cur == 0 && old.rlim_max == RLIM64_INFINITY, 1);
    unsigned long words[2] = {1, 1};
    expect("getrlimit (76): RLIM_INFINITY reads as 0x7fffffff",
           syscall2(SYS_old_getrlimit, RLIMIT_CORE, (long)words) == 0 && words[0] == 0 && words[1] == 0x7fffffff, 1);
    expect("ugetrlimit (191): RLIM_INFINITY reads as ~0",
           getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_cur == 0 && r.rlim_max == RLIM_INFINITY, 1);
    expect("getrlimit: a bad pointer is EFAULT", getrlimit(RLIMIT_CORE, (struct rlimit *)16) == 0 ? 0 : -errno,
           -EFAULT);
    wide.rlim_cur = 12345;
    wide.rlim_max = 5 * MiB;
    expect("prlimit64: sets a new limit", prlimit(getpid(), RLIMIT_CORE, &wide, &old), 0);
    expect("prlimit64: old is the limit before", old.rlim_cur == 0 && old.rlim_max == RLIM64_INFINITY, 1);
    expect("getrlimit: sees prlimit64's limit",
           getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_cur == 12345 && r.rlim_max == 5 * MiB, 1);
    wide.rlim_cur = 0; /* no core files from the children that crash below */
    wide.rlim_max = 4 * MiB;
    expect("a hard limit may be lowered", prlimit(0, RLIMIT_CORE, &wide, NULL), 0);
    wide.rlim_cur = wide.rlim_max = 0x10000000;
    expect("RLIMIT_NOFILE: a hard limit of 2^28 is EPERM",
           prlimit(0, RLIMIT_NOFILE, &wide, NULL) == 0 ? 0 : -errno, -EPERM);
    expect("prlimit64: no such process is ESRCH", prlimit(0x3fffffff, RLIMIT_CORE, NULL, &old) == 0 ? 0 : -errno,
           -ESRCH);
    expect("prlimit64: a negative pid is ESRCH", prlimit(-5, RLIMIT_CORE, NULL, &old) == 0 ? 0 : -errno, -ESRCH);
}

/* prlimit64 on a child: its limits are inherited, and can be changed. */
static void another_process(void)
{
    struct rlimit64 mine, theirs, wanted = {77, 88};
    int ready[2];
    if (pipe(ready) != 0)
        return expect("pipe", -errno, 0);
    prlimit(0, RLIMIT_NOFILE, NULL, &mine);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char byte;
        close(ready[1]);
        read(ready[0], &byte, 1); /* until the parent is done */
        struct rlimit64 now;
        prlimit(0, RLIMIT_NOFILE, NULL, &now);
        _exit(now.rlim_cur == 77 && now.rlim_max == 88 ? 0 : 1);
    }
    close(ready[0]);
    expect("prlimit64: a child inherits the limits",
           prlimit(child, RLIMIT_NOFILE, NULL, &theirs) == 0 && theirs.rlim_cur == mine.rlim_cur &&
               theirs.rlim_max == mine.rlim_max, 1);
    wanted.rlim_cur = 3; /* the child has 0, 1, 2 and the pipe open */
    expect("prlimit64: sets a child's limit", prlimit(child, RLIMIT_NOFILE, &wanted, NULL), 0);
    wanted.rlim_cur = 77;
    expect("prlimit64: again", prlimit(child, RLIMIT_NOFILE, &wanted, &theirs), 0);
    expect("prlimit64: the child's old limit", theirs.rlim_cur == 3 && theirs.rlim_max == 88, 1);
    close(ready[1]);
    long got = outcome_of(child);
    expect("the child sees the limits set for it", got, 0);
}

/* RLIMIT_NOFILE: the soft limit bounds every new descriptor. */
static long descriptor_limit_child(void)
{
    struct rlimit r = {6, 64};
    if (setrlimit(RLIMIT_NOFILE, &r) != 0)
        return 10;
    for (int fd = 3; fd < 64; ++fd)
        close(fd);
    if (open("/dev/null", O_RDONLY) != 3 || dup(0) != 4 || fcntl(0, F_DUPFD, 0) != 5)
        return 11;
    if (open("/dev/null", O_RDONLY) != -1 || errno != EMFILE)
        return 12;
    if (dup(0) != -1 || errno != EMFILE)
        return 13;
    if (dup2(0, 6) != -1 || errno != EBADF)
        return 14;
    if (fcntl(0, F_DUPFD, 6) != -1 || errno != EINVAL)
        return 15;
    close(5);
    int fds[2];
    if (pipe(fds) != -1 || errno != EMFILE)
        return 16;
    if (dup2(0, 5) != 5)
        return 17;
    struct rlimit raised = {64, 64};
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0 || pipe(fds) != 0 || fds[0] != 6 || fds[1] != 7)
        return 18;
    return 0;
}

static void descriptors(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit((int)descriptor_limit_child());
    expect("RLIMIT_NOFILE: open, dup, F_DUPFD, dup2 and pipe keep below the soft limit", outcome_of(child), 0);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        /* poll takes at most the soft limit's number of entries (EINVAL above). */
        struct rlimit r = {64, 64};
        static struct pollfd entries[65];
        for (int i = 0; i < 65; i++)
            entries[i].fd = -1;
        if (setrlimit(RLIMIT_NOFILE, &r) != 0)
            _exit(10);
        if (poll(entries, 64, 0) != 0)
            _exit(11);
        _exit(poll(entries, 65, 0) == -1 && errno == EINVAL ? 0 : 12);
    }
    expect("RLIMIT_NOFILE: poll of more entries than the soft limit is EINVAL", outcome_of(child), 0);
}

/* RLIMIT_FSIZE: a write crossing the limit is cut short; one at it is
 * EFBIG with SIGXFSZ (which ends the process by default). */
static long file_size_child(const char *name, int ignore_signal)
{
    if (ignore_signal)
        signal(SIGXFSZ, SIG_IGN);
    struct rlimit r = {1000, RLIM_INFINITY};
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || setrlimit(RLIMIT_FSIZE, &r) != 0)
        return 10;
    static char block[600];
    if (write(fd, block, 600) != 600)
        return 11;
    if (write(fd, block, 600) != 400)
        return 12;
    if (write(fd, block, 0) != 0)
        return 13;
    if (write(fd, block, 1) != -1 || errno != EFBIG)
        return 14;
    if (ftruncate(fd, 2000) != -1 || errno != EFBIG)
        return 15;
    if (ftruncate(fd, 10) != 0)
        return 16;
    return 0;
}

static void file_size(void)
{
    char name[64];
    snprintf(name, sizeof name, "/tmp/limitcheck.%d", getpid());
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit((int)file_size_child(name, 1));
    expect("RLIMIT_FSIZE: a short write, then EFBIG (SIGXFSZ ignored)", outcome_of(child), 0);
    child = fork();
    if (child == 0)
        _exit((int)file_size_child(name, 0));
    expect("RLIMIT_FSIZE: SIGXFSZ ends the writer", outcome_of(child), 1000 + SIGXFSZ);
    unlink(name);
}

/* RLIMIT_DATA: brk beyond it fails (the break stays). */
static void data_size(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct rlimit r = {1 * MiB, RLIM_INFINITY};
        long start = syscall1(SYS_brk_call, 0);
        if (setrlimit(RLIMIT_DATA, &r) != 0)
            _exit(10);
        if (syscall1(SYS_brk_call, start + 2 * MiB) != start)
            _exit(11);
        if (syscall1(SYS_brk_call, start + 64 * 1024) != start + 64 * 1024)
            _exit(12);
        _exit(0);
    }
    expect("RLIMIT_DATA: brk stops at the limit", outcome_of(child), 0);
}

/* The recursion: FRAME_BYTES of locals a frame, used after the call so
 * the compiler cannot turn it into a loop. */
static int recurse(long depth)
{
    volatile char frame[FRAME_BYTES];
    frame[0] = (char)depth;
    frame[FRAME_BYTES - 1] = 1;
    if (depth == 0)
        return 0;
    return recurse(depth - 1) + frame[0] - (char)depth + frame[FRAME_BYTES - 1] - 1;
}

static void leave_on_segv(int sig)
{
    (void)sig;
    _exit(7);
}

/* limitcheck --stack DEPTH HANDLER: run as a new program (so its stack is
 * sized from the limit it was started with). HANDLER: 0 none, 1 a SIGSEGV
 * handler (which exits 7 if it ever runs), 2 none but the soft limit raised
 * to 32 MiB before the recursion. Exits 3 when an mmap lands where the
 * stack may grow. */
static int stack_program(long depth, int handler)
{
    struct rlimit r;
    getrlimit(RLIMIT_STACK, &r);
    char here;
    char *mapping = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED || (unsigned long)(&here - mapping) < r.rlim_cur + 256 * 4096)
        return 3;
    struct rlimit raised = {32 * MiB, r.rlim_max};
    if (handler == 2 && setrlimit(RLIMIT_STACK, &raised) != 0)
        return 4;
    if (handler == 1) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = leave_on_segv;
        sigaction(SIGSEGV, &action, NULL);
    }
    return recurse(depth);
}

static long run_stack_program(const char *self, unsigned long limit, long depth, int handler)
{
    char depth_text[16], handler_text[4];
    snprintf(depth_text, sizeof depth_text, "%ld", depth);
    snprintf(handler_text, sizeof handler_text, "%d", handler);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct rlimit r = {limit, RLIM_INFINITY};
        char *argv[] = {(char *)self, "--stack", depth_text, handler_text, NULL};
        char *envp[] = {NULL};
        if (setrlimit(RLIMIT_STACK, &r) != 0)
            _exit(20);
        execve(self, argv, envp);
        _exit(21);
    }
    return outcome_of(child);
}

static void growing_stack(const char *self)
{
    expect("stack 8 MiB: 50,000 frames of 100 bytes", run_stack_program(self, 8 * MiB, 50000, 0), 0);
    expect("stack 8 MiB: 100,000 frames end in SIGSEGV", run_stack_program(self, 8 * MiB, 100000, 0),
           1000 + SIGSEGV);
    expect("stack 32 MiB (raised with setrlimit): 100,000 frames", run_stack_program(self, 32 * MiB, 100000, 0), 0);
    expect("stack 1 MiB: 50,000 frames end in SIGSEGV", run_stack_program(self, 1 * MiB, 50000, 0), 1000 + SIGSEGV);
    expect("stack 8 MiB at the start, raised to 32 MiB while running: 100,000 frames",
           run_stack_program(self, 8 * MiB, 100000, 2), 0);
    expect("stack exhausted: a SIGSEGV handler cannot run, SIGSEGV ends the program",
           run_stack_program(self, 1 * MiB, 50000, 1), 1000 + SIGSEGV);
    /* Lowered in a running program, the limit binds at the next growth. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct rlimit small = {1 * MiB, RLIM_INFINITY};
        recurse(2000); /* some stack in use: about 250 KiB */
        setrlimit(RLIMIT_STACK, &small);
        recurse(5000);
        _exit(recurse(50000));
    }
    expect("stack lowered to 1 MiB while running: 50,000 frames end in SIGSEGV", outcome_of(child), 1000 + SIGSEGV);
    struct rlimit r;
    expect("getrlimit: RLIMIT_STACK soft below hard", getrlimit(RLIMIT_STACK, &r) == 0 && r.rlim_cur <= r.rlim_max, 1);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: limitcheck\n"
               "Checks getrlimit, setrlimit and prlimit64 and the limits that act: open files,\n"
               "file size, data size and the stack, which grows on demand up to its limit.\n");
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "--stack") == 0)
        return stack_program(atol(argv[2]), atoi(argv[3]));
    call_interfaces();
    another_process();
    descriptors();
    file_size();
    data_size();
    growing_stack(argv[0]);
    printf("limitcheck: %d failed\n", check_failures);
    return check_failures > 100 ? 100 : check_failures;
}
