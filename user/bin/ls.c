/* ls -- lists directories and files.
 *   -a  include names starting with '.'    -1  one name per line (always so here)
 *   -l  long format: mode, links, uid, gid, size, name [-> target]
 *
 * Names are sorted by byte value, as `LC_ALL=C ls` sorts them. Operands that
 * are not directories are listed first, then each directory, with a
 * "NAME:" heading when there is more than one operand.
 *
 * Differences from coreutils' ls, on purpose (small is the point):
 *   - output is always one name per line, also on a terminal (no columns);
 *   - -l prints numeric uid and gid (like `ls -ln`) and no date column;
 *   - errors read "ls: PATH: reason" (coreutils: "cannot access 'PATH'").
 * Exit status, as coreutils: 0 fine, 1 minor trouble (an entry inside a
 * directory could not be examined), 2 serious trouble (an operand could not
 * be accessed, a directory could not be read) or a usage error.
 * Must stay true: -l never follows symbolic links; without -l an operand
 * that is a symbolic link to a directory lists the directory. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "ls";

static int show_all, long_format;
static int status;

typedef struct {
    char *name;      /* as printed */
    char *path;      /* for lstat/readlink */
    struct stat st;
    int have_stat;
} Entry;

static int usage(FILE *out, int code)
{
    fputs("Usage: ls [-al1] [FILE]...\n"
          "List information about the FILEs (the current directory by default),\n"
          "sorted by name in byte order.\n"
          "  -a  do not ignore entries starting with .\n"
          "  -l  long listing: mode, links, uid, gid, size, name (no dates)\n"
          "  -1  one name per line (always the case)\n", out);
    return finish(code);
}

static void note(int level)
{
    if (status < level)
        status = level;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const Entry *)a)->name, ((const Entry *)b)->name);
}

static int digits(unsigned long long n)
{
    int d = 1;
    while (n >= 10)
        n /= 10, d++;
    return d;
}

/* The size column: bytes, or "major, minor" for device files. */
static void size_string(const struct stat *st, char *out, size_t size)
{
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        snprintf(out, size, "%u, %u", major(st->st_rdev), minor(st->st_rdev));
    else
        snprintf(out, size, "%lld", st->st_size);
}

/* Prints entries (already sorted); in long format the columns are aligned. */
static void print_entries(Entry *entries, int count)
{
    if (!long_format) {
        for (int i = 0; i < count; i++)
            puts(entries[i].name);
        return;
    }
    int wlinks = 1, wuid = 1, wgid = 1, wsize = 1;
    char size[32];
    for (int i = 0; i < count; i++) {
        const struct stat *st = &entries[i].st;
        if (!entries[i].have_stat)
            continue;
        size_string(st, size, sizeof size);
        if (digits(st->st_nlink) > wlinks) wlinks = digits(st->st_nlink);
        if (digits(st->st_uid) > wuid) wuid = digits(st->st_uid);
        if (digits(st->st_gid) > wgid) wgid = digits(st->st_gid);
        if ((int)strlen(size) > wsize) wsize = (int)strlen(size);
    }
    for (int i = 0; i < count; i++) {
        const Entry *e = &entries[i];
        if (!e->have_stat) {
            printf("?????????? %*s %*s %*s %*s %s\n", wlinks, "?", wuid, "?", wgid, "?",
                   wsize, "?", e->name);
            continue;
        }
        char mode[11];
        mode_string(e->st.st_mode, mode);
        size_string(&e->st, size, sizeof size);
        printf("%s %*u %*lu %*lu %*s %s", mode, wlinks, e->st.st_nlink, wuid, e->st.st_uid,
               wgid, e->st.st_gid, wsize, size, e->name);
        if (S_ISLNK(e->st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlink(e->path, target, sizeof target - 1);
            if (n >= 0) {
                target[n] = '\0';
                printf(" -> %s", target);
            }
        }
        putchar('\n');
    }
}

static void free_entries(Entry *entries, int count)
{
    for (int i = 0; i < count; i++) {
        free(entries[i].name);
        free(entries[i].path);
    }
    free(entries);
}

static void list_directory(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        warn_errno(path);
        note(2);
        return;
    }
    Entry *entries = NULL;
    int count = 0, capacity = 0;
    struct dirent *d;
    errno = 0;
    while ((d = readdir(dir))) {
        if (d->d_name[0] == '.' && !show_all)
            continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            Entry *grown = realloc(entries, (size_t)capacity * sizeof *entries);
            if (!grown) {
                warn_errno(path);
                exit(2);
            }
            entries = grown;
        }
        Entry *e = &entries[count++];
        e->name = strdup(d->d_name);
        e->path = join_path(path, d->d_name);
        e->have_stat = 0;
        if (!e->name || !e->path) {
            warn_errno(path);
            exit(2);
        }
        errno = 0;
    }
    if (errno) {
        warn_errno(path);
        note(2);
    }
    closedir(dir);
    qsort(entries, (size_t)count, sizeof *entries, compare_entries);

    if (long_format) {
        unsigned long long blocks = 0;   /* 512-byte units, shown as 1 KiB ones */
        for (int i = 0; i < count; i++) {
            if (lstat(entries[i].path, &entries[i].st) == 0) {
                entries[i].have_stat = 1;
                blocks += entries[i].st.st_blocks;
            } else {
                warn_errno(entries[i].path);
                note(1);
            }
        }
        printf("total %llu\n", (blocks + 1) / 2);
    }
    print_entries(entries, count);
    free_entries(entries, count);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "al1")) != -1) {
        switch (c) {
        case 'a': show_all = 1; break;
        case 'l': long_format = 1; break;
        case '1': break;
        default: return usage(stderr, 2);
        }
    }
    char *dot[] = { ".", NULL };
    char **operands = optind < argc ? argv + optind : dot;
    int noperands = optind < argc ? argc - optind : 1;

    /* Sort operands into files (listed together first) and directories. */
    Entry *files = calloc((size_t)noperands, sizeof *files);
    Entry *dirs = calloc((size_t)noperands, sizeof *dirs);
    if (!files || !dirs) {
        warn_errno("malloc");
        return 2;
    }
    int nfiles = 0, ndirs = 0;
    for (int i = 0; i < noperands; i++) {
        const char *path = operands[i];
        struct stat st;
        int r = long_format ? lstat(path, &st) : stat(path, &st);
        if (r < 0 && !long_format && errno == ENOENT)
            r = lstat(path, &st);   /* a dangling symbolic link is still listed */
        if (r < 0) {
            warn_errno(path);
            note(2);
            continue;
        }
        Entry *e = S_ISDIR(st.st_mode) ? &dirs[ndirs++] : &files[nfiles++];
        e->name = strdup(path);
        e->path = strdup(path);
        e->st = st;
        e->have_stat = 1;
    }
    qsort(files, (size_t)nfiles, sizeof *files, compare_entries);
    qsort(dirs, (size_t)ndirs, sizeof *dirs, compare_entries);
    print_entries(files, nfiles);
    for (int i = 0; i < ndirs; i++) {
        if (nfiles > 0 || i > 0)
            putchar('\n');
        if (noperands > 1)
            printf("%s:\n", dirs[i].name);
        list_directory(dirs[i].path);
    }
    free_entries(files, nfiles);
    free_entries(dirs, ndirs);
    return finish(status);
}
