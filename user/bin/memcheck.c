/* memcheck -- checks the kernel's memory calls against what Linux does.
 *
 * Usage: memcheck [DIRECTORY]
 *
 * mmap of anonymous memory and of files, private and shared; munmap of
 * part of a mapping or across several; mprotect of part of one (a write
 * to the read-only half, a read of a PROT_NONE page end in SIGSEGV with
 * SEGV_ACCERR, the other half works); mremap growing in place, shrinking,
 * moving its pages (MREMAP_MAYMOVE, MREMAP_FIXED) with their data and
 * residency; MAP_SHARED memory and files seen by parent and child across
 * fork; a MAP_SHARED file mapping whose writes read() sees after msync,
 * after munmap and after the writer's exit, that never makes the file
 * longer; madvise(MADV_DONTNEED) and
 * mincore; and the errno of bad arguments. DIRECTORY (default /tmp)
 * holds the file it maps, memcheck.data, which stays behind with known
 * contents: 8192 bytes of 'm', "shared mapping" at 100, "after munmap" at
 * 4196 and "after exit" at 6000. Prints "ok NAME" or "FAIL NAME: got X,
 * expected Y" per check and "memcheck: N failed" at the end; the exit
 * status is N (at most 100). The same binary runs on a Linux host, the
 * reference (tests/user/test_memory_calls.py), and on our kernel
 * (tests/qemu/test_memory_calls.py). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define FILE_SIZE 8192
#define FAILED(call) ((call) == 0 ? 0 : -errno)
#define MAPPED(pointer) ((pointer) == MAP_FAILED ? -errno : 0)

static char data_path[256];

static char *map_anonymous(size_t pages, int flags)
{
    return mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
}

/* A child's end as a number: its exit code, or 1000 + the signal. */
static long outcome_of(pid_t child)
{
    int status = 0;
    if (waitpid(child, &status, 0) != child)
        return -errno;
    return WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : (status >> 8) & 0xff;
}

static void exit_with_fault_code(int signal, siginfo_t *info, void *context)
{
    (void)signal, (void)context;
    _exit(info->si_code);
}

/* A child touches `where` (writes when `store`); returns its SIGSEGV's
 * si_code (SEGV_MAPERR 1, SEGV_ACCERR 2), or 0 when the access worked. */
static long fault_code_of_access(volatile char *where, int store)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = exit_with_fault_code;
        action.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &action, NULL);
        if (store)
            *where = 1;
        else
            (void)*where;
        _exit(0);
    }
    return outcome_of(child);
}

static int all_bytes_are(const char *bytes, size_t size, char value)
{
    for (size_t i = 0; i < size; ++i)
        if (bytes[i] != value)
            return 0;
    return 1;
}

static void partial_munmap_and_mprotect(void)
{
    char *p = map_anonymous(3, MAP_PRIVATE);
    memset(p, 'a', 3 * PAGE);
    expect("munmap of the middle page", FAILED(munmap(p + PAGE, PAGE)), 0);
    expect("the pages around it keep their data", p[0] == 'a' && p[2 * PAGE + 100] == 'a', 1);
    expect("the middle page is gone: SEGV_MAPERR", fault_code_of_access(p + PAGE, 0), SEGV_MAPERR);
    munmap(p, 3 * PAGE);

    char *q = map_anonymous(2, MAP_PRIVATE);
    memset(q, 'b', 2 * PAGE);
    expect("mprotect the second page read-only", FAILED(mprotect(q + PAGE, PAGE, PROT_READ)), 0);
    expect("a write to the read-only half: SEGV_ACCERR", fault_code_of_access(q + PAGE + 8, 1), SEGV_ACCERR);
    expect("a read of the read-only half works", fault_code_of_access(q + PAGE + 8, 0), 0);
    expect("a write to the other half works", fault_code_of_access(q + 8, 1), 0);
    q[9] = 'c';
    expect("PROT_NONE on the first page", FAILED(mprotect(q, PAGE, PROT_NONE)), 0);
    expect("a read of a PROT_NONE page: SEGV_ACCERR", fault_code_of_access(q, 0), SEGV_ACCERR);
    int fd = open("/dev/zero", O_RDONLY);
    expect("read() into a PROT_NONE page is EFAULT", read(fd, q, 16) < 0 ? -errno : 0, -EFAULT);
    close(fd);
    expect("both pages writable again", FAILED(mprotect(q, 2 * PAGE, PROT_READ | PROT_WRITE)), 0);
    q[PAGE] = 'd';
    expect("their data survived", q[9] == 'c' && q[10] == 'b' && q[PAGE] == 'd' && q[PAGE + 1] == 'b', 1);
    expect("mprotect: unaligned is EINVAL", FAILED(mprotect(q + 1, PAGE, PROT_READ)), -EINVAL);
    expect("mprotect: unknown bits are EINVAL", FAILED(mprotect(q, PAGE, 0x100)), -EINVAL);
    munmap(q, 2 * PAGE);
    expect("mprotect: unmapped is ENOMEM", FAILED(mprotect(q, PAGE, PROT_READ)), -ENOMEM);
    expect("munmap: unaligned is EINVAL", FAILED(munmap(q + 1, PAGE)), -EINVAL);
    expect("munmap: length 0 is EINVAL", FAILED(munmap(q, 0)), -EINVAL);
    expect("munmap: nothing mapped is fine", FAILED(munmap(q, PAGE)), 0);
}

