/* cowcheck -- does fork give parent and child memory of their own?
 *
 * A diagnostic program, like syscheck. A kernel may share pages between
 * parent and child after fork (copy-on-write) as long as neither can see
 * the other's writes. This program writes different values into the same
 * data, bss, heap, stack and mmap pages from both sides, in both orders,
 * lets the kernel write into shared pages (read() from a pipe, pipe()),
 * changes protections of shared pages, forks many times in a row and
 * nested, and checks that every process sees only its own values.
 * It prints one line per check, "ok NAME" or "FAIL NAME: got X, expected
 * Y", and "cowcheck: N failed" at the end; the exit status is N (at most
 * 100), or 2 for a usage error. It runs on a Linux host (the reference)
 * and on our kernel, which must agree.
 *
 * Children report their own checks and exit with their failure count;
 * stdout is flushed before every fork, so no line is printed twice.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

const char *program_name = "cowcheck";

#define PAGE 4096

static volatile int data_value = 1;       /* .data */
static volatile int bss_value;            /* .bss */
static char bss_buffer[2 * PAGE];         /* .bss, two pages: a read() spans both */
static int bss_descriptors[2];            /* .bss: pipe() writes here */

/* Every byte of [bytes, bytes + size) equals value? */
static int all_bytes_are(const volatile char *bytes, size_t size, char value)
{
    for (size_t i = 0; i < size; i++)
        if (bytes[i] != value)
            return 0;
    return 1;
}

/* fork with stdout flushed first; exits the program if fork fails. */
static pid_t fork_or_die(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        warn_errno("fork");
        exit(100);
    }
    return child;
}

/* A child ends here: its failures become its exit status. */
static _Noreturn void end_child(void)
{
    fflush(stdout);
    _exit(check_failures > 100 ? 100 : check_failures);
}

/* Waits for `child` and counts its failures (or its death) as ours. */
static void collect(pid_t child, const char *name)
{
    int status = 0;
    if (waitpid(child, &status, 0) != child) {
        warn_errno("waitpid");
        check_failures++;
        return;
    }
    if (WIFSIGNALED(status)) {
        printf("FAIL %s: the child was killed by signal %d\n", name, WTERMSIG(status));
        check_failures++;
    } else {
        check_failures += WEXITSTATUS(status);
    }
}

static void send_byte(int fd) { (void)write(fd, "!", 1); }
static void receive_byte(int fd) { char byte; (void)read(fd, &byte, 1); }

struct Values {
    volatile int *heap;
    volatile int *stack;
};

static void set_all(struct Values v, int value)
{
    data_value = value;
    bss_value = value;
    *v.heap = value;
    *v.stack = value;
}

static void expect_all(struct Values v, const char *who, int value)
{
    char name[96];
    snprintf(name, sizeof name, "%s sees its own data value", who);
    expect(name, data_value, value);
    snprintf(name, sizeof name, "%s sees its own bss value", who);
    expect(name, bss_value, value);
    snprintf(name, sizeof name, "%s sees its own heap value", who);
    expect(name, *v.heap, value);
    snprintf(name, sizeof name, "%s sees its own stack value", who);
    expect(name, *v.stack, value);
}

/* The child writes first (the shared page is copied for it), then the
 * parent (now the page's only user); then the other way round. */
static void writes_stay_private(void)
{
    volatile int stack_value;
    struct Values v = { malloc(sizeof(int)), &stack_value };
    int to_parent[2], to_child[2];
    if (!v.heap || pipe(to_parent) < 0 || pipe(to_child) < 0) {
        warn_errno("setting up");
        exit(100);
    }
    set_all(v, 1);
    pid_t child = fork_or_die();
    if (child == 0) {
        set_all(v, 2);
        expect_all(v, "child writing first", 2);
        send_byte(to_parent[1]);
        receive_byte(to_child[0]);
        expect_all(v, "child, after the parent wrote", 2);
        end_child();
    }
    receive_byte(to_parent[0]);
    expect_all(v, "parent, after the child wrote", 1);
    set_all(v, 3);
    expect_all(v, "parent writing second", 3);
    send_byte(to_child[1]);
    collect(child, "child writing first");

    child = fork_or_die();
    if (child == 0) {
        receive_byte(to_child[0]);
        expect_all(v, "child, after the parent wrote first", 3);
        set_all(v, 5);
        expect_all(v, "child writing second", 5);
        end_child();
    }
    set_all(v, 4);
    send_byte(to_child[1]);
    collect(child, "child writing second");
    expect_all(v, "parent writing first", 4);
    close(to_parent[0]), close(to_parent[1]), close(to_child[0]), close(to_child[1]);
    free((void *)v.heap);
}

