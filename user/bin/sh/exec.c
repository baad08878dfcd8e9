/* exec.c -- the executor: runs the tree that parse.c built.
 *
 * list -> and-or lists (&& || decide from the last status) -> pipelines ->
 * simple commands. A lone simple command that names a builtin runs in the
 * shell itself, its redirections undone afterwards; every other command
 * runs in a child made by fork: redirections with open/dup2, then execve
 * after a search of $PATH (default /bin). A pipeline of n commands makes
 * n-1 pipes; each child keeps only its two ends, the shell closes all of
 * them, waits for every child, and takes the status of the last one.
 * While it waits the shell ignores SIGINT, so Ctrl-C ends only the children,
 * which get SIGINT back to its default before execve. A command a signal
 * ended has status 128 + the signal, and the shell names the signal. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

struct shell shell = { .script_fd = -1 };

void set_sigint(int ignore)
{
    struct sigaction act = { .sa_handler = ignore ? SIG_IGN : SIG_DFL };
    sigaction(SIGINT, &act, NULL);   /* ENOSYS on a kernel without signals: fine */
}

int wait_status(int raw) { return WIFSIGNALED(raw) ? 128 + WTERMSIG(raw) : WEXITSTATUS(raw); }

/* A command killed by a signal is reported as bash does, by the signal's
 * name alone ("Segmentation fault", "Killed") -- except SIGINT, which the
 * user sent with Ctrl-C (at a terminal just a new line, so the prompt
 * starts afresh), and SIGPIPE, the normal end of a writer whose reader
 * went away (`cmd | head`). */
static void report_signal(int sig)
{
    /* A background job's end would print over whatever the terminal shows
     * by then; bash reports it at the next prompt through job control,
     * which this shell does not have, so it says nothing. */
    if (shell.is_background_job)
        return;
    if (sig == SIGINT) {
        if (shell.interactive)
            fputc('\n', stderr);
    } else if (sig != SIGPIPE) {
        fflush(stdout);
        fprintf(stderr, "%s\n", strsignal(sig));
    }
}

/* Waits for pid; its status for $?. `report`: say so if a signal killed it
 * (only for the command whose status counts, like bash). */
static int wait_for(pid_t pid, int report)
{
    int raw = 0;
    while (waitpid(pid, &raw, 0) < 0) {
        if (errno != EINTR) {
            sh_error("wait: %s", strerror(errno));
            return 1;
        }
    }
    if (report && WIFSIGNALED(raw))
        report_signal(WTERMSIG(raw));
    return wait_status(raw);
}

/* ---- redirections ---- */

/* The descriptors that a builtin's redirections replaced, to put back. */
struct saved_fds {
    int fd[10], copy[10];
    int count;
};

static int open_target(struct redirect *r, const char *target)
{
    if (r->kind == R_DUP_OUT || r->kind == R_DUP_IN) {
        if (strcmp(target, "-") == 0)
            return -2;   /* n>&- closes n */
        if (!*target || strspn(target, "0123456789") != strlen(target)) {
            sh_error("%s: bad file descriptor", target);
            return -1;
        }
        return atoi(target);
    }
    int flags = r->kind == R_IN ? O_RDONLY
              : O_WRONLY | O_CREAT | (r->kind == R_APPEND ? O_APPEND : O_TRUNC);
    int fd = open(target, flags, 0666);
    if (fd < 0)
        sh_error("%s: %s", target, strerror(errno));
    return fd;
}

static int apply_redirect(struct redirect *r, struct saved_fds *saved)
{
    char *target = expand_single(r->word);
    if (!target) {
        sh_error("%s: ambiguous redirect", r->word);
        return -1;
    }
    int fd = open_target(r, target);
    free(target);
    if (fd == -1)
        return -1;
    if (saved && saved->count < 10) {
        saved->fd[saved->count] = r->fd;
        saved->copy[saved->count++] = dup(r->fd);   /* -1 if r->fd was closed */
    }
    int dup_kind = r->kind == R_DUP_OUT || r->kind == R_DUP_IN;
    if (fd == -2) {
        close(r->fd);
    } else if (fd != r->fd) {
        if (dup2(fd, r->fd) < 0) {
            sh_error("%d: %s", fd, strerror(errno));
            if (!dup_kind)
                close(fd);
            return -1;
        }
        if (!dup_kind)
            close(fd);
    }
    return 0;
}

