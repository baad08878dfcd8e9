/* dd -- copies a file in blocks, as GNU dd does: operands NAME=VALUE
 * (if= of= bs= ibs= obs= count= skip= seek= conv= status=), then the
 * statistics on stderr:
 *     N+M records in          N full input blocks, M partial ones
 *     N+M records out         the same for output blocks
 *     X bytes (Y MB, Z MiB) copied, S s, R MB/s
 * With bs= every block read is written as it came (a short read makes a
 * short write); with ibs=/obs= the data is cut again into obs-sized blocks.
 * count= and skip= count input blocks, seek= output blocks. Without
 * conv=notrunc a regular output file is cut at the seek= offset, as GNU
 * does; conv=sync pads each short input block with zeros to ibs.
 * Sizes take GNU's suffixes: c (1), w (2), b (512), k/K/KiB M/MiB G/GiB
 * (powers of 1024), kB MB GB (of 1000), and products ("2x512").
 * Exit status 0, or 1 after any error (reported as "dd: ..."). */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *program_name = "dd";

struct options {
    const char *input, *output;                /* NULL: standard input/output */
    unsigned long long input_block, output_block;
    int block_size_given;                      /* bs=: no reblocking */
    unsigned long long count;                  /* input blocks; ~0: all */
    unsigned long long skip, seek;
    int notrunc, sync_pad;
    int status;                                /* 2 all, 1 noxfer, 0 none */
};

struct counts {
    unsigned long long full_in, partial_in, full_out, partial_out, bytes_out;
};

static int usage(FILE *out, int status)
{
    fputs("Usage: dd [OPERAND]...\n"
          "Copy a file, block by block, reporting what was copied on standard error.\n"
          "  if=FILE     read FILE instead of standard input\n"
          "  of=FILE     write FILE instead of standard output\n"
          "  bs=BYTES    read and write BYTES at a time (default 512)\n"
          "  ibs=BYTES   read BYTES at a time      obs=BYTES   write BYTES at a time\n"
          "  count=N     copy only N input blocks\n"
          "  skip=N      skip N input blocks first seek=N      skip N output blocks first\n"
          "  conv=notrunc,sync   do not truncate the output; pad short input blocks\n"
          "  status=none|noxfer|progress   what to report at the end\n"
          "BYTES and N may end in c w b K M G (1024) or kB MB GB (1000), and be products: 2x512.\n",
          out);
    return finish(status);
}

/* A number with an optional suffix; false when it is not one. */
static int parse_factor(const char *text, unsigned long long *value)
{
    static const struct { const char *suffix; unsigned long long factor; } suffixes[] = {
        {"", 1}, {"c", 1}, {"w", 2}, {"b", 512},
        {"k", 1024}, {"K", 1024}, {"KiB", 1024}, {"kB", 1000}, {"KB", 1000},
        {"M", 1024ULL * 1024}, {"MiB", 1024ULL * 1024}, {"MB", 1000ULL * 1000},
        {"G", 1024ULL * 1024 * 1024}, {"GiB", 1024ULL * 1024 * 1024}, {"GB", 1000ULL * 1000 * 1000},
        {"T", 1024ULL * 1024 * 1024 * 1024}, {"TB", 1000ULL * 1000 * 1000 * 1000},
    };
    if (*text < '0' || *text > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long long number = strtoull(text, &end, 10);
    if (errno != 0)
        return 0;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if (strcmp(end, suffixes[i].suffix) == 0) {
            unsigned long long factor = suffixes[i].factor;
            if (number != 0 && factor > ~0ULL / number)
                return 0;
            *value = number * factor;
            return 1;
        }
    }
    return 0;
}

/* "2x512x3": the product of the factors. */
static int parse_size(const char *text, unsigned long long *value)
{
    char piece[64];
    unsigned long long product = 1;
    for (;;) {
        const char *times = strchr(text, 'x');
        size_t length = times ? (size_t)(times - text) : strlen(text);
        if (length >= sizeof piece)
            return 0;
        memcpy(piece, text, length);
        piece[length] = '\0';
        unsigned long long factor;
        if (!parse_factor(piece, &factor) || (factor != 0 && product > ~0ULL / factor))
            return 0;
        product *= factor;
        if (!times)
            break;
        text = times + 1;
    }
    *value = product;
    return 1;
}

static int parse_conversions(const char *list, struct options *o)
{
    char copy[128];
    if (strlen(list) >= sizeof copy)
        return 0;
    strcpy(copy, list);
    for (char *word = copy, *next; word; word = next) {
        next = strchr(word, ',');
        if (next)
            *next++ = '\0';
        if (strcmp(word, "notrunc") == 0)
            o->notrunc = 1;
        else if (strcmp(word, "sync") == 0)
            o->sync_pad = 1;
        else {
            warn_message("invalid conversion: '%s'", word);
            return 0;
        }
    }
    return 1;
}

