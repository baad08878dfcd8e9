/* memhog -- takes memory until there is none, to see who pays.
 *
 * A diagnostic program: it maps MIB MiB of anonymous memory, 1 MiB at a
 * time (so that no single mapping looks like an obvious overcommit), and
 * then writes every page -- with stores of its own, or with -k through the
 * kernel, by read() from /dev/zero. Anonymous pages get their memory on
 * the first write, so asking for more than the machine has succeeds, and
 * the writes are where memory runs out: the program is then killed
 * (SIGSEGV on our kernel; the OOM killer's SIGKILL on Linux), or with -k
 * read() fails with EFAULT. Either way the kernel must carry on and get all
 * of the memory back.
 *
 * Exit status: 0 when every page was written, 1 when mmap, open or read
 * failed, 2 for a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

const char *program_name = "memhog";

#define MIB (1024L * 1024L)
#define PAGE 4096L
#define MOST_MIB 4096

static char *mappings[MOST_MIB];

/* Writes every page of one mapping: stores, or read() from /dev/zero. */
static int fill(char *mapping, int zero_fd)
{
    if (zero_fd < 0) {
        for (long offset = 0; offset < MIB; offset += PAGE)
            mapping[offset] = 1;
        return 0;
    }
    for (long done = 0; done < MIB;) {
        long got = read(zero_fd, mapping + done, (size_t)(MIB - done));
        if (got <= 0) {
            warn_errno("read from /dev/zero");
            return -1;
        }
        done += got;
    }
    return 0;
}

static int usage(FILE *out, int status)
{
    fputs("Usage: memhog [-k] MIB\n"
          "Map MIB MiB of anonymous memory (at most 4096), 1 MiB at a time, and write\n"
          "every page of it. -k: let the kernel write it, by read() from /dev/zero.\n"
          "Where memory runs out the program is killed, or with -k read() fails.\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int kernel_writes = 0, c;
    while ((c = getopt(argc, argv, "k")) != -1) {
        if (c != 'k')
            return usage(stderr, 2);
        kernel_writes = 1;
    }
    if (optind == argc) {
        warn_message("missing operand");
        return usage(stderr, 2);
    }
    if (optind + 1 < argc) {
        warn_message("extra operand '%s'", argv[optind + 1]);
        return usage(stderr, 2);
    }
    char *end;
    long wanted = strtol(argv[optind], &end, 10);
    if (*end || wanted < 1 || wanted > MOST_MIB) {
        warn_message("invalid size '%s'", argv[optind]);
        return usage(stderr, 2);
    }
    int zero_fd = kernel_writes ? open("/dev/zero", O_RDONLY) : -1;
    if (kernel_writes && zero_fd < 0) {
        warn_errno("/dev/zero");
        return 1;
    }
    long mapped = 0;
    for (; mapped < wanted; mapped++) {
        mappings[mapped] = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mappings[mapped] == MAP_FAILED) {
            warn_errno("mmap");
            return 1;
        }
    }
    printf("memhog: mapped %ld MiB, writing it%s\n", mapped, kernel_writes ? " with read()" : "");
    fflush(stdout);
    for (long i = 0; i < mapped; i++) {
        if (fill(mappings[i], zero_fd) < 0) {
            printf("memhog: wrote %ld MiB\n", i);
            return finish(1);
        }
    }
    printf("memhog: wrote %ld MiB\n", mapped);
    return finish(0);
}
