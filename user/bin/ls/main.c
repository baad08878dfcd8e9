/* ls -- lists directories and files, as coreutils' ls does in the C locale
 * with TZ=UTC, for the options it has:
 *   -a  all entries, also . and names starting with '.'   -A  all but . and ..
 *   -l  long format     -n  long, numeric owner and group   -h  sizes as 4.0K
 *   -i  inode numbers   -F  type indicators (/ * @ | =)     -d  directories as files
 *   -R  recursive       -S  by size   -t  by modification time   -r  reversed
 *   -1  one per line    -C  columns, down then across   -x  columns across
 * Names sort by byte value. Operands that are not directories are listed
 * first, then each directory, with a "NAME:" heading when there is more
 * than one operand or -R. On a terminal the default is -C (width from
 * TIOCGWINSZ, else $COLUMNS, else 80); otherwise -1. Of -l/-n, -C and -x
 * the last given wins, and -1 after -l changes nothing (as in coreutils);
 * the last of -a and -A wins, and so does the last of -S and -t.
 *
 * Differences from coreutils' ls, on purpose: errors read "ls: PATH:
 * reason" (coreutils: "cannot access 'PATH'"); names are printed as they
 * are, without coreutils' quoting of spaces and control characters.
 * Exit status, as coreutils: 0 fine, 1 minor trouble (an entry inside a
 * directory could not be examined), 2 serious trouble (an operand could not
 * be accessed, a directory could not be read) or a usage error.
 * Must stay true: -l, -d and -F never follow a symbolic link operand;
 * otherwise an operand that is a symbolic link to a directory lists the
 * directory; -R never descends through symbolic links. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ls.h"

const char *program_name = "ls";
struct ls_options options;

static int status;
static int output_started;   /* something is on stdout: the next heading gets a blank line first */
static int show_headings;

static int usage(FILE *out, int code)
{
    fputs("Usage: ls [-1aAdFhilnrRStCx] [FILE]...\n"
          "List information about the FILEs (the current directory by default),\n"
          "sorted by name in byte order.\n"
          "  -a  do not ignore entries starting with .\n"
          "  -A  like -a, but without . and ..\n"
          "  -C  list entries in columns, down then across (the default on a terminal)\n"
          "  -d  list directories themselves, not their contents\n"
          "  -F  append an indicator to entries: / directory, * executable,\n"
          "      @ symbolic link, | FIFO, = socket\n"
          "  -h  with -l, print sizes like 1K 234M 2G (powers of 1024)\n"
          "  -i  print the inode number of each file\n"
          "  -l  long listing: mode, links, owner, group, size, date, name\n"
          "  -n  like -l, but list numeric user and group IDs\n"
          "  -r  reverse the order of the sort\n"
          "  -R  list subdirectories recursively\n"
          "  -S  sort by file size, largest first\n"
          "  -t  sort by modification time, newest first\n"
          "  -x  list entries in columns, across then down\n"
          "  -1  list one file per line (the default when not a terminal)\n"
          "Dates are UTC: \"Dec  7 11:22\" within six months, \"Dec  7  2025\" otherwise.\n", out);
    return finish(code);
}

static void note(int level)
{
    if (status < level)
        status = level;
}

static int compare_entries(const void *pa, const void *pb)
{
    const Entry *a = pa, *b = pb;
    int order = 0;
    if (options.sort == SORT_SIZE && a->st.st_size != b->st.st_size)
        order = a->st.st_size > b->st.st_size ? -1 : 1;
    else if (options.sort == SORT_TIME && a->st.st_mtime_sec != b->st.st_mtime_sec)
        order = a->st.st_mtime_sec > b->st.st_mtime_sec ? -1 : 1;
    else if (options.sort == SORT_TIME && a->st.st_mtime_nsec != b->st.st_mtime_nsec)
        order = a->st.st_mtime_nsec > b->st.st_mtime_nsec ? -1 : 1;
    else
        order = strcmp(a->name, b->name);
    return options.reverse ? -order : order;
}

static void sort_entries(Entry *entries, int count)
{
    qsort(entries, (size_t)count, sizeof *entries, compare_entries);
}

static void out_of_memory(void)
{
    warn_errno("malloc");
    exit(2);
}

/* For the long format: what a symbolic link says, and the mode of what it
 * points to (for -F). */
static void read_link(Entry *e)
{
    e->link_target = NULL;
    e->link_mode = 0;
    if (!e->have_stat || !S_ISLNK(e->st.st_mode) || options.format != FORMAT_LONG)
        return;
    char target[PATH_MAX];
    ssize_t n = readlink(e->path, target, sizeof target - 1);
    if (n < 0) {
        warn_errno(e->path);
        note(1);
        return;
    }
    target[n] = '\0';
    e->link_target = strdup(target);
    struct stat pointed;
    if (stat(e->path, &pointed) == 0)
        e->link_mode = pointed.st_mode;
}

static void free_entries(Entry *entries, int count)
{
    for (int i = 0; i < count; i++) {
        free(entries[i].name);
        free(entries[i].path);
        free(entries[i].link_target);
    }
    free(entries);
}

static int needs_stat(void)
{
    return options.format == FORMAT_LONG || options.sort != SORT_NAME || options.recursive ||
           options.classify || options.show_inode;
}

