/* command.c -- one simple command (user space, /bin/sh; XCU 2.9.1).
 *
 * The words are expanded, then the first field is looked up: a special
 * builtin (its assignments stay, its errors end a script), a function (its
 * own positional parameters), a regular builtin, or a program found
 * through $PATH, run in a child (or exec'd directly under EXEC_EXIT).
 * Redirections of a builtin or function are undone after it; assignments
 * before it are temporary (`VAR=x cmd`), except for special builtins.
 * A command name that no PATH entry has is status 127; one found but not
 * executable, 126; a file without #! that execve refuses (ENOEXEC) is run
 * as a script by this shell in the child.
 * Must stay true: stdout is flushed after every builtin, because the next
 * command may have another descriptor 1. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sh.h"

struct function {
    char *name;
    struct node *body;
    struct function *next;
};
static struct function *functions;

void function_define(const char *name, struct node *body)
{
    for (struct function *f = functions; f; f = f->next) {
        if (strcmp(f->name, name) == 0) {
            f->body = body;   /* the old body may still be running: it is kept */
            return;
        }
    }
    struct function *f = xmalloc(sizeof *f);
    f->name = xstrdup(name);
    f->body = body;
    f->next = functions;
    functions = f;
}

struct node *function_find(const char *name)
{
    for (struct function *f = functions; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f->body;
    return NULL;
}

int function_unset(const char *name)
{
    for (struct function **f = &functions; *f; f = &(*f)->next) {
        if (strcmp((*f)->name, name) == 0) {
            *f = (*f)->next;
            return 0;
        }
    }
    return 0;
}

char *path_search(const char *name)
{
    if (strchr(name, '/'))
        return xstrdup(name);
    const char *path = var_get("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    for (const char *p = path;; ) {
        const char *colon = strchr(p, ':');
        size_t length = colon ? (size_t)(colon - p) : strlen(p);
        char *candidate = xmalloc(length + strlen(name) + 2);
        if (length)
            snprintf(candidate, length + strlen(name) + 2, "%.*s/%s", (int)length, p, name);
        else
            strcpy(candidate, name);
        struct stat st;
        if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode) && access(candidate, X_OK) == 0)
            return candidate;
        free(candidate);
        if (!colon)
            return NULL;
        p = colon + 1;
    }
}

/* A file execve refused for its format: a shell script without #!. */
_Noreturn static void run_as_script(const char *path, char **argv)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sh_error("%s: %s", path, strerror(errno));
        _exit(126);
    }
    int count = 0;
    while (argv[count])
        count++;
    sh.name = xstrdup(argv[0]);
    positional_set(argv + 1, count - 1);
    jobs_forget_all();
    input_push_fd(fd, 0);
    sh_exit(run_script_input());
}

_Noreturn void exec_program(char **argv, char **envp)
{
    char *path = path_search(argv[0]);
    if (!path) {
        sh_error("%s: not found", argv[0]);
        _exit(127);
    }
    input_close_script_fds();
    execve(path, argv, envp);
    int error = errno;
    if (error == ENOEXEC)
        run_as_script(path, argv);
    sh_error("%s: %s", argv[0], strerror(error));
    _exit(error == ENOENT ? 127 : 126);
}

static void trace_command(char **argv, int argc, struct node *n)
{
    const char *ps4 = var_get("PS4");
    fputs(ps4 ? ps4 : "+ ", stderr);
    for (int i = 0; i < n->assignment_count; i++)
        fprintf(stderr, "%s%s", i ? " " : "", n->assignments[i]);
    for (int i = 0; i < argc; i++)
        fprintf(stderr, "%s%s", i || n->assignment_count ? " " : "", argv[i]);
    fputc('\n', stderr);
}

static int assign_all(struct node *n)
{
    for (int i = 0; i < n->assignment_count; i++) {
        const char *eq = strchr(n->assignments[i], '=');
        char *name = strndup(n->assignments[i], (size_t)(eq - n->assignments[i]));
        char *value = expand_string(eq + 1, EXPAND_TILDE_ASSIGN);
        int r = var_set(name, value, 0);
        if (r < 0)
            sh_error("%s: is read only", name);
        free(name);
        free(value);
        if (r < 0) {
            if (!sh.interactive)
                sh_exit(2);
            return 1;
        }
    }
    return 0;
}

