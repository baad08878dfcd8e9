/* touch -- sets the access and modification times of each FILE to now
 * (utimensat, call 320), creating it empty when it does not exist.
 *   -c  do not create missing files (and say nothing about them)
 *   -a  change only the access time
 *   -m  change only the modification time
 * Errors as coreutils: "touch: cannot touch 'X': reason", exit 1. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *program_name = "touch";

static int usage(FILE *out, int status)
{
    fputs("Usage: touch [-a] [-c] [-m] FILE...\n"
          "Update the access and modification times of each FILE to the current time.\n"
          "A FILE argument that does not exist is created empty, unless -c is given.\n"
          "  -a  change only the access time\n"
          "  -c  do not create any files\n"
          "  -m  change only the modification time\n", out);
    return finish(status);
}

static int touch_file(const char *path, int create, const struct timespec times[2])
{
    if (create) {
        int fd = open(path, O_WRONLY | O_CREAT | O_NOCTTY, 0666);
        if (fd < 0 && errno != EISDIR) {
            warn_message("cannot touch '%s': %s", path, strerror(errno));
            return 1;
        }
        if (fd >= 0)
            close(fd);
    }
    if (utimensat(AT_FDCWD, path, times, 0) < 0) {
        if (!create && errno == ENOENT)
            return 0;
        warn_message("setting times of '%s': %s", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int create = 1, only_access = 0, only_modification = 0;
    int c;
    while ((c = getopt(argc, argv, "acm")) != -1) {
        if (c == 'a')
            only_access = 1;
        else if (c == 'c')
            create = 0;
        else if (c == 'm')
            only_modification = 1;
        else
            return usage(stderr, 1);
    }
    if (optind == argc) {
        warn_message("missing file operand");
        fputs("Try 'touch --help' for more information.\n", stderr);
        return 1;
    }
    /* -a and -m together, like neither, change both times. */
    struct timespec times[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
    if (only_access && !only_modification)
        times[1].tv_nsec = UTIME_OMIT;
    if (only_modification && !only_access)
        times[0].tv_nsec = UTIME_OMIT;
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= touch_file(argv[i], create, times);
    return finish(status);
}
