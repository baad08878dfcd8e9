/* main.c -- sh: options, the read-parse-run loop, errors and memory (user
 * space, /bin/sh).
 *
 *   sh [-eufxvnCa] [-i] [FILE [ARG]...]     commands from FILE
 *   sh [OPTIONS] -c COMMAND [NAME [ARG]...]
 *   sh [OPTIONS] [-s] [ARG]...              commands from standard input
 * Interactive (standard input and standard error are terminals, or -i):
 * prompts, the line editor, job control, and errors that return to the
 * prompt instead of ending the shell. Otherwise each complete command is
 * run as soon as it has been read, so a command reading standard input
 * finds the rest of the script unread.
 * Must stay true: error messages are "sh: ..." on stderr; the exit status
 * is that of the last command (2 after a syntax error in a script). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "line_editor.h"
#include "sh.h"

struct shell_state sh;
jmp_buf *sh_error_jump;
jmp_buf *sh_command_jump;
int set_option_letters(const char *word, const char *long_name);
int trap_has_exit(void);
void redirect_restore_all(void);

void sh_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fputs("sh: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
    va_end(ap);
}

_Noreturn void sh_exit(int status)
{
    sh.status = status;
    trap_run_exit();
    fflush(NULL);
    if (sh.interactive && !sh.in_subshell)
        history_save();
    _exit(sh.status & 0xff);
}

_Noreturn void sh_fatal(int status)
{
    sh.status = status;
    if (sh_command_jump)
        longjmp(*sh_command_jump, 1);
    if (sh.interactive && !sh.in_subshell && sh_error_jump)
        longjmp(*sh_error_jump, 1);
    sh_exit(status);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        sh_error("out of memory");
        _exit(2);
    }
    return p;
}

void *xrealloc(void *old, size_t size)
{
    void *p = realloc(old, size ? size : 1);
    if (!p) {
        sh_error("out of memory");
        _exit(2);
    }
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

void *grow(void *array, int *capacity, int count, size_t element)
{
    if (count + 1 < *capacity)
        return array;
    int wanted = *capacity ? *capacity * 2 : 8;
    while (wanted <= count + 1)
        wanted *= 2;
    *capacity = wanted;
    return xrealloc(array, (size_t)wanted * element);
}

void buffer_add(struct buffer *b, char c)
{
    if (b->length + 1 >= b->capacity) {
        b->capacity = b->capacity ? b->capacity * 2 : 32;
        b->data = xrealloc(b->data, (size_t)b->capacity);
    }
    b->data[b->length++] = c;
}

void buffer_add_string(struct buffer *b, const char *s)
{
    while (*s)
        buffer_add(b, *s++);
}

char *buffer_finish(struct buffer *b)
{
    buffer_add(b, 0);
    char *s = b->data;
    memset(b, 0, sizeof *b);
    return s;
}

pid_t fork_child(void)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        sh.in_subshell = 1;
        sh.interactive = 0;
        sh_error_jump = NULL;
        sh_command_jump = NULL;
    }
    return pid;
}

/* A command line's tree after it ran: kept if it defined a function. */
static void free_tree(struct node *n)
{
    if (!sh.keep_tree)
        free_node(n);
    sh.keep_tree = 0;
}

/* Runs the innermost input source to its end, a command line at a time. */
int run_script_input(void)
{
    int at_end = 0, outer_keep = sh.keep_tree;   /* `.` runs inside a command line */
    sh.keep_tree = 0;
    while (!at_end) {
        input_new_command();
        struct node *n = parse_command_line(&at_end);
        if (!n)
            continue;
        if (!sh.opt_noexec) {
            int flags = at_end && sh.exec_last && !trap_has_exit() ? EXEC_EXIT : 0;
            exec_node(n, flags);
        }
        free_tree(n);
        if (sh.jump == JUMP_RETURN && (sh.dot_depth || sh.function_depth))
            break;
    }
    sh.keep_tree = outer_keep;
    return sh.opt_noexec ? 0 : sh.status;
}