static void remap_in_place(void)
{
    char *p = map_anonymous(3, MAP_PRIVATE);
    munmap(p + PAGE, 2 * PAGE);
    memset(p, 'e', PAGE);
    char *grown = mremap(p, PAGE, 3 * PAGE, 0);
    expect("mremap grows in place", grown == p, 1);
    expect("growing keeps the data, the new pages are zero",
           grown != MAP_FAILED && all_bytes_are(p, PAGE, 'e') && all_bytes_are(p + PAGE, 2 * PAGE, 0), 1);
    p[2 * PAGE] = 'f';
    expect("mremap shrinks in place", mremap(p, 3 * PAGE, PAGE, 0) == p, 1);
    expect("the cut pages are gone", fault_code_of_access(p + 2 * PAGE, 0), SEGV_MAPERR);
    expect("the kept page has its data", all_bytes_are(p, PAGE, 'e'), 1);
    munmap(p, PAGE);
}

static void remap_moving(void)
{
    char *p = map_anonymous(2, MAP_PRIVATE);
    for (int i = 0; i < 2 * PAGE; ++i)
        p[i] = (char)(i * 7);
    /* Something after it, so it cannot grow in place. */
    void *blocker = mmap(p + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    expect("mremap without MREMAP_MAYMOVE cannot grow: ENOMEM", MAPPED(mremap(p, 2 * PAGE, 8 * PAGE, 0)), -ENOMEM);
    char *moved = mremap(p, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
    unsigned char resident[8] = {0};
    mincore(moved, 8 * PAGE, resident);
    expect("the moved pages are resident there, the new ones not yet",
           resident[0] == 1 && resident[1] == 1 && resident[2] == 0 && resident[7] == 0, 1);
    int same = moved != MAP_FAILED;
    for (int i = 0; same && i < 2 * PAGE; ++i)
        same = moved[i] == (char)(i * 7);
    expect("MREMAP_MAYMOVE moves the pages elsewhere", moved != MAP_FAILED && moved != p, 1);
    expect("the moved pages keep their data, the new ones are zero",
           same && all_bytes_are(moved + 2 * PAGE, 6 * PAGE, 0), 1);
    unsigned char vector[2];
    expect("the old place is unmapped (mincore ENOMEM)", FAILED(mincore(p, 2 * PAGE, vector)), -ENOMEM);
    if (blocker != MAP_FAILED)
        munmap(blocker, PAGE);

    char *target = map_anonymous(4, MAP_PRIVATE);
    munmap(target, 4 * PAGE);
    char *fixed = mremap(moved, 8 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + PAGE);
    expect("MREMAP_FIXED moves to the address given", fixed == target + PAGE, 1);
    expect("and shrinks on the way, data kept", fixed != MAP_FAILED && fixed[PAGE + 5] == (char)((PAGE + 5) * 7), 1);
    munmap(target, 4 * PAGE);
}

static void remap_errors(void)
{
    char *p = map_anonymous(2, MAP_PRIVATE);
    expect("mremap: unaligned is EINVAL", MAPPED(mremap(p + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE)), -EINVAL);
    expect("mremap: new size 0 is EINVAL", MAPPED(mremap(p, PAGE, 0, MREMAP_MAYMOVE)), -EINVAL);
    expect("mremap: MREMAP_FIXED alone is EINVAL", MAPPED(mremap(p, PAGE, PAGE, MREMAP_FIXED, p + 8 * PAGE)), -EINVAL);
    expect("mremap: unknown flags are EINVAL", MAPPED(mremap(p, PAGE, 2 * PAGE, 0x80)), -EINVAL);
    expect("mremap: MREMAP_FIXED onto itself is EINVAL",
           MAPPED(mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p + PAGE)), -EINVAL);
    expect("mremap: past the mapping's end is EFAULT", MAPPED(mremap(p, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE)),
           -EFAULT);
    munmap(p, 2 * PAGE);
    expect("mremap: nothing mapped is EFAULT", MAPPED(mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE)), -EFAULT);
}