static int is_shown(const char *name)
{
    if (name[0] != '.')
        return 1;
    if (options.hidden == SHOW_ALL)
        return 1;
    return options.hidden == SHOW_ALMOST_ALL && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* Reads the names of a directory into *out; returns the count, or -1
 * after saying why the directory cannot be read. */
static int read_directory(const char *path, Entry **out)
{
    DIR *dir = opendir(path);
    if (!dir) {
        warn_errno(path);
        note(2);
        return -1;
    }
    Entry *entries = NULL;
    int count = 0, capacity = 0;
    struct dirent *d;
    errno = 0;
    while ((d = readdir(dir))) {
        if (!is_shown(d->d_name))
            continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            Entry *grown = realloc(entries, (size_t)capacity * sizeof *entries);
            if (!grown)
                out_of_memory();
            entries = grown;
        }
        Entry *e = &entries[count++];
        memset(e, 0, sizeof *e);
        e->name = strdup(d->d_name);
        e->path = join_path(path, d->d_name);
        if (!e->name || !e->path)
            out_of_memory();
        errno = 0;
    }
    if (errno) {
        warn_errno(path);
        note(2);
    }
    closedir(dir);
    *out = entries;
    return count;
}

static void list_directory(const char *path, const char *heading)
{
    Entry *entries;
    int count = read_directory(path, &entries);
    if (count < 0)
        return;
    for (int i = 0; i < count && needs_stat(); i++) {
        if (lstat(entries[i].path, &entries[i].st) == 0) {
            entries[i].have_stat = 1;
            read_link(&entries[i]);
        } else {
            warn_errno(entries[i].path);
            note(1);
        }
    }
    sort_entries(entries, count);
    if (show_headings) {
        if (output_started)
            putchar('\n');
        printf("%s:\n", heading);
    }
    print_entries(entries, count, 1);
    output_started = 1;
    for (int i = 0; options.recursive && i < count; i++) {
        const Entry *e = &entries[i];
        if (e->have_stat && S_ISDIR(e->st.st_mode) && strcmp(e->name, ".") != 0 && strcmp(e->name, "..") != 0)
            list_directory(e->path, e->path);
    }
    free_entries(entries, count);
}

static void parse_options(int argc, char **argv)
{
    options.format = isatty(1) ? FORMAT_COLUMNS : FORMAT_ONE_PER_LINE;
    int c;
    while ((c = getopt(argc, argv, "1aACdFhilnrRStx")) != -1) {
        switch (c) {
        case '1': if (options.format != FORMAT_LONG) options.format = FORMAT_ONE_PER_LINE; break;
        case 'a': options.hidden = SHOW_ALL; break;
        case 'A': options.hidden = SHOW_ALMOST_ALL; break;
        case 'C': options.format = FORMAT_COLUMNS; break;
        case 'd': options.directories_as_files = 1; break;
        case 'F': options.classify = 1; break;
        case 'h': options.human_sizes = 1; break;
        case 'i': options.show_inode = 1; break;
        case 'l': options.format = FORMAT_LONG; break;
        case 'n': options.format = FORMAT_LONG, options.numeric_ids = 1; break;
        case 'r': options.reverse = 1; break;
        case 'R': options.recursive = 1; break;
        case 'S': options.sort = SORT_SIZE; break;
        case 't': options.sort = SORT_TIME; break;
        case 'x': options.format = FORMAT_ACROSS; break;
        default: exit(usage(stderr, 2));
        }
    }
    if (options.directories_as_files)
        options.recursive = 0;
    struct winsize { unsigned short rows, columns, x_pixels, y_pixels; } size;
    const char *columns = getenv("COLUMNS");
    options.line_width = 80;
    if (ioctl(1, TIOCGWINSZ, &size) == 0 && size.columns > 0)
        options.line_width = size.columns;
    else if (columns && atoi(columns) > 0)
        options.line_width = atoi(columns);
    clock_gettime(CLOCK_REALTIME, &options.now);
}

/* Looks at an operand: false after saying it cannot be accessed. */
static int examine_operand(const char *path, struct stat *st)
{
    int no_follow = options.format == FORMAT_LONG || options.directories_as_files || options.classify;
    int r = no_follow ? lstat(path, st) : stat(path, st);
    if (r < 0 && !no_follow && errno == ENOENT)
        r = lstat(path, st);   /* a dangling symbolic link is still listed */
    if (r < 0) {
        warn_errno(path);
        note(2);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    parse_options(argc, argv);
    char *dot[] = { ".", NULL };
    char **operands = optind < argc ? argv + optind : dot;
    int noperands = optind < argc ? argc - optind : 1;
    show_headings = noperands > 1 || options.recursive;

    /* Operands: files (listed together first) and directories. */
    Entry *files = calloc((size_t)noperands, sizeof *files);
    Entry *dirs = calloc((size_t)noperands, sizeof *dirs);
    if (!files || !dirs)
        out_of_memory();
    int nfiles = 0, ndirs = 0;
    for (int i = 0; i < noperands; i++) {
        struct stat st;
        if (!examine_operand(operands[i], &st))
            continue;
        int as_file = options.directories_as_files || !S_ISDIR(st.st_mode);
        Entry *e = as_file ? &files[nfiles++] : &dirs[ndirs++];
        e->name = strdup(operands[i]);
        e->path = strdup(operands[i]);
        if (!e->name || !e->path)
            out_of_memory();
        e->st = st;
        e->have_stat = 1;
        read_link(e);
    }
    sort_entries(files, nfiles);
    sort_entries(dirs, ndirs);
    if (nfiles > 0) {
        print_entries(files, nfiles, 0);
        output_started = 1;
    }
    for (int i = 0; i < ndirs; i++)
        list_directory(dirs[i].path, dirs[i].name);
    free_entries(files, nfiles);
    free_entries(dirs, ndirs);
    return finish(status);
}