static void run_interactive(void)
{
    jmp_buf jump;
    sh_error_jump = &jump;
    history_load();
    if (setjmp(jump)) {
        redirect_restore_all();
        while (!input_interactive() && !input_at_end())
            input_pop();
        input_discard_line();
        lex_forget_heredocs();
        sh.loop_depth = sh.function_depth = sh.dot_depth = sh.errexit_suppressed = 0;
        sh.jump = JUMP_NONE;
        fflush(NULL);
    }
    for (;;) {
        input_new_command();
        int at_end = 0;
        struct node *n = parse_command_line(&at_end);
        if (n && !sh.opt_noexec)
            exec_node(n, 0);
        free_tree(n);
        if (at_end)
            break;
    }
    fputc('\n', stderr);
}

/* IFS, PPID, OPTIND and PWD as POSIX shells start with them (IFS set, so
 * `old=$IFS ... IFS=$old` restores the default). */
static void set_startup_variables(void)
{
    char text[PATH_MAX];
    var_set("IFS", " \t\n", 0);
    snprintf(text, sizeof text, "%d", (int)getppid());
    var_set("PPID", text, 0);
    var_set("OPTIND", "1", 0);
    struct stat here, claimed;
    const char *pwd = var_get("PWD");
    if (!pwd || pwd[0] != '/' || stat(pwd, &claimed) < 0 || stat(".", &here) < 0 ||
        claimed.st_ino != here.st_ino || claimed.st_dev != here.st_dev) {
        if (getcwd(text, sizeof text))
            var_set("PWD", text, 0);
    }
}

static int usage(FILE *out, int status)
{
    fputs("Usage: sh [-eufxvnCa] [-i] [FILE [ARG]...]\n"
          "   or: sh [OPTIONS] -c COMMAND [NAME [ARG]...]\n"
          "   or: sh [OPTIONS] -s [ARG]...\n"
          "A POSIX shell: run commands from FILE, COMMAND or standard input.\n"
          "Type `help` in the shell for its builtins and the programs in /bin.\n", out);
    fflush(out);
    return status;
}

/* The shell's own options: -c -s -i and set's letters; the index of the
 * first operand, or -1 after an error. */
static int parse_options(int argc, char **argv, int *command_mode, int *stdin_mode,
                         int *force_interactive)
{
    int i = 1;
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1;
        const char *a = argv[i];
        struct buffer rest = { 0 };
        buffer_add(&rest, a[0]);
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'c') *command_mode = 1;
            else if (*p == 's') *stdin_mode = 1;
            else if (*p == 'i') *force_interactive = 1;
            else buffer_add(&rest, *p);
        }
        char *letters = buffer_finish(&rest);
        int bad = letters[1] && set_option_letters(letters, NULL);
        free(letters);
        if (bad)
            return -1;
    }
    return i;
}

int main(int argc, char **argv)
{
    extern char **environ;
    vars_import(environ);
    sh.pid = getpid();
    set_startup_variables();
    sh.name = argc > 0 ? argv[0] : "sh";
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int command_mode = 0, stdin_mode = 0, force_interactive = 0;
    int i = parse_options(argc, argv, &command_mode, &stdin_mode, &force_interactive);
    if (i < 0)
        return usage(stderr, 2);
    if (command_mode) {
        if (i >= argc) {
            sh_error("-c: option requires an argument");
            return usage(stderr, 2);
        }
        const char *text = argv[i++];
        if (i < argc)
            sh.name = argv[i++];
        positional_set(argv + i, argc - i);
        traps_init();
        sh.exec_last = 1;
        input_push_string(text, NULL);
        sh_exit(run_script_input());
    }
    if (!stdin_mode && i < argc) {
        sh.name = argv[i++];
        positional_set(argv + i, argc - i);
        int fd = open(sh.name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            sh_error("cannot open %s: %s", sh.name, strerror(errno));
            return 127;
        }
        traps_init();
        input_push_fd(fd, 0);
        sh_exit(run_script_input());
    }
    positional_set(argv + i, argc - i);
    sh.interactive = force_interactive || (isatty(0) && isatty(2));
    sh.job_control = sh.interactive && isatty(2);
    jobs_init();
    traps_init();
    input_push_fd(0, sh.interactive && isatty(0));
    if (sh.interactive) {
        run_interactive();
        sh_exit(sh.status);
    }
    sh_exit(run_script_input());
}
