/* which -- prints where the shell would find each command, as Debian's
 * which (debianutils) does: for a NAME with a '/', NAME itself when it is
 * an executable regular file; otherwise DIR/NAME for the first directory of
 * $PATH (an empty entry is ".") that holds an executable regular file of
 * that name, or for every one with -a.
 * Exit status, as Debian's: 0 when every NAME was found, 1 when one was not
 * (or no NAME was given), 2 on an unknown option.
 * Must stay true: $PATH splits as the shell splits it with IFS=':' after
 * Debian's which appends a ':' to a PATH ending in one ':' (so "a:" means
 * "a" and ".", "" means no directory). */
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "which";

static int usage(FILE *out, int status)
{
    fputs("Usage: which [-a] NAME...\n"
          "Print the path of the file each NAME runs as a command, searched in $PATH.\n"
          "  -a  print all matches in $PATH, not just the first\n"
          "Exit status: 0 if every NAME was found, 1 if not, 2 on a usage error.\n", out);
    return finish(status);
}

static int is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Prints the matches of name in path_list; returns whether there was one. */
static int search(const char *name, const char *path_list, int all)
{
    int found = 0;
    size_t length = strlen(path_list);
    char *copy = malloc(length + 2);
    if (!copy) {
        warn_errno("malloc");
        exit(1);
    }
    memcpy(copy, path_list, length + 1);
    if (length >= 2 && copy[length - 1] == ':' && copy[length - 2] != ':')
        strcat(copy, ":");
    /* Fields end at each ':'; the text after the last ':' is one more
     * field only when it is not empty. */
    char *field = copy;
    for (;;) {
        char *colon = strchr(field, ':');
        if (!colon && !*field)
            break;
        if (colon)
            *colon = '\0';
        const char *directory = *field ? field : ".";
        char *candidate = join_path(directory, name);
        if (candidate && is_executable_file(candidate)) {
            printf("%s/%s\n", directory, name);   /* as Debian's prints it, "/bin//ls" too */
            found = 1;
        }
        free(candidate);
        if ((found && !all) || !colon)
            break;
        field = colon + 1;
    }
    free(copy);
    return found;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int all = 0, c;
    while ((c = getopt(argc, argv, "a")) != -1) {
        if (c != 'a')
            return usage(stderr, 2);
        all = 1;
    }
    int status = optind < argc ? 0 : 1;
    const char *path_list = getenv("PATH");
    for (int i = optind; i < argc; i++) {
        const char *name = argv[i];
        int found;
        if (strchr(name, '/')) {
            found = is_executable_file(name);
            if (found)
                puts(name);
        } else {
            found = path_list && *path_list && search(name, path_list, all);
        }
        if (!found)
            status = 1;
    }
    return finish(status);
}
