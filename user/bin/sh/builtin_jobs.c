/* builtin_jobs.c -- the job builtins (user space, /bin/sh): jobs, fg, bg,
 * wait and kill (with %job operands, -l and -s).
 * Must stay true: fg and bg need job control; wait works without it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

static struct job *job_operand(const char *command, const char *spec)
{
    struct job *job = job_find(spec ? spec : "%+");
    if (!job)
        sh_error("%s: %s: no such job", command, spec ? spec : "current");
    return job;
}

int builtin_jobs(int argc, char **argv)
{
    int verbose = 0;
    if (argc > 1 && strcmp(argv[1], "-l") == 0)
        verbose = 1;
    else if (argc > 1 && strcmp(argv[1], "-p") == 0)
        verbose = 2;
    jobs_print_all(verbose);
    return 0;
}

int builtin_fg(int argc, char **argv)
{
    if (!sh.job_control) {
        sh_error("fg: no job control");
        return 2;
    }
    struct job *job = job_operand("fg", argc > 1 ? argv[1] : NULL);
    return job ? job_foreground(job) : 1;
}

int builtin_bg(int argc, char **argv)
{
    if (!sh.job_control) {
        sh_error("bg: no job control");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc || i == 1; i++) {
        struct job *job = job_operand("bg", argc > 1 ? argv[i] : NULL);
        if (!job)
            status = 1;
        else
            job_background(job);
        if (argc <= 1)
            break;
    }
    return status;
}

int builtin_wait(int argc, char **argv)
{
    if (argc == 1)
        return jobs_wait_all();
    int status = 0;
    for (int i = 1; i < argc; i++) {
        struct job *job = job_find(argv[i]);
        if (!job) {
            if (argv[i][0] == '%')
                sh_error("wait: %s: no such job", argv[i]);
            status = 127;
            continue;
        }
        status = job_wait_one(job);
    }
    return status;
}

static int list_signals(int argc, char **argv)
{
    if (argc > 2) {
        for (int i = 2; i < argc; i++) {
            int n = atoi(argv[i]);
            if (n > 128)
                n -= 128;
            const char *name = signal_name(n);
            if (!name || n == 0) {
                sh_error("kill: %s: bad signal", argv[i]);
                return 1;
            }
            printf("%s\n", name);
        }
        return 0;
    }
    for (int sig = 1; sig < NSIG; sig++)
        if (signal_name(sig))
            printf("%s\n", signal_name(sig));
    return 0;
}

int builtin_kill(int argc, char **argv)
{
    int sig = SIGTERM, i = 1;
    if (i < argc && strcmp(argv[i], "-l") == 0)
        return list_signals(argc, argv);
    if (i < argc && strcmp(argv[i], "-s") == 0) {
        if (i + 1 >= argc || (sig = signal_number(argv[i + 1])) < 0) {
            sh_error("kill: %s: bad signal", i + 1 < argc ? argv[i + 1] : "");
            return 2;
        }
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
        if ((sig = signal_number(argv[i] + 1)) < 0) {
            sh_error("kill: %s: bad signal", argv[i] + 1);
            return 2;
        }
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc) {
        sh_error("kill: usage: kill [-s sigspec | -signum | -sigspec] pid | %%job ... or kill -l");
        return 2;
    }
    int status = 0;
    for (; i < argc; i++) {
        pid_t target;
        if (argv[i][0] == '%') {
            struct job *job = job_operand("kill", argv[i]);
            if (!job) {
                status = 1;
                continue;
            }
            target = sh.job_control ? -job_pgid(job) : job_pgid(job);
        } else {
            char *end;
            target = (pid_t)strtol(argv[i], &end, 10);
            if (*end || !argv[i][0]) {
                sh_error("kill: %s: arguments must be process or job IDs", argv[i]);
                status = 1;
                continue;
            }
        }
        if (kill(target, sig) < 0) {
            sh_error("kill: %s: %s", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
