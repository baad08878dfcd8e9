/* sys/stat.h -- struct stat in the exact layout of Linux i386 struct stat64,
 * filled by the stat64/lstat64/fstat64 calls (195-197).
 * Must stay true: sizeof(struct stat) == 96 and the offsets checked in
 * syscalls.c, because the kernel writes this memory directly. */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H
#include <sys/types.h>

struct stat {
    unsigned long long st_dev;
    unsigned char __pad0[4];
    unsigned long __st_ino;        /* truncated inode number; use st_ino */
    unsigned int st_mode;
    unsigned int st_nlink;
    unsigned long st_uid;
    unsigned long st_gid;
    unsigned long long st_rdev;
    unsigned char __pad3[4];
    long long st_size;
    unsigned long st_blksize;
    unsigned long long st_blocks;  /* in 512-byte units */
    unsigned long st_atime_sec;
    unsigned long st_atime_nsec;
    unsigned long st_mtime_sec;
    unsigned long st_mtime_nsec;
    unsigned long st_ctime_sec;
    unsigned long st_ctime_nsec;
    unsigned long long st_ino;
};

#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

/* Linux's encoding of a 64-bit dev_t into major and minor numbers. */
#define major(dev) ((unsigned)((((dev) >> 32) & 0xfffff000u) | (((dev) >> 8) & 0xfffu)))
#define minor(dev) ((unsigned)((((dev) >> 12) & 0xffffff00u) | ((dev) & 0xffu)))

int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int mkdir(const char *path, mode_t mode);
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);

/* utimensat (call 320): times[0] access, times[1] modification; NULL sets
 * both to now, as does a tv_nsec of UTIME_NOW; UTIME_OMIT leaves one alone. */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#include <time.h>
int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags);
#endif
