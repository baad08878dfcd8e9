/* syscheck -- does the kernel answer system calls the way Linux does?
 *
 * A diagnostic program: it makes system calls with bad pointers, bad file
 * descriptors and bad flags, and the ordinary calls a shell relies on
 * (fork, execve, wait4, pipe, kill), and compares every answer with what
 * Linux gives. It prints one line per check, "ok NAME" or "FAIL NAME: got
 * X, expected Y", and exits with the number of failures. It runs on a Linux
 * host (the reference) and on our kernel, which must agree.
 *
 * Raw system calls (sys/syscall.h) are used where the C library would
 * check arguments itself: the point is what the kernel does with them.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


/* A kernel address and an unmapped user address: both must give EFAULT. */
#define KERNEL_POINTER 0xC0100000L
#define UNMAPPED_POINTER 0x10L

static void bad_pointers(void) {
    char buffer[64];
    int fd = open("/etc/motd", O_RDONLY);
    expect("read into a kernel address", syscall3(SYS_read, fd, KERNEL_POINTER, 16), -EFAULT);
    expect("read into an unmapped address", syscall3(SYS_read, fd, UNMAPPED_POINTER, 16), -EFAULT);
    expect("write from an unmapped address", syscall3(SYS_write, 1, UNMAPPED_POINTER, 16), -EFAULT);
    expect("open with an unmapped name", syscall3(SYS_open, UNMAPPED_POINTER, O_RDONLY, 0), -EFAULT);
    expect("open with a kernel name", syscall3(SYS_open, KERNEL_POINTER, O_RDONLY, 0), -EFAULT);
    expect("stat64 into a kernel address", syscall2(SYS_stat64, (long)"/etc/motd", KERNEL_POINTER), -EFAULT);
    expect("fstat64 into an unmapped address", syscall2(SYS_fstat64, fd, UNMAPPED_POINTER), -EFAULT);
    expect("pipe into a kernel address", syscall1(SYS_pipe, KERNEL_POINTER), -EFAULT);
    expect("uname into an unmapped address", syscall1(SYS_uname, UNMAPPED_POINTER), -EFAULT);
    expect("read still works afterwards", syscall3(SYS_read, fd, (long)buffer, 7), 7);
    close(fd);
}

static void bad_descriptors(void) {
    char buffer[8];
    expect("read from fd 99", syscall3(SYS_read, 99, (long)buffer, 1), -EBADF);
    expect("write to fd -1", syscall3(SYS_write, -1, (long)buffer, 1), -EBADF);
    expect("close fd 200", syscall1(SYS_close, 200), -EBADF);
    expect("dup of fd 77", syscall1(SYS_dup, 77), -EBADF);
    int fd = open("/etc/motd", O_RDONLY);
    expect("write to a read-only descriptor", syscall3(SYS_write, fd, (long)"x", 1), -EBADF);
    close(fd);
    expect("read after close", syscall3(SYS_read, fd, (long)buffer, 1), -EBADF);
}

static void bad_names_and_flags(void) {
    expect("open a missing file", syscall3(SYS_open, (long)"/no/such/file", O_RDONLY, 0), -ENOENT);
    expect("open a file as a directory", syscall3(SYS_open, (long)"/etc/motd/x", O_RDONLY, 0), -ENOTDIR);
    expect("open a file with O_DIRECTORY", syscall3(SYS_open, (long)"/etc/motd", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
    int fd = open("/etc/motd", O_RDONLY);
    expect("lseek with a bad whence", syscall3(SYS_lseek, fd, 0, 42), -EINVAL);
    expect("lseek to a negative position", syscall3(SYS_lseek, fd, -5, SEEK_SET), -EINVAL);
    close(fd);
    expect("kill with a bad signal", syscall2(SYS_kill, getpid(), 99), -EINVAL);
    expect("wait4 without children", syscall4(SYS_wait4, -1, 0, 0, 0), -ECHILD);
}

static void fork_and_wait(void) {
    pid_t child = fork();
    if (child == 0) _exit(42);
    int status = 0;
    expect("wait4 returns the child's pid", waitpid(child, &status, 0), child);
    expect("the child's exit status", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 42);
}

static void pipe_between_processes(void) {
    int fds[2];
    expect("pipe", pipe(fds), 0);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        write(fds[1], "through the pipe", 16);
        _exit(0);
    }
    close(fds[1]);
    char buffer[32] = {0};
    long total = 0, got;
    while ((got = read(fds[0], buffer + total, sizeof buffer - 1 - total)) > 0) total += got;
    expect("bytes through a pipe", total, 16);
    expect("pipe contents", strcmp(buffer, "through the pipe"), 0);
    expect("end of file after the writer exits", read(fds[0], buffer, 1), 0);
    close(fds[0]);
    waitpid(child, 0, 0);
}

static void pipe_without_readers(void) {
    int fds[2];
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        write(fds[1], "x", 1);  /* no reader: SIGPIPE ends us */
        _exit(0);
    }
    close(fds[0]);
    close(fds[1]);
    int status = 0;
    waitpid(child, &status, 0);
    expect("a write without readers is killed by SIGPIPE", WTERMSIG(status), SIGPIPE);
}

