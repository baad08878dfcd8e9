/* kill -- sends a signal (default TERM) to each PID:
 *   kill [-SIGNAL | -s SIGNAL] PID...      kill -l
 * SIGNAL is a name (INT, TERM, KILL, ... with or without SIG) or a number.
 * Each PID that fails is reported as "kill: PID: reason"; the status is then 1.
 * A bad signal or no PID is a usage error (status 2). */
#include <ctype.h>
#include <errno.h>
#include <progutil.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

const char *program_name = "kill";

static const struct { const char *name; int number; } signals[] = {
    {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ABRT", SIGABRT},
    {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},
};
#define SIGNAL_COUNT (int)(sizeof signals / sizeof signals[0])

static int usage(FILE *out, int status)
{
    fputs("Usage: kill [-SIGNAL | -s SIGNAL] PID...\n"
          "   or: kill -l\n"
          "Send SIGNAL (a name such as INT, TERM, KILL, or a number; default TERM)\n"
          "to each process PID.\n", out);
    return finish(status);
}

/* The number of a signal name or number, or -1. */
static int parse_signal(const char *s)
{
    if (isdigit((unsigned char)*s)) {
        char *end;
        long n = strtol(s, &end, 10);
        return *end || n < 0 || n >= NSIG ? -1 : (int)n;
    }
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (int i = 0; i < SIGNAL_COUNT; i++)
        if (strcmp(s, signals[i].name) == 0)
            return signals[i].number;
    return -1;
}

static int send(const char *arg, int sig)
{
    char *end;
    long pid = strtol(arg, &end, 10);
    if (!*arg || *end) {
        warn_message("%s: invalid process id", arg);
        return 1;
    }
    if (kill((pid_t)pid, sig) < 0) {
        warn_errno(arg);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int sig = SIGTERM, i = 1;
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    if (argc > 1 && strcmp(argv[1], "-l") == 0) {
        for (int j = 0; j < SIGNAL_COUNT; j++)
            printf("%d %s\n", signals[j].number, signals[j].name);
        return finish(0);
    }
    const char *signal_text = NULL;
    if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
        signal_text = argv[i + 1];
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
        signal_text = argv[i++] + 1;
    }
    if (signal_text && (sig = parse_signal(signal_text)) < 0) {
        warn_message("%s: invalid signal", signal_text);
        return usage(stderr, 2);
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i == argc) {
        warn_message("missing process id");
        return usage(stderr, 2);
    }
    int status = 0;
    for (; i < argc; i++)
        status |= send(argv[i], sig);
    return finish(status);
}