static void shared_anonymous(void)
{
    volatile int *shared = (volatile int *)map_anonymous(1, MAP_SHARED);
    volatile int *private = (volatile int *)map_anonymous(1, MAP_PRIVATE);
    shared[0] = 1;
    private[0] = 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int saw = shared[0];
        shared[0] = 2;
        shared[1000] = 3;
        private[0] = 2;
        _exit(saw);
    }
    expect("MAP_SHARED|MAP_ANONYMOUS: the child sees the parent's write", outcome_of(child), 1);
    expect("the parent sees the child's writes", shared[0] == 2 && shared[1000] == 3, 1);
    expect("a private mapping stays private", private[0], 1);
    expect("MADV_DONTNEED keeps shared memory", FAILED(madvise((void *)shared, PAGE, MADV_DONTNEED)), 0);
    expect("its data stays", shared[0], 2);
    munmap((void *)shared, PAGE);
    munmap((void *)private, PAGE);
}

/* mprotect of a middle part makes three regions; munmap across all. */
static void split_three_ways(void)
{
    char *p = map_anonymous(6, MAP_PRIVATE);
    memset(p, 'g', 6 * PAGE);
    expect("mprotect of the middle pages", FAILED(mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ)), 0);
    expect("the first part stays writable", fault_code_of_access(p + PAGE, 1), 0);
    expect("the middle is read-only", fault_code_of_access(p + 3 * PAGE, 1), SEGV_ACCERR);
    expect("the last part stays writable", fault_code_of_access(p + 4 * PAGE, 1), 0);
    expect("munmap across the three parts", FAILED(munmap(p + PAGE, 4 * PAGE)), 0);
    unsigned char vector[1];
    expect("the pages at both ends remain",
           FAILED(mincore(p, PAGE, vector)) == 0 && FAILED(mincore(p + 5 * PAGE, PAGE, vector)) == 0 &&
               p[0] == 'g' && p[5 * PAGE] == 'g', 1);
    expect("the pages between are gone", FAILED(mincore(p + 2 * PAGE, PAGE, vector)), -ENOMEM);
    munmap(p, 6 * PAGE);
}

/* A shared file mapping across fork: one mapping of the file, so the
 * parent sees the child's write at once, before any msync. */
static void shared_file_across_fork(int fd)
{
    volatile char *map = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return expect("MAP_SHARED of the file again", -errno, 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        map[2000] = 'k';
        _exit(0);
    }
    outcome_of(child);
    expect("a shared file mapping: the parent sees the child's write", map[2000], 'k');
    map[2000] = 'm';
    munmap((void *)map, PAGE);
}