/* Reads exactly `size` bytes, or fewer at end of file. */
static long read_fully(int fd, char *buffer, size_t size)
{
    size_t total = 0;
    while (total < size) {
        long got = read(fd, buffer + total, size - total);
        if (got <= 0)
            return got < 0 ? -errno : (long)total;
        total += (size_t)got;
    }
    return (long)total;
}

/* The kernel writes into pages the child shares with its parent: read()
 * into bss, stack and heap buffers, pipe() into a bss array. Each write
 * must land in the child's copy only. */
static void kernel_writes_stay_private(void)
{
    char stack_buffer[PAGE];
    char *heap_buffer = malloc(PAGE);
    int fds[2];
    if (!heap_buffer || pipe(fds) < 0) {
        warn_errno("setting up");
        exit(100);
    }
    memset(bss_buffer, 'p', sizeof bss_buffer);
    memset(stack_buffer, 'p', sizeof stack_buffer);
    memset(heap_buffer, 'p', PAGE);
    bss_descriptors[0] = bss_descriptors[1] = -1;
    pid_t child = fork_or_die();
    if (child == 0) {
        close(fds[1]);
        expect("read() into a shared bss buffer", read_fully(fds[0], bss_buffer, sizeof bss_buffer),
               sizeof bss_buffer);
        expect("the child sees what read() wrote", all_bytes_are(bss_buffer, sizeof bss_buffer, 'c'), 1);
        expect("read() into a shared stack buffer", read_fully(fds[0], stack_buffer, PAGE), PAGE);
        expect("read() into a shared heap buffer", read_fully(fds[0], heap_buffer, PAGE), PAGE);
        expect("the child's stack and heap buffers", all_bytes_are(stack_buffer, PAGE, 'c') &&
               all_bytes_are(heap_buffer, PAGE, 'c'), 1);
        expect("pipe() into a shared bss array", pipe(bss_descriptors), 0);
        expect("the child sees the new descriptors", bss_descriptors[0] >= 0 && bss_descriptors[1] >= 0, 1);
        end_child();
    }
    close(fds[0]);
    char *source = malloc(sizeof bss_buffer + 2 * PAGE);
    memset(source, 'c', sizeof bss_buffer + 2 * PAGE);
    (void)write(fds[1], source, sizeof bss_buffer + 2 * PAGE);
    close(fds[1]);
    collect(child, "kernel writes in the child");
    expect("the parent's bss buffer is untouched", all_bytes_are(bss_buffer, sizeof bss_buffer, 'p'), 1);
    expect("the parent's stack and heap buffers are untouched",
           all_bytes_are(stack_buffer, PAGE, 'p') && all_bytes_are(heap_buffer, PAGE, 'p'), 1);
    expect("the parent's bss array is untouched", bss_descriptors[0] == -1 && bss_descriptors[1] == -1, 1);
    free(source);
    free(heap_buffer);
}

/* Code is shared read-only, not copy-on-write: the kernel must refuse to
 * write into it, in the parent and in a child that shares it. */
static void code_stays_read_only(void)
{
    int fd = open("/dev/zero", O_RDONLY);
    if (fd < 0) {
        warn_errno("/dev/zero");
        exit(100);
    }
    char *code = (char *)(unsigned long)&expect;
    char before = code[0];
    pid_t child = fork_or_die();
    if (child == 0) {
        expect("read() into shared code is EFAULT", read(fd, code, 16) < 0 ? errno : 0, EFAULT);
        end_child();
    }
    collect(child, "read() into code");
    expect("read() into the code is EFAULT", read(fd, code, 16) < 0 ? errno : 0, EFAULT);
    expect("the code is unchanged", code[0], before);
    close(fd);
}

/* Anonymous mmap memory, partly written before the fork (shared frames)
 * and partly never written (still zero pages). */
static void anonymous_mapping_stays_private(void)
{
    enum { PAGES = 16, WRITTEN = 8 };
    char *map = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        warn_errno("mmap");
        exit(100);
    }
    memset(map, 'p', WRITTEN * PAGE);
    pid_t child = fork_or_die();
    if (child == 0) {
        expect("the child sees the parent's mapping", all_bytes_are(map, WRITTEN * PAGE, 'p'), 1);
        expect("the child sees zeros where no one wrote",
               all_bytes_are(map + WRITTEN * PAGE, (PAGES - WRITTEN) * PAGE, 0), 1);
        memset(map, 'c', PAGES * PAGE);
        expect("the child sees its own writes to the mapping", all_bytes_are(map, PAGES * PAGE, 'c'), 1);
        end_child();
    }
    collect(child, "mmap in the child");
    expect("the parent's mapping is untouched", all_bytes_are(map, WRITTEN * PAGE, 'p'), 1);
    expect("the parent's unwritten pages are still zero",
           all_bytes_are(map + WRITTEN * PAGE, (PAGES - WRITTEN) * PAGE, 0), 1);
    expect("munmap the mapping", munmap(map, PAGES * PAGE), 0);
}