static void faults_end_only_the_program(void) {
    pid_t child = fork();
    if (child == 0) {
        volatile long address = UNMAPPED_POINTER;
        *(volatile int *)address = 1;
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    expect("a segfault kills with SIGSEGV", WTERMSIG(status), SIGSEGV);
}

static void execve_errors(void) {
    char *argv[] = {"nothing", 0};
    char *envp[] = {0};
    expect("execve of a missing file", syscall3(SYS_execve, (long)"/no/such", (long)argv, (long)envp), -ENOENT);
    expect("execve with an unmapped argv", syscall3(SYS_execve, (long)"/bin/true", UNMAPPED_POINTER, (long)envp),
           -EFAULT);
    pid_t child = fork();
    if (child == 0) {
        char *true_argv[] = {"true", 0};
        execve("/bin/true", true_argv, envp);
        _exit(99);
    }
    int status = 0;
    waitpid(child, &status, 0);
    expect("fork then execve /bin/true", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
}

/* ---- execve of "#!" scripts ---- */
static void write_script(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, text, strlen(text));
    close(fd);
}

/* What `path` run with argv {argv0, "a1"} writes on its standard output
 * (the interpreters used here are echo), or its error number as "errno N". */
static const char *output_of_script(const char *path) {
    static char output[256];
    int fds[2];
    pipe(fds);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        dup2(fds[1], 1);
        char *argv[] = {"argv0", "a1", 0}, *envp[] = {0};
        long error = syscall3(SYS_execve, (long)path, (long)argv, (long)envp);
        printf("errno %ld\n", -error);
        fflush(stdout);
        _exit(0);
    }
    close(fds[1]);
    long got = 0, n;
    while (got < (long)sizeof output - 1 && (n = read(fds[0], output + got, sizeof output - 1 - got)) > 0)
        got += n;
    output[got] = '\0';
    close(fds[0]);
    waitpid(child, 0, 0);
    return output;
}

static void script_execution(void) {
    char outer[64], inner[64], bare[64], missing[64], expected[256];
    snprintf(outer, sizeof outer, "/tmp/syscheck-outer-%d", getpid());
    snprintf(inner, sizeof inner, "/tmp/syscheck-inner-%d", getpid());
    snprintf(bare, sizeof bare, "/tmp/syscheck-bare-%d", getpid());
    snprintf(missing, sizeof missing, "/tmp/syscheck-missing-%d", getpid());
    write_script(inner, "#!/bin/echo  one argument \t \nnot read\n");
    snprintf(expected, sizeof expected, "one argument %s a1\n", inner);
    expect_string("execve of a script runs its interpreter with its one argument", output_of_script(inner),
                  expected);
    char line[96];
    snprintf(line, sizeof line, "#!%s\n", inner);
    write_script(outer, line);
    snprintf(expected, sizeof expected, "one argument %s %s a1\n", inner, outer);
    expect_string("a script's interpreter may be a script", output_of_script(outer), expected);
    write_script(bare, "#!   \n");
    expect_string("execve of \"#!\" and no interpreter", output_of_script(bare), "errno 8\n");  /* ENOEXEC */
    write_script(missing, "#!/no/such/interpreter\n");
    expect_string("execve of a script whose interpreter is missing", output_of_script(missing), "errno 2\n");
    unlink(inner);
    unlink(outer);
    unlink(bare);
    unlink(missing);
}

static void memory_and_limits(void) {
    unsigned char random_bytes[16];
    expect("getrandom fills the buffer", syscall3(355, (long)random_bytes, 16, 0), 16);
    expect("getrandom into an unmapped buffer", syscall3(355, UNMAPPED_POINTER, 16, 0), -EFAULT);
    unsigned long limit[2];
    expect("ugetrlimit(RLIMIT_STACK)", syscall2(191, 3, (long)limit), 0);
    expect("ugetrlimit of a bad resource", syscall2(191, 999, (long)limit), -EINVAL);
    long page = syscall6(192, 0, 4096, 3 /* read|write */, 0x22 /* private|anonymous */, -1, 0);
    expect("mmap2 an anonymous page", (unsigned long)page < 0xfffff000UL && (page & 4095) == 0, 1);
    ((volatile char *)page)[0] = 7;
    expect("mprotect it read-only", syscall3(125, page, 4096, 1), 0);
    expect("mprotect an unaligned address", syscall3(125, page + 1, 4096, 1), -EINVAL);
    expect("munmap it", syscall2(91, page, 4096), 0);
    expect("munmap of length 0", syscall2(91, page, 0), -EINVAL);
}

