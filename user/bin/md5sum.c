/* md5sum -- prints or checks MD5 digests (RFC 1321, user/lib/md5.c), in
 * GNU coreutils' format: "HASH  NAME" per FILE (standard input for "-" or
 * no FILE), "HASH *NAME" with -b. A name holding a backslash or a newline
 * is written escaped (\\ and \n) after a leading backslash, as GNU does.
 * With -c each FILE is a list of such lines: every file named is hashed
 * again and reported "NAME: OK" or "NAME: FAILED"; warnings at the end
 * count mismatches, unreadable files and malformed lines.
 * Exit status 0, or 1 when a file could not be read or a check failed. */
#include <errno.h>
#include <fcntl.h>
#include <md5.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "md5sum";

static char buffer[64 * 1024];

static int usage(FILE *out, int status)
{
    fputs("Usage: md5sum [-b] [FILE]...\n"
          "  or:  md5sum -c [FILE]...\n"
          "Print or check MD5 (128-bit) checksums. With no FILE, or when FILE is -,\n"
          "read standard input.\n"
          "  -b  mark the files as read in binary mode (\"*\" before the name)\n"
          "  -c  read checksums from the FILEs and check them\n",
          out);
    return finish(status);
}

/* The digest of one file as 32 hex digits; false after reporting why not. */
static int hash_file(const char *name, char hex[2 * MD5_DIGEST_SIZE + 1])
{
    int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
    if (fd < 0) {
        warn_errno(name);
        return 0;
    }
    struct md5_context context;
    md5_init(&context);
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            warn_errno(name);
            if (fd != STDIN_FILENO)
                close(fd);
            return 0;
        }
        if (n == 0)
            break;
        md5_update(&context, buffer, (size_t)n);
    }
    if (fd != STDIN_FILENO)
        close(fd);
    unsigned char digest[MD5_DIGEST_SIZE];
    md5_final(&context, digest);
    for (int i = 0; i < MD5_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return 1;
}

static void print_name_escaped(const char *name)
{
    for (; *name; name++) {
        if (*name == '\\')
            fputs("\\\\", stdout);
        else if (*name == '\n')
            fputs("\\n", stdout);
        else
            putchar(*name);
    }
}

static int print_digest(const char *name, int binary)
{
    char hex[2 * MD5_DIGEST_SIZE + 1];
    if (!hash_file(name, hex))
        return 1;
    int escape = strchr(name, '\\') != NULL || strchr(name, '\n') != NULL;
    printf("%s%s %c", escape ? "\\" : "", hex, binary ? '*' : ' ');
    if (escape)
        print_name_escaped(name);
    else
        fputs(name, stdout);
    putchar('\n');
    return 0;
}

/* Undoes print_name_escaped in place; false for a bad escape. */
static int unescape(char *name)
{
    char *out = name;
    for (char *in = name; *in; in++) {
        if (*in != '\\') {
            *out++ = *in;
            continue;
        }
        in++;
        if (*in == '\\')
            *out++ = '\\';
        else if (*in == 'n')
            *out++ = '\n';
        else
            return 0;
    }
    *out = '\0';
    return 1;
}

struct check_totals {
    int mismatched, unreadable, malformed, good_lines;
};

/* One "HASH  NAME" line of a check file. */
static void check_line(char *line, struct check_totals *totals)
{
    int escaped = line[0] == '\\';
    if (escaped)
        line++;
    for (int i = 0; i < 2 * MD5_DIGEST_SIZE; i++) {
        char c = line[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            totals->malformed++;
            return;
        }
    }
    char *separator = line + 2 * MD5_DIGEST_SIZE;
    if (separator[0] != ' ' || (separator[1] != ' ' && separator[1] != '*') || separator[2] == '\0' ||
        (escaped && !unescape(separator + 2))) {
        totals->malformed++;
        return;
    }
    const char *name = separator + 2;
    totals->good_lines++;
    char hex[2 * MD5_DIGEST_SIZE + 1];
    if (!hash_file(name, hex)) {
        printf("%s: FAILED open or read\n", name);
        totals->unreadable++;
        return;
    }
    int same = 1;
    for (int i = 0; i < 2 * MD5_DIGEST_SIZE; i++) {
        char expected = line[i] >= 'A' && line[i] <= 'F' ? (char)(line[i] - 'A' + 'a') : line[i];
        same = same && expected == hex[i];
    }
    printf("%s: %s\n", name, same ? "OK" : "FAILED");
    if (!same)
        totals->mismatched++;
}

static int check_file(const char *list_name)
{
    FILE *list = strcmp(list_name, "-") == 0 ? stdin : fopen(list_name, "r");
    if (!list) {
        warn_errno(list_name);
        return 1;
    }
    struct check_totals totals = {0, 0, 0, 0};
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    while ((length = getline(&line, &capacity, list)) > 0) {
        if (line[length - 1] == '\n')
            line[--length] = '\0';
        check_line(line, &totals);
    }
    free(line);
    if (list != stdin)
        fclose(list);
    const char *shown = strcmp(list_name, "-") == 0 ? "standard input" : list_name;
    if (totals.good_lines == 0) {
        warn_message("%s: no properly formatted MD5 checksum lines found", shown);
        return 1;
    }
    fflush(stdout);
    if (totals.malformed)
        warn_message("WARNING: %d line%s improperly formatted", totals.malformed,
                     totals.malformed == 1 ? " is" : "s are");
    if (totals.unreadable)
        warn_message("WARNING: %d listed file%s could not be read", totals.unreadable,
                     totals.unreadable == 1 ? "" : "s");
    if (totals.mismatched)
        warn_message("WARNING: %d computed checksum%s did NOT match", totals.mismatched,
                     totals.mismatched == 1 ? "" : "s");
    return totals.mismatched || totals.unreadable ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int check = 0, binary = 0, c;
    while ((c = getopt(argc, argv, "bct")) != -1) {
        if (c == 'c')
            check = 1;
        else if (c == 'b')
            binary = 1;
        else if (c == 't')
            binary = 0;
        else
            return usage(stderr, 1);
    }
    int status = 0;
    if (optind == argc) {
        status = check ? check_file("-") : print_digest("-", binary);
        return finish(status);
    }
    for (int i = optind; i < argc; i++)
        status |= check ? check_file(argv[i]) : print_digest(argv[i], binary);
    return finish(status);
}
