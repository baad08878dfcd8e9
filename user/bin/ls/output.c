/* output.c -- how ls prints a group of entries (see ls.h): the long format
 * with aligned columns, names one per line, or names in columns filled
 * down then across (-C, the default on a terminal) or across (-x), as
 * coreutils lays them out: the most columns that fit the line width, each
 * as wide as its longest name plus two, gaps filled with tabs (8 columns
 * apart) and spaces. Owners and groups are names from /etc/passwd and
 * /etc/group (numbers when not found, or with -n); dates are the C
 * locale's "Dec  7 11:22" within six months, "Dec  7  2025" otherwise.
 * Layer: user program. */
#include <grp.h>
#include <limits.h>
#include <progutil.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ls.h"

#define HALF_A_YEAR_SECONDS (31556952 / 2)   /* coreutils' "six months" */
#define MIN_COLUMN_WIDTH 3
#define TAB_SIZE 8

/* ---- owners and groups ---- */

typedef struct {
    unsigned id;
    char name[64];   /* "" when the database has no such id */
} CachedName;

static const char *cached_name(CachedName *cache, int *used, int capacity, unsigned id, int is_group)
{
    for (int i = 0; i < *used; i++)
        if (cache[i].id == id)
            return cache[i].name[0] ? cache[i].name : NULL;
    const char *found = NULL;
    if (is_group) {
        struct group *g = getgrgid(id);
        found = g ? g->gr_name : NULL;
    } else {
        struct passwd *p = getpwuid(id);
        found = p ? p->pw_name : NULL;
    }
    CachedName *slot = &cache[*used < capacity ? (*used)++ : capacity - 1];
    slot->id = id;
    slot->name[0] = '\0';
    if (found)
        strncat(slot->name, found, sizeof slot->name - 1);
    return slot->name[0] ? slot->name : NULL;
}

static const char *user_name(unsigned uid)
{
    static CachedName cache[32];
    static int used;
    return options.numeric_ids ? NULL : cached_name(cache, &used, 32, uid, 0);
}

static const char *group_name(unsigned gid)
{
    static CachedName cache[32];
    static int used;
    return options.numeric_ids ? NULL : cached_name(cache, &used, 32, gid, 1);
}

/* ---- pieces of a line ---- */

static int digits(unsigned long long n)
{
    int d = 1;
    while (n >= 10)
        n /= 10, d++;
    return d;
}

static int id_width(unsigned id, const char *name)
{
    return name ? (int)strlen(name) : digits(id);
}

/* '/', '*', '@', '|', '=' for -F, or 0. */
static char type_indicator(unsigned mode)
{
    if (S_ISREG(mode))
        return (mode & 0111) ? '*' : 0;
    if (S_ISDIR(mode)) return '/';
    if (S_ISLNK(mode)) return '@';
    if (S_ISFIFO(mode)) return '|';
    if (S_ISSOCK(mode)) return '=';
    return 0;
}

static char entry_indicator(const Entry *e)
{
    return options.classify && e->have_stat ? type_indicator(e->st.st_mode) : 0;
}

static void size_text(const struct stat *st, char *out, size_t size)
{
    if (options.human_sizes)
        format_human_size((unsigned long long)st->st_size, out);
    else
        snprintf(out, size, "%lld", st->st_size);
}

static void date_text(const struct stat *st, char *out, size_t size)
{
    time_t when = (time_t)st->st_mtime_sec;
    long long seconds = (long long)st->st_mtime_sec, now = options.now.tv_sec;
    int in_future = seconds > now || (seconds == now && (long)st->st_mtime_nsec > options.now.tv_nsec);
    int recent = seconds > now - HALF_A_YEAR_SECONDS && !in_future;
    struct tm tm;
    if (!gmtime_r(&when, &tm) || !strftime(out, size, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm))
        snprintf(out, size, "%lld", seconds);
}

/* ---- the long format ---- */

typedef struct {
    int inode, links, owner, group, major, minor, size;
} Widths;