/* Private file mappings: a copy of the file's bytes. */
static void file_mappings(void) {
    char expected[64];
    struct stat st;
    int fd = open("/etc/motd", O_RDONLY);
    long got = read(fd, expected, sizeof expected);
    fstat(fd, &st);
    long map = syscall6(192, 0, 4096, 1 /* read */, 0x02 /* private */, fd, 0);
    expect("mmap2 of a file", (unsigned long)map < 0xfffff000UL && (map & 4095) == 0, 1);
    expect("the mapping holds the file's bytes", memcmp((void *)map, expected, got), 0);
    /* (Whole pages past the end are SIGBUS on Linux; only the last page's tail is checked.) */
    expect("the last page is zero past the end of the file",
           st.st_size < 4096 ? ((volatile char *)map)[st.st_size] : 0, 0);
    expect("munmap the file mapping", syscall2(91, map, 4096), 0);
    expect("mmap2 without MAP_PRIVATE or MAP_SHARED", syscall6(192, 0, 4096, 1, 0, fd, 0), -EINVAL);
    expect("mmap2 of fd 99", syscall6(192, 0, 4096, 1, 0x02, 99, 0), -EBADF);
    int dir = open("/", O_RDONLY | O_DIRECTORY);
    expect("mmap2 of a directory", syscall6(192, 0, 4096, 1, 0x02, dir, 0), -ENODEV);
    int fds[2];
    pipe(fds);
    expect("mmap2 of a pipe", syscall6(192, 0, 4096, 1, 0x02, fds[0], 0), -ENODEV);
    char name[64];
    snprintf(name, sizeof name, "/tmp/syscheck-map.%d", getpid());
    int write_only = open(name, O_WRONLY | O_CREAT, 0600);
    expect("mmap2 of a write-only file", syscall6(192, 0, 4096, 1, 0x02, write_only, 0), -EACCES);
    close(write_only);
    unlink(name);
    close(fds[0]);
    close(fds[1]);
    close(dir);
    close(fd);
}

/* Linux i386 numbers of the calls below that <sys/syscall.h> does not name. */
enum {
    NR_link = 9, NR_sync = 36, NR_ftruncate = 93, NR_sysinfo = 116, NR_fsync = 118, NR_fchdir = 133,
    NR_prctl = 172, NR_truncate64 = 193, NR_getresuid32 = 209, NR_fcntl64 = 221, NR_tkill = 238,
    NR_sendfile64 = 239, NR_clock_nanosleep = 267, NR_statfs64 = 268, NR_fstatfs64 = 269, NR_tgkill = 270,
    NR_mkdirat = 296, NR_fstatat64 = 300, NR_unlinkat = 301, NR_renameat = 302, NR_symlink = 83,
    NR_readlinkat = 305, NR_statx = 383, NR_fadvise64_64 = 272, NR_clock_gettime64 = 403,
};
#define AT_FDCWD_ (-100)
#define AT_EMPTY_PATH_ 0x1000
#define AT_REMOVEDIR_ 0x200
#define STATX_SIZE_OFFSET 40

