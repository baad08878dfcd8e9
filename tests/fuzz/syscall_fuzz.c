/* syscall_fuzz -- a seeded random fuzzer of the system-call layer, run as a
 * user program on the kernel (tests/qemu/test_syscall_fuzz.py).
 *
 * Usage: syscall_fuzz [-s SEED] [-n CALLS] [-p CALLS_PER_CHILD] [-d DIR] [-c CHILD] [-v]
 *
 * The parent forks children one after the other; each child makes up to
 * CALLS_PER_CHILD (default 200) calls with random numbers 0..449 and random
 * arguments drawn from values that find bugs: 0, -1, small integers, its
 * own open descriptors, pointers into its own memory (a scratch mapping
 * whose last page borders an unmapped one, its stack, its text), unmapped
 * and kernel addresses (0xC0000000 and up), page sizes and huge lengths.
 * The parent reaps every child, counts the calls they reported and starts
 * children until CALLS (default 20000) are made, then prints one line:
 *   syscall_fuzz: seed S: C calls, started X, reaped Y (...)
 * and exits 0 when every child was reaped. The kernel passes when it
 * neither panics nor leaves a child unreapable, and still works after.
 *
 * Must stay true -- the fuzzer tests the kernel, not the machine around it:
 *  - excluded are only calls that would end the test rather than test the
 *    kernel (CALLS_THAT_END_THE_TEST), that change the whole machine
 *    (CALLS_THAT_CHANGE_THE_MACHINE: the clock, which e2fsck checks on the
 *    disks afterwards), and the thread calls the kernel is about to learn
 *    (CALLS_WAITING_FOR_THREADS: shrink it as they land);
 *  - signals go to the child itself only (kill, tkill, tgkill, ...), and so
 *    do prlimit64's changes; mount and umount act on DIR/fuzzmnt only;
 *  - a child runs in DIR (default /tmp/syscall_fuzz, on tmpfs; none of
 *    its names leads out of it), with
 *    /dev/null as its standard input and output, so it neither reads the
 *    console nor writes it; the parent empties DIR after each child
 *    without crossing into another file system;
 *  - a forked grandchild exits at once (fork bombs stay bounded), and an
 *    interval timer interrupts a sleep every few milliseconds; a child
 *    that hangs anyway is killed after CHILD_SECONDS, one that stops is
 *    killed too; each is counted.
 * The same seed gives the same calls: -c CHILD runs that child alone and
 * -v prints each call (number and arguments) before it is made, to find
 * the one that hurt the kernel. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYSCALL_LIMIT 450
#define PAGE 4096u
#define SCRATCH_PAGES 8u
#define CHILD_SECONDS 5
#define REPORT_EVERY 32
#define PROGRESS_FD 250   /* child -> parent: calls made; no value pool holds 250 */
#define TRACE_FD 251      /* -v: the parent's stderr in the child */
#define TIMER_MICROSECONDS 5000

/* The thread calls (clone, futex and their twins), which the kernel is
 * about to learn: shrink this list as they land. */
static const unsigned CALLS_WAITING_FOR_THREADS[] = {120 /* clone */, 240 /* futex */,
                                                     422 /* futex_time64 */, 435 /* clone3 */};
/* Calls whose success ends the test, not a kernel path: the child's own
 * exit (it exits when done) and the machine's. */
static const unsigned CALLS_THAT_END_THE_TEST[] = {1 /* exit */, 88 /* reboot */, 252 /* exit_group */};
/* Calls that change the whole machine: the wall clock (stime,
 * settimeofday, adjtimex, clock_settime, clock_adjtime and their time64
 * twins) would put the disks' times in the future for e2fsck. */
static const unsigned CALLS_THAT_CHANGE_THE_MACHINE[] = {25, 79, 124, 264, 343, 404, 405};

/* Calls whose arguments name processes: which argument positions, forced
 * to the child itself (-1 ends the list). */
struct process_argument { unsigned number; int positions[3]; };
static const struct process_argument CALLS_ON_PROCESSES[] = {
    {37, {0, -1}},      /* kill(pid, sig) */
    {238, {0, -1}},     /* tkill(tid, sig) */
    {270, {0, 1, -1}},  /* tgkill(tgid, tid, sig) */
    {178, {0, -1}},     /* rt_sigqueueinfo(pid, ...) */
    {335, {0, 1, -1}},  /* rt_tgsigqueueinfo(tgid, tid, ...) */
    {434, {0, -1}},     /* pidfd_open(pid, flags) */
    {340, {0, -1}},     /* prlimit64(pid, ...) */
    {26, {1, -1}},      /* ptrace(request, pid, ...) */
};

