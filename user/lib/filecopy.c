/* filecopy.c -- copying and removing trees of files (see filecopy.h).
 * One walk serves cp, cp -r, cp -p and mv across file systems. A directory
 * is made writable for its owner while its entries are copied in, and gets
 * its final permission bits (and times, with preserve) only afterwards:
 * copying "r-x" would otherwise fail, and each entry made inside would
 * change the modification time just set.
 * Must stay true: nothing here follows a symbolic link inside a tree; only
 * the top source, with dereference_top, is looked at through stat. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <filecopy.h>
#include <limits.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COPY_BLOCK_BYTES (64 * 1024)

/* What one call of copy_file_tree shares down the walk. */
struct copy_walk {
    const struct copy_options *options;
    const char *top_source, *top_dest;
    int made_top_directory;       /* the two fields below are valid */
    dev_t top_directory_device;   /* the directory made for top_dest, so */
    ino_t top_directory_inode;    /* copying it into itself can be seen */
    int copying_into_itself;      /* seen: stop the walk, as coreutils does */
};

static int fail(const char *format, const char *name)
{
    int error = errno;
    char what[PATH_MAX + 64];
    snprintf(what, sizeof what, format, name);
    warn_message("%s: %s", what, strerror(error));
    return 1;
}

/* Owner first, since chown clears set-user-ID; then mode, then times.
 * Like coreutils, a refused change of owner (not root) is no error. */
static int preserve_attributes(const char *path, const struct stat *st)
{
    int is_link = S_ISLNK(st->st_mode);
    if (lchown(path, st->st_uid, st->st_gid) < 0 && errno != EPERM)
        return fail("failed to preserve ownership for '%s'", path);
    if (!is_link && chmod(path, st->st_mode & 07777) < 0)
        return fail("preserving permissions for '%s'", path);
    struct timespec times[2] = { { (long)st->st_atime_sec, (long)st->st_atime_nsec },
                                 { (long)st->st_mtime_sec, (long)st->st_mtime_nsec } };
    if (utimensat(AT_FDCWD, path, times, is_link ? AT_SYMLINK_NOFOLLOW : 0) < 0)
        return fail("preserving times for '%s'", path);
    return 0;
}

/* Returns 0, or 1 after reporting which side failed. */
static int copy_bytes(int in, int out, const char *source, const char *dest)
{
    static char block[COPY_BLOCK_BYTES];
    for (;;) {
        ssize_t count = read(in, block, sizeof block);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            return fail("error reading '%s'", source);
        if (count == 0)
            return 0;
        for (ssize_t done = 0; done < count;) {
            ssize_t written = write(out, block + done, (size_t)(count - done));
            if (written < 0 && errno == EINTR)
                continue;
            if (written < 0)
                return fail("error writing '%s'", dest);
            done += written;
        }
    }
}

/* A new file gets the source's permission bits narrowed by the umask (the
 * kernel applies it in open); an existing one keeps its own. */
static int copy_regular(const char *source, const char *dest, const struct stat *st,
                        const struct copy_options *options)
{
    int in = open(source, O_RDONLY);
    if (in < 0)
        return fail("cannot open '%s' for reading", source);
    int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 0777);
    if (out < 0) {
        close(in);
        return fail("cannot create regular file '%s'", dest);
    }
    int status = copy_bytes(in, out, source, dest);
    close(in);
    if (close(out) < 0 && status == 0)
        status = fail("failed to close '%s'", dest);
    if (status == 0 && options->preserve)
        status = preserve_attributes(dest, st);
    return status;
}

static int copy_symbolic_link(const char *source, const char *dest, const struct stat *st,
                              const struct copy_options *options)
{
    char target[PATH_MAX];
    ssize_t length = readlink(source, target, sizeof target - 1);
    if (length < 0)
        return fail("cannot read symbolic link '%s'", source);
    target[length] = '\0';
    struct stat existing;
    if (lstat(dest, &existing) == 0 && !S_ISDIR(existing.st_mode))
        unlink(dest);
    if (symlink(target, dest) < 0)
        return fail("cannot create symbolic link '%s'", dest);
    return options->preserve ? preserve_attributes(dest, st) : 0;
}

static int copy_entry(struct copy_walk *walk, const char *source, const char *dest, int top);

struct entry_name {
    ino_t inode;
    char *name;
};

static int by_inode(const void *a, const void *b)
{
    ino_t left = ((const struct entry_name *)a)->inode;
    ino_t right = ((const struct entry_name *)b)->inode;
    return left < right ? -1 : left > right;
}

/* All names in directory but "." and "..", sorted by inode number as
 * coreutils reads them (so a copy goes in the same order), read before
 * anything is copied: copying a directory into itself adds entries to it.
 * Returns the count and *names (malloc'd), or -1 with errno set. */
static int read_entry_names(const char *directory, struct entry_name **names)
{
    DIR *dir = opendir(directory);
    if (!dir)
        return -1;
    int count = 0, capacity = 0;
    struct entry_name *list = NULL;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        if (count == capacity) {
            capacity = capacity ? 2 * capacity : 16;
            struct entry_name *bigger = realloc(list, capacity * sizeof *list);
            if (!bigger)
                break;
            list = bigger;
        }
        list[count].inode = entry->d_ino;
        list[count].name = strdup(entry->d_name);
        if (!list[count].name)
            break;
        count++;
    }
    closedir(dir);
    if (entry != NULL) {            /* out of memory part way */
        while (count > 0)
            free(list[--count].name);
        free(list);
        errno = ENOMEM;
        return -1;
    }
    qsort(list, count, sizeof *list, by_inode);
    *names = list;
    return count;
}