static int make_data_file(void)
{
    int fd = open(data_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char bytes[FILE_SIZE];
    memset(bytes, 'm', sizeof bytes);
    if (fd < 0 || write(fd, bytes, sizeof bytes) != sizeof bytes)
        expect("create the data file", -errno, 0);
    return fd;
}

/* Reads the file as another process does: its own open file, read(). */
static int file_has(off_t offset, const char *text)
{
    char bytes[64] = {0};
    int fd = open(data_path, O_RDONLY);
    lseek(fd, offset, SEEK_SET);
    ssize_t got = read(fd, bytes, strlen(text));
    close(fd);
    return got == (ssize_t)strlen(text) && memcmp(bytes, text, strlen(text)) == 0;
}

static void write_at(int fd, const char *text, off_t offset)
{
    lseek(fd, offset, SEEK_SET);
    write(fd, text, strlen(text));
}

static void shared_file(void)
{
    int fd = make_data_file();
    char *map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    expect("MAP_SHARED of a file", MAPPED(map), 0);
    if (map == MAP_FAILED)
        return;
    expect("the mapping holds the file's bytes", all_bytes_are(map, FILE_SIZE, 'm'), 1);
    memcpy(map + 100, "shared mapping", 14);
    expect("msync(MS_SYNC)", FAILED(msync(map, FILE_SIZE, MS_SYNC)), 0);
    expect("read() sees the mapping's write after msync", file_has(100, "shared mapping"), 1);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit(file_has(100, "shared mapping") ? 0 : 1);
    expect("and so does another process", outcome_of(child), 0);
    write_at(fd, "written", 3000);
    expect("msync(MS_INVALIDATE) shows write()s since", FAILED(msync(map, FILE_SIZE, MS_INVALIDATE)), 0);
    expect("the mapping sees the write()", memcmp(map + 3000, "written", 7), 0);
    write_at(fd, "mmmmmmm", 3000);
    msync(map, FILE_SIZE, MS_INVALIDATE);
    memcpy(map + 4196, "after munmap", 12);
    expect("munmap", FAILED(munmap(map, FILE_SIZE)), 0);
    expect("read() sees the write after munmap", file_has(4196, "after munmap"), 1);
    shared_file_across_fork(fd);

    fflush(stdout);
    child = fork();
    if (child == 0) {
        char *mine = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (mine != MAP_FAILED)
            memcpy(mine + 6000, "after exit", 10);
        _exit(mine == MAP_FAILED);
    }
    expect("a child maps the file, writes and exits", outcome_of(child), 0);
    expect("read() sees the write of the exited child", file_has(6000, "after exit"), 1);
    close(fd);
}

static void shared_file_rules(void)
{
    int fd = open(data_path, O_RDONLY);
    expect("MAP_SHARED|PROT_WRITE of a read-only file is EACCES",
           MAPPED(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)), -EACCES);
    char *map = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    expect("MAP_SHARED|PROT_READ of a read-only file", MAPPED(map), 0);
    expect("mprotect PROT_WRITE on it is EACCES", FAILED(mprotect(map, PAGE, PROT_READ | PROT_WRITE)), -EACCES);
    munmap(map, PAGE);
    close(fd);

    /* A file of 6000 bytes mapped over two pages: a write past its end
     * never reaches the file, which keeps its size. */
    char path[300];
    snprintf(path, sizeof path, "%s.short", data_path);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char bytes[6000];
    memset(bytes, 's', sizeof bytes);
    write(fd, bytes, sizeof bytes);
    map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    expect("the page past the end of the file reads zeros", map != MAP_FAILED && map[7000] == 0 && map[5999] == 's', 1);
    if (map != MAP_FAILED) {
        map[5999] = 't';
        map[7000] = 'u';
        msync(map, 2 * PAGE, MS_SYNC);
        munmap(map, 2 * PAGE);
    }
    struct stat st;
    fstat(fd, &st);
    expect("a mapping does not make the file longer", (long)st.st_size, 6000);
    char last = 0;
    pread(fd, &last, 1, 5999);
    expect("its last byte was written", last, 't');
    close(fd);
    unlink(path);

    char *anon = map_anonymous(1, MAP_PRIVATE);
    expect("msync: unaligned is EINVAL", FAILED(msync(anon + 1, PAGE, MS_SYNC)), -EINVAL);
    expect("msync: MS_SYNC|MS_ASYNC is EINVAL", FAILED(msync(anon, PAGE, MS_SYNC | MS_ASYNC)), -EINVAL);
    expect("msync: unknown flags are EINVAL", FAILED(msync(anon, PAGE, 8)), -EINVAL);
    expect("msync of anonymous memory", FAILED(msync(anon, PAGE, MS_ASYNC)), 0);
    munmap(anon, PAGE);
    expect("msync: unmapped is ENOMEM", FAILED(msync(anon, PAGE, MS_SYNC)), -ENOMEM);
}

static void private_file(void)
{
    int fd = open(data_path, O_RDONLY);
    char *map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    expect("MAP_PRIVATE of a read-only file, writable", MAPPED(map), 0);
    if (map == MAP_FAILED)
        return;
    expect("it holds the file's bytes", memcmp(map + 100, "shared mapping", 14), 0);
    memcpy(map + 100, "private", 7);
    msync(map, FILE_SIZE, MS_SYNC);
    expect("its writes stay out of the file", file_has(100, "shared mapping"), 1);
    expect("MADV_DONTNEED on it", FAILED(madvise(map, FILE_SIZE, MADV_DONTNEED)), 0);
    expect("gives the file's bytes back", memcmp(map + 100, "shared mapping", 14), 0);
    munmap(map, FILE_SIZE);
    close(fd);
}