static void status_calls(void) {
    unsigned char statx_buffer[256];
    struct stat st;
    int fd = open("/etc/motd", O_RDONLY);
    fstat(fd, &st);
    expect("statx of a file", syscall5(NR_statx, AT_FDCWD_, (long)"/etc/motd", 0, 0x7ff, (long)statx_buffer), 0);
    long long statx_size;
    memcpy(&statx_size, statx_buffer + STATX_SIZE_OFFSET, sizeof statx_size);
    expect("statx size equals fstat64's", (long)statx_size, (long)st.st_size);
    expect("statx with AT_EMPTY_PATH on a descriptor",
           syscall5(NR_statx, fd, (long)"", AT_EMPTY_PATH_, 0x7ff, (long)statx_buffer), 0);
    expect("statx with a bad flag", syscall5(NR_statx, AT_FDCWD_, (long)"/etc/motd", 0x40000000, 0x7ff,
                                              (long)statx_buffer), -EINVAL);
    expect("statx into an unmapped address", syscall5(NR_statx, AT_FDCWD_, (long)"/etc/motd", 0, 0x7ff,
                                                       UNMAPPED_POINTER), -EFAULT);
    expect("statx of a missing file", syscall5(NR_statx, AT_FDCWD_, (long)"/no/such", 0, 0x7ff,
                                               (long)statx_buffer), -ENOENT);
    expect("fstatat64 of an empty name without AT_EMPTY_PATH",
           syscall4(NR_fstatat64, fd, (long)"", (long)&st, 0), -ENOENT);
    int fds[2];
    pipe(fds);
    expect("fstat64 of a pipe", syscall2(SYS_fstat64, fds[0], (long)&st), 0);
    expect("a pipe is a FIFO", S_ISFIFO(st.st_mode), 1);
    expect("fstatat64 AT_EMPTY_PATH of a pipe", syscall4(NR_fstatat64, fds[1], (long)"", (long)&st, AT_EMPTY_PATH_), 0);
    unsigned char statfs_buffer[84];
    expect("statfs64 with a wrong size", syscall3(NR_statfs64, (long)"/", 80, (long)statfs_buffer), -EINVAL);
    expect("statfs64 of /", syscall3(NR_statfs64, (long)"/", 84, (long)statfs_buffer), 0);
    expect("fstatfs64 into an unmapped address", syscall3(NR_fstatfs64, fd, 84, UNMAPPED_POINTER), -EFAULT);
    close(fds[0]);
    close(fds[1]);
    close(fd);
}

static void descriptor_calls(void) {
    int fds[2];
    char buffer[32];
    pipe(fds);
    int motd = open("/etc/motd", O_RDONLY);
    long long offset = 3;
    expect("sendfile64 from a file into a pipe", syscall4(NR_sendfile64, fds[1], motd, 0, 16), 16);
    expect("sendfile64 at an offset", syscall4(NR_sendfile64, fds[1], motd, (long)&offset, 4), 4);
    expect("sendfile64 moves the offset, not the position", (long)offset, 7);
    expect("sendfile64 with an unmapped offset", syscall4(NR_sendfile64, fds[1], motd, UNMAPPED_POINTER, 4), -EFAULT);
    expect("sendfile64 to a read-only descriptor", syscall4(NR_sendfile64, motd, fds[0], 0, 4), -EBADF);
    expect("sendfile64 from fd 99", syscall4(NR_sendfile64, fds[1], 99, 0, 4), -EBADF);
    expect("20 bytes reached the pipe", read(fds[0], buffer, sizeof buffer), 20);
    expect("fcntl64 F_SETFL O_NONBLOCK", syscall3(NR_fcntl64, fds[0], F_SETFL, O_NONBLOCK), 0);
    expect("F_GETFL shows O_NONBLOCK", (syscall2(NR_fcntl64, fds[0], F_GETFL) & O_NONBLOCK) != 0, 1);
    expect("a non-blocking read of an empty pipe", syscall3(SYS_read, fds[0], (long)buffer, 1), -EAGAIN);
    expect("fcntl64 with a bad command", syscall3(NR_fcntl64, fds[0], 9999, 0), -EINVAL);
    expect("fsync of a pipe", syscall1(NR_fsync, fds[0]), -EINVAL);
    expect("fsync of fd 99", syscall1(NR_fsync, 99), -EBADF);
    expect("ftruncate of a read-only file", syscall2(NR_ftruncate, motd, 0), -EINVAL);
    expect("sync", syscall0(NR_sync), 0);
    /* fadvise64_64(fd, offset, offset high, length, length high, advice) */
    expect("fadvise64_64 WILLNEED on a file", syscall6(NR_fadvise64_64, motd, 0, 0, 4096, 0, 3), 0);
    expect("fadvise64_64 with a bad advice", syscall6(NR_fadvise64_64, motd, 0, 0, 0, 0, 77), -EINVAL);
    expect("fadvise64_64 with a negative length", syscall6(NR_fadvise64_64, motd, 0, 0, 0, -1, 0), -EINVAL);
    expect("fadvise64_64 on a pipe", syscall6(NR_fadvise64_64, fds[0], 0, 0, 0, 0, 0), -ESPIPE);
    expect("fadvise64_64 on fd 99", syscall6(NR_fadvise64_64, 99, 0, 0, 0, 0, 0), -EBADF);
    int root = open("/", O_RDONLY | O_DIRECTORY);
    expect("fchdir to a file", syscall1(NR_fchdir, motd), -ENOTDIR);
    expect("fchdir to fd 99", syscall1(NR_fchdir, 99), -EBADF);
    expect("fchdir to /", syscall1(NR_fchdir, root), 0);
    expect("getcwd after fchdir", syscall2(SYS_getcwd, (long)buffer, sizeof buffer), 2);
    close(root);
    close(motd);
    close(fds[0]);
    close(fds[1]);
}

