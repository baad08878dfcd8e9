/* df -- shows the size and use of mounted file systems, from the mount
 * table (/proc/mounts) and statfs64 (call 268) on each mount point:
 *
 *   Filesystem     1K-blocks  Used Available Use% Mounted on
 *   /dev/hda           63461  1090     59095   2% /
 *
 * Without FILE operands every mounted file system with a size (not proc,
 * sysfs, ...), each device once; with FILEs the file systems holding them.
 *   -h  sizes in powers of 1024 ("252G", "9.5M"), rounded up as coreutils
 * Used is blocks minus free blocks, Available what unprivileged users may
 * still use, Use% = Used / (Used + Available), rounded up. Columns are as
 * wide as their widest cell. A FILE that cannot be examined is reported
 * as "df: FILE: reason"; the exit status is then 1. */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

const char *program_name = "df";

#define COLUMNS 6
#define CELL_BYTES HUMAN_SIZE_BYTES

struct mount_entry {
    char *source, *directory;
};

struct row {
    char size[CELL_BYTES], used[CELL_BYTES], available[CELL_BYTES], use[CELL_BYTES];
    const char *source, *directory;
};

static int human_readable;

static int usage(FILE *out, int status)
{
    fputs("Usage: df [-h] [FILE]...\n"
          "Show information about the file system on which each FILE resides,\n"
          "or all file systems by default.\n"
          "  -h  print sizes in powers of 1024 (e.g., 1023M)\n", out);
    return finish(status);
}

/* /proc/mounts writes space, tab, newline and backslash as \ooo. */
static void decode_octal_escapes(char *text)
{
    char *out = text;
    for (char *in = text; *in; out++) {
        if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
            in[3] >= '0' && in[3] <= '7') {
            *out = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
            in += 4;
        } else {
            *out = *in++;
        }
    }
    *out = '\0';
}

/* The next space-separated field at *cursor (cut out in place), or NULL. */
static char *next_field(char **cursor)
{
    char *start = *cursor + strspn(*cursor, " \t\n");
    if (*start == '\0')
        return NULL;
    char *end = start + strcspn(start, " \t\n");
    *cursor = *end ? end + 1 : end;
    *end = '\0';
    return start;
}

/* Reads the mount table; returns the number of entries (malloc'd), or -1. */
static int read_mounts(struct mount_entry **mounts)
{
    FILE *table = fopen("/proc/mounts", "r");
    if (!table)
        return -1;
    int count = 0, capacity = 0;
    struct mount_entry *list = NULL;
    char *line = NULL;
    size_t line_capacity = 0;
    while (getline(&line, &line_capacity, table) > 0) {
        char *cursor = line;
        char *source = next_field(&cursor), *directory = next_field(&cursor);
        if (!source || !directory)
            continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            struct mount_entry *bigger = realloc(list, capacity * sizeof *list);
            if (!bigger)
                break;
            list = bigger;
        }
        decode_octal_escapes(source);
        decode_octal_escapes(directory);
        list[count].source = strdup(source);
        list[count].directory = strdup(directory);
        if (list[count].source && list[count].directory)
            count++;
    }
    free(line);
    fclose(table);
    *mounts = list;
    return count;
}

static void format_size(unsigned long long blocks, unsigned long unit, char *out)
{
    unsigned long long bytes = blocks * unit;
    if (human_readable)
        format_human_size(bytes, out);
    else
        snprintf(out, CELL_BYTES, "%llu", (bytes + 1023) / 1024);
}

static void fill_row(struct row *row, const struct mount_entry *mount, const struct statfs *fs)
{
    unsigned long unit = fs->f_frsize ? fs->f_frsize : fs->f_bsize;
    unsigned long long used = fs->f_blocks - fs->f_bfree;
    row->source = mount->source;
    row->directory = mount->directory;
    format_size(fs->f_blocks, unit, row->size);
    format_size(used, unit, row->used);
    format_size(fs->f_bavail, unit, row->available);
    unsigned long long usable = used + fs->f_bavail;
    if (usable == 0)
        strcpy(row->use, "-");
    else
        snprintf(row->use, CELL_BYTES, "%llu%%", (used * 100 + usable - 1) / usable);
}