/* One NAME=VALUE operand; false after reporting what is wrong with it. */
static int parse_operand(const char *operand, struct options *o)
{
    const char *equals = strchr(operand, '=');
    if (!equals) {
        warn_message("unrecognized operand '%s'", operand);
        return 0;
    }
    size_t name_length = (size_t)(equals - operand);
    const char *value = equals + 1;
#define IS(name) (name_length == strlen(name) && strncmp(operand, name, name_length) == 0)
    if (IS("if")) { o->input = value; return 1; }
    if (IS("of")) { o->output = value; return 1; }
    if (IS("conv")) return parse_conversions(value, o);
    if (IS("status")) {
        if (strcmp(value, "none") == 0) o->status = 0;
        else if (strcmp(value, "noxfer") == 0) o->status = 1;
        else if (strcmp(value, "progress") == 0) o->status = 2;
        else { warn_message("invalid status level: '%s'", value); return 0; }
        return 1;
    }
    unsigned long long number;
    int is_size = IS("bs") || IS("ibs") || IS("obs");
    if (!IS("count") && !IS("skip") && !IS("seek") && !is_size) {
        warn_message("unrecognized operand '%s'", operand);
        return 0;
    }
    if (!parse_size(value, &number) || (is_size && (number == 0 || number > 256UL * 1024 * 1024))) {
        warn_message("invalid number: '%s'", value);
        return 0;
    }
    if (IS("bs")) { o->input_block = o->output_block = number; o->block_size_given = 1; }
    else if (IS("ibs")) o->input_block = number;
    else if (IS("obs")) o->output_block = number;
    else if (IS("count")) o->count = number;
    else if (IS("skip")) o->skip = number;
    else o->seek = number;
#undef IS
    return 1;
}

static const char *display_name(const char *name, int is_input)
{
    return name ? name : is_input ? "standard input" : "standard output";
}

