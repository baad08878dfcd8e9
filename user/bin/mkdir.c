/* mkdir -- creates each DIRECTORY (mkdir, call 39).
 *   -p       make missing parent directories as needed; an existing
 *            directory is no error
 *   -v       print "mkdir: created directory 'X'" for each one made
 *   -m MODE  set the permission bits of the new directories to MODE (octal),
 *            with chmod afterwards so the umask does not narrow them
 * Errors as coreutils: "mkdir: cannot create directory 'X': reason", exit 1;
 * a usage error (unknown option, missing operand) also exits 1, as coreutils. */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "mkdir";

static int usage(FILE *out, int status)
{
    fputs("Usage: mkdir [-p] [-v] [-m MODE] DIRECTORY...\n"
          "Create the DIRECTORY(ies), if they do not already exist.\n"
          "  -m MODE  set file mode (octal, as in chmod), not a=rwx - umask\n"
          "  -p       no error if existing, make parent directories as needed\n"
          "  -v       print a message for each created directory\n", out);
    return finish(status);
}

static int verbose;

static void say_created(const char *path)
{
    if (verbose)
        printf("mkdir: created directory '%s'\n", path);
}

static void cannot_create(const char *path)
{
    warn_message("cannot create directory '%s': %s", path, strerror(errno));
}

/* Creates every missing ancestor of path (not path itself) with mode 0777
 * (narrowed by the umask). Returns 0, or -1 with the error reported. */
static int make_parents(const char *path)
{
    char *prefix = strdup(path);
    if (!prefix)
        return -1;
    for (char *slash = strchr(prefix + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        if (slash[-1] == '/')
            continue;       /* "a//b": the empty name between slashes */
        *slash = '\0';
        struct stat st;
        if (mkdir(prefix, 0777) == 0) {
            say_created(prefix);
        } else if (errno != EEXIST) {
            cannot_create(prefix);
            free(prefix);
            return -1;
        }
        if (stat(prefix, &st) == 0 && !S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            cannot_create(prefix);
            free(prefix);
            return -1;
        }
        *slash = '/';
    }
    free(prefix);
    return 0;
}

/* Creates one operand; returns 0 or 1 (reported). */
static int make_directory(const char *path, int with_parents, int mode_given, mode_t mode)
{
    if (with_parents && make_parents(path) < 0)
        return 1;
    if (mkdir(path, mode) < 0) {
        struct stat st;
        if (with_parents && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        cannot_create(path);
        return 1;
    }
    say_created(path);
    if (mode_given && chmod(path, mode) < 0) {
        warn_message("cannot set permissions of '%s': %s", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int with_parents = 0, mode_given = 0;
    mode_t mode = 0777;
    int c;
    while ((c = getopt(argc, argv, "pvm:")) != -1) {
        if (c == 'p') {
            with_parents = 1;
        } else if (c == 'v') {
            verbose = 1;
        } else if (c == 'm') {
            char *end;
            unsigned long value = strtoul(optarg, &end, 8);
            if (*optarg == '\0' || *end != '\0' || value > 07777) {
                warn_message("invalid mode '%s'", optarg);
                return 1;
            }
            mode = (mode_t)value;
            mode_given = 1;
        } else {
            return usage(stderr, 1);
        }
    }
    if (optind == argc) {
        warn_message("missing operand");
        suggest_help();
        return 1;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= make_directory(argv[i], with_parents, mode_given, mode);
    return finish(status);
}
