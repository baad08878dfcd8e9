/* du -- shows the disk space used by each FILE (default "."), counted as
 * coreutils does: from st_blocks (512-byte units actually allocated, not
 * the file size), shown in 1 KiB blocks rounded up, a directory including
 * everything below it, a file with several hard links counted once.
 * Prints "SIZE<tab>PATH" for every directory, deepest first.
 *   -s  only a total for each FILE
 *   -a  every file too, not only directories
 *   -h  sizes in powers of 1024 ("4.0K", "1.2M"), rounded up
 * Symbolic links are not followed. Errors as coreutils: "du: cannot access
 * 'X': reason", "du: cannot read directory 'X': reason"; exit status 1. */
#include <dirent.h>
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "du";

static int summarize, all_files, human_readable;
static int status;

/* Files with more than one link already counted (a plain list: a teaching
 * tree has few of them). */
static struct counted_inode {
    dev_t device;
    ino_t inode;
} *counted;
static size_t counted_count, counted_capacity;

static int usage(FILE *out, int code)
{
    fputs("Usage: du [-a] [-h] [-s] [FILE]...\n"
          "Summarize device usage of the set of FILEs, recursively for directories.\n"
          "  -a  write counts for all files, not just directories\n"
          "  -h  print sizes in human readable format (e.g., 1K 234M 2G)\n"
          "  -s  display only a total for each argument\n", out);
    return finish(code);
}

/* True when st is a hard-linked file seen before; else remembers it. */
static int already_counted(const struct stat *st)
{
    if (S_ISDIR(st->st_mode) || st->st_nlink < 2)
        return 0;
    for (size_t i = 0; i < counted_count; i++)
        if (counted[i].device == st->st_dev && counted[i].inode == st->st_ino)
            return 1;
    if (counted_count == counted_capacity) {
        size_t capacity = counted_capacity ? counted_capacity * 2 : 64;
        struct counted_inode *bigger = realloc(counted, capacity * sizeof *counted);
        if (!bigger)
            return 0;
        counted = bigger;
        counted_capacity = capacity;
    }
    counted[counted_count].device = st->st_dev;
    counted[counted_count++].inode = st->st_ino;
    return 0;
}

static void print_size(unsigned long long blocks, const char *path)
{
    char size[HUMAN_SIZE_BYTES];
    if (human_readable)
        format_human_size(blocks * 512, size);
    else
        snprintf(size, sizeof size, "%llu", (blocks + 1) / 2);
    printf("%s\t%s\n", size, path);
}

static unsigned long long walk(const char *path, int depth);

static unsigned long long walk_directory(const char *path, int depth)
{
    unsigned long long blocks = 0;
    DIR *dir = opendir(path);
    if (!dir) {
        warn_message("cannot read directory '%s': %s", path, strerror(errno));
        status = 1;
        return 0;
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char *child = join_path(path, entry->d_name);
        if (!child) {
            warn_errno(path);
            status = 1;
            continue;
        }
        blocks += walk(child, depth + 1);
        free(child);
    }
    closedir(dir);
    return blocks;
}

/* Returns the 512-byte blocks under path, printing lines on the way. */
static unsigned long long walk(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        warn_message("cannot access '%s': %s", path, strerror(errno));
        status = 1;
        return 0;
    }
    if (already_counted(&st))
        return 0;
    unsigned long long blocks = st.st_blocks;
    if (S_ISDIR(st.st_mode))
        blocks += walk_directory(path, depth);
    int wanted = depth == 0 || (!summarize && (all_files || S_ISDIR(st.st_mode)));
    if (wanted)
        print_size(blocks, path);
    return blocks;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "ahs")) != -1) {
        if (c == 'a')
            all_files = 1;
        else if (c == 'h')
            human_readable = 1;
        else if (c == 's')
            summarize = 1;
        else
            return usage(stderr, 1);
    }
    if (summarize && all_files) {
        warn_message("cannot both summarize and show all entries");
        suggest_help();
        return 1;
    }
    if (optind == argc)
        walk(".", 0);
    for (int i = optind; i < argc; i++)
        walk(argv[i], 0);
    return finish(status);
}
