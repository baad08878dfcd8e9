/* builtin_io.c -- builtins that read or print words (user space, /bin/sh):
 * echo (user/lib/echo.c, the same code as /bin/echo), read (-r, several
 * names split at $IFS, the last taking the rest) and getopts.
 * Must stay true: read takes one byte per read() so that what follows the
 * line stays unread for the next command. */
#include <echo.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

/* A write error (a full disk, a closed pipe) is reported as /bin/echo
 * reports it, and the status is 1. */
int builtin_echo(int argc, char **argv)
{
    clearerr(stdout);
    echo_words(argc, argv);
    if (fflush(stdout) != EOF && !ferror(stdout))
        return 0;
    int cause = ferror_number(stdout) ? ferror_number(stdout) : errno;
    sh_error("echo: write error: %s", strerror(cause));
    clearerr(stdout);
    return 1;
}

static int is_ifs_space(char c, const char *ifs)
{
    return (c == ' ' || c == '\t' || c == '\n') && strchr(ifs, c);
}

/* The line, with backslashes handled unless raw; quoted[i] marks escaped bytes. */
static int read_line(int raw, struct buffer *line, struct buffer *escaped)
{
    char c;
    for (;;) {
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;   /* end of file: what was read is still assigned */
        if (c == '\n')
            return 0;
        if (c == '\\' && !raw) {
            n = read(0, &c, 1);
            if (n <= 0)
                return 0;
            if (c == '\n')
                continue;
            buffer_add(line, c);
            buffer_add(escaped, 1);
            continue;
        }
        buffer_add(line, c);
        buffer_add(escaped, 0);
    }
}

int builtin_read(int argc, char **argv)
{
    int raw = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (strcmp(argv[i], "-r") == 0) raw = 1;
        else {
            sh_error("read: Illegal option %s", argv[i]);
            return 2;
        }
    }
    if (i >= argc) {
        sh_error("read: arg count");
        return 2;
    }
    fflush(stdout);
    struct buffer line = { 0 }, escaped = { 0 };
    int status = read_line(raw, &line, &escaped) < 0 ? 1 : 0;
    buffer_add(&line, 0);
    buffer_add(&escaped, 0);
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    int n = line.length - 1, p = 0;
    while (p < n && !escaped.data[p] && is_ifs_space(line.data[p], ifs))
        p++;
    for (; i < argc; i++) {
        struct buffer field = { 0 };
        if (i == argc - 1) {
            /* the last name takes the rest, less trailing IFS white space */
            int end = n;
            while (end > p && !escaped.data[end - 1] && is_ifs_space(line.data[end - 1], ifs))
                end--;
            for (int k = p; k < end; k++)
                buffer_add(&field, line.data[k]);
            p = n;
        } else {
            while (p < n && (escaped.data[p] || !strchr(ifs, line.data[p])))
                buffer_add(&field, line.data[p++]);
            if (p < n && !is_ifs_space(line.data[p], ifs))
                p++;   /* one non-white delimiter */
            while (p < n && !escaped.data[p] && is_ifs_space(line.data[p], ifs))
                p++;
            if (p < n && i + 1 == argc - 1 && !escaped.data[p] && strchr(ifs, line.data[p]) &&
                !is_ifs_space(line.data[p], ifs)) {
                /* leave it: the rest belongs to the last name */
            }
        }
        char *value = buffer_finish(&field);
        if (var_set(argv[i], value, 0) < 0) {
            sh_error("read: %s: is read only", argv[i]);
            status = 2;
        }
        free(value);
    }
    free(line.data);
    free(escaped.data);
    return status;
}

static void set_optarg(const char *value)
{
    if (value)
        var_set("OPTARG", value, 0);
    else
        var_unset("OPTARG");
}

/* Where getopts is: OPTIND, and the letter within the current word. */
static int getopts_sub = 1;
static int getopts_last_optind = -1;

static void set_optind(int optind)
{
    char number[16];
    snprintf(number, sizeof number, "%d", optind);
    var_set("OPTIND", number, 0);
    getopts_last_optind = optind;
}

/* An option letter that is not in the spec, or lacks its argument. */
static void option_error(const char *name, char letter, int silent, int missing)
{
    char letter_text[2] = { letter, 0 };
    if (silent) {
        var_set(name, missing ? ":" : "?", 0);
        set_optarg(letter_text);
        return;
    }
    if (missing)
        fprintf(stderr, "%s: No arg for -%c option\n", sh.name, letter);
    else
        fprintf(stderr, "%s: Illegal option -%c\n", sh.name, letter);
    var_set(name, "?", 0);
    set_optarg(NULL);
}

/* The end of the options: status 1, name set to "?". */
static int options_end(const char *name, int optind, char **args, int count)
{
    if (optind >= 1 && optind <= count && strcmp(args[optind - 1], "--") == 0)
        optind++;
    var_set(name, "?", 0);
    set_optarg(NULL);
    set_optind(optind);
    getopts_sub = 1;
    return 1;
}

int builtin_getopts(int argc, char **argv)
{
    if (argc < 3) {
        sh_error("getopts: usage: getopts optstring var [arg...]");
        return 2;
    }
    const char *spec = argv[1], *name = argv[2];
    char **args = argc > 3 ? argv + 3 : positional.args;
    int count = argc > 3 ? argc - 3 : positional.count;
    const char *optind_text = var_get("OPTIND");
    int optind = optind_text ? atoi(optind_text) : 1;
    if (optind != getopts_last_optind)
        getopts_sub = 1;
    int silent = spec[0] == ':';
    if (optind < 1 || optind > count || args[optind - 1][0] != '-' || !args[optind - 1][1] ||
        strcmp(args[optind - 1], "--") == 0)
        return options_end(name, optind, args, count);
    const char *word = args[optind - 1];
    char letter = word[getopts_sub++];
    const char *at = strchr(spec + silent, letter);
    char letter_text[2] = { letter, 0 };
    int finished_word = word[getopts_sub] == 0;
    if (!at || letter == ':') {
        option_error(name, letter, silent, 0);
    } else if (at[1] == ':') {
        const char *value = NULL;
        if (!finished_word)
            value = word + getopts_sub;
        else if (optind < count)
            value = args[optind++];
        finished_word = 1;
        if (!value) {
            option_error(name, letter, silent, 1);
        } else {
            var_set(name, letter_text, 0);
            set_optarg(value);
        }
    } else {
        var_set(name, letter_text, 0);
        set_optarg(NULL);
    }
    if (finished_word) {
        optind++;
        getopts_sub = 1;
    }
    set_optind(optind);
    return 0;
}