/* Names in a scratch directory of /tmp (writable on Linux and here). */
static void name_calls(void) {
    char dir[64], name[96], other[96], link_target[16];
    snprintf(dir, sizeof dir, "/tmp/syscheck.%d", getpid());
    snprintf(name, sizeof name, "%s/a", dir);
    snprintf(other, sizeof other, "%s/b", dir);
    expect("mkdir a scratch directory", syscall2(SYS_mkdir, (long)dir, 0755), 0);
    expect("mkdir it again", syscall2(SYS_mkdir, (long)dir, 0755), -EEXIST);
    expect("mkdir with an unmapped name", syscall2(SYS_mkdir, UNMAPPED_POINTER, 0755), -EFAULT);
    expect("mkdirat relative to a file", syscall3(NR_mkdirat, 0, (long)"x", 0755), -ENOTDIR);
    int fd = open(name, O_WRONLY | O_CREAT, 0644);
    write(fd, "12345", 5);
    close(fd);
    expect("truncate64 to a negative length", syscall3(NR_truncate64, (long)name, -1, -1), -EINVAL);
    expect("truncate64 to 2 bytes", syscall3(NR_truncate64, (long)name, 2, 0), 0);
    expect("chmod 0600", syscall2(15, (long)name, 0600), 0);
    struct stat st;
    stat(name, &st);
    expect("the mode is 0600", st.st_mode & 07777, 0600);
    expect("fchmod of fd 99", syscall2(94, 99, 0644), -EBADF);
    expect("chown32 to root, unchanged group", syscall3(212, (long)name, 0, -1), 0);
    expect("fchownat with a bad flag", syscall5(298, AT_FDCWD_, (long)name, 0, 0, 0x8), -EINVAL);
    long times[4] = {1000000000, 5, 1234567890, 6};  /* atime, mtime: seconds, nanoseconds */
    expect("utimensat to fixed times", syscall4(320, AT_FDCWD_, (long)name, (long)times, 0), 0);
    stat(name, &st);
    expect("the mtime is the one given", (long)st.st_mtime_sec, 1234567890);
    expect("the atime is the one given", (long)st.st_atime_sec, 1000000000);
    times[1] = 1000000000;  /* nanoseconds out of range */
    expect("utimensat with 1e9 nanoseconds", syscall4(320, AT_FDCWD_, (long)name, (long)times, 0), -EINVAL);
    expect("utimensat with a bad flag", syscall4(320, AT_FDCWD_, (long)name, 0, 0x4), -EINVAL);
    expect("utimensat to now", syscall4(320, AT_FDCWD_, (long)name, 0, 0), 0);
    stat(name, &st);
    expect("now is after 2020", st.st_mtime_sec > 1577836800UL, 1);
    expect("link", syscall2(NR_link, (long)name, (long)other), 0);
    expect("link over an existing name", syscall2(NR_link, (long)name, (long)other), -EEXIST);
    expect("renameat into an unmapped name", syscall4(NR_renameat, AT_FDCWD_, (long)name, AT_FDCWD_,
                                                      UNMAPPED_POINTER), -EFAULT);
    /* POSIX: renaming one link of a file onto another link of it does nothing. */
    expect("rename between two links of one file", syscall2(SYS_rename, (long)name, (long)other), 0);
    expect("both links are still there", syscall1(SYS_unlink, (long)name), 0);
    expect("rename to a new name", syscall2(SYS_rename, (long)other, (long)name), 0);
    expect("the old name is gone", syscall2(SYS_rename, (long)other, (long)name), -ENOENT);
    expect("rename it back", syscall2(SYS_rename, (long)name, (long)other), 0);
    expect("symlink", syscall2(NR_symlink, (long)"b", (long)name), 0);
    expect("readlinkat", syscall4(NR_readlinkat, AT_FDCWD_, (long)name, (long)link_target, sizeof link_target), 1);
    expect("readlinkat of a file", syscall4(NR_readlinkat, AT_FDCWD_, (long)other, (long)link_target, 16), -EINVAL);
    expect("unlinkat with a bad flag", syscall3(NR_unlinkat, AT_FDCWD_, (long)name, 0x4), -EINVAL);
    expect("unlink of a directory", syscall1(SYS_unlink, (long)dir), -EISDIR);
    expect("rmdir of a directory with files", syscall1(SYS_rmdir, (long)dir), -ENOTEMPTY);
    expect("unlink the link", syscall1(SYS_unlink, (long)name), 0);
    expect("unlinkat the file", syscall3(NR_unlinkat, AT_FDCWD_, (long)other, 0), 0);
    expect("unlinkat AT_REMOVEDIR the directory", syscall3(NR_unlinkat, AT_FDCWD_, (long)dir, AT_REMOVEDIR_), 0);
    expect("rmdir of a missing directory", syscall1(SYS_rmdir, (long)dir), -ENOENT);
}

