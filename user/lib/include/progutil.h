/* progutil.h -- what every program in user/bin/ shares (progutil.c):
 * its name for messages, the "NAME: WHAT: reason" error format, and the
 * final flush of stdout that turns a write error into exit status 1.
 * Convention for all programs: exit 0 on success, 1 on a runtime error,
 * 2 on a usage error (unknown option, missing operand), like coreutils' ls. */
#ifndef _PROGUTIL_H
#define _PROGUTIL_H
#include <stdio.h>

extern const char *program_name;
/* Prints "NAME: WHAT: strerror(errno)" to stderr. */
void warn_errno(const char *what);
/* Prints "NAME: MESSAGE" (printf format) to stderr. */
void warn_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints GNU's "Try 'NAME --help' for more information." to stderr. */
void suggest_help(void);
/* cp and mv: SOURCE... DESTINATION. False, after saying what is missing
 * in GNU's words and suggesting --help, when there are fewer than two. */
int have_source_and_destination(int count, char **operands);
/* Flushes stdout; on error says "NAME: write error: reason" and returns 1,
 * else returns status. Call as `return finish(status);` from main. */
int finish(int status);
/* "drwxr-xr-x": the file type letter and the nine permission bits (with
 * setuid, setgid and sticky shown as ls shows them). */
void mode_string(unsigned mode, char out[11]);
/* "DIRECTORY/NAME" in malloc'd memory, with no doubled slash when
 * directory already ends in one (NULL when out of memory). */
char *join_path(const char *directory, const char *name);
/* join_path(directory, last name of path), trailing slashes of path
 * ignored: where "cp/mv/ln PATH DIRECTORY" put PATH. */
char *path_in_directory(const char *directory, const char *path);
/* bytes as coreutils' -h shows them (df, du): powers of 1024, rounded up,
 * one decimal below 10: "512", "4.0K", "9.5M", "252G". */
#define HUMAN_SIZE_BYTES 32
void format_human_size(unsigned long long bytes, char out[HUMAN_SIZE_BYTES]);
/* head and tail: [-c N | -n N] [-q | -v] [FILE...], as coreutils reads
 * them. `sign` is the character before N when it is one of `signs` ('+'
 * or '-'; 0 for none); N is 10 lines by default; with_header is -v, not
 * -q, or else "several files"; names is {"-"} when no FILE is given.
 * Returns 0; 1 after saying a number is invalid; 2 for an unknown option
 * (the caller prints its usage). */
struct count_options {
    unsigned long long count;
    int count_lines;  /* else bytes */
    char sign;
    int with_header;
    int name_count;
    char **names;
};
int parse_count_options(int argc, char **argv, const char *signs, struct count_options *out);
/* head and tail: opens FILE ("-": standard input) and, with_header, prints
 * coreutils' "==> NAME <==" (after a blank line unless *first). Returns the
 * descriptor, or -1 after saying it cannot be opened. shown_name() is the
 * name the messages use ("standard input" for "-"). */
int open_counted_file(const char *name, int with_header, int *first);
const char *shown_name(const char *name);
/* Reads fd to its end into *data (malloc'd; the caller frees it); returns
 * the size, or -1 with errno set (nothing to free). For head and tail,
 * which must see the end of a pipe before they know what to print. */
long long read_all(int fd, char **data);
/* Where the last `count` lines of data[0..size) begin (a final line
 * without a newline counts as a line); size when count is 0. */
size_t start_of_last_lines(const char *data, size_t size, unsigned long long count);
#endif