struct options {
    unsigned seed;
    unsigned long calls;
    unsigned calls_per_child;
    const char *directory;
    long only_child;   /* -1: all */
    int verbose;
};

/* One child's world: what the argument generator draws from. */
struct world {
    unsigned long long random_state;
    char *scratch;                 /* SCRATCH_PAGES pages, the next page unmapped */
    int descriptors[16];
    int descriptor_count;
    const char *paths[16];         /* inside scratch: the calls may write there */
    int path_count;
    char mount_point[128];
    char mount_source[128];
    pid_t self;
};

static unsigned long long mix(unsigned long long x)
{
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static unsigned next_random(struct world *w)
{
    w->random_state += 0x9e3779b97f4a7c15ULL;
    return (unsigned)(mix(w->random_state) >> 32);
}

static int listed(const unsigned *list, size_t count, unsigned number)
{
    for (size_t i = 0; i < count; i++)
        if (list[i] == number) return 1;
    return 0;
}

#define LISTED(list, number) listed(list, sizeof(list) / sizeof(list[0]), number)

static int excluded(unsigned number)
{
    return LISTED(CALLS_WAITING_FOR_THREADS, number) || LISTED(CALLS_THAT_END_THE_TEST, number) ||
           LISTED(CALLS_THAT_CHANGE_THE_MACHINE, number);
}

/* ---- argument values ---- */

static unsigned pointer_into_own_memory(struct world *w)
{
    static int a_global;
    int on_the_stack;
    unsigned end = (unsigned)(w->scratch + SCRATCH_PAGES * PAGE);
    switch (next_random(w) % 8) {
    case 0: return (unsigned)w->paths[next_random(w) % w->path_count];
    case 1: return end - next_random(w) % 16;              /* straddles into the unmapped page */
    case 2: return (unsigned)w->scratch + (next_random(w) % SCRATCH_PAGES) * PAGE - next_random(w) % 8;
    case 3: return (unsigned)w->scratch + PAGE * 1;        /* a page of zeros: NULL lists, 0 times */
    case 4: return (unsigned)&on_the_stack;
    case 5: return next_random(w) % 2 ? (unsigned)&pointer_into_own_memory : (unsigned)&a_global;
    default: return (unsigned)w->scratch + next_random(w) % (SCRATCH_PAGES * PAGE);
    }
}

static unsigned address_not_ours(struct world *w)
{
    static const unsigned addresses[] = {0, 1, 0xfff, 0x1000, 0x08000000, 0x7ffff000, 0xbffff000,
                                         0xc0000000, 0xc0001000, 0xc0100000, 0xc0400000, 0xdeadbeef,
                                         0xfffff000, 0xffffffff};
    if (next_random(w) % 4 == 0) return 0xc0000000u + (next_random(w) & 0x3ffffffcu);
    return addresses[next_random(w) % (sizeof(addresses) / sizeof(addresses[0]))];
}

static unsigned interesting_value(struct world *w)
{
    static const unsigned sizes[] = {4095, 4096, 4097, 8192, 65536, 0x100000, 0x10000000, 0x7fffffff,
                                     0x80000000, 0xfffffffe, 0xffffffff};
    switch (next_random(w) % 11) {
    case 0: return next_random(w) % 17;
    case 1: return next_random(w) % 3 == 0 ? 0 : next_random(w) % 2 ? 0xffffffffu : 1;
    case 2:
    case 3: return (unsigned)w->descriptors[next_random(w) % w->descriptor_count];
    case 4:
    case 5: return pointer_into_own_memory(w);
    case 6: return address_not_ours(w);
    case 7: return sizes[next_random(w) % (sizeof(sizes) / sizeof(sizes[0]))];
    case 8: return 1u << (next_random(w) % 32);
    case 9: return next_random(w) & 0x1ff;   /* flags and modes */
    default: return next_random(w);
    }
}

/* Half the calls get arguments in the shape most calls take -- a
 * descriptor or a name, then a buffer in our memory, then a length that
 * fits it, then flags -- so they pass the first checks and reach deeper. */
static void shaped_arguments(struct world *w, unsigned args[6])
{
    args[0] = next_random(w) % 2 ? (unsigned)w->descriptors[next_random(w) % w->descriptor_count]
                                 : (unsigned)w->paths[next_random(w) % w->path_count];
    args[1] = (unsigned)w->scratch + 2 * PAGE + next_random(w) % (4 * PAGE);
    args[2] = next_random(w) % 3 == 0 ? next_random(w) % 64 : next_random(w) % (2 * PAGE);
    args[3] = next_random(w) & 0x1ff;
    args[4] = (unsigned)w->scratch + PAGE;   /* zeros */
    args[5] = next_random(w) % 2;
}

static void draw_arguments(struct world *w, unsigned args[6])
{
    for (int a = 0; a < 6; a++) args[a] = interesting_value(w);
    if (next_random(w) % 2) {
        unsigned shaped[6];
        shaped_arguments(w, shaped);
        for (int a = 0; a < 6; a++)
            if (next_random(w) % 4 != 0) args[a] = shaped[a];
    }
}

/* The rules above that keep the test alive, applied to one call. */
static void keep_within_the_test(struct world *w, unsigned number, unsigned args[6])
{
    for (size_t i = 0; i < sizeof(CALLS_ON_PROCESSES) / sizeof(CALLS_ON_PROCESSES[0]); i++) {
        if (CALLS_ON_PROCESSES[i].number != number) continue;
        for (const int *p = CALLS_ON_PROCESSES[i].positions; *p >= 0; p++) args[*p] = (unsigned)w->self;
    }
    if (number == 21) {                               /* mount(source, target, ...) */
        args[0] = (unsigned)w->mount_source;
        args[1] = (unsigned)w->mount_point;
    } else if (number == 22 || number == 52) {        /* umount, umount2 */
        args[0] = (unsigned)w->mount_point;
    } else if (number == 72) {                        /* sigsuspend(0, 0, mask): the mask by value */
        args[2] &= ~(1u << (SIGALRM - 1));            /* the timer must still end the wait */
    }
}

/* fork and vfork with a child that exits at once, before it touches
 * memory: a vfork child shares its parent's stack, so it must not even
 * return from a function. */
static long fork_whose_child_exits_at_once(unsigned number)
{
    long result;
    __asm__ volatile("int $0x80\n\t"
                     "testl %%eax, %%eax\n\t"
                     "jnz 1f\n\t"
                     "movl $1, %%eax\n\t"
                     "xorl %%ebx, %%ebx\n\t"
                     "int $0x80\n"
                     "1:"
                     : "=a"(result)
                     : "a"(number)
                     : "ebx", "ecx", "edx", "memory");
    return result;
}

/* ---- one child ---- */

static void on_alarm(int sig) { (void)sig; }

/* SIGALRM every few milliseconds, caught, so a sleeping call ends with
 * EINTR; the calls may have changed any of it, so it is set again often. */
static void keep_the_timer_running(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    sigset_t alarm_only;
    sigemptyset(&alarm_only);
    sigaddset(&alarm_only, SIGALRM);
    sigprocmask(SIG_UNBLOCK, &alarm_only, NULL);
    struct itimerval timer = {{0, TIMER_MICROSECONDS}, {0, TIMER_MICROSECONDS}};
    setitimer(ITIMER_REAL, &timer, NULL);
}

static void add_path(struct world *w, char **cursor, const char *path)
{
    strcpy(*cursor, path);
    w->paths[w->path_count++] = *cursor;
    *cursor += strlen(path) + 1;
}

static void add_descriptor(struct world *w, int fd)
{
    if (fd >= 0 && w->descriptor_count < 16) w->descriptors[w->descriptor_count++] = fd;
}

/* The scratch memory, the paths and the descriptors of one child. */
static void make_world(struct world *w, const struct options *o, unsigned index)
{
    memset(w, 0, sizeof(*w));
    w->random_state = mix(((unsigned long long)o->seed << 32) ^ index);
    w->self = getpid();
    char *map = mmap(NULL, (SCRATCH_PAGES + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (map == MAP_FAILED) _exit(120);
    munmap(map + SCRATCH_PAGES * PAGE, PAGE);
    w->scratch = map;
    for (unsigned i = 2 * PAGE; i < SCRATCH_PAGES * PAGE; i++) map[i] = (char)next_random(w);
    char *cursor = map;
    snprintf(w->mount_point, sizeof(w->mount_point), "%s/fuzzmnt", o->directory);
    snprintf(w->mount_source, sizeof(w->mount_source), "%s/dir", o->directory);
    /* No name leads out of DIR: "dir/.." is DIR itself, and chdir to one
     * of these stays inside (a random name could still, very rarely). */
    const char *relative[] = {"file", "dir", "dir/file", "link", "fifo", "fuzzmnt", ".", "dir/..",
                              "/proc/self/stat", "/proc/self/maps", ""};
    for (size_t i = 0; i < sizeof(relative) / sizeof(relative[0]); i++) add_path(w, &cursor, relative[i]);
    add_path(w, &cursor, w->mount_point);
    add_path(w, &cursor, w->mount_source);
    mkdir("dir", 0755);
    mkdir("fuzzmnt", 0755);
    symlink("file", "link");
    add_descriptor(w, open("file", O_RDWR | O_CREAT, 0644));
    add_descriptor(w, open("dir", O_RDONLY));
    add_descriptor(w, open("/dev/zero", O_RDWR));
    add_descriptor(w, open("/proc/self/stat", O_RDONLY));
    int pipe_ends[2];
    if (pipe(pipe_ends) == 0) { add_descriptor(w, pipe_ends[0]); add_descriptor(w, pipe_ends[1]); }
    add_descriptor(w, 0);
    add_descriptor(w, 1);
}

static void report_progress(unsigned calls)
{
    write(PROGRESS_FD, &calls, sizeof(calls));
}

static void trace_call(unsigned index, unsigned i, unsigned number, const unsigned args[6])
{
    dprintf(TRACE_FD, "child %u call %u: %u(%#x, %#x, %#x, %#x, %#x, %#x)\n", index, i, number, args[0],
            args[1], args[2], args[3], args[4], args[5]);
}

static unsigned allowed_number(struct world *w)
{
    unsigned number;
    do number = next_random(w) % SYSCALL_LIMIT;
    while (excluded(number));
    return number;
}

static void reap_grandchildren(void)
{
    for (int tries = 0; tries < 1000; tries++) {
        long result = __syscall6(SYS_wait4, -1, 0, 0, 0, 0, 0);
        if (result == -ECHILD) return;
    }
}

static void run_child(const struct options *o, unsigned index)
{
    struct world w;
    make_world(&w, o, index);
    unsigned unreported = 0;
    for (unsigned i = 0; i < o->calls_per_child; i++) {
        if (i % 8 == 0) keep_the_timer_running();
        unsigned number = allowed_number(&w);
        unsigned args[6];
        draw_arguments(&w, args);
        keep_within_the_test(&w, number, args);
        if (o->verbose) trace_call(index, i, number, args);
        if (number == SYS_fork || number == 190 /* vfork */)
            fork_whose_child_exits_at_once(number);
        else
            __syscall6(number, args[0], args[1], args[2], args[3], args[4], args[5]);
        if (++unreported == REPORT_EVERY) { report_progress(unreported); unreported = 0; }
    }
    report_progress(unreported);
    reap_grandchildren();
    _exit(0);
}

/* ---- the parent ---- */

struct tally {
    unsigned long calls;
    unsigned started, reaped, exited, signaled, stopped, hung;
};

static volatile sig_atomic_t watchdog_fired;
static void on_watchdog(int sig) { (void)sig; watchdog_fired = 1; }

/* Waits for `child` to end, killing it when it stops or outlives
 * CHILD_SECONDS. Returns 1 when it was reaped. */
static int reap(pid_t child, unsigned index, struct tally *t)
{
    int killed = 0;
    watchdog_fired = 0;
    alarm(CHILD_SECONDS);
    for (;;) {
        int status;
        pid_t result = waitpid(child, &status, WUNTRACED);
        if (result == child && WIFSTOPPED(status)) {
            printf("syscall_fuzz: child %u stopped (signal %d); killed\n", index, WSTOPSIG(status));
            t->stopped++;
            kill(child, SIGKILL);
            continue;
        }
        if (result == child) {
            alarm(0);
            if (WIFSIGNALED(status)) t->signaled++; else t->exited++;
            return 1;
        }
        if (errno != EINTR || !watchdog_fired) break;
        if (killed) break;   /* SIGKILL did not end it either */
        printf("syscall_fuzz: child %u hung for %d s; killed\n", index, CHILD_SECONDS);
        t->hung++;
        kill(child, SIGKILL);
        killed = 1;
        watchdog_fired = 0;
        alarm(CHILD_SECONDS);
    }
    alarm(0);
    printf("syscall_fuzz: child %u (pid %d) cannot be reaped\n", index, child);
    return 0;
}

/* Empties `path`, never crossing into another file system. */
static void remove_contents(const char *path, dev_t device)
{
    DIR *dir = opendir(path);
    if (!dir) return;
    struct dirent *entry;
    char child[512];
    while ((entry = readdir(dir)) != NULL) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..")) continue;
        snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
        struct stat st;
        if (lstat(child, &st) != 0 || st.st_dev != device) continue;
        if (S_ISDIR(st.st_mode)) {
            chmod(child, 0755);
            remove_contents(child, device);
            rmdir(child);
        } else {
            unlink(child);
        }
    }
    closedir(dir);
}

static void clean_scratch(const struct options *o, dev_t device)
{
    char mount_point[160];
    snprintf(mount_point, sizeof(mount_point), "%s/fuzzmnt", o->directory);
    for (int i = 0; i < 16 && __syscall6(52 /* umount2 */, (long)mount_point, 2 /* MNT_DETACH */, 0, 0, 0, 0) == 0; i++) continue;
    chmod(o->directory, 0755);
    remove_contents(o->directory, device);
}

/* Reads what the children reported through the progress pipe. */
static void count_reported_calls(int progress, struct tally *t)
{
    unsigned calls;
    while (read(progress, &calls, sizeof(calls)) == (ssize_t)sizeof(calls)) t->calls += calls;
}

static pid_t start_child(const struct options *o, unsigned index, int progress_writer)
{
    pid_t child = fork();
    if (child != 0) return child;
    int null = open("/dev/null", O_RDWR);
    if (o->verbose) dup2(2, TRACE_FD);
    dup2(progress_writer, PROGRESS_FD);
    for (int fd = 0; fd < 3; fd++) dup2(null, fd);
    for (int fd = 3; fd < 64; fd++) close(fd);
    run_child(o, index);
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options){1, 20000, 200, "/tmp/syscall_fuzz", -1, 0};
    int c;
    while ((c = getopt(argc, argv, "s:n:p:d:c:vh")) != -1) {
        switch (c) {
        case 's': o->seed = strtoul(optarg, NULL, 0); break;
        case 'n': o->calls = strtoul(optarg, NULL, 0); break;
        case 'p': o->calls_per_child = strtoul(optarg, NULL, 0); break;
        case 'd': o->directory = optarg; break;
        case 'c': o->only_child = strtol(optarg, NULL, 0); break;
        case 'v': o->verbose = 1; break;
        default:
            dprintf(2, "usage: syscall_fuzz [-s SEED] [-n CALLS] [-p CALLS_PER_CHILD] [-d DIR] [-c CHILD] [-v]\n");
            return -1;
        }
    }
    return o->calls_per_child > 0 ? 0 : -1;
}

static void print_tally(const struct options *o, const struct tally *t)
{
    printf("syscall_fuzz: seed %u: %lu calls, started %u, reaped %u (exited %u, killed by a signal %u, "
           "stopped %u, hung %u)\n", o->seed, t->calls, t->started, t->reaped, t->exited, t->signaled,
           t->stopped, t->hung);
}

int main(int argc, char **argv)
{
    struct options o;
    if (parse_options(argc, argv, &o) != 0) return 2;
    mkdir(o.directory, 0755);
    struct stat scratch;
    if (chdir(o.directory) != 0 || stat(".", &scratch) != 0) { perror(o.directory); return 2; }
    int progress[2];
    if (pipe(progress) != 0) { perror("pipe"); return 2; }
    fcntl(progress[0], F_SETFL, O_NONBLOCK);   /* both ends: one open file */
    struct sigaction watchdog;
    memset(&watchdog, 0, sizeof(watchdog));
    watchdog.sa_handler = on_watchdog;   /* no SA_RESTART: waitpid ends with EINTR */
    sigaction(SIGALRM, &watchdog, NULL);
    struct tally t = {0};
    unsigned most_children = (unsigned)(o.calls / o.calls_per_child) * 4 + 4;
    for (unsigned index = 0; t.calls < o.calls && index < most_children; index++) {
        if (o.only_child >= 0 && index != (unsigned)o.only_child) continue;
        fflush(stdout);
        pid_t child = start_child(&o, index, progress[1]);
        if (child < 0) { perror("fork"); break; }
        t.started++;
        t.reaped += reap(child, index, &t);
        count_reported_calls(progress[0], &t);
        clean_scratch(&o, scratch.st_dev);
        if (o.only_child >= 0) break;
    }
    chdir("/");
    rmdir(o.directory);
    print_tally(&o, &t);
    return t.started == t.reaped ? 0 : 1;
}