static void process_and_time_calls(void) {
    char name[16] = {0};
    unsigned ids[3];
    long long time64[2];
    unsigned char info[64];
    expect("prctl PR_SET_NAME", syscall2(NR_prctl, 15, (long)"renamed"), 0);
    expect("prctl PR_GET_NAME", syscall2(NR_prctl, 16, (long)name), 0);
    expect("the name came back", strcmp(name, "renamed"), 0);
    expect("prctl of an unknown option", syscall2(NR_prctl, 0x7fff, 0), -EINVAL);
    expect("getresuid32", syscall3(NR_getresuid32, (long)&ids[0], (long)&ids[1], (long)&ids[2]), 0);
    expect("getresuid32 into an unmapped address", syscall3(NR_getresuid32, (long)&ids[0], UNMAPPED_POINTER,
                                                             (long)&ids[2]), -EFAULT);
    expect("clock_gettime64 CLOCK_MONOTONIC", syscall2(NR_clock_gettime64, 1, (long)time64), 0);
    expect("clock_gettime64 of clock 99", syscall2(NR_clock_gettime64, 99, (long)time64), -EINVAL);
    expect("clock_gettime into a kernel address", syscall2(SYS_clock_gettime, 0, KERNEL_POINTER), -EFAULT);
    long request[2] = {0, 1000000000};  /* nanoseconds out of range */
    expect("nanosleep with 1e9 nanoseconds", syscall2(SYS_nanosleep, (long)request, 0), -EINVAL);
    request[1] = 1000;
    expect("clock_nanosleep of clock 99", syscall4(NR_clock_nanosleep, 99, 0, (long)request, 0), -EINVAL);
    expect("clock_nanosleep for a microsecond", syscall4(NR_clock_nanosleep, 1, 0, (long)request, 0), 0);
    expect("sysinfo", syscall1(NR_sysinfo, (long)info), 0);
    expect("sysinfo into an unmapped address", syscall1(NR_sysinfo, UNMAPPED_POINTER), -EFAULT);
    expect("tgkill with another thread group", syscall3(NR_tgkill, getpid(), getpid() + 100000, 0), -ESRCH);
    expect("tkill of tid 0", syscall2(NR_tkill, 0, 0), -EINVAL);
    expect("tgkill with signal 0", syscall3(NR_tgkill, getpid(), getpid(), 0), 0);
}

/* Every call that takes a pointer, once with a kernel address and once with
 * an unmapped one in its place (BAD below): each must say EFAULT. */
#define BAD 0x7badbad
struct pointer_call {
    const char *name;
    long number;
    long args[5];
};

static long with_bad(long arg, long bad) { return arg == BAD ? bad : arg; }