/* Applies cmd's redirections left to right; with saved, remembers what to undo. */
static int apply_redirects(struct command *cmd, struct saved_fds *saved)
{
    for (int i = 0; i < cmd->redirect_count; i++)
        if (apply_redirect(&cmd->redirects[i], saved) < 0)
            return -1;
    return 0;
}

static void restore_fds(struct saved_fds *saved)
{
    fflush(stdout);
    fflush(stderr);
    for (int i = saved->count - 1; i >= 0; i--) {
        if (saved->copy[i] >= 0) {
            dup2(saved->copy[i], saved->fd[i]);
            close(saved->copy[i]);
        } else {
            close(saved->fd[i]);
        }
    }
}

/* ---- simple commands ---- */

static void expand_command(struct command *cmd, struct fields *f)
{
    memset(f, 0, sizeof *f);
    for (int i = 0; i < cmd->word_count; i++)
        expand_word(cmd->words[i], f);
}

/* Sets the leading NAME=VALUE fields; returns the index of the command name. */
static int assign(struct fields *f, int export)
{
    int i = 0;
    for (; i < f->count && is_assignment(f->v[i]); i++) {
        char *eq = strchr(f->v[i], '=');
        *eq = '\0';
        var_set(f->v[i], eq + 1, export);
        *eq = '=';
    }
    return i;
}

/* In a forked child: the rest of a command's life. Never returns. */
static _Noreturn void run_in_child(struct command *cmd, struct fields *f)
{
    if (shell.script_fd >= 0)
        close(shell.script_fd);
    int first = assign(f, 1);
    if (apply_redirects(cmd, NULL) < 0)
        _exit(1);
    if (first == f->count)
        exit(0);
    builtin_fn builtin = find_builtin(f->v[first]);
    if (builtin)
        exit(builtin(f->count - first, f->v + first));
    exec_command(f->v + first);
}

/* A builtin, or a line of assignments, inside the shell itself. */
static int run_in_shell(struct command *cmd, struct fields *f, int first)
{
    struct saved_fds saved = { .count = 0 };
    int status = 1;
    if (apply_redirects(cmd, &saved) == 0) {
        status = 0;
        if (first < f->count)
            status = find_builtin(f->v[first])(f->count - first, f->v + first);
    }
    restore_fds(&saved);
    return status;
}

static int run_simple(struct command *cmd)
{
    struct fields f;
    expand_command(cmd, &f);
    int first = 0;
    while (first < f.count && is_assignment(f.v[first]))
        first++;
    int status;
    if (first == f.count || find_builtin(f.v[first])) {
        assign(&f, 0);
        status = run_in_shell(cmd, &f, first);
    } else {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            set_sigint(0);
            run_in_child(cmd, &f);
        }
        if (pid < 0) {
            sh_error("fork: %s", strerror(errno));
            status = 1;
        } else {
            status = wait_for(pid, 1);
        }
    }
    fields_free(&f);
    return status;
}

/* ---- pipelines ---- */

/* Starts command i of a pipeline reading from in (or stdin if -1); returns
 * its pid, and in *next_in the read end for the next command. */
static pid_t start_stage(struct pipeline *pl, int i, int in, int *next_in)
{
    int fds[2] = { -1, -1 };
    if (i < pl->count - 1 && pipe(fds) < 0) {
        sh_error("pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        set_sigint(0);
        if (in >= 0) {
            dup2(in, STDIN_FILENO);
            close(in);
        }
        if (fds[1] >= 0) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[1]);
            close(fds[0]);
        }
        struct fields f;
        expand_command(&pl->commands[i], &f);
        run_in_child(&pl->commands[i], &f);
    }
    if (pid < 0)
        sh_error("fork: %s", strerror(errno));
    if (fds[1] >= 0)
        close(fds[1]);
    if (pid < 0 && fds[0] >= 0) {
        close(fds[0]);
        fds[0] = -1;
    }
    *next_in = fds[0];
    return pid;
}

