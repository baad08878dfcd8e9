/* dirent.h -- directory streams (dirent.c) over getdents64 (220).
 * struct dirent is the kernel's struct linux_dirent64, returned in place
 * from the stream's buffer: valid until the next readdir/closedir. */
#ifndef _DIRENT_H
#define _DIRENT_H
#include <sys/types.h>

struct dirent {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

typedef struct DIR DIR;
DIR *opendir(const char *path);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);
int dirfd(DIR *dir);
int getdents64(int fd, void *buf, unsigned int size);
#endif
