/* filecheck -- does the kernel answer the calls around open files the way
 * Linux does?
 *
 * Usage: filecheck [DIRECTORY]
 *
 * flock (shared and exclusive locks between open files, LOCK_NB, a lock
 * shared by dup and fork, released at the last close, a waiter woken by an
 * unlock), fallocate, copy_file_range, fadvise64, readahead,
 * sync_file_range, close_range, utime/utimes/futimesat, pwrite64, creat,
 * dup3, and the xattr family on /proc and /dev, which keep no extended
 * attributes on Linux either. Scratch files go into DIRECTORY (default
 * /tmp) and are removed. Only what every file system agrees on is checked:
 * hole punching and extended attributes on disk files differ between file
 * systems. Prints "ok NAME" or "FAIL NAME: got X, expected Y" per check
 * and "filecheck: N failed" at the end; the exit status is N. The same
 * binary runs on a Linux host, the reference
 * (tests/user/test_check_programs.py), and on our kernel
 * (tests/qemu/test_programs.py). Raw system calls show the kernel's own
 * answers. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define UNMAPPED_POINTER 0x10L

static char scratch[200];

static const char *scratch_file(const char *name)
{
    static char paths[4][256];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, 256, "%s/%s", scratch, name);
    return path;
}

static int make_file(const char *path, const char *text)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (text) write(fd, text, strlen(text));
    return fd;
}

static long size_of(int fd)
{
    struct stat status;
    return fstat(fd, &status) == 0 ? (long)status.st_size : -1;
}

/* ---- flock ---- */
static void flock_between_open_files(void)
{
    const char *path = scratch_file("filecheck.lock");
    int first = make_file(path, 0), second = open(path, O_RDONLY);
    expect("flock exclusive", syscall2(SYS_flock, first, LOCK_EX), 0);
    expect("another open file cannot have it", syscall2(SYS_flock, second, LOCK_EX | LOCK_NB), -EWOULDBLOCK);
    expect("nor a shared one", syscall2(SYS_flock, second, LOCK_SH | LOCK_NB), -EWOULDBLOCK);
    expect("the holder asks again", syscall2(SYS_flock, first, LOCK_EX | LOCK_NB), 0);
    expect("converted to shared", syscall2(SYS_flock, first, LOCK_SH), 0);
    expect("then another shared lock is allowed", syscall2(SYS_flock, second, LOCK_SH | LOCK_NB), 0);
    expect("but not an exclusive one", syscall2(SYS_flock, second, LOCK_EX | LOCK_NB), -EWOULDBLOCK);
    expect("unlock", syscall2(SYS_flock, first, LOCK_UN), 0);
    expect("unlock of no lock", syscall2(SYS_flock, first, LOCK_UN), 0);
    expect("now exclusive for the other", syscall2(SYS_flock, second, LOCK_EX | LOCK_NB), 0);
    expect("flock with a bad operation is EINVAL", syscall2(SYS_flock, first, 3), -EINVAL);
    expect("flock of a bad descriptor is EBADF", syscall2(SYS_flock, 99, LOCK_SH), -EBADF);
    close(second);  /* the last reference: its lock ends */
    expect("the last close released it", syscall2(SYS_flock, first, LOCK_EX | LOCK_NB), 0);
    int copy = dup(first);
    close(first);
    int third = open(path, O_RDONLY);
    expect("a dup keeps the lock after the close", syscall2(SYS_flock, third, LOCK_SH | LOCK_NB), -EWOULDBLOCK);
    close(copy);
    expect("and drops it at its own", syscall2(SYS_flock, third, LOCK_SH | LOCK_NB), 0);
    close(third);
    unlink(path);
}

