/* hexdump -C -- the "canonical" hex+ASCII display of util-linux's hexdump,
 * byte for byte:
 *     00000000  68 65 78 64 75 6d 70 20  2d 43 20 73 68 6f 77 73  |hexdump -C shows|
 *     *                                  (lines equal to the one above)
 *     00000200                           (the offset after the last byte)
 * The FILEs (standard input without any) are one stream; -s OFFSET skips
 * into it and -n LENGTH stops after so many bytes. A file that cannot be
 * read is reported ("hexdump: NAME: reason") and skipped; exit status 1
 * then, with "all input file arguments failed" when none could be read.
 * Only the canonical format is implemented, so -C is required. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "hexdump";

#define LINE_BYTES 16

struct dump {
    unsigned long long offset;          /* of the next byte into the stream */
    unsigned long long skip, remaining; /* -s, and -n (~0: no limit) */
    unsigned char line[LINE_BYTES], previous[LINE_BYTES];
    int filled;                         /* bytes in line */
    int have_previous, starred;
};

static int usage(FILE *out, int status)
{
    fputs("Usage: hexdump -C [-s OFFSET] [-n LENGTH] [FILE]...\n"
          "Display the FILEs (or standard input) in hex and ASCII, 16 bytes a line.\n"
          "  -C         canonical hex+ASCII display (the one format implemented)\n"
          "  -s OFFSET  skip OFFSET bytes of the input first\n"
          "  -n LENGTH  display only LENGTH bytes\n",
          out);
    return finish(status);
}

static void print_line(const struct dump *d, unsigned long long line_offset)
{
    printf("%08llx ", line_offset);
    for (int i = 0; i < LINE_BYTES; i++) {
        if (i % 8 == 0)
            putchar(' ');
        if (i < d->filled)
            printf("%02x ", d->line[i]);
        else
            fputs("   ", stdout);
    }
    fputs(" |", stdout);
    for (int i = 0; i < d->filled; i++)
        putchar(d->line[i] >= 0x20 && d->line[i] < 0x7f ? d->line[i] : '.');
    fputs("|\n", stdout);
}

/* A full or final line: printed, or folded into "*" when it repeats the last. */
static void flush_line(struct dump *d)
{
    unsigned long long line_offset = d->offset - (unsigned long long)d->filled;
    if (d->filled == LINE_BYTES && d->have_previous && memcmp(d->line, d->previous, LINE_BYTES) == 0) {
        if (!d->starred)
            puts("*");
        d->starred = 1;
    } else {
        print_line(d, line_offset);
        d->starred = 0;
    }
    memcpy(d->previous, d->line, LINE_BYTES);
    d->have_previous = d->filled == LINE_BYTES;
    d->filled = 0;
}

static void take_bytes(struct dump *d, const unsigned char *bytes, size_t count)
{
    for (size_t i = 0; i < count && d->remaining > 0; i++) {
        if (d->skip > 0) {
            d->skip--;
            d->offset++;
            continue;
        }
        d->line[d->filled++] = bytes[i];
        d->offset++;
        d->remaining--;
        if (d->filled == LINE_BYTES)
            flush_line(d);
    }
}

/* 0 when the file was read, 1 after reporting why not. */
static int dump_file(struct dump *d, const char *name)
{
    static unsigned char buffer[64 * 1024];
    int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
    if (fd < 0) {
        warn_errno(name);
        return 1;
    }
    int status = 0;
    while (d->remaining > 0) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            warn_errno(name);
            status = 1;
            break;
        }
        if (n == 0)
            break;
        take_bytes(d, buffer, (size_t)n);
    }
    if (fd != STDIN_FILENO)
        close(fd);
    return status;
}

static int parse_count(const char *text, unsigned long long *value)
{
    char *end;
    errno = 0;
    *value = strtoull(text, &end, 0);   /* 0x.. and 0.. as hexdump takes them */
    if (errno == 0 && end != text && *end == '\0' && text[0] != '-')
        return 1;
    warn_message("invalid number: '%s'", text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    struct dump d;
    memset(&d, 0, sizeof d);
    d.remaining = ~0ULL;
    int canonical = 0, c;
    while ((c = getopt(argc, argv, "Cn:s:")) != -1) {
        if (c == 'C')
            canonical = 1;
        else if (c == 'n' && !parse_count(optarg, &d.remaining))
            return 1;
        else if (c == 's' && !parse_count(optarg, &d.skip))
            return 1;
        else if (c == '?')
            return usage(stderr, 1);
    }
    if (!canonical) {
        warn_message("only the canonical format (-C) is implemented");
        return usage(stderr, 1);
    }
    int failures = 0, files = argc - optind;
    if (files == 0)
        failures = dump_file(&d, "-");
    for (int i = optind; i < argc; i++)
        failures += dump_file(&d, argv[i]);
    if (files > 0 && failures == files) {
        warn_message("all input file arguments failed");
        return finish(1);
    }
    if (d.filled > 0)
        flush_line(&d);
    if (d.offset > 0 || d.skip > 0)
        printf("%08llx\n", d.offset);
    return finish(failures ? 1 : 0);
}
