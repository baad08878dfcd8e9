/* jobs.c -- jobs, waiting and job control (user space, /bin/sh; XCU 2.9.3,
 * and "Job Control" in the rationale).
 *
 * Every command the shell forks belongs to a job: a pipeline, a subshell,
 * one program, or a `cmd &`. With job control (an interactive shell on a
 * terminal) each job is its own process group -- setpgid() in the child
 * and in the parent, so both orders of running work -- and a foreground
 * job gets the terminal (tcsetpgrp) until it ends or stops; the shell then
 * takes the terminal back. Waiting uses waitpid(-1, WUNTRACED) and files
 * each status under its job. A stopped job prints
 *   [1]+  Stopped                 sleep 100
 * and waits for fg/bg; a background job that ended prints Done before the
 * next prompt. Status: the last process's; 128+N for a signal N.
 * Must stay true: the shell never waits with its own process group in the
 * foreground of anything but itself when job control is on. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

enum { MAX_PROCS = 64, MAX_JOBS = 64 };
enum job_state { RUNNING, STOPPED, DONE };

struct job {
    int number;                 /* [n]; 0 while it is a foreground job never listed */
    pid_t pgid;
    pid_t pids[MAX_PROCS];
    int raw[MAX_PROCS];         /* wait status */
    int finished[MAX_PROCS];
    int count;
    enum job_state state;
    int background;
    int notified;
    char *text;
};

static struct job *table[MAX_JOBS];
static struct job *current_job, *previous_job;

int wait_status(int raw)
{
    if (WIFSTOPPED(raw))
        return 128 + ((raw >> 8) & 0xff);
    return WIFSIGNALED(raw) ? 128 + WTERMSIG(raw) : WEXITSTATUS(raw);
}

/* A command killed by a signal is named as bash names it ("Segmentation
 * fault", "Killed"), except SIGINT (Ctrl-C: a new line at a terminal) and
 * SIGPIPE (a writer whose reader went away). */
int report_signal_status(int raw)
{
    if (WIFSIGNALED(raw)) {
        int sig = WTERMSIG(raw);
        if (sig == SIGINT) {
            if (sh.interactive)
                fputc('\n', stderr);
        } else if (sig != SIGPIPE) {
            fflush(stdout);
            fprintf(stderr, "%s\n", strsignal(sig));
        }
    }
    return wait_status(raw);
}

struct job *job_create(const char *text, int background)
{
    struct job *job = xmalloc(sizeof *job);
    memset(job, 0, sizeof *job);
    job->text = xstrdup(text ? text : "");
    job->background = background;
    for (int i = 0; i < MAX_JOBS; i++) {
        if (!table[i]) {
            table[i] = job;
            job->number = i + 1;
            break;
        }
    }
    return job;
}

void job_set_text_words(struct job *job, char **argv, int argc)
{
    struct buffer b = { 0 };
    for (int i = 0; i < argc; i++) {
        if (i) buffer_add(&b, ' ');
        buffer_add_string(&b, argv[i]);
    }
    free(job->text);
    job->text = buffer_finish(&b);
}

static void job_remove(struct job *job)
{
    if (job->number > 0 && table[job->number - 1] == job)
        table[job->number - 1] = NULL;
    if (current_job == job) {
        current_job = previous_job;
        previous_job = NULL;
    }
    if (previous_job == job)
        previous_job = NULL;
    free(job->text);
    free(job);
}

static void make_current(struct job *job)
{
    if (current_job == job)
        return;
    previous_job = current_job;
    current_job = job;
}

void job_add_process(struct job *job, pid_t pid)
{
    if (job->count == 0)
        job->pgid = pid;
    if (sh.job_control)
        setpgid(pid, job->pgid);
    if (job->count < MAX_PROCS) {
        job->pids[job->count] = pid;
        job->finished[job->count] = 0;
        job->count++;
    }
    if (job->count == 1 && sh.job_control && !job->background && sh.terminal_fd >= 0)
        tcsetpgrp(sh.terminal_fd, job->pgid);
    if (job->background)
        make_current(job);
}

void jobs_enter_child(struct job *job, int background)
{
    if (sh.job_control && job) {
        pid_t pgid = job->count ? job->pgid : getpid();
        setpgid(0, pgid);
        if (!background && sh.terminal_fd >= 0)
            tcsetpgrp(sh.terminal_fd, pgid);
    }
    signals_default_in_child(background && !sh.job_control);
    sh.job_control = 0;
    jobs_forget_all();
}

