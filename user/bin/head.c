/* head -- prints the first part of each FILE (or standard input for "-"
 * or no FILE).
 *   -n N  the first N lines (default 10); -n -N all but the last N lines
 *   -c N  the first N bytes;               -c -N all but the last N bytes
 *   -q    never print headers      -v  always print headers
 * With more than one FILE each part is preceded by "==> FILE <==" and, but
 * for the first, an empty line, as coreutils does. Errors as coreutils:
 * "head: cannot open 'X' for reading: reason", "head: error reading 'X':
 * reason"; exit status 1. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "head";

static int usage(FILE *out, int status)
{
    fputs("Usage: head [-c [-]N | -n [-]N] [-q | -v] [FILE]...\n"
          "Print the first 10 lines of each FILE to standard output.\n"
          "With more than one FILE, precede each with a header giving the file name.\n"
          "With no FILE, or when FILE is -, read standard input.\n"
          "  -c [-]N  print the first N bytes of each file; with -N, all but the last N\n"
          "  -n [-]N  print the first N lines instead of the first 10; with -N, all but\n"
          "           the last N lines\n"
          "  -q    never print headers giving file names\n"
          "  -v    always print headers giving file names\n", out);
    return finish(status);
}

/* Copies the first `limit` lines (or bytes) of fd to stdout; returns 0, or
 * -1 with errno set by read. */
static int copy_start(int fd, unsigned long long limit, int count_lines)
{
    static char block[64 * 1024];
    while (limit > 0) {
        ssize_t n = read(fd, block, sizeof block);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        size_t take = (size_t)n;
        if (count_lines) {
            for (size_t i = 0; i < (size_t)n; i++)
                if (block[i] == '\n' && --limit == 0) {
                    take = i + 1;
                    break;
                }
        } else if ((unsigned long long)n > limit) {
            take = (size_t)limit;
            limit = 0;
        } else {
            limit -= (unsigned long long)n;
        }
        fwrite(block, 1, take, stdout);
    }
    return 0;
}

/* All but the last `count` lines (or bytes) of fd: read whole, since where
 * the end is is known only at the end. Returns 0, or -1 with errno set. */
static int copy_all_but_end(int fd, unsigned long long count, int count_lines)
{
    char *data;
    long long size = read_all(fd, &data);
    if (size < 0)
        return -1;
    size_t end;
    if (count_lines)
        end = start_of_last_lines(data, (size_t)size, count);
    else
        end = count < (unsigned long long)size ? (size_t)size - (size_t)count : 0;
    fwrite(data, 1, end, stdout);
    free(data);
    return 0;
}

static int head_file(const char *name, const struct count_options *options, int with_header,
                     int *first)
{
    int is_stdin = strcmp(name, "-") == 0;
    const char *shown = shown_name(name);
    int fd = open_counted_file(name, with_header, first);
    if (fd < 0)
        return 1;
    int status = 0;
    /* "-N": all but the last N. */
    int result = options->sign == '-' ? copy_all_but_end(fd, options->count, options->count_lines)
                                      : copy_start(fd, options->count, options->count_lines);
    if (result < 0) {
        fflush(stdout);
        warn_message("error reading '%s': %s", shown, strerror(errno));
        status = 1;
    }
    if (!is_stdin)
        close(fd);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    struct count_options options;
    int parsed = parse_count_options(argc, argv, "-", &options);
    if (parsed == 2)
        return usage(stderr, 1);
    if (parsed != 0)
        return 1;
    int status = 0, first = 1;
    for (int i = 0; i < options.name_count; i++)
        status |= head_file(options.names[i], &options, options.with_header, &first);
    return finish(status);
}
