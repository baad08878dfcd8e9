/* sync -- without operands, asks the kernel to write every dirty buffer of
 * every file system to its disk (sync, call 36); with FILE operands, writes
 * just those files' data and metadata (fsync, call 118) instead.
 * Errors as coreutils: "sync: error opening 'X': reason" and
 * "sync: error syncing 'X': reason", exit 1. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "sync";

static int usage(FILE *out, int status)
{
    fputs("Usage: sync [FILE]...\n"
          "Synchronize cached writes to persistent storage.\n"
          "With FILE operands, synchronize only those files.\n", out);
    return finish(status);
}

static int sync_file(const char *path)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        warn_message("error opening '%s': %s", path, strerror(errno));
        return 1;
    }
    int status = 0;
    if (fsync(fd) < 0) {
        warn_message("error syncing '%s': %s", path, strerror(errno));
        status = 1;
    }
    close(fd);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "")) != -1)
        return usage(stderr, 1);
    if (optind == argc) {
        sync();
        return 0;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= sync_file(argv[i]);
    return finish(status);
}