static Widths measure(const Entry *entries, int count)
{
    Widths w = {0, 1, 1, 1, 0, 0, 1};
    char size[32];
    for (int i = 0; i < count; i++) {
        const struct stat *st = &entries[i].st;
        if (!entries[i].have_stat)
            continue;
        if (digits(st->st_ino) > w.inode) w.inode = digits(st->st_ino);
        if (digits(st->st_nlink) > w.links) w.links = digits(st->st_nlink);
        if (id_width(st->st_uid, user_name(st->st_uid)) > w.owner) w.owner = id_width(st->st_uid, user_name(st->st_uid));
        if (id_width(st->st_gid, group_name(st->st_gid)) > w.group) w.group = id_width(st->st_gid, group_name(st->st_gid));
        if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
            if (digits(major(st->st_rdev)) > w.major) w.major = digits(major(st->st_rdev));
            if (digits(minor(st->st_rdev)) > w.minor) w.minor = digits(minor(st->st_rdev));
        } else {
            size_text(st, size, sizeof size);
            if ((int)strlen(size) > w.size) w.size = (int)strlen(size);
        }
    }
    if (w.major + 2 + w.minor > w.size && (w.major || w.minor))
        w.size = w.major + 2 + w.minor;
    return w;
}

static void print_id(unsigned id, const char *name, int width)
{
    if (name)
        printf("%-*s ", width, name);
    else
        printf("%*u ", width, id);
}

static void print_long_line(const Entry *e, const Widths *w)
{
    if (options.show_inode)
        printf("%*llu ", w->inode, e->st.st_ino);
    char mode[11], size[32], date[64];
    mode_string(e->st.st_mode, mode);
    printf("%s %*u ", mode, w->links, e->st.st_nlink);
    print_id(e->st.st_uid, user_name(e->st.st_uid), w->owner);
    print_id(e->st.st_gid, group_name(e->st.st_gid), w->group);
    if (S_ISCHR(e->st.st_mode) || S_ISBLK(e->st.st_mode)) {
        int blanks = w->size - (w->major + 2 + w->minor);
        printf("%*u, %*u ", w->major + (blanks > 0 ? blanks : 0), major(e->st.st_rdev), w->minor,
               minor(e->st.st_rdev));
    } else {
        size_text(&e->st, size, sizeof size);
        printf("%*s ", w->size, size);
    }
    date_text(&e->st, date, sizeof date);
    printf("%s %s", date, e->name);
    if (S_ISLNK(e->st.st_mode)) {
        if (e->link_target) {
            printf(" -> %s", e->link_target);
            char c = options.classify && e->link_mode ? type_indicator(e->link_mode) : 0;
            if (c) putchar(c);
        }
    } else if (entry_indicator(e)) {
        putchar(entry_indicator(e));
    }
    putchar('\n');
}

static void print_total(const Entry *entries, int count)
{
    unsigned long long blocks = 0;   /* 512-byte units, shown as 1 KiB ones */
    for (int i = 0; i < count; i++)
        if (entries[i].have_stat)
            blocks += entries[i].st.st_blocks;
    if (options.human_sizes) {
        char text[HUMAN_SIZE_BYTES];
        format_human_size(blocks * 512, text);
        printf("total %s\n", text);
    } else {
        printf("total %llu\n", (blocks + 1) / 2);
    }
}

static void print_long(const Entry *entries, int count, int is_directory_listing)
{
    if (is_directory_listing)
        print_total(entries, count);
    Widths w = measure(entries, count);
    for (int i = 0; i < count; i++) {
        const Entry *e = &entries[i];
        if (e->have_stat) {
            print_long_line(e, &w);
            continue;
        }
        if (options.show_inode)
            printf("%*s ", w.inode, "?");
        printf("?????????? %*s %*s %*s %*s %12s %s\n", w.links, "?", w.owner, "?", w.group, "?", w.size, "?",
               "?", e->name);
    }
}

/* ---- names: one per line, or in columns ---- */

