/* syscalls.c -- the POSIX wrappers over the Linux i386 system calls.
 *
 * Each wrapper passes its arguments unchanged to syscallN and turns a
 * -errno result into -1 with errno set (__syscall_ret). Exceptions, said
 * where they occur: brk returns the new break (never -errno), getcwd
 * returns a length, 64-bit offsets travel as two 32-bit halves.
 * Must stay true: the struct layouts the kernel writes (stat64 96 bytes,
 * utsname 6x65, timespec 2x32 bits) are checked below at compile time. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

_Static_assert(sizeof(struct stat) == 96, "struct stat64 is 96 bytes on i386");
_Static_assert(offsetof(struct stat, st_mode) == 16, "stat64.st_mode");
_Static_assert(offsetof(struct stat, st_size) == 44, "stat64.st_size");
_Static_assert(offsetof(struct stat, st_blocks) == 56, "stat64.st_blocks");
_Static_assert(offsetof(struct stat, st_ino) == 88, "stat64.st_ino");
_Static_assert(sizeof(struct statfs) == 84, "i386 statfs64");
_Static_assert(sizeof(struct utsname) == 6 * 65, "new_utsname");
_Static_assert(sizeof(struct timespec) == 8, "32-bit timespec");
_Static_assert(offsetof(struct dirent, d_name) == 19, "linux_dirent64");

int errno;

long __syscall_ret(long raw)
{
    if (raw < 0 && raw >= -4095) {
        errno = (int)-raw;
        return -1;
    }
    return raw;
}

#define RET(expr) return __syscall_ret(expr)
#define L(x) ((long)(x))

ssize_t read(int fd, void *buf, size_t n) { RET(syscall3(SYS_read, fd, L(buf), L(n))); }
ssize_t write(int fd, const void *buf, size_t n) { RET(syscall3(SYS_write, fd, L(buf), L(n))); }
int close(int fd) { RET(syscall1(SYS_close, fd)); }
int dup(int fd) { RET(syscall1(SYS_dup, fd)); }
int dup2(int oldfd, int newfd) { RET(syscall2(SYS_dup2, oldfd, newfd)); }
int pipe(int fds[2]) { RET(syscall1(SYS_pipe, L(fds))); }
int chdir(const char *path) { RET(syscall1(SYS_chdir, L(path))); }
int mkdir(const char *path, mode_t mode) { RET(syscall2(SYS_mkdir, L(path), L(mode))); }
int rmdir(const char *path) { RET(syscall1(SYS_rmdir, L(path))); }
int unlink(const char *path) { RET(syscall1(SYS_unlink, L(path))); }
int rename(const char *from, const char *to) { RET(syscall2(SYS_rename, L(from), L(to))); }
int link(const char *existing, const char *new_path)
{ RET(syscall2(SYS_link, L(existing), L(new_path))); }
int symlink(const char *target, const char *link_path)
{ RET(syscall2(SYS_symlink, L(target), L(link_path))); }
int chmod(const char *path, mode_t mode) { RET(syscall2(SYS_chmod, L(path), L(mode))); }
int fchmod(int fd, mode_t mode) { RET(syscall2(SYS_fchmod, fd, L(mode))); }
int chown(const char *path, uid_t owner, gid_t group)
{ RET(syscall3(SYS_chown32, L(path), L(owner), L(group))); }
int lchown(const char *path, uid_t owner, gid_t group)
{ RET(syscall3(SYS_lchown32, L(path), L(owner), L(group))); }
int fchown(int fd, uid_t owner, gid_t group)
{ RET(syscall3(SYS_fchown32, fd, L(owner), L(group))); }
int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{ RET(syscall4(SYS_utimensat, dirfd, L(path), L(times), flags)); }
void sync(void) { syscall0(SYS_sync); }
int statfs(const char *path, struct statfs *buf)
{ RET(syscall3(SYS_statfs64, L(path), sizeof *buf, L(buf))); }
int fstatfs(int fd, struct statfs *buf) { RET(syscall3(SYS_fstatfs64, fd, sizeof *buf, L(buf))); }
int fsync(int fd) { RET(syscall1(SYS_fsync, fd)); }
pid_t getpid(void) { return (pid_t)syscall0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)syscall0(SYS_getppid); }
uid_t getuid(void) { return (uid_t)syscall0(SYS_getuid32); }
int kill(pid_t pid, int sig) { RET(syscall2(SYS_kill, pid, sig)); }
int uname(struct utsname *buf) { RET(syscall1(SYS_uname, L(buf))); }
int stat(const char *path, struct stat *st) { RET(syscall2(SYS_stat64, L(path), L(st))); }
int lstat(const char *path, struct stat *st) { RET(syscall2(SYS_lstat64, L(path), L(st))); }
int fstat(int fd, struct stat *st) { RET(syscall2(SYS_fstat64, fd, L(st))); }
int getdents64(int fd, void *buf, unsigned int size)
{ RET(syscall3(SYS_getdents64, fd, L(buf), L(size))); }
int nanosleep(const struct timespec *req, struct timespec *rem)
{ RET(syscall2(SYS_nanosleep, L(req), L(rem))); }
int clock_gettime(clockid_t clock, struct timespec *ts)
{ RET(syscall2(SYS_clock_gettime, clock, L(ts))); }
int execve(const char *path, char *const argv[], char *const envp[])
{ RET(syscall3(SYS_execve, L(path), L(argv), L(envp))); }
int munmap(void *addr, size_t len) { RET(syscall2(SYS_munmap, L(addr), L(len))); }
int mprotect(void *addr, size_t len, int prot) { RET(syscall3(SYS_mprotect, L(addr), L(len), prot)); }
int madvise(void *addr, size_t len, int advice) { RET(syscall3(SYS_madvise, L(addr), L(len), advice)); }
int mincore(void *addr, size_t len, unsigned char *vector)
{ RET(syscall3(SYS_mincore, L(addr), L(len), L(vector))); }
int msync(void *addr, size_t len, int flags) { RET(syscall3(SYS_msync, L(addr), L(len), flags)); }

ssize_t readlink(const char *path, char *buf, size_t size)
{ RET(syscall3(SYS_readlink, L(path), L(buf), L(size))); }

/* open/openat take a mode only with O_CREAT; reading it always is harmless. */
int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = va_arg(ap, mode_t);
    va_end(ap);
    RET(syscall3(SYS_open, L(path), flags | O_LARGEFILE, L(mode)));
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = va_arg(ap, mode_t);
    va_end(ap);
    RET(syscall4(SYS_openat, dirfd, L(path), flags | O_LARGEFILE, L(mode)));
}