/* mprotect on a shared page: read-only and back to writable must not give
 * the child write access to the frame its parent still uses. */
static void mprotect_keeps_pages_private(void)
{
    char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        warn_errno("mmap");
        exit(100);
    }
    page[0] = 'p';
    pid_t child = fork_or_die();
    if (child == 0) {
        expect("mprotect a shared page read-only", syscall3(SYS_mprotect, (long)page, PAGE, PROT_READ), 0);
        expect("mprotect it writable again", syscall3(SYS_mprotect, (long)page, PAGE, PROT_READ | PROT_WRITE), 0);
        page[0] = 'c';
        expect("the child sees its write after mprotect", page[0], 'c');
        end_child();
    }
    collect(child, "mprotect in the child");
    expect("the parent's page is untouched by the child's write", page[0], 'p');
    expect("mprotect in the parent", syscall3(SYS_mprotect, (long)page, PAGE, PROT_READ | PROT_WRITE), 0);
    page[0] = 'q';
    expect("the parent writes its page after the child left", page[0], 'q');
    munmap(page, PAGE);
}

/* Many children one after another, each writing the same pages; then a
 * chain of nested children, each writing pages its ancestors share. */
static void many_forks(int count)
{
    int *heap = malloc(sizeof(int));
    int wrong = 0;
    data_value = -1;
    *heap = -1;
    for (int i = 0; i < count; i++) {
        pid_t child = fork_or_die();
        if (child == 0) {
            data_value = i;
            *heap = i;
            _exit(data_value == i && *heap == i ? 0 : 1);
        }
        int status = 0;
        if (waitpid(child, &status, 0) != child || status != 0)
            wrong++;
    }
    char name[64];
    snprintf(name, sizeof name, "%d children in a row see their own writes", count);
    expect(name, wrong, 0);
    expect("the parent's values after them", data_value == -1 && *heap == -1, 1);

    enum { DEPTH = 5 };
    int level = 0;
    for (; level < DEPTH; level++) {
        pid_t child = fork_or_die();
        if (child != 0) {
            data_value = 100 + level;
            int status = 0;
            waitpid(child, &status, 0);
            /* Each level exits with 0 only when it and all below it saw their own value. */
            int mine = data_value == 100 + level;
            if (level == 0) {
                expect("nested children each see their own value", status == 0 && mine, 1);
                free(heap);
                return;
            }
            _exit(status == 0 && mine ? 0 : 1);
        }
        data_value = 200 + level;
    }
    _exit(data_value == 200 + DEPTH - 1 ? 0 : 1);
}

/* A child that writes pages and then replaces its program. */
static void exec_after_writes(void)
{
    pid_t child = fork_or_die();
    if (child == 0) {
        data_value = 42;
        memset(bss_buffer, 'x', sizeof bss_buffer);
        char *argv[] = { "true", NULL };
        char *envp[] = { NULL };
        execve("/bin/true", argv, envp);
        _exit(99);
    }
    int status = 0;
    waitpid(child, &status, 0);
    expect("fork, write, execve /bin/true", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
}

static int usage(FILE *out, int status)
{
    fputs("Usage: cowcheck [-n COUNT]\n"
          "Check that after fork parent and child each see only their own writes to\n"
          "data, bss, heap, stack and mmap memory, also the kernel's writes (read, pipe).\n"
          "-n COUNT  children to fork one after another (default 100)\n"
          "Exit status: the number of failed checks (at most 100); 2: usage error.\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int count = 100, c;
    while ((c = getopt(argc, argv, "n:")) != -1) {
        char *end;
        switch (c) {
        case 'n':
            count = (int)strtol(optarg, &end, 10);
            if (*end || count < 1 || count > 100000) {
                warn_message("invalid count '%s'", optarg);
                return usage(stderr, 2);
            }
            break;
        default:
            return usage(stderr, 2);
        }
    }
    if (optind < argc) {
        warn_message("extra operand '%s'", argv[optind]);
        return usage(stderr, 2);
    }
    writes_stay_private();
    kernel_writes_stay_private();
    code_stays_read_only();
    anonymous_mapping_stays_private();
    mprotect_keeps_pages_private();
    many_forks(count);
    exec_after_writes();
    printf("cowcheck: %d failed\n", check_failures);
    return finish(check_failures > 100 ? 100 : check_failures);
}
