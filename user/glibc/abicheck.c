/* user/glibc/abicheck.c -- the less common corners of the i386 system-call
 * table, each called directly (syscall()) the way old or careful programs
 * call them: positioned and vector I/O, dup3, creat, the old stat, statfs,
 * getdents, chown and signal calls with their smaller structures, the
 * scheduler's policy calls, execveat, get_thread_area and unshare.
 *
 * Built with the cross compiler's static glibc. Every line is the same on
 * Linux and on this kernel; the QEMU tier compares them.
 * Usage: abicheck [DIRECTORY]   (scratch files go there; default /tmp)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static char scratch[256];

static void check(int ok, const char *what) {
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static const char *scratch_file(const char *name) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    return path;
}

static int error_of(long result) { return result == -1 ? errno : 0; }

/* --- positioned and vector I/O ----------------------------------------- */
static void check_positioned_io(void) {
    int fd = open(scratch_file("abi-data"), O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    long written = syscall(SYS_pwrite64, fd, "AB", 2, 4, 0);  /* offset 4 as low, high */
    char buffer[16] = {0};
    pread(fd, buffer, 10, 0);
    check(written == 2 && strcmp(buffer, "0123AB6789") == 0 && lseek(fd, 0, SEEK_CUR) == 10,
          "pwrite64 writes at the offset, the position stays");
    check(error_of(syscall(SYS_pwrite64, fd, "x", 1, 0xFFFFFFFF, 0xFFFFFFFF)) == EINVAL,
          "pwrite64 at a negative offset: EINVAL");
    struct iovec parts[2] = {{"xy", 2}, {"Z", 1}};
    long moved = syscall(SYS_pwritev, fd, parts, 2, 1, 0);
    char a[2], b[3];
    struct iovec back[2] = {{a, 2}, {b, 3}};
    long read_back = syscall(SYS_preadv, fd, back, 2, 0, 0);
    check(moved == 3 && read_back == 5 && memcmp(a, "0x", 2) == 0 && memcmp(b, "yZA", 3) == 0,
          "pwritev and preadv over two buffers at an offset");
    lseek(fd, 8, SEEK_SET);
    char tail[2];
    struct iovec at_position = {tail, 2};
    long got = syscall(SYS_preadv2, fd, &at_position, 1, -1, -1, 0);
    check(got == 2 && memcmp(tail, "89", 2) == 0 && lseek(fd, 0, SEEK_CUR) == 10,
          "preadv2 at offset -1 reads at the position and moves it");
    check(error_of(syscall(SYS_pwritev2, fd, parts, 1, 0, 0, 1 << 30)) == EOPNOTSUPP,
          "pwritev2 with an unknown flag: EOPNOTSUPP");
    close(fd);
}

/* --- descriptors ----------------------------------------------------------- */
static void check_descriptors(void) {
    int fd = syscall(SYS_creat, scratch_file("abi-created"), 0600);
    check(fd >= 0 && write(fd, "hello", 5) == 5, "creat makes a file open for writing");
    char c;
    check(read(fd, &c, 1) == -1 && errno == EBADF, "creat's descriptor is write-only");
    int copy = syscall(SYS_dup3, fd, 40, O_CLOEXEC);
    check(copy == 40 && fcntl(40, F_GETFD) == FD_CLOEXEC, "dup3 with O_CLOEXEC");
    check(error_of(syscall(SYS_dup3, fd, fd, 0)) == EINVAL, "dup3 to itself: EINVAL");
    check(error_of(syscall(SYS_dup3, fd, 41, O_APPEND)) == EINVAL, "dup3 with another flag: EINVAL");
    /* (A 64-bit Linux adds O_LARGEFILE for i386 programs; an i386 one does not.) */
    check((syscall(SYS_fcntl, fd, F_GETFL) & O_ACCMODE) == O_WRONLY, "fcntl (55) as fcntl64");
    close(40);
    close(fd);
    fd = syscall(SYS_creat, scratch_file("abi-created"), 0600);
    struct stat status;
    fstat(fd, &status);
    check(status.st_size == 0, "creat truncates an existing file");
    close(fd);
}

/* --- the old structures ------------------------------------------------------ */
struct old_stat {
    unsigned long st_dev, st_ino;
    unsigned short st_mode, st_nlink, st_uid, st_gid;
    unsigned long st_rdev, st_size, st_blksize, st_blocks;
    unsigned long st_atime_, st_atime_nsec, st_mtime_, st_mtime_nsec, st_ctime_, st_ctime_nsec;
    unsigned long unused[2];
};

struct old_statfs {
    uint32_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
};

struct old_dirent {
    unsigned long d_ino, d_off;
    unsigned short d_reclen;
    char d_name[];
};

static void check_old_structures(void) {
    const char *path = scratch_file("abi-data");
    struct stat modern;
    stat(path, &modern);
    struct old_stat old;
    check(syscall(SYS_stat, path, &old) == 0 && old.st_size == (unsigned long)modern.st_size &&
              old.st_mode == modern.st_mode && old.st_ino == (unsigned long)modern.st_ino,
          "stat (106) with the old struct stat");
    int fd = open(path, O_RDONLY);
    struct old_stat by_fd;
    check(syscall(SYS_fstat, fd, &by_fd) == 0 && by_fd.st_ino == old.st_ino, "fstat (108)");
    close(fd);
    symlink("abi-data", scratch_file("abi-link"));
    struct old_stat link;
    check(syscall(SYS_lstat, scratch_file("abi-link"), &link) == 0 && S_ISLNK(link.st_mode), "lstat (107) of a link");
    struct statfs modern_fs;
    statfs(scratch, &modern_fs);
    struct old_statfs old_fs;
    check(syscall(SYS_statfs, scratch, &old_fs) == 0 && old_fs.f_type == (uint32_t)modern_fs.f_type &&
              old_fs.f_bsize == (uint32_t)modern_fs.f_bsize,
          "statfs (99) with the old struct statfs");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/abi-dir", scratch);
    mkdir(dir, 0755);
    const char *names[] = {"first", "second", "third"};
    for (int i = 0; i < 3; i++) {
        char file[600];
        snprintf(file, sizeof file, "%s/%s", dir, names[i]);
        close(open(file, O_CREAT | O_WRONLY, 0644));
    }
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
    char records[4096];
    long length = syscall(SYS_getdents, dirfd, records, sizeof records);
    int seen = 0, typed = 1;
    for (long at = 0; at < length;) {
        struct old_dirent *entry = (struct old_dirent *)(records + at);
        char type = records[at + entry->d_reclen - 1];  /* d_type: the record's last byte */
        for (int i = 0; i < 3; i++) {
            if (strcmp(entry->d_name, names[i]) == 0) {
                seen |= 1 << i;
                if (type != DT_REG) typed = 0;
            }
        }
        at += entry->d_reclen;
    }
    check(length > 0 && seen == 7 && typed, "getdents (141): every name, d_type at the record's end");
    close(dirfd);
    check(syscall(SYS_chown, path, 0xFFFF, 0xFFFF) == 0 && syscall(SYS_lchown, path, 0xFFFF, 0xFFFF) == 0,
          "chown and lchown (16-bit) with -1 ids change nothing");
}

/* --- the old signal calls ------------------------------------------------------ */
static volatile int usr1_runs;
static void on_usr1(int signal) { (void)signal; usr1_runs++; }

struct old_sigaction {
    void (*handler)(int);
    unsigned long mask, flags;
    void (*restorer)(void);
};

static void check_old_signals(void) {
    long old = syscall(SYS_signal, SIGUSR1, on_usr1);
    raise(SIGUSR1);
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    check(old == (long)SIG_DFL && usr1_runs == 1 && now.sa_handler == SIG_DFL,
          "signal (48): the handler runs once, then SIG_DFL");
    unsigned long block = 1ul << (SIGUSR1 - 1), previous = 0;
    syscall(SYS_sigprocmask, SIG_BLOCK, &block, &previous);
    check((syscall(SYS_sgetmask) & block) != 0, "sigprocmask (126) blocks, sgetmask (68) shows it");
    struct old_sigaction action = {on_usr1, 0, 0, NULL}, before;
    syscall(SYS_sigaction, SIGUSR1, &action, &before);
    raise(SIGUSR1);
    unsigned long pending = 0;
    syscall(SYS_sigpending, &pending);
    check((pending & block) != 0 && usr1_runs == 1, "sigpending (73): blocked and pending");
    long mask_before = syscall(SYS_ssetmask, 0L);
    check((mask_before & block) != 0 && usr1_runs == 2, "ssetmask (69) unblocks: the handler runs");
    struct old_sigaction read_back;
    syscall(SYS_sigaction, SIGUSR1, NULL, &read_back);
    check(read_back.handler == on_usr1, "sigaction (67) with the old struct");
    signal(SIGUSR1, SIG_DFL);
}

/* --- scheduling ---------------------------------------------------------------- */
struct sched_attr_v0 {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
};

static void check_scheduling(void) {
    struct sched_param zero = {0}, five = {5};
    check(sched_setscheduler(0, SCHED_BATCH, &zero) == 0 && sched_getscheduler(0) == SCHED_BATCH,
          "sched_setscheduler SCHED_BATCH, read back");
    struct sched_attr_v0 attributes;
    memset(&attributes, 0, sizeof attributes);
    check(syscall(SYS_sched_getattr, 0, &attributes, sizeof attributes, 0) == 0 && attributes.policy == SCHED_BATCH,
          "sched_getattr sees SCHED_BATCH");
    errno = 0;
    check(sched_setscheduler(0, SCHED_OTHER, &five) == -1 && errno == EINVAL, "SCHED_OTHER with priority 5: EINVAL");
    check(sched_setparam(0, &zero) == 0, "sched_setparam with priority 0");
    struct timespec slice;
    check(sched_rr_get_interval(0, &slice) == 0 && slice.tv_sec == 0, "sched_rr_get_interval");
    attributes.size = sizeof attributes;
    attributes.policy = SCHED_OTHER;
    check(syscall(SYS_sched_setattr, 0, &attributes, 0) == 0 && sched_getscheduler(0) == SCHED_OTHER,
          "sched_setattr back to SCHED_OTHER");
    errno = 0;
    check(sched_setscheduler(999999, SCHED_OTHER, &zero) == -1 && errno == ESRCH, "a missing thread: ESRCH");
}

/* --- execveat, get_thread_area, unshare ------------------------------------------ */
static void check_process_calls(const char *self_path) {
    int fd = open(self_path, O_RDONLY);
    pid_t child = fork();
    if (child == 0) {
        char *argv[] = {"abicheck", "exec-child", NULL};
        syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 42, "execveat with AT_EMPTY_PATH runs the file itself");
    char *argv[] = {"abicheck", NULL};
    errno = 0;
    check(syscall(SYS_execveat, fd, "", argv, environ, 0) == -1 && errno == ENOENT, "execveat of \"\" without AT_EMPTY_PATH: ENOENT");
    close(fd);
    unsigned short gs;
    __asm__("mov %%gs, %0" : "=r"(gs));
    struct {
        unsigned int entry_number, base_address, limit, flags;
    } descriptor = {gs >> 3, 0, 0, 0};
    check(syscall(SYS_get_thread_area, &descriptor) == 0 && descriptor.base_address == (unsigned int)pthread_self(),
          "get_thread_area: %gs's segment is based at the thread's control block");
    check(syscall(SYS_unshare, CLONE_FILES | CLONE_FS) == 0, "unshare(CLONE_FILES | CLONE_FS) of a single thread");
    check(error_of(syscall(SYS_unshare, 0x1)) == EINVAL, "unshare with a signal number: EINVAL");
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return 42;
    setvbuf(stdout, NULL, _IOLBF, 0);
    snprintf(scratch, sizeof scratch, "%s/abicheck.%d", argc > 1 ? argv[1] : "/tmp", getpid());
    mkdir(scratch, 0755);
    check_positioned_io();
    check_descriptors();
    check_old_structures();
    check_old_signals();
    check_scheduling();
    check_process_calls("/proc/self/exe");
    printf("%s\n", failures ? "abicheck: FAILED" : "abicheck: all ok");
    return failures != 0;
}
