/* tee -- copies standard input to standard output and to each FILE, as
 * coreutils' tee does: FILEs are truncated (appended to with -a) and
 * created with mode 0666 less the umask; "-" is a file of that name.
 * A FILE that cannot be opened or written is reported ("tee: FILE:
 * reason") and left out from then on; the others go on receiving, and the
 * exit status is 1. -i ignores SIGINT (the interrupt key).
 * Exit status 0 when every write succeeded; 1 otherwise; 2 on an unknown
 * option. Must stay true: every byte read is written to every output still
 * open, in order, before the next read. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "tee";

static int usage(FILE *out, int status)
{
    fputs("Usage: tee [-ai] [FILE]...\n"
          "Copy standard input to each FILE, and also to standard output.\n"
          "  -a  append to the given FILEs, do not overwrite\n"
          "  -i  ignore interrupt signals\n", out);
    return finish(status);
}

/* Writes all of data to fd; 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n, size -= (size_t)n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int append = 0, c;
    while ((c = getopt(argc, argv, "ai")) != -1) {
        switch (c) {
        case 'a': append = 1; break;
        case 'i': signal(SIGINT, SIG_IGN); break;
        default: return usage(stderr, 2);
        }
    }
    int count = argc - optind + 1, status = 0;
    int *fds = malloc(sizeof(int) * (size_t)count);
    const char **names = malloc(sizeof(char *) * (size_t)count);
    if (!fds || !names) {
        warn_errno("malloc");
        return 1;
    }
    fds[0] = 1, names[0] = "standard output";
    int flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
    for (int i = 1; i < count; i++) {
        names[i] = argv[optind + i - 1];
        fds[i] = open(names[i], flags, 0666);
        if (fds[i] < 0) {
            warn_errno(names[i]);
            status = 1;
        }
    }
    static char block[64 * 1024];
    for (;;) {
        ssize_t n = read(0, block, sizeof block);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            warn_errno("read error");
            status = 1;
            break;
        }
        if (n == 0)
            break;
        for (int i = 0; i < count; i++) {
            if (fds[i] >= 0 && write_all(fds[i], block, (size_t)n) < 0) {
                warn_errno(names[i]);
                status = 1;
                fds[i] = -1;
            }
        }
    }
    for (int i = 1; i < count; i++) {
        if (fds[i] >= 0 && close(fds[i]) < 0) {
            warn_errno(names[i]);
            status = 1;
        }
    }
    return status;
}
