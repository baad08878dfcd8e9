/* cat -- copies each FILE (or standard input for "-" or no FILE) to
 * standard output, byte for byte. A regular file goes through sendfile(2)
 * first, as busybox's cat does: the kernel moves the bytes itself (from the
 * page cache to a device without any copy); when it cannot, or anything
 * goes wrong, the read/write loop on a 64 KiB buffer (no stdio on the data
 * path) carries on from where sendfile stopped and reports errors. A file that cannot be read is reported as
 * "cat: FILE: reason" and skipped; the exit status is then 1. A failed
 * write (closed pipe, closed stdout) is reported and ends cat with 1. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *program_name = "cat";

static char buffer[64 * 1024];

static int usage(FILE *out, int status)
{
    fputs("Usage: cat [FILE]...\n"
          "Concatenate FILEs to standard output; with no FILE, or when FILE is -,\n"
          "read standard input.\n", out);
    return finish(status);
}

/* sendfile until the end of a regular file: 1 when it got there, 0 when
 * the read/write loop must go on (not a regular file, or sendfile failed:
 * the loop meets the same error and reports it). */
static int send_whole_file(int fd)
{
    struct stat status;
    if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode))
        return 0;
    for (;;) {
        long sent = syscall4(SYS_sendfile64, STDOUT_FILENO, fd, 0, 1L << 30);
        if (sent == 0)
            return 1;
        if (sent < 0)
            return 0;
    }
}

/* Returns 0, 1 for a read error (reported), or -1 for a write error (reported). */
static int copy(int fd, const char *name)
{
    if (send_whole_file(fd))
        return 0;
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            warn_errno(name);
            return 1;
        }
        if (n == 0)
            return 0;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(STDOUT_FILENO, buffer + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                warn_errno("write error");
                return -1;
            }
            done += w;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "u")) != -1)   /* -u (unbuffered) is what we do anyway */
        if (c == '?')
            return usage(stderr, 2);

    int status = 0;
    if (optind == argc)
        return copy(STDIN_FILENO, "-") == 0 ? 0 : 1;
    for (int i = optind; i < argc; i++) {
        const char *name = argv[i];
        int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
        if (fd < 0) {
            warn_errno(name);
            status = 1;
            continue;
        }
        int r = copy(fd, name);
        if (fd != STDIN_FILENO)
            close(fd);
        if (r < 0)
            return 1;
        if (r > 0)
            status = 1;
    }
    return status;
}
