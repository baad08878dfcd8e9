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
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void expect(const char *name, long got, long expected) {
    if (got == expected) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld, expected %ld\n", name, got, expected);
        failures++;
    }
}

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
    memory_and_limits();
    printf("syscheck: %d failed\n", failures);
    return failures;
}
