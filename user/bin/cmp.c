/* cmp -- compares two files byte by byte, in GNU diffutils' words:
 *     A B differ: char N, line L            the first difference (stdout;
 *                                           "char", as GNU says it in the C locale)
 *     cmp: EOF on B after byte N, line L    B is a prefix of A (stderr);
 *                                           ", in line L" when B ends inside a line
 *     cmp: EOF on B which is empty
 * -l lists every differing byte ("offset octal octal", offsets padded to
 * the width of the shorter regular file's size); -s says nothing. FILE2
 * defaults to standard input, as does "-".
 * Exit status 0 same, 1 different (or one is shorter), 2 trouble. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "cmp";

enum mode { FIRST_DIFFERENCE, LIST_ALL, SILENT };

struct input {
    const char *name;
    int fd;
    unsigned char buffer[32 * 1024];
    ssize_t length, position;   /* bytes in buffer, next to hand out */
};

static struct input inputs[2];

static int usage(FILE *out, int status)
{
    fputs("Usage: cmp [-l | -s] FILE1 [FILE2]\n"
          "Compare two files byte by byte; FILE2 (or a FILE given as -) is standard input.\n"
          "  -l  print the byte number (decimal) and the differing bytes (octal) of every difference\n"
          "  -s  print nothing; only the exit status tells\n"
          "Exit status: 0 if the files are the same, 1 if they differ, 2 on trouble.\n",
          out);
    return finish(status);
}

/* The next byte, -1 at the end, -2 after a (reported) read error. */
static int next_byte(struct input *in)
{
    if (in->position == in->length) {
        ssize_t n;
        do
            n = read(in->fd, in->buffer, sizeof in->buffer);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            warn_errno(in->name);
            return -2;
        }
        if (n == 0)
            return -1;
        in->length = n;
        in->position = 0;
    }
    return in->buffer[in->position++];
}

static int open_input(struct input *in, const char *name)
{
    in->name = name;
    in->fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
    if (in->fd < 0)
        warn_errno(name);
    return in->fd >= 0;
}

/* Width of -l's offsets: the digits of the smaller size when both are regular files. */
static int offset_width(void)
{
    struct stat first, second;
    unsigned long long largest = ~0ULL >> 1;
    if (fstat(inputs[0].fd, &first) == 0 && fstat(inputs[1].fd, &second) == 0 && S_ISREG(first.st_mode) &&
        S_ISREG(second.st_mode))
        largest = (unsigned long long)(first.st_size < second.st_size ? first.st_size : second.st_size);
    int width = 1;
    while (largest /= 10)
        width++;
    return width;
}

static void report_eof(const struct input *shorter, enum mode mode, unsigned long long bytes,
                       unsigned long long newlines, int last)
{
    if (mode == SILENT)
        return;
    fflush(stdout);
    if (bytes == 0)
        fprintf(stderr, "cmp: EOF on %s which is empty\n", shorter->name);
    else if (mode == LIST_ALL)
        fprintf(stderr, "cmp: EOF on %s after byte %llu\n", shorter->name, bytes);
    else if (last == '\n')
        fprintf(stderr, "cmp: EOF on %s after byte %llu, line %llu\n", shorter->name, bytes, newlines);
    else
        fprintf(stderr, "cmp: EOF on %s after byte %llu, in line %llu\n", shorter->name, bytes, newlines + 1);
}

static int compare(enum mode mode)
{
    int width = mode == LIST_ALL ? offset_width() : 0;
    unsigned long long offset = 0, newlines = 0;
    int differed = 0, last = -1;
    for (;;) {
        int a = next_byte(&inputs[0]), b = next_byte(&inputs[1]);
        if (a == -2 || b == -2)
            return 2;
        if (a == -1 && b == -1)
            return differed;
        if (a == -1 || b == -1) {
            report_eof(&inputs[a == -1 ? 0 : 1], mode, offset, newlines, last);
            return 1;
        }
        offset++;
        if (a != b) {
            if (mode == SILENT)
                return 1;
            if (mode == FIRST_DIFFERENCE) {
                printf("%s %s differ: char %llu, line %llu\n", inputs[0].name, inputs[1].name, offset,
                       newlines + 1);
                return 1;
            }
            printf("%*llu %3o %3o\n", width, offset, a, b);
            differed = 1;
        }
        if (a == '\n')
            newlines++;
        last = a;
    }
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    enum mode mode = FIRST_DIFFERENCE;
    int c;
    while ((c = getopt(argc, argv, "ls")) != -1) {
        if (c == 'l')
            mode = LIST_ALL;
        else if (c == 's')
            mode = SILENT;
        else
            return usage(stderr, 2);
    }
    int operands = argc - optind;
    if (operands < 1 || operands > 2) {
        warn_message(operands < 1 ? "missing operand after '%s'" : "extra operand '%s'",
                     operands < 1 ? argv[argc - 1] : argv[optind + 2]);
        fputs("cmp: Try 'cmp --help' for more information.\n", stderr);
        return 2;
    }
    const char *second = operands == 2 ? argv[optind + 1] : "-";
    if (!open_input(&inputs[0], argv[optind]) || !open_input(&inputs[1], second))
        return 2;
    int status = compare(mode);
    return finish(status);
}
