/* rmdir -- removes each empty DIRECTORY (rmdir, call 40).
 *   -p  then remove each parent named in the operand, as "rmdir a/b/c"
 *       followed by "rmdir a/b" and "rmdir a"; stops at the first failure
 *   -v  print "rmdir: removing directory, 'X'" before each removal
 * Errors as coreutils: "rmdir: failed to remove 'X': reason", exit 1. */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "rmdir";

static int usage(FILE *out, int status)
{
    fputs("Usage: rmdir [-p] [-v] DIRECTORY...\n"
          "Remove the DIRECTORY(ies), if they are empty.\n"
          "  -p  remove DIRECTORY and its ancestors; e.g., 'rmdir -p a/b' is similar\n"
          "      to 'rmdir a/b a'\n"
          "  -v  output a diagnostic for every directory processed\n", out);
    return finish(status);
}

static int verbose;

static int remove_one(const char *path)
{
    if (verbose) {
        printf("rmdir: removing directory, '%s'\n", path);
        fflush(stdout);   /* before a message about it on stderr */
    }
    if (rmdir(path) == 0)
        return 0;
    warn_message("failed to remove '%s': %s", path, strerror(errno));
    return 1;
}

/* Cuts the last name off path in place ("a/b//c/" -> "a/b"); returns 0 when
 * nothing is left to remove. */
static int strip_last_name(char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    while (n > 1 && path[n - 1] == '/')
        n--;
    path[n] = '\0';
    return n > 0 && strcmp(path, "/") != 0;
}

static int remove_with_parents(const char *operand)
{
    char *path = strdup(operand);
    int status = remove_one(path);
    while (status == 0 && strip_last_name(path))
        status = remove_one(path);
    free(path);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int with_parents = 0;
    int c;
    while ((c = getopt(argc, argv, "pv")) != -1) {
        if (c == 'p')
            with_parents = 1;
        else if (c == 'v')
            verbose = 1;
        else
            return usage(stderr, 1);
    }
    if (optind == argc) {
        warn_message("missing operand");
        suggest_help();
        return 1;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= with_parents ? remove_with_parents(argv[i]) : remove_one(argv[i]);
    return finish(status);
}