/* Reads up to `size` bytes, retrying after signals; -1 on error. */
static long long read_block(int fd, char *buffer, unsigned long long size)
{
    for (;;) {
        ssize_t n = read(fd, buffer, (size_t)size);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

/* Writes all of it; false on error (errno set). */
static int write_all(int fd, const char *buffer, unsigned long long size)
{
    while (size > 0) {
        ssize_t n = write(fd, buffer, (size_t)size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        buffer += n;
        size -= (unsigned long long)n;
    }
    return 1;
}

/* Skips whole input blocks: by seeking when the input can, else by reading. */
static int skip_input(int fd, const struct options *o, char *buffer)
{
    unsigned long long bytes = o->skip * o->input_block;
    if (bytes == 0 || lseek64(fd, (off64_t)bytes, SEEK_CUR) >= 0)
        return 1;
    for (unsigned long long block = 0; block < o->skip; block++) {
        long long n = read_block(fd, buffer, o->input_block);
        if (n < 0) {
            warn_errno(display_name(o->input, 1));
            return 0;
        }
        if (n == 0)
            break;
    }
    return 1;
}

static unsigned long long seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (unsigned long long)(b->tv_sec - a->tv_sec) * 1000000000ULL + (unsigned long long)b->tv_nsec -
           (unsigned long long)a->tv_nsec;
}

/* GNU's human-readable amounts, rounded to the nearest: "5.2 MB", "105 MB",
 * "1.0 KiB", "10 B". One decimal below `decimal_below` (GNU: 10 for the
 * exact byte counts, 100 for the speeds, which it computes in floating point). */
static void human_amount(double amount, int base, int decimal_below, char *out, size_t size)
{
    const char *prefixes = base == 1024 ? "KMGTPE" : "kMGTPE";
    int exponent = 0;
    while (amount >= base && exponent < 6) {
        amount /= base;
        exponent++;
    }
    unsigned long long tenths = (unsigned long long)(amount * 10 + 0.5);
    unsigned long long whole = (unsigned long long)(amount + 0.5);
    if (whole >= (unsigned long long)base && exponent < 6) {   /* 999.7 kB is 1.0 MB */
        exponent++;
        tenths = 10;
    }
    if (exponent > 0 && tenths < (unsigned long long)decimal_below * 10)
        snprintf(out, size, "%llu.%llu %.*s%sB", tenths / 10, tenths % 10, 1, prefixes + exponent - 1,
                 base == 1024 ? "i" : "");
    else if (exponent > 0)
        snprintf(out, size, "%llu %.*s%sB", whole, 1, prefixes + exponent - 1, base == 1024 ? "i" : "");
    else
        snprintf(out, size, "%llu B", whole);
}

static void print_statistics(const struct options *o, const struct counts *c, unsigned long long nanoseconds)
{
    if (o->status == 0)
        return;
    fprintf(stderr, "%llu+%llu records in\n%llu+%llu records out\n", c->full_in, c->partial_in, c->full_out,
            c->partial_out);
    if (o->status == 1)
        return;
    char si[32], iec[32], speed[40];
    human_amount((double)c->bytes_out, 1000, 10, si, sizeof si);
    human_amount((double)c->bytes_out, 1024, 10, iec, sizeof iec);
    if (nanoseconds == 0)
        strcpy(speed, "Infinity B");
    else
        human_amount((double)c->bytes_out * 1e9 / (double)nanoseconds, 1000, 100, speed, sizeof speed);
    char seconds[32];
    snprintf(seconds, sizeof seconds, "%llu.%06llu s", nanoseconds / 1000000000ULL,
             nanoseconds % 1000000000ULL / 1000);
    if (c->bytes_out < 1000)   /* the amount has no prefix: bytes alone */
        fprintf(stderr, "%llu byte%s copied, %s, %s/s\n", c->bytes_out, c->bytes_out == 1 ? "" : "s", seconds,
                speed);
    else if (c->bytes_out < 1024)
        fprintf(stderr, "%llu bytes (%s) copied, %s, %s/s\n", c->bytes_out, si, seconds, speed);
    else
        fprintf(stderr, "%llu bytes (%s, %s) copied, %s, %s/s\n", c->bytes_out, si, iec, seconds, speed);
}

/* The copy itself; false after a reported read or write error. */
static int copy(int in, int out, const struct options *o, struct counts *c, char *input_buffer,
                char *output_buffer)
{
    unsigned long long pending = 0;   /* bytes waiting in output_buffer (reblocking) */
    const char *output_name = display_name(o->output, 0);
    for (unsigned long long blocks = 0; blocks < o->count; blocks++) {
        long long n = read_block(in, input_buffer, o->input_block);
        if (n < 0) {
            fprintf(stderr, "dd: error reading '%s': %s\n", display_name(o->input, 1), strerror(errno));
            return 0;
        }
        if (n == 0)
            break;
        if ((unsigned long long)n == o->input_block) {
            c->full_in++;
        } else {
            c->partial_in++;
            if (o->sync_pad) {
                memset(input_buffer + n, 0, (size_t)(o->input_block - (unsigned long long)n));
                n = (long long)o->input_block;
            }
        }
        if (o->block_size_given) {
            if (!write_all(out, input_buffer, (unsigned long long)n))
                goto write_error;
            if ((unsigned long long)n == o->output_block) c->full_out++; else c->partial_out++;
            c->bytes_out += (unsigned long long)n;
            continue;
        }
        for (long long used = 0; used < n;) {
            unsigned long long room = o->output_block - pending, piece = (unsigned long long)(n - used);
            if (piece > room)
                piece = room;
            memcpy(output_buffer + pending, input_buffer + used, (size_t)piece);
            pending += piece;
            used += (long long)piece;
            if (pending == o->output_block) {
                if (!write_all(out, output_buffer, pending))
                    goto write_error;
                c->full_out++;
                c->bytes_out += pending;
                pending = 0;
            }
        }
    }
    if (pending > 0) {
        if (!write_all(out, output_buffer, pending))
            goto write_error;
        c->partial_out++;
        c->bytes_out += pending;
    }
    return 1;
write_error:
    fprintf(stderr, "dd: error writing '%s': %s\n", output_name, strerror(errno));
    return 0;
}

/* Opens the output at its seek= offset, cut there unless conv=notrunc. */
static int open_output(const struct options *o)
{
    int out = STDOUT_FILENO;
    if (o->output) {
        out = open(o->output, O_WRONLY | O_CREAT, 0666);
        if (out < 0) {
            fprintf(stderr, "dd: failed to open '%s': %s\n", o->output, strerror(errno));
            return -1;
        }
    }
    unsigned long long offset = o->seek * o->output_block;
    struct stat st;
    if (o->output && !o->notrunc && fstat(out, &st) == 0 && S_ISREG(st.st_mode) &&
        ftruncate64(out, (off64_t)offset) < 0) {
        fprintf(stderr, "dd: failed to truncate to %llu bytes in output file '%s': %s\n", offset, o->output,
                strerror(errno));
        return -1;
    }
    if (offset > 0 && lseek64(out, (off64_t)offset, SEEK_CUR) < 0) {
        fprintf(stderr, "dd: '%s': cannot seek: %s\n", display_name(o->output, 0), strerror(errno));
        return -1;
    }
    return out;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    struct options o = {NULL, NULL, 512, 512, 0, ~0ULL, 0, 0, 0, 0, 2};
    for (int i = 1; i < argc; i++) {
        if (!parse_operand(argv[i], &o)) {
            suggest_help();
            return 1;
        }
    }
    int in = STDIN_FILENO;
    if (o.input && (in = open(o.input, O_RDONLY)) < 0) {
        fprintf(stderr, "dd: failed to open '%s': %s\n", o.input, strerror(errno));
        return 1;
    }
    char *input_buffer = malloc((size_t)o.input_block);
    char *output_buffer = o.block_size_given ? input_buffer : malloc((size_t)o.output_block);
    if (!input_buffer || !output_buffer) {
        warn_message("memory exhausted");
        return 1;
    }
    struct counts counts = {0, 0, 0, 0, 0};
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int out = open_output(&o);
    if (out < 0)
        return 1;
    int ok = skip_input(in, &o, input_buffer) && copy(in, out, &o, &counts, input_buffer, output_buffer);
    if (o.output && close(out) < 0 && ok) {
        fprintf(stderr, "dd: closing output file '%s': %s\n", o.output, strerror(errno));
        ok = 0;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    print_statistics(&o, &counts, seconds_between(&start, &end));
    return ok ? 0 : 1;
}