static int inode_width(const Entry *entries, int count)
{
    int width = 0;
    for (int i = 0; options.show_inode && i < count; i++)
        if (entries[i].have_stat && digits(entries[i].st.st_ino) > width)
            width = digits(entries[i].st.st_ino);
    return width;
}

static int name_length(const Entry *e, int inode_digits)
{
    return (options.show_inode ? inode_digits + 1 : 0) + (int)strlen(e->name) + (entry_indicator(e) ? 1 : 0);
}

static void print_name(const Entry *e, int inode_digits)
{
    if (options.show_inode) {
        if (e->have_stat)
            printf("%*llu ", inode_digits, e->st.st_ino);
        else
            printf("%*s ", inode_digits, "?");
    }
    fputs(e->name, stdout);
    if (entry_indicator(e))
        putchar(entry_indicator(e));
}

/* Blanks from column `from` to column `to`: tabs where a tab stop is
 * passed, then spaces. */
static void indent(int from, int to)
{
    while (from < to) {
        if (to / TAB_SIZE > (from + 1) / TAB_SIZE) {
            putchar('\t');
            from += TAB_SIZE - from % TAB_SIZE;
        } else {
            putchar(' ');
            from++;
        }
    }
}

/* Which column entry i falls into with `columns` columns. */
static int column_of(int i, int count, int columns)
{
    if (options.format == FORMAT_ACROSS)
        return i % columns;
    int rows = (count + columns - 1) / columns;
    return i / rows;
}

/* The most columns that fit; fills widths[0..result) (each with its gap). */
static int choose_columns(const Entry *entries, int count, int inode_digits, int *widths)
{
    int max_columns = options.line_width / MIN_COLUMN_WIDTH;
    if (max_columns < 1) max_columns = 1;
    if (max_columns > count) max_columns = count;
    for (int columns = max_columns; columns > 1; columns--) {
        int total = columns * MIN_COLUMN_WIDTH, fits = 1;
        for (int c = 0; c < columns; c++)
            widths[c] = MIN_COLUMN_WIDTH;
        for (int i = 0; i < count && fits; i++) {
            int c = column_of(i, count, columns);
            int length = name_length(&entries[i], inode_digits) + (c == columns - 1 ? 0 : 2);
            if (length > widths[c]) {
                total += length - widths[c];
                widths[c] = length;
                fits = total < options.line_width;
            }
        }
        /* Down then across may leave the last columns empty; coreutils
         * skips such a layout only by finding a wider one that fits. */
        if (fits)
            return columns;
    }
    widths[0] = 0;
    return 1;
}

static void print_columns(const Entry *entries, int count)
{
    int digits_of_inodes = inode_width(entries, count);
    int *widths = malloc(sizeof(int) * (size_t)(count + 1));
    if (!widths) {
        warn_errno("malloc");
        exit(2);
    }
    int columns = choose_columns(entries, count, digits_of_inodes, widths);
    int rows = (count + columns - 1) / columns;
    for (int row = 0; row < rows; row++) {
        int position = 0;
        for (int c = 0; c < columns; c++) {
            int i = options.format == FORMAT_ACROSS ? row * columns + c : row + c * rows;
            int next = options.format == FORMAT_ACROSS ? (c + 1 < columns ? i + 1 : count) : i + rows;
            print_name(&entries[i], digits_of_inodes);
            if (next >= count || c + 1 == columns)
                break;
            indent(position + name_length(&entries[i], digits_of_inodes), position + widths[c]);
            position += widths[c];
        }
        putchar('\n');
    }
    free(widths);
}

void print_entries(Entry *entries, int count, int is_directory_listing)
{
    if (options.format == FORMAT_LONG) {
        print_long(entries, count, is_directory_listing);
    } else if (options.format == FORMAT_ONE_PER_LINE || count == 0) {
        int digits_of_inodes = inode_width(entries, count);
        for (int i = 0; i < count; i++) {
            print_name(&entries[i], digits_of_inodes);
            putchar('\n');
        }
    } else {
        print_columns(entries, count);
    }
}