void jobs_forget_all(void)
{
    for (int i = 0; i < MAX_JOBS; i++)
        table[i] = NULL;   /* the parent's; not freed in this copy, never used again */
    current_job = previous_job = NULL;
}

static void update_state(struct job *job)
{
    int all_done = 1, stopped = 0;
    for (int i = 0; i < job->count; i++) {
        if (!job->finished[i])
            all_done = 0;
        else if (job->finished[i] == 2)
            stopped = 1;
    }
    if (all_done && !stopped)
        job->state = DONE;
    else if (stopped && all_done)
        job->state = STOPPED;
    else
        job->state = RUNNING;
}

/* One status from waitpid, filed under its job; 0 when nothing was waited. */
static int wait_any(int block)
{
    int raw = 0;
    pid_t pid = waitpid(-1, &raw, (block ? 0 : WNOHANG) | (sh.job_control ? WUNTRACED : 0));
    if (pid <= 0)
        return pid < 0 && errno == EINTR ? -2 : 0;
    for (int j = 0; j < MAX_JOBS; j++) {
        struct job *job = table[j];
        for (int i = 0; job && i < job->count; i++) {
            if (job->pids[i] != pid)
                continue;
            job->raw[i] = raw;
            job->finished[i] = WIFSTOPPED(raw) ? 2 : 1;
            update_state(job);
            return 1;
        }
    }
    return 1;
}

static int job_status(struct job *job)
{
    return job->count ? wait_status(job->raw[job->count - 1]) : 0;
}

static const char *state_text(struct job *job, char *buffer, size_t size)
{
    int raw = job->count ? job->raw[job->count - 1] : 0;
    if (job->state == STOPPED)
        return "Stopped";
    if (job->state == RUNNING)
        return "Running";
    if (WIFSIGNALED(raw))
        return strsignal(WTERMSIG(raw));
    if (WEXITSTATUS(raw))
        snprintf(buffer, size, "Exit %d", WEXITSTATUS(raw));
    else
        snprintf(buffer, size, "Done");
    return buffer;
}

void job_print(struct job *job, int verbose)
{
    char buffer[32];
    char mark = job == current_job ? '+' : job == previous_job ? '-' : ' ';
    if (verbose)
        fprintf(stdout, "[%d]%c %d %-24s%s\n", job->number, mark, (int)job->pgid,
                state_text(job, buffer, sizeof buffer), job->text);
    else
        fprintf(stdout, "[%d]%c  %-24s%s\n", job->number, mark,
                state_text(job, buffer, sizeof buffer), job->text);
    fflush(stdout);
}

int job_wait_foreground(struct job *job)
{
    trap_hold_sigint(1);
    while (job->state == RUNNING && job->count > 0) {
        if (wait_any(1) == 0)
            break;   /* a trap's signal interrupts the wait; its action runs after */
    }
    trap_hold_sigint(0);
    if (sh.job_control && sh.terminal_fd >= 0)
        tcsetpgrp(sh.terminal_fd, sh.shell_pgid);
    int status = job->count ? (job->state == DONE ? report_signal_status(job->raw[job->count - 1])
                                                  : job_status(job)) : 0;
    if (job->state == STOPPED) {
        job->background = 1;
        job->notified = 0;
        make_current(job);
        fputc('\n', stderr);
        job_print(job, 0);
        job->notified = 1;
        return status;
    }
    job_remove(job);
    return status;
}

void jobs_notify(void)
{
    while (wait_any(0) > 0)
        ;
    for (int i = 0; i < MAX_JOBS; i++) {
        struct job *job = table[i];
        if (!job || !job->background)
            continue;
        if (job->state == DONE) {
            if (sh.interactive)
                job_print(job, 0);
            job_remove(job);
        } else if (job->state == STOPPED && !job->notified) {
            job_print(job, 0);
            job->notified = 1;
        }
    }
}