static void bad_pointer_sweep(void) {
    char name_buffer[128];
    int file = open("/etc/motd", O_RDONLY);
    int dir = open("/", O_RDONLY | O_DIRECTORY);
    const long motd = (long)"/etc/motd";
    const struct pointer_call calls[] = {
        {"write", SYS_write, {1, BAD, 8}},
        {"openat", SYS_openat, {AT_FDCWD_, BAD, O_RDONLY}},
        {"getdents64", SYS_getdents64, {dir, BAD, 4096}},
        {"getcwd", SYS_getcwd, {BAD, 128}},
        {"chdir", SYS_chdir, {BAD}},
        {"access", 33, {BAD, 0}},
        {"lstat64", SYS_lstat64, {motd, BAD}},
        {"fstatat64", NR_fstatat64, {AT_FDCWD_, motd, BAD, 0}},
        {"_llseek", SYS__llseek, {file, 0, 0, BAD, 0}},
        {"pread64", SYS_pread64, {file, BAD, 16, 0, 0}},
        {"readlink name", SYS_readlink, {BAD, (long)name_buffer, sizeof name_buffer}},
        {"pipe2", 331, {BAD, 0}},
        {"nanosleep", SYS_nanosleep, {BAD, 0}},
        {"clock_gettime64", NR_clock_gettime64, {0, BAD}},
        {"clock_nanosleep", NR_clock_nanosleep, {1, 0, BAD, 0}},
        {"gettimeofday", 78, {BAD, 0}},
        {"time", 13, {BAD}},
        {"rt_sigaction", SYS_rt_sigaction, {10, BAD, 0, 8}},
        {"rt_sigprocmask", 175, {0, BAD, 0, 8}},
        {"rt_sigpending", 176, {BAD, 8}},
        {"rt_sigsuspend", 179, {BAD, 8}},
        {"ugetrlimit", 191, {3, BAD}},
        {"set_thread_area", 243, {BAD}},
        {"prctl PR_SET_NAME", NR_prctl, {15, BAD}},
        {"prctl PR_GET_NAME", NR_prctl, {16, BAD}},
        {"mkdirat", NR_mkdirat, {AT_FDCWD_, BAD, 0755}},
        {"unlink", SYS_unlink, {BAD}},
        {"rmdir", SYS_rmdir, {BAD}},
        {"rename", SYS_rename, {BAD, (long)"/tmp/x"}},
        {"link", NR_link, {BAD, (long)"/tmp/x"}},
        {"symlink", NR_symlink, {BAD, (long)"/tmp/x"}},
        {"truncate64", NR_truncate64, {BAD, 0, 0}},
        {"statfs64 name", NR_statfs64, {BAD, 84, (long)name_buffer}},
        {"statfs64 buffer", NR_statfs64, {(long)"/", 84, BAD}},
        {"readlinkat", NR_readlinkat, {AT_FDCWD_, BAD, (long)name_buffer, 16}},
        {"getresuid32", NR_getresuid32, {BAD, BAD, BAD}},
        {"chmod", 15, {BAD, 0644}},
        {"chown32", 212, {BAD, 0, 0}},
        {"utimensat name", 320, {AT_FDCWD_, BAD, 0, 0}},
        {"utimensat times", 320, {AT_FDCWD_, motd, BAD, 0}},
    };
    for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        const struct pointer_call *c = &calls[i];
        long bads[2] = {KERNEL_POINTER, UNMAPPED_POINTER};
        for (int b = 0; b < 2; b++) {
            long got = syscall5(c->number, with_bad(c->args[0], bads[b]), with_bad(c->args[1], bads[b]),
                                with_bad(c->args[2], bads[b]), with_bad(c->args[3], bads[b]),
                                with_bad(c->args[4], bads[b]));
            snprintf(name_buffer, sizeof name_buffer, "%s with %s pointer", c->name, b ? "an unmapped" : "a kernel");
            expect(name_buffer, got, -EFAULT);
        }
    }
    char termios[64];
    expect("ioctl TCGETS on a file", syscall3(SYS_ioctl, file, 0x5401, (long)termios), -ENOTTY);
    close(dir);
    close(file);
}

/* ---- CPU time: times and getrusage ----
 * The kernel samples who runs at each timer tick, and a loaded host gives
 * a program less than all of the time that passes: so the program computes
 * until times() says it used 200 ms (at most 10 s), and the checks are
 * that it got there, that getrusage agrees, that no more CPU time was
 * counted than time passed, and that a child's time reaches its parent. */
struct rusage_times {
    long user_seconds, user_microseconds, system_seconds, system_microseconds;
    long counts[14];
};

static long milliseconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Computes until 200 ms more user time (clock ticks of 10 ms) are counted;
 * returns 1 when they were within 10 seconds. */
static int compute_200_ms(void) {
    volatile unsigned long sum = 0;
    struct tms start, now;
    times(&start);
    long give_up = milliseconds_now() + 10000;
    do {
        for (int i = 0; i < 100000; i++)
            sum += (unsigned long)i * i;
        times(&now);
    } while (now.tms_utime - start.tms_utime < 20 && milliseconds_now() < give_up);
    return now.tms_utime - start.tms_utime >= 20;
}

static long user_milliseconds(int who) {
    struct rusage_times usage;
    if (syscall2(SYS_getrusage, who, (long)&usage) != 0)
        return -1;
    return usage.user_seconds * 1000 + usage.user_microseconds / 1000;
}

static void child_computes(void) { _exit(compute_200_ms() ? 0 : 1); }