static void print_table(const struct row *rows, int count)
{
    struct row header = { "", "", "", "Use%", "Filesystem", "Mounted on" };
    strcpy(header.size, human_readable ? "Size" : "1K-blocks");
    strcpy(header.used, "Used");
    strcpy(header.available, human_readable ? "Avail" : "Available");
    int widths[COLUMNS - 1] = { 14, 5, 5, 5, 4 };   /* coreutils' narrowest columns */
    for (int i = -1; i < count; i++) {
        const struct row *row = i < 0 ? &header : &rows[i];
        const char *cells[COLUMNS - 1] = { row->source, row->size, row->used, row->available, row->use };
        for (int column = 0; column < COLUMNS - 1; column++) {
            int length = (int)strlen(cells[column]);
            if (length > widths[column])
                widths[column] = length;
        }
    }
    for (int i = -1; i < count; i++) {
        const struct row *row = i < 0 ? &header : &rows[i];
        printf("%-*s %*s %*s %*s %*s %s\n", widths[0], row->source, widths[1], row->size,
               widths[2], row->used, widths[3], row->available, widths[4], row->use,
               row->directory);
    }
}

/* The last mount whose mount point is on the device of st, or -1. */
static int mount_holding(const struct mount_entry *mounts, int count, const struct stat *st)
{
    for (int i = count - 1; i >= 0; i--) {
        struct stat mount_point;
        if (stat(mounts[i].directory, &mount_point) == 0 && mount_point.st_dev == st->st_dev)
            return i;
    }
    return -1;
}

/* Every mount with a size, each device once (the first mount of it). */
static int add_all_mounts(const struct mount_entry *mounts, int count, struct row *rows)
{
    int shown = 0;
    dev_t *devices = calloc((size_t)count + 1, sizeof *devices);
    if (!devices)
        return 0;
    for (int i = 0; i < count; i++) {
        struct statfs fs;
        struct stat st;
        if (statfs(mounts[i].directory, &fs) < 0 || fs.f_blocks == 0 ||
            stat(mounts[i].directory, &st) < 0)
            continue;
        int seen = 0;
        for (int j = 0; j < shown; j++)
            seen |= devices[j] == st.st_dev;
        if (seen)
            continue;
        devices[shown] = st.st_dev;
        fill_row(&rows[shown++], &mounts[i], &fs);
    }
    free(devices);
    return shown;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "h")) != -1) {
        if (c == 'h')
            human_readable = 1;
        else
            return usage(stderr, 1);
    }
    struct mount_entry *mounts = NULL;
    int mount_count = read_mounts(&mounts);
    if (mount_count < 0) {
        warn_errno("cannot read table of mounted file systems");
        return 1;
    }
    int operands = argc - optind;
    struct row *rows = calloc((size_t)(operands > mount_count ? operands : mount_count) + 1, sizeof *rows);
    if (!rows) {
        warn_errno("df");
        return 1;
    }
    int count = 0, status = 0;
    if (operands == 0)
        count = add_all_mounts(mounts, mount_count, rows);
    for (int i = optind; i < argc; i++) {
        struct stat st;
        struct statfs fs;
        if (stat(argv[i], &st) < 0 || statfs(argv[i], &fs) < 0) {
            warn_errno(argv[i]);
            status = 1;
            continue;
        }
        int index = mount_holding(mounts, mount_count, &st);
        if (index < 0) {
            warn_message("%s: not in the table of mounted file systems", argv[i]);
            status = 1;
            continue;
        }
        fill_row(&rows[count++], &mounts[index], &fs);
    }
    if (count > 0 || operands == 0)
        print_table(rows, count);
    return finish(status);
}
