/* progutil.c -- helpers shared by the programs in user/bin/ (see progutil.h).
 * Must stay true: every error message has the form "NAME: WHAT: reason",
 * and finish() reports a failed final flush of stdout instead of ignoring it. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void warn_errno(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", program_name, what, strerror(errno));
}

void warn_message(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", program_name, line);
}

int finish(int status)
{
    if (fflush(stdout) == EOF || ferror(stdout)) {
        int cause = ferror_number(stdout) ? ferror_number(stdout) : errno;
        fprintf(stderr, "%s: write error: %s\n", program_name, strerror(cause));
        return 1;
    }
    return status;
}

void mode_string(unsigned mode, char out[11])
{
    const char *types = "?pc?d?b?-?l?s???";   /* indexed by (mode & S_IFMT) >> 12 */
    out[0] = types[(mode & S_IFMT) >> 12];
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        out[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
    if (mode & S_ISUID) out[3] = (mode & 0100) ? 's' : 'S';
    if (mode & S_ISGID) out[6] = (mode & 0010) ? 's' : 'S';
    if (mode & S_ISVTX) out[9] = (mode & 0001) ? 't' : 'T';
    out[10] = '\0';
}

char *join_path(const char *directory, const char *name)
{
    size_t dir_length = strlen(directory), name_length = strlen(name);
    int needs_slash = dir_length > 0 && directory[dir_length - 1] != '/';
    char *path = malloc(dir_length + needs_slash + name_length + 1);
    if (!path)
        return NULL;
    memcpy(path, directory, dir_length);
    if (needs_slash)
        path[dir_length++] = '/';
    memcpy(path + dir_length, name, name_length + 1);
    return path;
}

char *path_in_directory(const char *directory, const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    char *name = strndup(path + start, end - start);
    if (!name)
        return NULL;
    char *joined = join_path(directory, name);
    free(name);
    return joined;
}

void format_human_size(unsigned long long bytes, char out[HUMAN_SIZE_BYTES])
{
    static const char units[] = "KMGTPE";
    if (bytes < 1024) {
        snprintf(out, HUMAN_SIZE_BYTES, "%llu", bytes);
        return;
    }
    int exponent = 1;
    unsigned long long scale = 1024;
    while (bytes / scale >= 1024 && exponent < 6) {
        scale *= 1024;
        exponent++;
    }
    unsigned long long tenths = (bytes * 10 + scale - 1) / scale;   /* bytes < 2^60 */
    if (tenths < 100) {
        snprintf(out, HUMAN_SIZE_BYTES, "%llu.%llu%c", tenths / 10, tenths % 10, units[exponent - 1]);
        return;
    }
    unsigned long long whole = (bytes + scale - 1) / scale;
    if (whole >= 1024 && exponent < 6)
        snprintf(out, HUMAN_SIZE_BYTES, "1.0%c", units[exponent]);
    else
        snprintf(out, HUMAN_SIZE_BYTES, "%llu%c", whole, units[exponent - 1]);
}

long long read_all(int fd, char **data)
{
    size_t size = 0, capacity = 64 * 1024;
    char *buffer = malloc(capacity);
    for (;;) {
        if (!buffer) {
            errno = ENOMEM;
            return -1;
        }
        if (size == capacity) {
            char *bigger = realloc(buffer, capacity * 2);
            if (!bigger)
                free(buffer);
            buffer = bigger;
            capacity *= 2;
            continue;
        }
        ssize_t n = read(fd, buffer + size, capacity - size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(buffer);
            return -1;
        }
        if (n == 0)
            break;
        size += (size_t)n;
    }
    *data = buffer;
    return (long long)size;
}

size_t start_of_last_lines(const char *data, size_t size, unsigned long long count)
{
    if (count == 0)
        return size;
    size_t position = size;
    if (position > 0 && data[position - 1] == '\n')
        position--;   /* the final newline ends the last line, it starts none */
    while (position > 0) {
        if (data[position - 1] == '\n' && --count == 0)
            break;
        position--;
    }
    return position;
}

void suggest_help(void)
{
    fprintf(stderr, "Try '%s --help' for more information.\n", program_name);
}

int have_source_and_destination(int count, char **operands)
{
    if (count >= 2)
        return 1;
    if (count == 0)
        warn_message("missing file operand");
    else
        warn_message("missing destination file operand after '%s'", operands[0]);
    suggest_help();
    return 0;
}

static int parse_count(const char *text, const char *signs, struct count_options *out)
{
    out->sign = *text != '\0' && strchr(signs, *text) ? *text : 0;
    const char *digits = out->sign ? text + 1 : text;
    char *end;
    errno = 0;
    out->count = strtoull(digits, &end, 10);
    if (*digits < '0' || *digits > '9' || *end != '\0' || errno != 0) {
        warn_message("invalid number of %s: '%s'", out->count_lines ? "lines" : "bytes", text);
        return -1;
    }
    return 0;
}

int parse_count_options(int argc, char **argv, const char *signs, struct count_options *out)
{
    static char *standard_input[] = { "-" };
    *out = (struct count_options){ .count = 10, .count_lines = 1 };
    int headers = -1;   /* -1: only for several files */
    /* The old form coreutils still takes as the first argument: -NUM is
     * -n NUM (for tail, only before one file or none, as GNU tail). */
    int only_one_operand = argc <= 2 || (argc == 3 && (argv[2][0] != '-' || argv[2][1] == '\0'));
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9' &&
        strspn(argv[1] + 1, "0123456789") == strlen(argv[1] + 1) && (!strchr(signs, '+') || only_one_operand)) {
        if (parse_count(argv[1] + 1, "", out) < 0)
            return 1;
        optind = 2;
    }
    int c;
    while ((c = getopt(argc, argv, "c:n:qv")) != -1) {
        if (c == 'c' || c == 'n') {
            out->count_lines = c == 'n';
            if (parse_count(optarg, signs, out) < 0)
                return 1;
        } else if (c == 'q' || c == 'v') {
            headers = c == 'v';
        } else {
            return 2;
        }
    }
    out->name_count = argc - optind;
    out->names = out->name_count > 0 ? argv + optind : standard_input;
    out->with_header = headers < 0 ? out->name_count > 1 : headers;
    if (out->name_count == 0)
        out->name_count = 1;
    return 0;
}

const char *shown_name(const char *name)
{
    return strcmp(name, "-") == 0 ? "standard input" : name;
}

int open_counted_file(const char *name, int with_header, int *first)
{
    int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
    if (fd < 0) {
        warn_message("cannot open '%s' for reading: %s", name, strerror(errno));
        return -1;
    }
    if (with_header)
        printf("%s==> %s <==\n", *first ? "" : "\n", shown_name(name));
    *first = 0;
    return fd;
}