static int call_function(struct node *body, int argc, char **argv)
{
    struct positional saved = positional_save();
    positional_set(argv + 1, argc - 1);
    sh.function_depth++;
    int status = exec_node(body, 0);
    sh.function_depth--;
    if (sh.jump == JUMP_RETURN) {
        sh.jump = JUMP_NONE;
        status = sh.status;
    }
    positional_restore(saved);
    return status;
}

/* Unless this process may be replaced (EXEC_EXIT), the program runs in a
 * child, a job of its own; whichever process runs it applies the
 * redirections and the command's assignments, then execs. */
static int run_external(struct node *n, int argc, char **argv, int flags)
{
    if (!(flags & EXEC_EXIT)) {
        struct job *job = job_create(NULL, 0);
        job_set_text_words(job, argv, argc);
        fflush(NULL);
        pid_t pid = fork_child();
        if (pid < 0) {
            sh_error("fork: %s", strerror(errno));
            return 2;
        }
        if (pid > 0) {
            job_add_process(job, pid);
            return job_wait_foreground(job);
        }
        jobs_enter_child(job, 0);
    }
    struct saved_fds *saved = redirect_apply(n->redirects, 0);
    if (!saved && redirect_failed)
        _exit(1);
    var_push_temporary(n->assignments, n->assignment_count);
    exec_program(argv, vars_environment());
}

/* Runs argv with the command's redirections; the lookup order of XCU 2.9.1.
 * skip_functions: for `command name`. */
int run_command(struct node *n, int argc, char **argv, int flags, int skip_functions)
{
    const struct builtin *b = builtin_find(argv[0]);
    struct node *function = skip_functions ? NULL : function_find(argv[0]);
    if (b && b->special && !function) {
        int exec_alone = strcmp(argv[0], "exec") == 0 && argc == 1;
        struct saved_fds *saved = redirect_apply(n->redirects, !exec_alone);
        if (!saved && redirect_failed) {
            if (!sh.interactive)
                sh_exit(1);
            return 1;
        }
        if (assign_all(n))
            return 1;
        int status = b->fn(argc, argv);
        fflush(stdout);
        if (!exec_alone)
            redirect_restore(saved);
        return status;
    }
    if (!function && !b && argv[0][0] == '%' && sh.job_control && job_find(argv[0]))
        return job_foreground(job_find(argv[0]));   /* `%1` alone is `fg %1` */
    if (!function && !b)
        return run_external(n, argc, argv, flags);
    struct saved_fds *saved = redirect_apply(n->redirects, 1);
    if (!saved && redirect_failed)
        return 1;
    var_push_temporary(n->assignments, n->assignment_count);
    int status = function ? call_function(function, argc, argv) : b->fn(argc, argv);
    fflush(stdout);
    var_pop_temporary();
    redirect_restore(saved);
    return status;
}

static struct node *current_command;
static int current_flags;

/* `command name args`: runs name as a builtin or program, never a function;
 * a special builtin's error then returns a status instead of ending the
 * shell (POSIX: `command` takes away its special properties). */
int run_command_without_functions(int argc, char **argv)
{
    jmp_buf jump;
    jmp_buf *outer = sh_command_jump;
    struct node *command = current_command;
    int flags = current_flags;
    if (setjmp(jump)) {
        sh_command_jump = outer;
        current_command = command;
        current_flags = flags;
        return sh.status;
    }
    sh_command_jump = &jump;
    int status = run_command(command, argc, argv, flags, 1);
    sh_command_jump = outer;
    return status;
}

int exec_simple(struct node *n, int flags)
{
    struct fields fields = { 0 };
    sh.substitution_status = 0;
    expand_words(n->words, n->word_count, &fields);
    if (sh.opt_xtrace)
        trace_command(fields.v, fields.count, n);
    int status;
    if (fields.count == 0) {
        struct saved_fds *saved = redirect_apply(n->redirects, 1);
        if (!saved && redirect_failed) {
            fields_free(&fields);
            return 1;
        }
        status = assign_all(n) ? 1 : sh.substitution_status;
        redirect_restore(saved);
    } else {
        struct node *outer = current_command;
        int outer_flags = current_flags;
        current_command = n;
        current_flags = flags;
        status = run_command(n, fields.count, fields.v, flags, 0);
        current_command = outer;
        current_flags = outer_flags;
    }
    fields_free(&fields);
    return status;
}