static int run_piped(struct pipeline *pl)
{
    pid_t *pids = xmalloc((size_t)pl->count * sizeof *pids);
    int in = -1, started = 0;
    fflush(NULL);
    for (int i = 0; i < pl->count; i++) {
        int next_in = -1;
        pids[started] = start_stage(pl, i, in, &next_in);
        if (in >= 0)
            close(in);
        in = next_in;
        if (pids[started] < 0)
            break;
        started++;
    }
    if (in >= 0)
        close(in);
    int status = 1;
    for (int i = 0; i < started; i++) {
        int s = wait_for(pids[i], i == pl->count - 1);
        if (i == pl->count - 1)
            status = s;
    }
    free(pids);
    return status;
}

static int run_pipeline(struct pipeline *pl)
{
    if (!shell.interactive)
        set_sigint(1);
    int status = pl->count == 1 ? run_simple(&pl->commands[0]) : run_piped(pl);
    if (!shell.interactive)
        set_sigint(0);
    return pl->negate ? !status : status;
}

/* ---- and-or lists and lists ---- */

static int run_and_or(struct and_or *ao)
{
    int status = shell.last_status;
    for (int i = 0; i < ao->count; i++) {
        if ((ao->connectors[i] == C_AND && status != 0) ||
            (ao->connectors[i] == C_OR && status == 0))
            continue;
        status = run_pipeline(&ao->pipelines[i]);
        shell.last_status = status;
    }
    return status;
}

/* cmd &: a child shell runs the and-or list; this one does not wait
 * (main.c reaps it later). The child ignores SIGINT, as POSIX says. */
static int run_background(struct and_or *ao)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        shell.interactive = 0;
        shell.is_background_job = 1;
        set_sigint(1);
        exit(run_and_or(ao));
    }
    if (pid < 0) {
        sh_error("fork: %s", strerror(errno));
        return 1;
    }
    shell.background_jobs++;
    if (shell.interactive)
        fprintf(stderr, "[%d]\n", (int)pid);
    return 0;
}

int run_list(struct list *list)
{
    for (int i = 0; i < list->count; i++) {
        struct and_or *ao = &list->entries[i];
        shell.last_status = ao->background ? run_background(ao) : run_and_or(ao);
    }
    return shell.last_status;
}

/* ---- finding and starting a program ---- */

/* execve, and for a file the kernel cannot start (ENOEXEC: no #! line) run
 * it as a script in this child, as POSIX shells do. Returns errno. */
static int try_exec(const char *path, char **argv, char **env)
{
    execve(path, argv, env);
    int error = errno;
    if (error == ENOEXEC) {
        shell.name = (char *)path;
        shell.args = argv + 1;
        for (shell.arg_count = 0; argv[shell.arg_count + 1];)
            shell.arg_count++;
        int status = run_file(path);
        exit(status < 0 ? 126 : status);
    }
    return error;
}

_Noreturn void exec_command(char **argv)
{
    char **env = vars_environment();
    const char *name = argv[0];
    int error = ENOENT;
    if (strchr(name, '/')) {
        error = try_exec(name, argv, env);
    } else {
        const char *path = var_get("PATH") ? var_get("PATH") : "/bin";
        char candidate[4096];
        for (const char *p = path;; p += strcspn(p, ":") + 1) {
            int dir_length = (int)strcspn(p, ":");
            if (snprintf(candidate, sizeof candidate, "%.*s%s%s", dir_length, p,
                         dir_length ? "/" : "", name) < (int)sizeof candidate) {
                int e = try_exec(candidate, argv, env);
                if (e != ENOENT && e != ENOTDIR)
                    error = e;   /* e.g. EACCES: found, but not executable */
            }
            if (!p[dir_length])
                break;
        }
    }
    if (error == ENOENT) {
        sh_error("%s: not found", name);
        exit(127);
    }
    sh_error("%s: %s", name, strerror(error));
    exit(126);
}
