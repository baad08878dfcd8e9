/* init -- the first program (pid 1). Runs `/bin/sh /etc/rc` when /etc/rc
 * exists and waits for it, then keeps a shell on the console: /bin/sh with
 * the descriptors init was given (the kernel opens 0, 1, 2 on the console).
 * When the shell exits, init says so and starts another. Every wait is
 * wait4(-1, ...), so init also reaps orphans that the kernel hands to it.
 * A shell that exits within a second of starting (a missing /bin/sh, say)
 * is restarted only after a second's pause, so init never spins.
 * For tests on a host: --rc FILE and --shell PATH replace the two paths. */
#include <errno.h>
#include <progutil.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *program_name = "init";

static const char *rc_path = "/etc/rc";
static const char *shell_path = "/bin/sh";

static int usage(FILE *out, int status)
{
    fputs("Usage: init [--rc FILE] [--shell PATH]\n"
          "Run `/bin/sh /etc/rc` if /etc/rc exists, then run /bin/sh on the console\n"
          "again and again; reap every child process.\n", out);
    return finish(status);
}

/* Starts shell_path with the given first argument (or none); returns the pid or -1. */
static pid_t start_shell(const char *argument)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction act = { .sa_handler = SIG_DFL };
        sigaction(SIGINT, &act, NULL);   /* -ENOSYS without signals: fine */
        char *argv[] = { "sh", (char *)argument, NULL };
        extern char **environ;
        execve(shell_path, argv, environ);
        warn_errno(shell_path);
        _exit(127);
    }
    if (pid < 0)
        warn_errno("fork");
    return pid;
}

/* Reaps children until pid has ended; returns its exit status (128+signal). */
static int wait_for(pid_t pid)
{
    for (;;) {
        int raw = 0;
        pid_t done = wait4(-1, &raw, 0, NULL);
        if (done < 0 && errno != EINTR) {
            warn_errno("wait4");
            return 1;
        }
        if (done == pid)
            return WIFSIGNALED(raw) ? 128 + WTERMSIG(raw) : WEXITSTATUS(raw);
    }
}

static void pause_one_second(void)
{
    struct timespec second = { 1, 0 };
    nanosleep(&second, NULL);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "--rc") == 0 && i + 1 < argc)
            rc_path = argv[++i];
        else if (strcmp(argv[i], "--shell") == 0 && i + 1 < argc)
            shell_path = argv[++i];
        else
            return usage(stderr, 2);
    }
    struct stat st;
    if (stat(rc_path, &st) == 0) {
        pid_t rc = start_shell(rc_path);
        if (rc > 0)
            wait_for(rc);
    }
    for (;;) {
        time_t started = time(NULL);
        pid_t pid = start_shell(NULL);
        if (pid < 0) {
            pause_one_second();
            continue;
        }
        int status = wait_for(pid);
        printf("init: shell exited with status %d; starting a new one\n", status);
        fflush(stdout);
        if (time(NULL) - started < 1)
            pause_one_second();
    }
}
