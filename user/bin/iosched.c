/* iosched -- shows or changes a disk's I/O scheduler.
 *   iosched DEVICE         prints every scheduler, the one in use in brackets,
 *                          as Linux's /sys/block/DISK/queue/scheduler reads:
 *                          "noop [elevator] deadline"
 *   iosched DEVICE NAME    switches DEVICE to NAME at once; requests already
 *                          queued move over to the new scheduler
 * Through this kernel's BLKIOSCHED_GET/SET ioctls (sys/iosched.h). Linux has
 * no such ioctls: there (or on a file that is not a disk) the request is
 * refused with ENOTTY, and iosched says so.
 * Exit status: 0, 1 on a runtime error, 2 on a usage error. Errors read
 * "iosched: DEVICE: reason". */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/iosched.h>
#include <unistd.h>

const char *program_name = "iosched";

static int usage(FILE *out, int status)
{
    fputs("Usage: iosched DEVICE [SCHEDULER]\n"
          "Show the I/O scheduler of a disk, or switch it.\n"
          "  iosched /dev/ram0            prints e.g. \"noop [elevator] deadline\":\n"
          "                               the schedulers, the one in use in brackets\n"
          "  iosched /dev/ram0 deadline   switches to deadline (noop, elevator, deadline)\n"
          "Uses this kernel's BLKIOSCHED_GET/SET ioctls; other kernels refuse them.\n", out);
    return finish(status);
}

/* Reads the scheduler line into info; on failure says why and returns -1.
 * Our kernel fails BLKIOSCHED_GET only with EFAULT or ENOTTY; Linux refuses
 * an unknown request with ENOTTY, or EINVAL from some drivers (loop), so
 * both of those mean "not a disk of this kernel". */
static int read_schedulers(int fd, const char *device, struct iosched_info *info)
{
    memset(info, 0, sizeof *info);
    if (ioctl(fd, BLKIOSCHED_GET, info) == 0) {
        info->available[IOSCHED_LIST_BYTES - 1] = '\0';
        return 0;
    }
    if (errno == ENOTTY || errno == EINVAL)
        warn_message("%s: not a disk of this kernel (no BLKIOSCHED ioctls here)", device);
    else
        warn_message("%s: cannot read the I/O scheduler: %s", device, strerror(errno));
    return -1;
}

static int show(int fd, const char *device)
{
    struct iosched_info info;
    if (read_schedulers(fd, device, &info) < 0)
        return 1;
    printf("%s\n", info.available);
    return 0;
}

static int change(int fd, const char *device, const char *scheduler)
{
    /* Asking first tells "not our kernel" from "no such scheduler". */
    struct iosched_info info;
    if (read_schedulers(fd, device, &info) < 0)
        return 1;
    char name[IOSCHED_NAME_BYTES];
    memset(name, 0, sizeof name);
    strncpy(name, scheduler, sizeof name - 1);
    if (strlen(scheduler) < sizeof name && ioctl(fd, BLKIOSCHED_SET, name) == 0)
        return 0;
    if (strlen(scheduler) >= sizeof name || errno == EINVAL)
        warn_message("%s: unknown I/O scheduler '%s' (choose from: %s)", device, scheduler, info.available);
    else
        warn_message("%s: cannot switch the I/O scheduler: %s", device, strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
        warn_message("unknown option '%s'", argv[1]);
        return usage(stderr, 2);
    }
    if (argc < 2 || argc > 3) {
        warn_message(argc < 2 ? "missing DEVICE" : "extra operand '%s'", argc > 3 ? argv[3] : "");
        return usage(stderr, 2);
    }
    const char *device = argv[1];
    int fd = open(device, O_RDONLY);
    if (fd < 0) {
        warn_errno(device);
        return finish(1);
    }
    int status = argc == 2 ? show(fd, device) : change(fd, device, argv[2]);
    close(fd);
    return finish(status);
}
