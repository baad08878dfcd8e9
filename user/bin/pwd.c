/* pwd -- prints the current directory as the kernel reports it (getcwd,
 * call 183): the physical path, like coreutils' `pwd -P`. -L and -P are
 * accepted; both print the physical path. */
#include <limits.h>
#include <progutil.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "pwd";

static int usage(FILE *out, int status)
{
    fputs("Usage: pwd [-LP]\nPrint the full name of the current directory.\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "LP")) != -1)
        if (c == '?')
            return usage(stderr, 2);
    char path[PATH_MAX];
    if (!getcwd(path, sizeof path)) {
        warn_errno("getcwd");
        return 1;
    }
    puts(path);
    return finish(0);
}