/* A child waits for an exclusive lock; the parent's unlock wakes it. */
static void flock_waiter(void)
{
    const char *path = scratch_file("filecheck.wait");
    int held = make_file(path, 0);
    syscall2(SYS_flock, held, LOCK_EX);
    int inherited = open(path, O_RDONLY);
    syscall2(SYS_flock, inherited, LOCK_SH | LOCK_NB);  /* refused: held is exclusive */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int own = open(path, O_RDONLY);
        long got = syscall2(SYS_flock, own, LOCK_EX);  /* waits */
        _exit(got == 0 ? 0 : 1);
    }
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, 0);
    int status = -1;
    expect("the waiter still waits", waitpid(child, &status, WNOHANG), 0);
    syscall2(SYS_flock, held, LOCK_UN);
    waitpid(child, &status, 0);
    expect("the unlock let the waiter have the lock", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    /* A lock belongs to the open file, which fork shares. */
    expect("lock in the parent", syscall2(SYS_flock, held, LOCK_EX | LOCK_NB), 0);
    child = fork();
    if (child == 0) _exit(syscall2(SYS_flock, held, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
    waitpid(child, &status, 0);
    expect("a forked child holds the same lock", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    close(held);
    close(inherited);
    unlink(path);
}

/* ---- fallocate ---- */
static long fallocate_call(int fd, int mode, long offset, long length)
{
    return syscall6(SYS_fallocate, fd, mode, offset, offset < 0 ? -1 : 0, length, length < 0 ? -1 : 0);
}

static void fallocate_modes(void)
{
    const char *path = scratch_file("filecheck.space");
    int fd = make_file(path, "abc");
    expect("fallocate mode 0 extends", fallocate_call(fd, 0, 0, 8192), 0);
    expect("to offset + length", size_of(fd), 8192);
    char bytes[4] = {1, 1, 1, 1};
    pread(fd, bytes, 4, 4000);
    expect("the new bytes read as zeros", bytes[0] | bytes[1] | bytes[2] | bytes[3], 0);
    pread(fd, bytes, 3, 0);
    expect("the old bytes stay", memcmp(bytes, "abc", 3), 0);
    expect("fallocate inside the file", fallocate_call(fd, 0, 100, 100), 0);
    expect("does not shrink it", size_of(fd), 8192);
    expect("fallocate KEEP_SIZE beyond the end", fallocate_call(fd, 1, 8192, 8192), 0);
    expect("keeps the size", size_of(fd), 8192);
    expect("PUNCH_HOLE without KEEP_SIZE is EOPNOTSUPP", fallocate_call(fd, 2, 0, 4096), -EOPNOTSUPP);
    expect("an unknown mode is EOPNOTSUPP", fallocate_call(fd, 0x100, 0, 4096), -EOPNOTSUPP);
    expect("a length of 0 is EINVAL", fallocate_call(fd, 0, 0, 0), -EINVAL);
    expect("a negative offset is EINVAL", fallocate_call(fd, 0, -1, 10), -EINVAL);
    expect("a bad descriptor is EBADF", fallocate_call(99, 0, 0, 10), -EBADF);
    int reader = open(path, O_RDONLY);
    expect("a read-only descriptor is EBADF", fallocate_call(reader, 0, 0, 10), -EBADF);
    close(reader);
    int fds[2];
    pipe(fds);
    expect("a pipe is ESPIPE", fallocate_call(fds[1], 0, 0, 10), -ESPIPE);
    close(fds[0]);
    close(fds[1]);
    int null = open("/dev/null", O_WRONLY);
    expect("a device is ENODEV", fallocate_call(null, 0, 0, 10), -ENODEV);
    close(null);
    close(fd);
    unlink(path);
}

/* ---- copy_file_range ---- */
static void copy_between_files(void)
{
    const char *from = scratch_file("filecheck.from"), *to = scratch_file("filecheck.to");
    int in = make_file(from, "hello, world"), out = make_file(to, 0);
    long long in_offset = 7;
    expect("copy_file_range 5 bytes from offset 7",
           syscall6(SYS_copy_file_range, in, (long)&in_offset, out, 0, 5, 0), 5);
    expect("moves the offset given", (long)in_offset, 12);
    expect("and the output position", lseek(out, 0, SEEK_CUR), 5);
    char text[16] = {0};
    pread(out, text, sizeof text - 1, 0);
    expect_string("the bytes arrived", text, "world");
    lseek(in, 0, SEEK_SET);
    expect("from the position, past the end: cut", syscall6(SYS_copy_file_range, in, 0, out, 0, 100, 0), 12);
    expect("the input position moved", lseek(in, 0, SEEK_CUR), 12);
    expect("at the end: 0", syscall6(SYS_copy_file_range, in, 0, out, 0, 100, 0), 0);
    expect("flags are EINVAL", syscall6(SYS_copy_file_range, in, 0, out, 0, 1, 1), -EINVAL);
    expect("a bad input is EBADF", syscall6(SYS_copy_file_range, 99, 0, out, 0, 1, 0), -EBADF);
    int appender = open(to, O_WRONLY | O_APPEND);
    expect("into an O_APPEND file is EBADF", syscall6(SYS_copy_file_range, in, 0, appender, 0, 1, 0), -EBADF);
    close(appender);
    int directory = open(scratch, O_RDONLY);
    expect("from a directory is EISDIR", syscall6(SYS_copy_file_range, directory, 0, out, 0, 1, 0), -EISDIR);
    close(directory);
    int fds[2];
    pipe(fds);
    expect("into a pipe is EINVAL", syscall6(SYS_copy_file_range, in, 0, fds[1], 0, 1, 0), -EINVAL);
    close(fds[0]);
    close(fds[1]);
    long long overlap_in = 0, overlap_out = 2;
    expect("overlapping ranges of one file are EINVAL",
           syscall6(SYS_copy_file_range, out, (long)&overlap_in, out, (long)&overlap_out, 4, 0), -EINVAL);
    close(in);
    close(out);
    unlink(from);
    unlink(to);
}

/* ---- hints: fadvise64, readahead, sync_file_range ---- */
static void hints(void)
{
    const char *path = scratch_file("filecheck.hint");
    int fd = make_file(path, "some bytes"), fds[2];
    pipe(fds);
    expect("fadvise64 DONTNEED", syscall5(SYS_fadvise64, fd, 0, 0, 100, 4), 0);
    expect("fadvise64 with an unknown advice is EINVAL", syscall5(SYS_fadvise64, fd, 0, 0, 100, 9), -EINVAL);
    expect("fadvise64 of a pipe is ESPIPE", syscall5(SYS_fadvise64, fds[0], 0, 0, 100, 0), -ESPIPE);
    expect("fadvise64 of a bad descriptor is EBADF", syscall5(SYS_fadvise64, 99, 0, 0, 100, 0), -EBADF);
    expect("fadvise64_64 SEQUENTIAL", syscall6(SYS_fadvise64_64, fd, 0, 0, 0, 0, 2), 0);
    expect("fadvise64_64 of a negative length is EINVAL", syscall6(SYS_fadvise64_64, fd, 0, 0, -1, -1, 0), -EINVAL);
    expect("readahead", syscall4(SYS_readahead, fd, 0, 0, 4096), 0);
    expect("readahead of a pipe is EINVAL", syscall4(SYS_readahead, fds[0], 0, 0, 4096), -EINVAL);
    expect("readahead of a write-only descriptor is EBADF", syscall4(SYS_readahead, fds[1], 0, 0, 4096), -EBADF);
    expect("sync_file_range WRITE", syscall6(SYS_sync_file_range, fd, 0, 0, 0, 0, 2), 0);
    expect("sync_file_range with a bad flag is EINVAL", syscall6(SYS_sync_file_range, fd, 0, 0, 0, 0, 8), -EINVAL);
    expect("sync_file_range at a negative offset is EINVAL",
           syscall6(SYS_sync_file_range, fd, -1, -1, 0, 0, 0), -EINVAL);
    expect("sync_file_range of a pipe is ESPIPE", syscall6(SYS_sync_file_range, fds[0], 0, 0, 0, 0, 0), -ESPIPE);
    expect("sync_file_range of a bad descriptor is EBADF", syscall6(SYS_sync_file_range, 99, 0, 0, 0, 0, 0), -EBADF);
    close(fds[0]);
    close(fds[1]);
    close(fd);
    unlink(path);
}

/* ---- descriptors: close_range, dup3; pwrite64 and creat ---- */
static void descriptors(void)
{
    int fd = open("/dev/null", O_RDONLY);
    dup2(fd, 50), dup2(fd, 51), dup2(fd, 52);
    expect("close_range 50..51", syscall3(SYS_close_range, 50, 51, 0), 0);
    expect("closed 50", fcntl(50, F_GETFD), -1);
    expect("closed 51", fcntl(51, F_GETFD), -1);
    expect("left 52 open", fcntl(52, F_GETFD), 0);
    expect("close_range CLOEXEC marks 52", syscall3(SYS_close_range, 52, ~0u, 4), 0);
    expect("52 is close-on-exec", fcntl(52, F_GETFD), FD_CLOEXEC);
    expect("close_range with first > last is EINVAL", syscall3(SYS_close_range, 9, 8, 0), -EINVAL);
    expect("close_range with a bad flag is EINVAL", syscall3(SYS_close_range, 50, 60, 1), -EINVAL);
    expect("close_range of free numbers", syscall3(SYS_close_range, 52, ~0u, 0), 0);
    expect("dup3 onto itself is EINVAL", syscall3(SYS_dup3, fd, fd, 0), -EINVAL);
    expect("dup3 with a bad flag is EINVAL", syscall3(SYS_dup3, fd, 60, 1), -EINVAL);
    expect("dup3 O_CLOEXEC", syscall3(SYS_dup3, fd, 60, O_CLOEXEC), 60);
    expect("the copy is close-on-exec", fcntl(60, F_GETFD), FD_CLOEXEC);
    expect("dup3 of a bad descriptor is EBADF", syscall3(SYS_dup3, 99, 61, 0), -EBADF);
    close(60);
    close(fd);
    const char *path = scratch_file("filecheck.creat");
    int made = syscall2(SYS_creat, (long)path, 0644);
    expect("creat makes a file", made >= 0, 1);
    expect("open for writing only", syscall3(SYS_read, made, (long)&fd, 1), -EBADF);
    expect("pwrite64 at 10", syscall5(SYS_pwrite64, made, (long)"abc", 3, 10, 0), 3);
    expect("leaves the position", lseek(made, 0, SEEK_CUR), 0);
    expect("the file grew to 13", size_of(made), 13);
    expect("pwrite64 at a negative offset is EINVAL", syscall5(SYS_pwrite64, made, (long)"x", 1, -1, -1), -EINVAL);
    close(made);
    int again = syscall2(SYS_creat, (long)path, 0644);
    expect("creat truncates", size_of(again), 0);
    close(again);
    unlink(path);
}

/* ---- utime, utimes, futimesat ---- */
static long modified_at(const char *path)
{
    struct stat status;
    return stat(path, &status) == 0 ? (long)status.st_mtime_sec : -1;
}

static void old_time_calls(void)
{
    const char *path = scratch_file("filecheck.time");
    close(make_file(path, 0));
    long times[2] = {1000000, 2000000};
    expect("utime", syscall2(SYS_utime, (long)path, (long)times), 0);
    expect("set the modification time", modified_at(path), 2000000);
    struct stat status;
    stat(path, &status);
    expect("and the access time", (long)status.st_atime_sec, 1000000);
    long timevals[4] = {3000000, 0, 4000000, 999999};
    expect("utimes", syscall2(SYS_utimes, (long)path, (long)timevals), 0);
    expect("utimes set it", modified_at(path), 4000000);
    timevals[3] = 1000000;
    expect("utimes with 1000000 microseconds is EINVAL", syscall2(SYS_utimes, (long)path, (long)timevals), -EINVAL);
    expect("utime of a missing file is ENOENT", syscall2(SYS_utime, (long)"/no/such", 0), -ENOENT);
    expect("utime from an unmapped time is EFAULT", syscall2(SYS_utime, (long)path, UNMAPPED_POINTER), -EFAULT);
    long before = (long)time(0);
    expect("utime NULL: now", syscall2(SYS_utime, (long)path, 0), 0);
    expect("is now", modified_at(path) >= before, 1);
    timevals[2] = 5000000, timevals[3] = 0;
    expect("futimesat", syscall3(SYS_futimesat, AT_FDCWD, (long)path, (long)timevals), 0);
    expect("futimesat set it", modified_at(path), 5000000);
    int fd = open(path, O_RDONLY);
    timevals[2] = 6000000;
    expect("futimesat with no name: the descriptor", syscall3(SYS_futimesat, fd, 0, (long)timevals), 0);
    expect("set it", modified_at(path), 6000000);
    close(fd);
    unlink(path);
}

/* ---- extended attributes where none are kept ---- */
static void extended_attributes(void)
{
    char value[64], long_name[300];
    memset(long_name, 'a', sizeof long_name);
    memcpy(long_name, "user.", 5);
    long_name[299] = 0;
    expect("getxattr on /proc is EOPNOTSUPP",
           syscall4(SYS_getxattr, (long)"/proc/version", (long)"user.x", (long)value, sizeof value), -EOPNOTSUPP);
    expect("lgetxattr likewise",
           syscall4(SYS_lgetxattr, (long)"/proc/version", (long)"user.x", (long)value, sizeof value), -EOPNOTSUPP);
    expect("getxattr of an empty name is ERANGE",
           syscall4(SYS_getxattr, (long)"/proc/version", (long)"", (long)value, sizeof value), -ERANGE);
    expect("getxattr of a name over 255 bytes is ERANGE",
           syscall4(SYS_getxattr, (long)"/proc/version", (long)long_name, (long)value, sizeof value), -ERANGE);
    expect("getxattr of a missing file is ENOENT",
           syscall4(SYS_getxattr, (long)"/no/such", (long)"user.x", (long)value, sizeof value), -ENOENT);
    expect("user.* on a device is ENODATA",
           syscall4(SYS_getxattr, (long)"/dev/null", (long)"user.x", (long)value, sizeof value), -ENODATA);
    expect("listxattr on /proc lists nothing", syscall3(SYS_listxattr, (long)"/proc/version", (long)value, 64), 0);
    expect("setxattr on /proc is EOPNOTSUPP",
           syscall5(SYS_setxattr, (long)"/proc/version", (long)"user.x", (long)"v", 1, 0), -EOPNOTSUPP);
    expect("setxattr with a bad flag is EINVAL",
           syscall5(SYS_setxattr, (long)"/proc/version", (long)"user.x", (long)"v", 1, 4), -EINVAL);
    expect("setxattr of 65537 bytes is E2BIG",
           syscall5(SYS_setxattr, (long)"/proc/version", (long)"user.x", (long)"v", 65537, 0), -E2BIG);
    expect("setxattr of user.* on a device is EPERM",
           syscall5(SYS_setxattr, (long)"/dev/null", (long)"user.x", (long)"v", 1, 0), -EPERM);
    expect("removexattr on /proc is EOPNOTSUPP",
           syscall2(SYS_removexattr, (long)"/proc/version", (long)"user.x"), -EOPNOTSUPP);
    expect("fgetxattr of a bad descriptor is EBADF",
           syscall4(SYS_fgetxattr, 99, (long)"user.x", (long)value, sizeof value), -EBADF);
    int fd = open("/proc/version", O_RDONLY);
    expect("fgetxattr on /proc is EOPNOTSUPP",
           syscall4(SYS_fgetxattr, fd, (long)"user.x", (long)value, sizeof value), -EOPNOTSUPP);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: filecheck [DIRECTORY]\n"
               "Checks flock, fallocate, copy_file_range, the hints, close_range, dup3, pwrite64,\n"
               "creat, the old time calls and the xattr family against Linux's answers, with\n"
               "scratch files in DIRECTORY (default /tmp).\n");
        return 0;
    }
    snprintf(scratch, sizeof scratch, "%s", argc > 1 ? argv[1] : "/tmp");
    flock_between_open_files();
    flock_waiter();
    fallocate_modes();
    copy_between_files();
    hints();
    descriptors();
    old_time_calls();
    extended_attributes();
    printf("filecheck: %d failed\n", check_failures);
    return check_failures > 100 ? 100 : check_failures;
}
