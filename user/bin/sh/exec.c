/* exec.c -- running the grammar tree (user space, /bin/sh; XCU 2.9).
 *
 * Lists run left to right; && and || decide from $?; a pipeline of n
 * commands makes n-1 pipes and n children (each its own job's process
 * group when job control is on, see jobs.c) and takes the status of the
 * last; `cmd &` runs in a child that the shell does not wait for. The
 * compound commands (if, while, until, for, case, { }, ( )) run here;
 * simple commands in command.c. break/continue/return travel up as
 * sh.jump; set -e ends the shell after a failed command outside a
 * condition.
 * Must stay true: a child that is the last thing to run (EXEC_EXIT) execs
 * its program directly, so `sh -c 'cmd'` and `( cmd )` leave no extra
 * shell process around the command. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

static void check_errexit(int status)
{
    if (status != 0 && sh.opt_errexit && !sh.errexit_suppressed)
        sh_exit(status);
}

static int run_condition(struct node *n)
{
    sh.errexit_suppressed++;
    int status = exec_node(n, 0);
    sh.errexit_suppressed--;
    return status;
}

/* Runs node in a forked child with the pipe ends as its stdin/stdout. */
static pid_t start_pipeline_child(struct node *n, struct job *job, int in, int out, int next_in)
{
    fflush(NULL);
    pid_t pid = fork_child();
    if (pid == 0) {
        jobs_enter_child(job, 0);
        if (next_in >= 0)
            close(next_in);
        if (in != 0) { dup2(in, 0); close(in); }
        if (out != 1) { dup2(out, 1); close(out); }
        sh_exit(exec_node(n, EXEC_EXIT));
    }
    if (pid > 0)
        job_add_process(job, pid);
    else
        sh_error("fork: %s", strerror(errno));
    return pid;
}

static int exec_pipeline(struct node *n)
{
    char *text = node_text(n);
    struct job *job = job_create(text, 0);
    free(text);
    int in = 0;
    for (int i = 0; i < n->command_count; i++) {
        int fds[2] = { -1, 1 };
        if (i + 1 < n->command_count && pipe(fds) < 0) {
            sh_error("pipe: %s", strerror(errno));
            break;
        }
        start_pipeline_child(n->commands[i], job, in, fds[1], fds[0]);
        if (in != 0)
            close(in);
        if (fds[1] != 1)
            close(fds[1]);
        in = fds[0];
    }
    return job_wait_foreground(job);
}

static int exec_background(struct node *n)
{
    struct node *c = n->left;
    if (c->type == N_SIMPLE && c->word_count == 1 && c->words[0][0] == '%' && sh.job_control &&
        job_find(c->words[0]))
        return job_background(job_find(c->words[0]));   /* `%1 &` is `bg %1` */
    char *text = node_text(n->left);
    struct job *job = job_create(text, 1);
    free(text);
    fflush(NULL);
    pid_t pid = fork_child();
    if (pid == 0) {
        int job_control = sh.job_control;
        jobs_enter_child(job, 1);
        if (!job_control) {
            int null = open("/dev/null", O_RDONLY);
            if (null >= 0 && null != 0) {
                dup2(null, 0);
                close(null);
            }
        }
        sh_exit(exec_node(n->left, EXEC_EXIT));
    }
    if (pid < 0) {
        sh_error("fork: %s", strerror(errno));
        return 1;
    }
    job_add_process(job, pid);
    sh.last_background = pid;
    if (sh.interactive && !sh.in_subshell)
        fprintf(stderr, "[%d] %d\n", job_number(job), (int)pid);
    return 0;
}

/* ( list ): in a child, a job of its own -- or in this process when it may
 * end with the list (EXEC_EXIT). */
static int exec_subshell(struct node *n, int flags)
{
    if (!(flags & EXEC_EXIT)) {
        char *text = node_text(n);
        struct job *job = job_create(text, 0);
        free(text);
        fflush(NULL);
        pid_t pid = fork_child();
        if (pid < 0) {
            sh_error("fork: %s", strerror(errno));
            return 1;
        }
        if (pid > 0) {
            job_add_process(job, pid);
            return job_wait_foreground(job);
        }
        jobs_enter_child(job, 0);
    }
    struct saved_fds *saved = redirect_apply(n->redirects, 0);
    if (!saved && redirect_failed)
        sh_exit(1);
    sh_exit(exec_node(n->left, EXEC_EXIT));
}

/* What a pending jump means for the loop that just ran its condition or
 * body: go on as usual, go on with the next round (a `continue` for this
 * loop), or leave it (a `break`, a jump meant for an outer loop, a
 * `return` or an exit). A break or continue for this loop is used up. */
enum loop_step { LOOP_GO_ON, LOOP_NEXT_ROUND, LOOP_LEAVE };