static int copy_directory_entries(struct copy_walk *walk, const char *source, const char *dest)
{
    struct entry_name *names = NULL;
    int count = read_entry_names(source, &names);
    int status = count < 0 ? fail("cannot access '%s'", source) : 0;
    for (int i = 0; i < count && !walk->copying_into_itself; i++) {
        char *child_source = join_path(source, names[i].name);
        char *child_dest = join_path(dest, names[i].name);
        if (child_source && child_dest)
            status |= copy_entry(walk, child_source, child_dest, 0);
        else
            status |= fail("cannot copy '%s'", source);
        free(child_source);
        free(child_dest);
    }
    for (int i = 0; i < count; i++)
        free(names[i].name);
    free(names);
    return status;
}

static int copy_directory(struct copy_walk *walk, const char *source, const char *dest,
                          const struct stat *st)
{
    struct stat existing;
    int made = 0;
    if (stat(dest, &existing) == 0) {
        if (!S_ISDIR(existing.st_mode)) {
            warn_message("cannot overwrite non-directory '%s' with directory '%s'", dest, source);
            return 1;
        }
    } else {
        if (mkdir(dest, (st->st_mode & 07777) | 0700) < 0 || stat(dest, &existing) < 0)
            return fail("cannot create directory '%s'", dest);
        made = 1;
        if (!walk->made_top_directory) {
            walk->made_top_directory = 1;
            walk->top_directory_device = existing.st_dev;
            walk->top_directory_inode = existing.st_ino;
        }
    }
    if (walk->options->verbose)
        printf("'%s' -> '%s'\n", source, dest);
    int status = copy_directory_entries(walk, source, dest);
    if (walk->options->preserve)
        return status | preserve_attributes(dest, st);
    /* Made with u+rwx added and the umask taken off: take u+rwx back off
     * where the source lacks it, keeping what the umask removed. */
    unsigned final_mode = existing.st_mode & st->st_mode & 07777;
    if (made && final_mode != (existing.st_mode & 07777) && chmod(dest, final_mode) < 0)
        status |= fail("setting permissions for '%s'", dest);
    return status;
}

/* Refuses to replace a directory by a file, or a file by itself. */
static int check_file_destination(const char *source, const char *dest)
{
    struct stat existing, original;
    if (lstat(dest, &existing) < 0)
        return 0;
    if (S_ISDIR(existing.st_mode)) {
        warn_message("cannot overwrite directory '%s' with non-directory", dest);
        return 1;
    }
    if (stat(dest, &existing) == 0 && stat(source, &original) == 0 &&
        existing.st_dev == original.st_dev && existing.st_ino == original.st_ino) {
        warn_message("'%s' and '%s' are the same file", source, dest);
        return 1;
    }
    return 0;
}

static int copy_entry(struct copy_walk *walk, const char *source, const char *dest, int top)
{
    const struct copy_options *options = walk->options;
    struct stat st;
    int found = top && options->dereference_top ? stat(source, &st) : lstat(source, &st);
    if (found < 0)
        return fail("cannot stat '%s'", source);
    if (S_ISDIR(st.st_mode)) {
        if (!options->recursive) {
            warn_message("-r not specified; omitting directory '%s'", source);
            return 1;
        }
        if (walk->made_top_directory && st.st_dev == walk->top_directory_device &&
            st.st_ino == walk->top_directory_inode) {
            warn_message("cannot copy a directory, '%s', into itself, '%s'",
                         walk->top_source, walk->top_dest);
            walk->copying_into_itself = 1;
            return 1;
        }
        return copy_directory(walk, source, dest, &st);
    }
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
        warn_message("skipping special file '%s' (device, FIFO or socket)", source);
        return 1;
    }
    if (check_file_destination(source, dest) != 0)
        return 1;
    if (options->verbose)
        printf("'%s' -> '%s'\n", source, dest);
    if (S_ISLNK(st.st_mode))
        return copy_symbolic_link(source, dest, &st, options);
    return copy_regular(source, dest, &st, options);
}

int copy_file_tree(const char *source, const char *dest, const struct copy_options *options)
{
    struct copy_walk walk = { .options = options, .top_source = source, .top_dest = dest };
    return copy_entry(&walk, source, dest, 1);
}

int remove_file_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return fail("cannot remove '%s'", path);
    if (!S_ISDIR(st.st_mode))
        return unlink(path) < 0 ? fail("cannot remove '%s'", path) : 0;
    DIR *dir = opendir(path);
    if (!dir)
        return fail("cannot remove '%s'", path);
    int status = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char *child = join_path(path, entry->d_name);
        status |= child ? remove_file_tree(child) : fail("cannot remove '%s'", path);
        free(child);
    }
    closedir(dir);
    if (status == 0 && rmdir(path) < 0)
        status = fail("cannot remove '%s'", path);
    return status;
}
