/* env -- prints the environment, or runs a command in a changed one.
 *   env [-i] [-u NAME]... [NAME=VALUE]... [COMMAND [ARG]...]
 * -i starts from an empty environment, -u removes NAME, NAME=VALUE sets.
 * With no COMMAND the resulting environment is printed, one NAME=VALUE per
 * line; with one, COMMAND is found on $PATH and executed (execve, call 11),
 * and, like coreutils, env exits 127 if it does not exist and 126 if it
 * cannot be run. */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "env";

static int usage(FILE *out, int status)
{
    fputs("Usage: env [-i] [-u NAME]... [NAME=VALUE]... [COMMAND [ARG]...]\n"
          "Set each NAME to VALUE in the environment and run COMMAND,\n"
          "or print the resulting environment when no COMMAND is given.\n"
          "  -i  start with an empty environment\n"
          "  -u  remove variable NAME from the environment\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    static char *empty[] = { NULL };
    while ((c = getopt(argc, argv, "+iu:")) != -1) {
        switch (c) {
        case 'i': environ = empty; break;
        case 'u':
            if (unsetenv(optarg) < 0) {
                warn_errno(optarg);
                return 125;
            }
            break;
        default: return usage(stderr, 125);
        }
    }
    int i = optind;
    for (; i < argc && strchr(argv[i], '='); i++) {
        char *eq = strchr(argv[i], '=');
        *eq = '\0';
        if (setenv(argv[i], eq + 1, 1) < 0) {
            *eq = '=';
            warn_errno(argv[i]);
            return 125;
        }
    }
    if (i == argc) {
        for (char **e = environ; *e; e++)
            puts(*e);
        return finish(0);
    }
    fflush(stdout);
    execvp(argv[i], argv + i);
    int saved = errno;
    warn_errno(argv[i]);
    return saved == ENOENT ? 127 : 126;
}
