/* dirent.c -- directory streams over getdents64 (call 220).
 *
 * A DIR owns an open descriptor and a 4 KiB buffer of struct
 * linux_dirent64 records (our struct dirent has the same layout), which
 * readdir hands out one by one, refilling the buffer when it is used up.
 * Must stay true: records are walked by d_reclen, never by sizeof. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct DIR {
    int fd;
    int position;   /* offset of the next record in buf */
    int length;     /* bytes of records in buf */
    char buf[4096] __attribute__((aligned(8)));
};

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR *dir = malloc(sizeof *dir);
    if (!dir) {
        close(fd);
        return NULL;
    }
    dir->fd = fd;
    dir->position = dir->length = 0;
    return dir;
}

/* Returns the next entry, or NULL at the end (errno unchanged) or on error. */
struct dirent *readdir(DIR *dir)
{
    if (dir->position >= dir->length) {
        int n = getdents64(dir->fd, dir->buf, sizeof dir->buf);
        if (n <= 0)
            return NULL;
        dir->length = n;
        dir->position = 0;
    }
    struct dirent *entry = (struct dirent *)(dir->buf + dir->position);
    dir->position += entry->d_reclen;
    return entry;
}

int closedir(DIR *dir)
{
    int result = close(dir->fd);
    free(dir);
    return result;
}

int dirfd(DIR *dir) { return dir->fd; }
