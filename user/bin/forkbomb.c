/* forkbomb -- forks until the system says no, then cleans up.
 *
 * A diagnostic program for the process limit (RLIMIT_NPROC) and for what
 * happens when memory runs out: it starts children until fork fails and
 * reports why (EAGAIN: the user's process limit; ENOMEM: memory). Every
 * child waits on a pipe; when fork has failed the parent closes its end,
 * so all children read end-of-file and exit together, and the parent
 * waits for each of them. Nothing is left behind.
 *
 * Unlike a real fork bomb only the parent forks, so the count is exact:
 * with a limit of N processes per user, fork fails after N - P children,
 * where P is the number of processes the user had already (this one too).
 * -n MAX stops after MAX children even when fork has not failed (on a Linux
 * host root has no process limit: there -n keeps the test harmless).
 *
 * Exit status: 0 when fork failed and every child was waited for; 1 when
 * MAX children were started without a failure, or a child could not be
 * waited for; 2 for a usage error.
 */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

const char *program_name = "forkbomb";

#define SYS_ugetrlimit 191
#define RLIMIT_NPROC 6
#define RLIM_INFINITY 0xFFFFFFFFUL

/* A child: waits until the parent closes the pipe, then exits. */
static _Noreturn void wait_for_the_end(int fds[2])
{
    char byte;
    close(fds[1]);
    while (read(fds[0], &byte, 1) > 0) {
    }
    _exit(0);
}

static void report_limit(void)
{
    unsigned long limit[2];
    if (syscall2(SYS_ugetrlimit, RLIMIT_NPROC, (long)limit) != 0)
        printf("forkbomb: process limit (RLIMIT_NPROC) unknown\n");
    else if (limit[0] == RLIM_INFINITY)
        printf("forkbomb: process limit (RLIMIT_NPROC): unlimited\n");
    else
        printf("forkbomb: process limit (RLIMIT_NPROC): %lu\n", limit[0]);
}

/* Waits for `count` children; returns how many could not be waited for. */
static long wait_for_children(long count)
{
    long exited = 0, killed = 0, lost = 0;
    for (long i = 0; i < count; i++) {
        int status;
        pid_t child = wait(&status);
        if (child < 0) {
            warn_errno("wait");
            lost = count - i;
            break;
        }
        if (WIFSIGNALED(status))
            killed++;
        else
            exited++;
    }
    printf("forkbomb: %ld children ended: %ld exited, %ld killed by a signal\n", exited + killed, exited,
           killed);
    return lost;
}

static int usage(FILE *out, int status)
{
    fputs("Usage: forkbomb [-n MAX]\n"
          "Fork children until fork fails (or MAX children run, default 100000), say\n"
          "why it failed, then let every child exit and wait for them all.\n"
          "Exit status: 0 when fork failed and all children were waited for;\n"
          "1 when MAX children started without a failure, or waiting failed.\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    long max = 100000;
    int c;
    while ((c = getopt(argc, argv, "n:")) != -1) {
        char *end;
        switch (c) {
        case 'n':
            max = strtol(optarg, &end, 10);
            if (*end || max < 1 || max > 1000000) {
                warn_message("invalid count '%s'", optarg);
                return usage(stderr, 2);
            }
            break;
        default:
            return usage(stderr, 2);
        }
    }
    if (optind < argc) {
        warn_message("extra operand '%s'", argv[optind]);
        return usage(stderr, 2);
    }
    int fds[2];
    if (pipe(fds) < 0) {
        warn_errno("pipe");
        return 1;
    }
    report_limit();
    long children = 0;
    int fork_error = 0;
    while (children < max) {
        fflush(stdout);
        pid_t child = fork();
        if (child == 0)
            wait_for_the_end(fds);
        if (child < 0) {
            fork_error = errno;
            break;
        }
        children++;
    }
    if (fork_error)
        printf("forkbomb: fork failed after %ld children: %s\n", children, strerror(fork_error));
    else
        printf("forkbomb: stopped at %ld children (-n); fork did not fail\n", children);
    fflush(stdout);
    close(fds[0]);
    close(fds[1]);
    long lost = wait_for_children(children);
    return finish(fork_error && !lost ? 0 : 1);
}