static void advice_and_residency(void)
{
    char *p = map_anonymous(4, MAP_PRIVATE);
    madvise(p, 4 * PAGE, MADV_NOHUGEPAGE); /* Linux: no huge page behind the four */
    p[0] = 'x';
    p[2 * PAGE] = 'y';
    unsigned char vector[4] = {9, 9, 9, 9};
    expect("mincore", FAILED(mincore(p, 4 * PAGE, vector)), 0);
    expect("pages written are resident, the others not",
           (vector[0] & 1) == 1 && (vector[1] & 1) == 0 && (vector[2] & 1) == 1 && (vector[3] & 1) == 0, 1);
    expect("mincore: unaligned is EINVAL", FAILED(mincore(p + 1, PAGE, vector)), -EINVAL);
    expect("MADV_DONTNEED", FAILED(madvise(p, 4 * PAGE, MADV_DONTNEED)), 0);
    mincore(p, 4 * PAGE, vector);
    expect("the pages are no longer resident", (vector[0] & 1) == 0 && (vector[2] & 1) == 0, 1);
    expect("and read zeros", p[0] == 0 && p[2 * PAGE] == 0, 1);
    expect("MADV_NORMAL", FAILED(madvise(p, PAGE, MADV_NORMAL)), 0);
    expect("MADV_RANDOM", FAILED(madvise(p, PAGE, MADV_RANDOM)), 0);
    expect("MADV_SEQUENTIAL", FAILED(madvise(p, PAGE, MADV_SEQUENTIAL)), 0);
    expect("MADV_WILLNEED", FAILED(madvise(p, PAGE, MADV_WILLNEED)), 0);
    expect("madvise: unknown advice is EINVAL", FAILED(madvise(p, PAGE, 999)), -EINVAL);
    expect("madvise: unaligned is EINVAL", FAILED(madvise(p + 1, PAGE, MADV_NORMAL)), -EINVAL);
    munmap(p + PAGE, PAGE);
    expect("madvise over a hole is ENOMEM", FAILED(madvise(p, 3 * PAGE, MADV_DONTNEED)), -ENOMEM);
    expect("mincore over a hole is ENOMEM", FAILED(mincore(p, 3 * PAGE, vector)), -ENOMEM);
    munmap(p, 4 * PAGE);

    int fd = open(data_path, O_RDONLY);
    char *map = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
    mincore(map, FILE_SIZE, vector);
    expect("mincore: a file mapping's pages are resident", (vector[0] & 1) == 1 && (vector[1] & 1) == 1, 1);
    munmap(map, FILE_SIZE);
    close(fd);
}

static void mapping_errors(void)
{
    char *p = map_anonymous(1, MAP_PRIVATE);
    expect("MAP_FIXED_NOREPLACE over a mapping is EEXIST",
           MAPPED(mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)), -EEXIST);
    expect("MAP_FIXED replaces it", mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p, 1);
    expect("mmap: neither shared nor private is EINVAL", MAPPED(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0)),
           -EINVAL);
    expect("mmap: length 0 is EINVAL", MAPPED(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)), -EINVAL);
    expect("mmap: a bad descriptor is EBADF", MAPPED(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 99, 0)), -EBADF);
    munmap(p, PAGE);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: memcheck [DIRECTORY]\n"
               "Checks mmap (anonymous and file, private and shared), munmap, mprotect, mremap,\n"
               "madvise, mincore and msync; maps DIRECTORY/memcheck.data (default /tmp).\n");
        return 0;
    }
    snprintf(data_path, sizeof data_path, "%s/memcheck.data", argc > 1 ? argv[1] : "/tmp");
    partial_munmap_and_mprotect();
    split_three_ways();
    remap_in_place();
    remap_moving();
    remap_errors();
    shared_anonymous();
    shared_file();
    shared_file_rules();
    private_file();
    advice_and_residency();
    mapping_errors();
    printf("memcheck: %d failed\n", check_failures);
    return check_failures > 100 ? 100 : check_failures;
}