/* fcntl's third argument is an int or a pointer, depending on the command. */
int fcntl(int fd, int command, ...)
{
    va_list ap;
    va_start(ap, command);
    long argument = va_arg(ap, long);
    va_end(ap);
    RET(syscall3(221 /* fcntl64 */, fd, command, argument));
}

int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    RET(syscall3(SYS_ioctl, fd, L(request), L(arg)));
}

off_t lseek(int fd, off_t offset, int whence) { RET(syscall3(SYS_lseek, fd, offset, whence)); }

int _llseek(int fd, unsigned long high, unsigned long low, loff_t *result, int whence)
{ RET(syscall5(SYS__llseek, fd, L(high), L(low), L(result), whence)); }

off64_t lseek64(int fd, off64_t offset, int whence)
{
    loff_t result;
    unsigned long long u = (unsigned long long)offset;
    if (_llseek(fd, (unsigned long)(u >> 32), (unsigned long)u, &result, whence) < 0)
        return -1;
    return result;
}

/* pread64 takes the 64-bit offset as two registers, low half first. */
ssize_t pread64(int fd, void *buf, size_t count, off64_t offset)
{
    unsigned long long u = (unsigned long long)offset;
    RET(syscall5(SYS_pread64, fd, L(buf), L(count), L((unsigned long)u), L((unsigned long)(u >> 32))));
}
ssize_t pread(int fd, void *buf, size_t count, off_t offset) { return pread64(fd, buf, count, offset); }

/* ftruncate64 too: the 64-bit length as two registers, low half first. */
int ftruncate64(int fd, off64_t length)
{
    unsigned long long u = (unsigned long long)length;
    RET(syscall3(SYS_ftruncate64, fd, L((unsigned long)u), L((unsigned long)(u >> 32))));
}
int ftruncate(int fd, off_t length) { return ftruncate64(fd, length); }

/* The kernel's getcwd returns the length including the NUL, not a pointer. */
char *getcwd(char *buf, size_t size)
{
    if (__syscall_ret(syscall2(SYS_getcwd, L(buf), L(size))) < 0)
        return NULL;
    return buf;
}

/* mmap2's offset is in 4096-byte pages; mmap takes bytes. */
void *mmap2(void *addr, size_t len, int prot, int flags, int fd, unsigned long pgoffset)
{
    long r = syscall6(SYS_mmap2, L(addr), L(len), prot, flags, fd, L(pgoffset));
    if (r < 0 && r >= -4095) {
        errno = (int)-r;
        return MAP_FAILED;
    }
    return (void *)r;
}

void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...)
{
    va_list arguments;
    va_start(arguments, flags);
    void *new_address = (flags & MREMAP_FIXED) ? va_arg(arguments, void *) : NULL;
    va_end(arguments);
    long r = syscall5(SYS_mremap, L(old_address), L(old_size), L(new_size), flags, L(new_address));
    if (r < 0 && r >= -4095) {
        errno = (int)-r;
        return MAP_FAILED;
    }
    return (void *)r;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
    if (offset & 4095) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    return mmap2(addr, len, prot, flags, fd, (unsigned long)offset >> 12);
}

/* The brk call never fails with -errno: it returns the (possibly unchanged)
 * break. brk(0) asks for the current one. */
static char *current_break;

int brk(void *addr)
{
    char *result = (char *)syscall1(SYS_brk, L(addr));
    current_break = result;
    if (result != addr) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void *sbrk(ptrdiff_t increment)
{
    if (!current_break)
        current_break = (char *)syscall1(SYS_brk, 0);
    char *old = current_break;
    if (increment != 0 && brk(old + increment) < 0)
        return (void *)-1;
    return old;
}

_Noreturn void _exit(int status)
{
    syscall1(SYS_exit_group, status);
    for (;;)
        syscall1(SYS_exit, status);
}

int isatty(int fd)
{
    unsigned char termios[64];  /* kernel struct termios is 36 bytes on i386 */
    return ioctl(fd, TCGETS, termios) == 0;
}

time_t time(time_t *out)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return (time_t)-1;
    if (out)
        *out = ts.tv_sec;
    return ts.tv_sec;
}
