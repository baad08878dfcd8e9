/* tail -- prints the last part of each FILE (or standard input for "-"
 * or no FILE).
 *   -n N   the last N lines (default 10); -n +N from line N on
 *   -c N   the last N bytes;               -c +N from byte N on
 *   -q     never print headers             -v  always print headers
 * Each input is read whole into memory first, then its end is found:
 * simple, and right for pipes too. With more than one FILE each part is
 * preceded by "==> FILE <==" and, but for the first, an empty line, as
 * coreutils does. Errors as coreutils: "tail: cannot open 'X' for reading:
 * reason", "tail: error reading 'X': reason"; exit status 1. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "tail";

static int usage(FILE *out, int status)
{
    fputs("Usage: tail [-c [+]N | -n [+]N] [-q | -v] [FILE]...\n"
          "Print the last 10 lines of each FILE to standard output.\n"
          "With more than one FILE, precede each with a header giving the file name.\n"
          "With no FILE, or when FILE is -, read standard input.\n"
          "  -c [+]N  print the last N bytes; or from byte N on with +N\n"
          "  -n [+]N  print the last N lines; or from line N on with +N\n"
          "  -q       never print headers giving file names\n"
          "  -v       always print headers giving file names\n", out);
    return finish(status);
}

/* Where the part to print starts in data[0..size). */
static size_t start_of_tail(const char *data, size_t size, const struct count_options *options)
{
    unsigned long long count = options->count;
    if (!options->count_lines) {
        if (options->sign == '+')
            return count == 0 ? 0 : (count - 1 < size ? (size_t)(count - 1) : size);
        return count < size ? size - (size_t)count : 0;
    }
    if (options->sign == '+') {
        size_t position = 0;
        for (unsigned long long line = 1; line < count && position < size; position++)
            if (data[position] == '\n')
                line++;
        return position;
    }
    return start_of_last_lines(data, size, count);
}

/* Returns 0, 1 (reported; go on), or -1 (reported; stop). */
static int tail_file(const char *name, const struct count_options *options, int with_header,
                     int *first)
{
    int is_stdin = strcmp(name, "-") == 0;
    const char *shown = shown_name(name);
    int fd = open_counted_file(name, with_header, first);
    if (fd < 0)
        return 1;
    char *data = NULL;
    long long size = read_all(fd, &data);
    int status = 0;
    if (size < 0) {
        fflush(stdout);
        warn_message("error reading '%s': %s", shown, strerror(errno));
        /* As coreutils: a read error ends tail where it copies everything
         * from some point on ("-c", "-n +0", "-n +1"); where it looks for
         * lines first it goes on with the next file. */
        int copies_rest = !options->count_lines || (options->sign == '+' && options->count <= 1);
        status = copies_rest ? -1 : 1;
    } else {
        size_t start = start_of_tail(data, (size_t)size, options);
        fwrite(data + start, 1, (size_t)size - start, stdout);
        free(data);
    }
    if (!is_stdin)
        close(fd);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    struct count_options options;   /* sign '+': from the Nth line or byte on */
    int parsed = parse_count_options(argc, argv, "+-", &options);
    if (parsed == 2)
        return usage(stderr, 1);
    if (parsed != 0)
        return 1;
    /* As coreutils: the last 0 lines or bytes of anything are nothing, so
     * no file is even opened. */
    if (options.count == 0 && options.sign != '+')
        return 0;
    int status = 0, first = 1;
    for (int i = 0; i < options.name_count; i++) {
        int result = tail_file(options.names[i], &options, options.with_header, &first);
        if (result < 0)
            return finish(1);
        status |= result;
    }
    return finish(status);
}
