/* redirect.c -- redirections (user space, /bin/sh; POSIX XCU 2.7).
 *
 *   <  >  >>  >| (ignores set -C)  <>  n<&m  n>&m  n>&-  n<&-  << <<-
 * applied left to right with open() and dup2(). For a builtin, a function
 * or a compound command the descriptors replaced are first copied above 9
 * (close-on-exec) and put back by redirect_restore(). A here-document's
 * body (expanded unless its delimiter was quoted) is fed through a pipe;
 * a body larger than a pipe holds is written by a child.
 * Must stay true: redirect_apply() returns NULL only on an error (and then
 * sets redirect_failed and has printed `sh: target: reason`), and leaves the
 * descriptors it already changed restored when it was saving them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

struct saved_fds {
    int fd[32], copy[32];
    int count;
    struct saved_fds *outer;    /* the stack of redirections in force */
};
static struct saved_fds *saved_stack;
int redirect_failed;
static struct saved_fds not_saving;

static int heredoc_fd(struct redirect *r)
{
    char *body = r->heredoc_quoted ? xstrdup(r->heredoc ? r->heredoc : "")
                                   : expand_heredoc(r->heredoc ? r->heredoc : "");
    int fds[2];
    if (pipe(fds) < 0) {
        sh_error("pipe: %s", strerror(errno));
        free(body);
        return -1;
    }
    size_t length = strlen(body);
    if (length <= 4096) {
        write(fds[1], body, length);
    } else {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            size_t done = 0;
            while (done < length) {
                ssize_t n = write(fds[1], body + done, length - done);
                if (n <= 0)
                    _exit(1);
                done += (size_t)n;
            }
            _exit(0);
        }
    }
    close(fds[1]);
    free(body);
    return fds[0];
}

static int parse_fd(const char *s)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 4)
        return -1;
    return atoi(s);
}

/* The descriptor to put at r->fd: an open file, a duplicated one, -2 to
 * close, or -1 after an error. *opened: it must be closed after dup2. */
static int target_fd(struct redirect *r, int *opened)
{
    *opened = 1;
    if (r->kind == R_HEREDOC)
        return heredoc_fd(r);
    char *target = expand_string(r->word, EXPAND_TILDE_ASSIGN);
    int fd = -1;
    if (r->kind == R_DUP_IN || r->kind == R_DUP_OUT) {
        *opened = 0;
        if (strcmp(target, "-") == 0) {
            fd = -2;
        } else if ((fd = parse_fd(target)) < 0) {
            sh_error("%s: bad file descriptor", target);
        } else if (fcntl(fd, F_GETFD) < 0) {
            sh_error("%d: %s", fd, strerror(errno));
            fd = -1;
        }
        free(target);
        return fd;
    }
    int flags;
    switch (r->kind) {
    case R_IN: flags = O_RDONLY; break;
    case R_RDWR: flags = O_RDWR | O_CREAT; break;
    case R_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
    case R_OUT: flags = O_WRONLY | O_CREAT | (sh.opt_noclobber ? O_EXCL : O_TRUNC); break;
    default: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
    }
    fd = open(target, flags, 0666);
    if (fd < 0)
        sh_error("%s: %s", target, strerror(errno));
    free(target);
    return fd;
}

static void save_fd(struct saved_fds *saved, int fd)
{
    for (int i = 0; i < saved->count; i++)
        if (saved->fd[i] == fd)
            return;
    if (saved->count >= 32)
        return;
    saved->fd[saved->count] = fd;
    saved->copy[saved->count++] = fcntl(fd, F_DUPFD_CLOEXEC, 10);   /* -1: fd was closed */
}

static int apply_one(struct redirect *r, struct saved_fds *saved)
{
    int opened;
    int fd = target_fd(r, &opened);
    if (fd == -1)
        return -1;
    if (saved)
        save_fd(saved, r->fd);
    if (fd == -2) {
        close(r->fd);
        return 0;
    }
    if (fd != r->fd) {
        if (dup2(fd, r->fd) < 0) {
            sh_error("%d: %s", r->fd, strerror(errno));
            if (opened)
                close(fd);
            return -1;
        }
        if (opened)
            close(fd);
    }
    return 0;
}

struct saved_fds *redirect_apply(struct redirect *list, int save)
{
    redirect_failed = 0;
    struct saved_fds *saved = NULL;
    if (save) {
        saved = xmalloc(sizeof *saved);
        saved->count = 0;
        saved->outer = saved_stack;
        saved_stack = saved;
    }
    fflush(stdout);
    for (struct redirect *r = list; r; r = r->next) {
        if (apply_one(r, saved) < 0) {
            redirect_failed = 1;
            if (saved)
                redirect_restore(saved);
            return NULL;
        }
    }
    return saved ? saved : &not_saving;
}

void redirect_restore(struct saved_fds *saved)
{
    if (!saved || saved == &not_saving)
        return;
    while (saved_stack && saved_stack != saved)
        redirect_restore(saved_stack);   /* inner ones an error jumped over */
    if (saved_stack == saved)
        saved_stack = saved->outer;
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
    free(saved);
}

void redirect_restore_all(void)
{
    while (saved_stack)
        redirect_restore(saved_stack);
}
