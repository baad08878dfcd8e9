/* builtin_core.c -- the special builtins that act on the shell itself
 * (user space, /bin/sh; POSIX XCU 2.14): : . break continue eval exec
 * exit export readonly return set shift unset, and true/false.
 * Must stay true: an error of a special builtin in a non-interactive shell
 * ends it (sh_fatal), as POSIX requires; `exit` runs the EXIT trap. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

int builtin_colon(int argc, char **argv) { (void)argc; (void)argv; return 0; }
int builtin_true(int argc, char **argv) { (void)argc; (void)argv; return 0; }
int builtin_false(int argc, char **argv) { (void)argc; (void)argv; return 1; }

static int number_argument(const char *s, long *value)
{
    char *end;
    if (!*s)
        return 0;
    *value = strtol(s, &end, 10);
    return *end == 0;
}

int builtin_dot(int argc, char **argv)
{
    if (argc < 2) {
        sh_error(".: filename argument required");
        sh_fatal(2);
    }
    char *path = strchr(argv[1], '/') ? xstrdup(argv[1]) : path_search(argv[1]);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0) {
        sh_error(".: cannot open %s: %s", argv[1], path ? strerror(errno) : "No such file");
        free(path);
        sh_fatal(2);
    }
    free(path);
    struct positional saved = { 0 };
    int own_arguments = argc > 2;
    if (own_arguments) {
        saved = positional_save();
        positional_set(argv + 2, argc - 2);
    }
    input_push_fd(fd, 0);
    sh.dot_depth++;
    int status = run_script_input();
    sh.dot_depth--;
    input_pop();
    close(fd);
    if (own_arguments)
        positional_restore(saved);
    if (sh.jump == JUMP_RETURN && !sh.function_depth)
        sh.jump = JUMP_NONE;
    return status;
}

static int loop_jump(int argc, char **argv, int kind)
{
    long n = 1;
    if (argc > 1 && (!number_argument(argv[1], &n) || n < 1)) {
        sh_error("%s: bad number: %s", argv[0], argv[1]);
        sh_fatal(2);
    }
    if (sh.loop_depth == 0)
        return 0;
    sh.jump = kind;
    sh.jump_count = n > sh.loop_depth ? sh.loop_depth : (int)n;
    return 0;
}

int builtin_break(int argc, char **argv) { return loop_jump(argc, argv, JUMP_BREAK); }
int builtin_continue(int argc, char **argv) { return loop_jump(argc, argv, JUMP_CONTINUE); }

int builtin_eval(int argc, char **argv)
{
    struct buffer b = { 0 };
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            buffer_add(&b, ' ');
        buffer_add_string(&b, argv[i]);
    }
    char *text = buffer_finish(&b);
    sh.status = 0;
    int status = exec_string(text);
    free(text);
    return status;
}

int builtin_exec(int argc, char **argv)
{
    if (argc < 2)
        return 0;
    int i = 1;
    if (strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc)
        return 0;
    signals_default_in_child(0);
    exec_program(argv + i, vars_environment());
}

int builtin_exit(int argc, char **argv)
{
    long status = sh.status;
    if (argc > 1 && !number_argument(argv[1], &status)) {
        sh_error("exit: Illegal number: %s", argv[1]);
        sh_fatal(2);
    }
    sh_exit((int)(status & 0xff));
}

static int declare(int argc, char **argv, int flag)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "-p") == 0) {
        vars_print(flag, flag == VAR_EXPORT ? "export" : "readonly");
        return 0;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc) {
        vars_print(flag, flag == VAR_EXPORT ? "export" : "readonly");
        return 0;
    }
    for (; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t length = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        char *name = strndup(argv[i], length);
        if (!is_name(name, length)) {
            sh_error("%s: %s: bad variable name", argv[0], name);
            free(name);
            sh_fatal(2);
        }
        if (eq && var_set(name, eq + 1, flag) < 0) {
            sh_error("%s: %s: is read only", argv[0], name);
            free(name);
            sh_fatal(2);
        }
        var_add_flags(name, flag);
        free(name);
    }
    return 0;
}

int builtin_export(int argc, char **argv) { return declare(argc, argv, VAR_EXPORT); }
int builtin_readonly(int argc, char **argv) { return declare(argc, argv, VAR_READONLY); }

int builtin_return(int argc, char **argv)
{
    long status = sh.status;
    if (argc > 1 && !number_argument(argv[1], &status)) {
        sh_error("return: Illegal number: %s", argv[1]);
        sh_fatal(2);
    }
    if (!sh.function_depth && !sh.dot_depth) {
        sh_error("return: not in a function");
        return 1;
    }
    sh.jump = JUMP_RETURN;
    sh.status = (int)(status & 0xff);
    return sh.status;
}

static int *option_flag(char letter)
{
    switch (letter) {
    case 'e': return &sh.opt_errexit;
    case 'u': return &sh.opt_nounset;
    case 'x': return &sh.opt_xtrace;
    case 'f': return &sh.opt_noglob;
    case 'n': return &sh.opt_noexec;
    case 'v': return &sh.opt_verbose;
    case 'C': return &sh.opt_noclobber;
    case 'a': return &sh.opt_allexport;
    case 'm': return &sh.job_control;
    default: return NULL;
    }
}

static const struct { const char *name; char letter; } long_options[] = {
    { "errexit", 'e' }, { "nounset", 'u' }, { "xtrace", 'x' }, { "noglob", 'f' },
    { "noexec", 'n' }, { "verbose", 'v' }, { "noclobber", 'C' }, { "allexport", 'a' },
    { "monitor", 'm' }, { NULL, 0 },
};

static void print_options(int as_commands)
{
    for (int i = 0; long_options[i].name; i++) {
        int on = *option_flag(long_options[i].letter);
        if (as_commands)
            printf("set %co %s\n", on ? '-' : '+', long_options[i].name);
        else
            printf("%-16s%s\n", long_options[i].name, on ? "on" : "off");
    }
}

/* Options letters such as -eux or +x; returns 0, or 2 after an error. */
int set_option_letters(const char *word, const char *long_name)
{
    int on = word[0] == '-';
    if (word[1] == 'o') {
        if (!long_name) {
            print_options(!on);
            return 0;
        }
        for (int i = 0; long_options[i].name; i++) {
            if (strcmp(long_options[i].name, long_name) == 0) {
                *option_flag(long_options[i].letter) = on;
                return 0;
            }
        }
        sh_error("set: illegal option -o %s", long_name);
        return 2;
    }
    for (const char *p = word + 1; *p; p++) {
        int *flag = option_flag(*p);
        if (!flag) {
            sh_error("set: illegal option -%c", *p);
            return 2;
        }
        *flag = on;
    }
    return 0;
}