int job_wait_one(struct job *job)
{
    while (job->state == RUNNING) {
        if (trap_pending)   /* a trapped signal ends `wait` (XCU 2.11) */
            return 128 + trap_last_signal();
        int r = wait_any(1);
        if (r == -2 && trap_pending)
            return 128 + trap_last_signal();
        if (r == 0)
            break;
    }
    int status = job->state == DONE && job->count ? report_signal_status(job->raw[job->count - 1])
                                                  : job_status(job);
    if (job->state == DONE)
        job_remove(job);
    return status;
}

int jobs_wait_all(void)
{
    for (int i = 0; i < MAX_JOBS; i++) {
        if (table[i] && table[i]->background && table[i]->state == RUNNING) {
            int status = job_wait_one(table[i]);
            if (trap_pending)
                return status;
        }
    }
    for (int i = 0; i < MAX_JOBS; i++)
        if (table[i] && table[i]->state == DONE)
            job_remove(table[i]);
    return 0;
}

/* %n %+ %% %- %string %?string, or a process id. */
struct job *job_find(const char *spec)
{
    if (spec[0] != '%') {
        pid_t pid = (pid_t)atoi(spec);
        for (int i = 0; i < MAX_JOBS; i++)
            for (int k = 0; table[i] && k < table[i]->count; k++)
                if (table[i]->pids[k] == pid)
                    return table[i];
        return NULL;
    }
    const char *s = spec + 1;
    if (!*s || strcmp(s, "+") == 0 || strcmp(s, "%") == 0)
        return current_job;
    if (strcmp(s, "-") == 0)
        return previous_job;
    if (*s >= '0' && *s <= '9') {
        int n = atoi(s);
        return n >= 1 && n <= MAX_JOBS ? table[n - 1] : NULL;
    }
    int contains = *s == '?';
    if (contains)
        s++;
    for (int i = 0; i < MAX_JOBS; i++) {
        struct job *job = table[i];
        if (job && (contains ? strstr(job->text, s) != NULL
                             : strncmp(job->text, s, strlen(s)) == 0))
            return job;
    }
    return NULL;
}

/* verbose: 0 as `jobs`, 1 as `jobs -l`, 2 as `jobs -p` (process groups). */
void jobs_print_all(int verbose)
{
    while (wait_any(0) > 0)
        ;
    for (int i = 0; i < MAX_JOBS; i++) {
        struct job *job = table[i];
        if (!job || !job->background)
            continue;
        if (verbose == 2)
            printf("%d\n", (int)job->pgid);
        else
            job_print(job, verbose);
        job->notified = 1;
        if (job->state == DONE)
            job_remove(job);
    }
}

static void continue_job(struct job *job)
{
    for (int i = 0; i < job->count; i++)
        if (job->finished[i] == 2)
            job->finished[i] = 0;
    job->state = RUNNING;
    job->notified = 0;
    if (sh.job_control)
        kill(-job->pgid, SIGCONT);
    else
        for (int i = 0; i < job->count; i++)
            kill(job->pids[i], SIGCONT);
}

int job_foreground(struct job *job)
{
    printf("%s\n", job->text);
    fflush(stdout);
    if (sh.job_control && sh.terminal_fd >= 0)
        tcsetpgrp(sh.terminal_fd, job->pgid);
    job->background = 0;
    continue_job(job);
    return job_wait_foreground(job);
}

int job_background(struct job *job)
{
    continue_job(job);
    job->background = 1;
    make_current(job);
    printf("[%d]%c %s &\n", job->number, '+', job->text);
    fflush(stdout);
    return 0;
}

pid_t job_pgid(struct job *job) { return job->pgid; }
int job_number(struct job *job) { return job->number; }

void jobs_init(void)
{
    sh.terminal_fd = -1;
    if (!sh.job_control)
        return;
    sh.terminal_fd = 2;
    /* Lead a process group of our own and take the terminal. SIGTTOU is
     * ignored first, so a terminal whose foreground group is gone (a shell
     * restarted by init) cannot stop us with no one left to continue us;
     * the price: a shell started in the background takes the terminal. */
    struct sigaction ignore;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGTTOU, &ignore, NULL);
    sh.shell_pgid = getpid();
    if (getpgrp() != sh.shell_pgid)
        setpgid(0, sh.shell_pgid);
    if (tcsetpgrp(sh.terminal_fd, sh.shell_pgid) < 0) {
        sh.job_control = 0;   /* no terminal that supports it: plain waiting */
        sh.terminal_fd = -1;
    }
}
