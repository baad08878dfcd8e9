/* wc -- counts the newlines, words and bytes of each FILE (or standard
 * input for "-" or no FILE), with a "total" line for more than one FILE.
 *   -l  count lines     -w  count words     -c  count bytes
 * Without options all three, in that order. Words as coreutils counts them
 * in the C locale: a word is a run of printable characters between
 * whitespace; other bytes neither start nor end a word.
 * Columns as coreutils': every number right-aligned to one width, the
 * digits of the total size of the regular files, at least 7 when an
 * input is not a regular file (a pipe), and 1 for one count of one file.
 * A file that cannot be read: "wc: FILE: reason", exit status 1. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "wc";

struct counts {
    unsigned long long lines, words, bytes;
};

static int show_lines, show_words, show_bytes;

static int usage(FILE *out, int status)
{
    fputs("Usage: wc [-c] [-l] [-w] [FILE]...\n"
          "Print newline, word, and byte counts for each FILE, and a total line if\n"
          "more than one FILE is specified. With no FILE, or when FILE is -,\n"
          "read standard input.\n"
          "  -c  print the byte counts\n"
          "  -l  print the newline counts\n"
          "  -w  print the word counts\n", out);
    return finish(status);
}

/* Returns 0, or -1 with errno set by read. */
static int count_input(int fd, struct counts *counts)
{
    static unsigned char block[64 * 1024];
    int in_word = 0;
    for (;;) {
        ssize_t n = read(fd, block, sizeof block);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        counts->bytes += (unsigned long long)n;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = block[i];
            if (c == '\n')
                counts->lines++;
            if (isspace(c)) {
                counts->words += (unsigned long long)in_word;
                in_word = 0;
            } else if (isprint(c)) {
                in_word = 1;
            }
        }
    }
    counts->words += (unsigned long long)in_word;
    return 0;
}

/* The column width coreutils chooses before reading anything. */
static int number_width(int count, char **names)
{
    if (count == 1 && show_lines + show_words + show_bytes == 1)
        return 1;
    int width = 1, minimum = 1;
    unsigned long long regular_total = 0;
    for (int i = 0; i < count; i++) {
        struct stat st;
        int found = strcmp(names[i], "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(names[i], &st);
        if (found < 0)
            continue;
        if (S_ISREG(st.st_mode))
            regular_total += (unsigned long long)st.st_size;
        else
            minimum = 7;
    }
    for (; regular_total >= 10; regular_total /= 10)
        width++;
    return width < minimum ? minimum : width;
}

static void print_counts(const struct counts *counts, int width, const char *name)
{
    const char *separator = "";
    if (show_lines) {
        printf("%*llu", width, counts->lines);
        separator = " ";
    }
    if (show_words) {
        printf("%s%*llu", separator, width, counts->words);
        separator = " ";
    }
    if (show_bytes)
        printf("%s%*llu", separator, width, counts->bytes);
    if (name)
        printf(" %s", name);
    putchar('\n');
}

/* Counts one operand into total and prints its line; returns 0 or 1. */
static int count_file(const char *name, int width, int print_name, struct counts *total)
{
    int is_stdin = strcmp(name, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY);
    if (fd < 0) {
        warn_errno(name);
        return 1;
    }
    struct counts counts = { 0, 0, 0 };
    int status = 0;
    if (count_input(fd, &counts) < 0) {
        warn_errno(name);       /* a directory still gets its line of zeros */
        status = 1;
    }
    if (!is_stdin)
        close(fd);
    print_counts(&counts, width, print_name ? name : NULL);
    total->lines += counts.lines;
    total->words += counts.words;
    total->bytes += counts.bytes;
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "clw")) != -1) {
        if (c == 'c')
            show_bytes = 1;
        else if (c == 'l')
            show_lines = 1;
        else if (c == 'w')
            show_words = 1;
        else
            return usage(stderr, 1);
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = 1;
    static char *standard_input[] = { "-" };
    int count = argc - optind;
    char **names = count > 0 ? argv + optind : standard_input;
    int print_names = count > 0;
    if (count == 0)
        count = 1;
    int width = number_width(count, names);
    struct counts total = { 0, 0, 0 };
    int status = 0;
    for (int i = 0; i < count; i++)
        status |= count_file(names[i], width, print_names, &total);
    if (count > 1)
        print_counts(&total, width, "total");
    return finish(status);
}
