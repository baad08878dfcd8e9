/* sh -- a small POSIX-style shell: the entry point, the input sources and
 * the read-parse-run loop (the other stages: see sh.h).
 *
 *   sh                 commands from standard input; a prompt "CWD # " only
 *                      when it is a terminal
 *   sh FILE [ARG]...   commands from FILE ($0 = FILE, $1... = ARGs)
 *   sh -c CMD [NAME [ARG]...]
 *
 * Input is read a line at a time; a line that ends inside quotes or after
 * | && || is continued with the next one. Standard input is read one byte
 * per read(), so a command started by the shell finds the rest of it
 * unread (`sh < script` with a `cat` inside works like other shells).
 * The exit status is that of the last command. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

/* Where commands come from: a descriptor or a string. */
struct source {
    int fd;                     /* -1 for a string */
    const char *text;
    size_t position;
    int bytewise;               /* read one byte at a time (standard input) */
    char buffer[4096];
    int start, end;
};

void sh_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fputs("sh: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        sh_error("out of memory");
        exit(2);
    }
    return p;
}

/* Makes room for element [count] of array, doubling its capacity. */
void *grow(void *array, int *capacity, int count, size_t element)
{
    if (count < *capacity)
        return array;
    int wanted = *capacity ? *capacity * 2 : 8;
    while (wanted <= count)
        wanted *= 2;
    array = realloc(array, (size_t)wanted * element);
    if (!array) {
        sh_error("out of memory");
        exit(2);
    }
    *capacity = wanted;
    return array;
}

/* Next byte of the source, or -1 at its end. */
static int next_byte(struct source *src)
{
    if (src->fd < 0)
        return src->text[src->position] ? (unsigned char)src->text[src->position++] : -1;
    if (src->start == src->end) {
        ssize_t n;
        do
            n = read(src->fd, src->buffer, src->bytewise ? 1 : sizeof src->buffer);
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return -1;
        src->start = 0;
        src->end = (int)n;
    }
    return (unsigned char)src->buffer[src->start++];
}

/* One line without its newline (malloc'ed), or NULL at the end of input. */
static char *read_line(struct source *src)
{
    char *line = NULL;
    int length = 0, capacity = 0, c;
    while ((c = next_byte(src)) >= 0 && c != '\n') {
        line = grow(line, &capacity, length + 1, 1);
        line[length++] = (char)c;
    }
    if (c < 0 && length == 0)
        return NULL;
    line = grow(line, &capacity, length + 1, 1);
    line[length] = '\0';
    return line;
}

static void prompt(int continued)
{
    char cwd[PATH_MAX];
    if (continued)
        fputs("> ", stdout);
    else
        printf("%s # ", getcwd(cwd, sizeof cwd) ? cwd : "?");
    fflush(stdout);
}

static void reap_background(void)
{
    int raw;
    while (shell.background_jobs > 0 && wait4(-1, &raw, WNOHANG, NULL) > 0)
        shell.background_jobs--;
}

/* Appends line to *text (joined by a newline); takes ownership of line. */
static char *join(char *text, char *line)
{
    if (!text)
        return line;
    char *joined = xmalloc(strlen(text) + strlen(line) + 2);
    sprintf(joined, "%s\n%s", text, line);
    free(text);
    free(line);
    return joined;
}

/* Reads, parses and runs commands until the source ends. A syntax error
 * ends a script (status 2); at a terminal only the line is dropped. */
static int run_source(struct source *src, int show_prompt)
{
    char *text = NULL;
    for (;;) {
        reap_background();
        if (show_prompt)
            prompt(text != NULL);
        char *line = read_line(src);
        if (!line) {
            if (text) {
                sh_error("syntax error: unexpected end of file");
                shell.last_status = 2;
            }
            if (show_prompt)
                fputc('\n', stdout);
            break;
        }
        text = join(text, line);
        struct list list;
        enum parse_result r = parse(text, &list);
        if (r == PARSE_INCOMPLETE)
            continue;
        free(text);
        text = NULL;
        if (r == PARSE_OK) {
            run_list(&list);
            free_list(&list);
        } else if (r == PARSE_ERROR) {
            shell.last_status = 2;
            if (!show_prompt)
                break;
        }
    }
    free(text);
    return shell.last_status;
}

int run_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sh_error("%s: %s", path, strerror(errno));
        return -1;
    }
    struct source *src = xmalloc(sizeof *src);
    memset(src, 0, sizeof *src);
    src->fd = fd;
    int outer_fd = shell.script_fd;
    shell.script_fd = fd;
    int status = run_source(src, 0);
    shell.script_fd = outer_fd;
    close(fd);
    free(src);
    return status;
}

static int usage(FILE *out, int status)
{
    fputs("Usage: sh [FILE [ARG]...]\n"
          "   or: sh -c COMMAND [NAME [ARG]...]\n"
          "Run commands from standard input, FILE or COMMAND: pipelines (|), lists\n"
          "(; && || &), redirections (< > >> 2> 2>&1), quotes, $VAR, $?, $$;\n"
          "builtins cd, pwd, exit, export, unset, . FILE, wait.\n", out);
    fflush(out);
    return status;
}

static void set_arguments(char *name, char **args, int count)
{
    shell.name = name;
    shell.args = args;
    shell.arg_count = count;
}

int main(int argc, char **argv)
{
    extern char **environ;
    vars_import(environ);
    set_arguments(argc > 0 ? argv[0] : "sh", argv + argc, 0);
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int status;
    if (argc > 1 && strcmp(argv[1], "-c") == 0) {
        if (argc < 3) {
            sh_error("-c: option requires an argument");
            return usage(stderr, 2);
        }
        if (argc > 3)
            set_arguments(argv[3], argv + 4, argc - 4);
        struct source src = { .fd = -1, .text = argv[2] };
        status = run_source(&src, 0);
    } else if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
        sh_error("invalid option -- '%s'", argv[1] + 1);
        return usage(stderr, 2);
    } else if (argc > 1) {
        set_arguments(argv[1], argv + 2, argc - 2);
        status = run_file(argv[1]);
        if (status < 0)
            status = 127;
    } else {
        shell.interactive = isatty(STDIN_FILENO);
        if (shell.interactive)
            set_sigint(1);
        struct source src = { .fd = STDIN_FILENO, .bytewise = 1 };
        status = run_source(&src, shell.interactive);
    }
    fflush(stdout);
    exit(status);
}