int builtin_set(int argc, char **argv)
{
    if (argc == 1) {
        vars_print(0, NULL);
        return 0;
    }
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            positional_set(argv + i, argc - i);
            return 0;
        }
        if (strcmp(a, "-") == 0) {
            sh.opt_xtrace = sh.opt_verbose = 0;
            i++;
            break;
        }
        if ((a[0] != '-' && a[0] != '+') || !a[1])
            break;
        const char *long_name = a[1] == 'o' && i + 1 < argc ? argv[++i] : NULL;
        if (set_option_letters(a, long_name)) {
            sh_fatal(2);
        }
    }
    if (i < argc)
        positional_set(argv + i, argc - i);
    return 0;
}

int builtin_shift(int argc, char **argv)
{
    long n = 1;
    if (argc > 1 && (!number_argument(argv[1], &n) || n < 0)) {
        sh_error("shift: Illegal number: %s", argv[1]);
        sh_fatal(2);
    }
    if (n > positional.count) {
        sh_error("shift: can't shift that many");
        sh_fatal(2);
    }
    positional_set(positional.args + n, positional.count - (int)n);
    return 0;
}

int builtin_unset(int argc, char **argv)
{
    int functions = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (strcmp(argv[i], "-f") == 0) functions = 1;
        else if (strcmp(argv[i], "-v") == 0) functions = 0;
        else {
            sh_error("unset: illegal option %s", argv[i]);
            sh_fatal(2);
        }
    }
    for (; i < argc; i++) {
        if (functions) {
            function_unset(argv[i]);
        } else if (var_unset(argv[i]) < 0) {
            sh_error("unset: %s: is read only", argv[i]);
            sh_fatal(2);
        }
    }
    return 0;
}