static void cpu_time_calls(void) {
    struct tms before, after;
    long start = milliseconds_now();
    long self_before = user_milliseconds(0), children_before = user_milliseconds(-1);
    times(&before);
    expect("times: computing shows as user time", compute_200_ms(), 1);
    times(&after);
    long passed = milliseconds_now() - start;
    long counted = (after.tms_utime - before.tms_utime + after.tms_stime - before.tms_stime) * 10;
    expect("times: no more CPU time than time passed", counted <= passed + 20, 1);
    long by_rusage = user_milliseconds(0) - self_before;
    expect("getrusage(RUSAGE_SELF) agrees with times", by_rusage >= 190 && by_rusage <= passed + 20, 1);
    struct tms waited;
    int status = 0;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        child_computes();
    waitpid(child, &status, 0);
    times(&waited);
    expect("the child's computing showed as its user time", status, 0);
    expect("times: a reaped child's user time goes to tms_cutime", waited.tms_cutime - after.tms_cutime >= 20, 1);
    expect("getrusage(RUSAGE_CHILDREN) counts it", user_milliseconds(-1) - children_before >= 190, 1);
    expect("getrusage of an unknown who", syscall2(SYS_getrusage, 7, (long)&waited), -EINVAL);
    expect("getrusage into a kernel address", syscall2(SYS_getrusage, 0, KERNEL_POINTER), -EFAULT);
    expect("times into an unmapped address", syscall1(SYS_times, UNMAPPED_POINTER), -EFAULT);
}

/* ---- what programs ask the scheduler ---- */
#define SYS_sched_getparam 155
#define SYS_sched_getscheduler 157
#define SYS_sched_yield 158
#define SYS_sched_get_priority_max 159
#define SYS_sched_get_priority_min 160
#define SYS_sched_setaffinity 241
#define SYS_sched_getaffinity 242

static void scheduler_calls(void) {
    unsigned long mask[32] = { 0 }, saved[32] = { 0 };
    long got = syscall3(SYS_sched_getaffinity, 0, sizeof mask, (long)mask);
    expect("sched_getaffinity returns the bytes of a mask of whole longs",
           got > 0 && got <= (long)sizeof mask && got % sizeof(long) == 0, 1);
    expect("sched_getaffinity: CPU 0 is ours", mask[0] & 1, 1);
    memcpy(saved, mask, sizeof mask);
    expect("sched_getaffinity with no room", syscall3(SYS_sched_getaffinity, 0, 0, (long)mask), -EINVAL);
    expect("sched_getaffinity with a size of no whole long", syscall3(SYS_sched_getaffinity, 0, 3, (long)mask), -EINVAL);
    expect("sched_getaffinity of no such process", syscall3(SYS_sched_getaffinity, 999999999, sizeof mask, (long)mask),
           -ESRCH);
    expect("sched_getaffinity into a kernel address", syscall3(SYS_sched_getaffinity, 0, sizeof mask, KERNEL_POINTER),
           -EFAULT);
    unsigned long cpu0 = 1, none = 0;
    expect("sched_setaffinity to CPU 0", syscall3(SYS_sched_setaffinity, 0, sizeof cpu0, (long)&cpu0), 0);
    expect("sched_setaffinity to no CPU", syscall3(SYS_sched_setaffinity, 0, sizeof none, (long)&none), -EINVAL);
    syscall3(SYS_sched_setaffinity, 0, got > 0 ? got : (long)sizeof cpu0, (long)saved);
    expect("sched_getscheduler: SCHED_OTHER", syscall1(SYS_sched_getscheduler, 0), 0);
    expect("sched_getscheduler of a negative pid", syscall1(SYS_sched_getscheduler, -1), -EINVAL);
    expect("sched_getscheduler of no such process", syscall1(SYS_sched_getscheduler, 999999999), -ESRCH);
    int priority = -1;
    expect("sched_getparam", syscall2(SYS_sched_getparam, 0, (long)&priority), 0);
    expect("sched_getparam: priority 0", priority, 0);
    expect("sched_getparam into NULL", syscall2(SYS_sched_getparam, 0, 0), -EINVAL);
    expect("sched_get_priority_max(SCHED_FIFO)", syscall1(SYS_sched_get_priority_max, 1), 99);
    expect("sched_get_priority_min(SCHED_RR)", syscall1(SYS_sched_get_priority_min, 2), 1);
    expect("sched_get_priority_max(SCHED_OTHER)", syscall1(SYS_sched_get_priority_max, 0), 0);
    expect("sched_get_priority_min of no policy", syscall1(SYS_sched_get_priority_min, 77), -EINVAL);
    expect("sched_yield", syscall0(SYS_sched_yield), 0);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: syscheck\nChecks the kernel's answers to good and bad system calls.\n");
        return 0;
    }
    bad_pointers();
    bad_descriptors();
    bad_names_and_flags();
    fork_and_wait();
    pipe_between_processes();
    pipe_without_readers();
    faults_end_only_the_program();
    execve_errors();
    script_execution();
    memory_and_limits();
    file_mappings();
    status_calls();
    descriptor_calls();
    name_calls();
    process_and_time_calls();
    cpu_time_calls();
    scheduler_calls();
    bad_pointer_sweep();
    printf("syscheck: %d failed\n", check_failures);
    return check_failures;
}