static enum loop_step loop_step_after_jump(void)
{
    if (sh.jump == JUMP_BREAK || sh.jump == JUMP_CONTINUE) {
        int stop = sh.jump == JUMP_BREAK;
        if (--sh.jump_count <= 0) sh.jump = JUMP_NONE;
        return stop || sh.jump != JUMP_NONE ? LOOP_LEAVE : LOOP_NEXT_ROUND;
    }
    return sh.jump != JUMP_NONE ? LOOP_LEAVE : LOOP_GO_ON;
}

static int exec_loop(struct node *n, int until)
{
    int status = 0;
    sh.loop_depth++;
    for (;;) {
        int condition = run_condition(n->condition);
        enum loop_step step = loop_step_after_jump();
        if (step == LOOP_LEAVE)
            break;
        if (step == LOOP_NEXT_ROUND)
            continue;
        if (until ? condition == 0 : condition != 0)
            break;
        status = exec_node(n->body, 0);
        if (loop_step_after_jump() == LOOP_LEAVE)
            break;
    }
    sh.loop_depth--;
    return status;
}

static int exec_for(struct node *n)
{
    struct fields values = { 0 };
    if (n->has_in)
        expand_words(n->words, n->word_count, &values);
    else
        for (int i = 0; i < positional.count; i++)
            fields_add(&values, xstrdup(positional.args[i]));
    int status = 0;
    sh.loop_depth++;
    for (int i = 0; i < values.count; i++) {
        if (var_set(n->name, values.v[i], 0) < 0) {
            sh_error("%s: is read only", n->name);
            sh.loop_depth--;
            fields_free(&values);
            sh_fatal(2);
        }
        status = exec_node(n->body, 0);
        if (loop_step_after_jump() == LOOP_LEAVE)
            break;
    }
    sh.loop_depth--;
    fields_free(&values);
    return status;
}

static int exec_case(struct node *n)
{
    char *word = expand_string(n->name, EXPAND_TILDE_ASSIGN);
    int status = 0;
    for (struct case_item *item = n->cases; item; item = item->next) {
        for (int i = 0; i < item->pattern_count; i++) {
            char *pattern = expand_pattern(item->patterns[i]);
            int match = pattern_match(pattern, word);
            free(pattern);
            if (match) {
                free(word);
                return item->body ? exec_node(item->body, 0) : 0;
            }
        }
    }
    free(word);
    return status;
}

static int exec_if(struct node *n)
{
    int condition = run_condition(n->condition);
    if (sh.jump != JUMP_NONE)
        return condition;
    if (condition == 0)
        return exec_node(n->body, 0);
    return n->else_part ? exec_node(n->else_part, 0) : 0;
}

/* Compound commands with their redirections applied for their duration. */
static int exec_compound(struct node *n, int flags)
{
    struct saved_fds *saved = NULL;
    if (n->redirects) {
        saved = redirect_apply(n->redirects, 1);
        if (!saved)
            return 1;
    }
    int status;
    switch (n->type) {
    case N_GROUP: status = exec_node(n->left, flags); break;
    case N_IF: status = exec_if(n); break;
    case N_WHILE: status = exec_loop(n, 0); break;
    case N_UNTIL: status = exec_loop(n, 1); break;
    case N_FOR: status = exec_for(n); break;
    default: status = exec_case(n); break;
    }
    if (saved)
        redirect_restore(saved);
    return status;
}

int exec_node(struct node *n, int flags)
{
    if (!n)
        return sh.status;
    if (sh.opt_noexec && !sh.interactive)
        return 0;
    if (trap_pending)
        traps_run_pending();
    int status;
    switch (n->type) {
    case N_SIMPLE:
        status = exec_simple(n, flags);
        sh.status = status;
        check_errexit(status);
        break;
    case N_PIPE:
        status = exec_pipeline(n);
        sh.status = status;
        check_errexit(status);
        break;
    case N_AND:
    case N_OR:
        status = run_condition(n->left);
        sh.status = status;
        if (sh.jump == JUMP_NONE && (n->type == N_AND ? status == 0 : status != 0))
            status = exec_node(n->right, flags);
        break;
    case N_NOT:
        status = !run_condition(n->left);
        break;
    case N_SEQ:
        exec_node(n->left, 0);
        status = sh.status;
        if (sh.jump == JUMP_NONE)
            status = exec_node(n->right, flags);
        break;
    case N_BACKGROUND:
        status = exec_background(n);
        break;
    case N_SUBSHELL:
        status = exec_subshell(n, flags);
        sh.status = status;
        check_errexit(status);
        break;
    case N_FUNCTION:
        function_define(n->name, n->left);
        sh.keep_tree = 1;   /* the body lives in this tree: it is never freed */
        status = 0;
        break;
    default:
        status = exec_compound(n, flags & ~EXEC_EXIT);
        break;
    }
    sh.status = status;
    if (trap_pending)
        traps_run_pending();
    return status;
}

int exec_string(const char *text)
{
    struct node *tree = parse_string(text);
    int outer_keep = sh.keep_tree;
    sh.keep_tree = 0;
    int status = tree ? exec_node(tree, 0) : 0;
    if (!sh.keep_tree)
        free_node(tree);
    sh.keep_tree |= outer_keep;
    return tree ? status : 0;
}
