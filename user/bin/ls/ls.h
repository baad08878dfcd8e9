/* ls.h -- what the parts of ls share (user/bin/ls/): its options, one
 * listed entry, and the two printers.
 *   main.c    options, operands, reading and sorting directories, -R
 *   output.c  the long format (-l, -n, -h, -i), one per line, columns, -F
 * Layer: user program. Must stay true: entries reach the printers sorted,
 * and a printer sees one group (the file operands, or one directory) at a
 * time, so its column widths are that group's, as coreutils computes them. */
#ifndef LS_H
#define LS_H
#include <sys/stat.h>
#include <time.h>

enum listing_format { FORMAT_LONG, FORMAT_ONE_PER_LINE, FORMAT_COLUMNS, FORMAT_ACROSS };
enum sort_key { SORT_NAME, SORT_SIZE, SORT_TIME };
enum hidden_files { HIDE_DOTS, SHOW_ALMOST_ALL, SHOW_ALL };

struct ls_options {
    enum listing_format format;
    enum sort_key sort;
    enum hidden_files hidden;
    int reverse, recursive, directories_as_files, human_sizes, show_inode, classify, numeric_ids;
    int line_width;            /* for the column formats */
    struct timespec now;       /* for "recent" dates */
};
extern struct ls_options options;

typedef struct {
    char *name;            /* as printed */
    char *path;            /* for lstat/readlink */
    struct stat st;
    int have_stat;
    char *link_target;     /* long format: what a symbolic link says */
    unsigned link_mode;    /* the type and mode of what it points to; 0 when dangling */
} Entry;

/* Prints entries[0..count) in the chosen format; `is_directory_listing`
 * adds the long format's "total" line. */
void print_entries(Entry *entries, int count, int is_directory_listing);
#endif
