/* sys/statfs.h -- the size and use of a file system: statfs64 (call 268)
 * and fstatfs64 (269), which take the size of the structure as an argument.
 * Must stay true: sizeof(struct statfs) == 84, the layout of Linux i386
 * struct statfs64 (packed, 4-byte aligned), since the kernel writes it. */
#ifndef _SYS_STATFS_H
#define _SYS_STATFS_H

struct statfs {
    unsigned long f_type;             /* magic number: 0xEF53 ext2, 0x01021994 tmpfs */
    unsigned long f_bsize;            /* preferred I/O size */
    unsigned long long f_blocks;      /* size, in f_frsize units */
    unsigned long long f_bfree;       /* free blocks */
    unsigned long long f_bavail;      /* free blocks for unprivileged users */
    unsigned long long f_files;       /* inodes */
    unsigned long long f_ffree;       /* free inodes */
    int f_fsid[2];
    unsigned long f_namelen;          /* longest file name */
    unsigned long f_frsize;           /* the unit of f_blocks, f_bfree, f_bavail */
    unsigned long f_flags;            /* mount flags (ST_RDONLY = 1, ...) */
    unsigned long f_spare[4];
} __attribute__((packed, aligned(4)));

int statfs(const char *path, struct statfs *buf);
int fstatfs(int fd, struct statfs *buf);
#endif
