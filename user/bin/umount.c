/* umount -- detaches the file systems mounted on each TARGET:
 *   umount TARGET...
 * Each failure is reported as "umount: TARGET: reason" (EBUSY while a
 * program has a file or its working directory there); the exit status is
 * then 32, as util-linux's; 1 on a usage error. */
#include <progutil.h>
#include <string.h>
#include <sys/syscall.h>

const char *program_name = "umount";

#define SYS_umount2 52

static int usage(FILE *out, int status)
{
    fputs("Usage: umount TARGET...\n"
          "Detach the file system mounted on each directory TARGET.\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    if (argc > 1 && argv[1][0] == '-') {
        warn_message("invalid option -- '%s'", argv[1] + 1);
        return usage(stderr, 1);
    }
    if (argc < 2) {
        warn_message("missing operand");
        return usage(stderr, 1);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        long result = syscall2(SYS_umount2, (long)argv[i], 0);
        if (result < 0) {
            warn_message("%s: %s", argv[i], strerror((int)-result));
            status = 32;
        }
    }
    return finish(status);
}
