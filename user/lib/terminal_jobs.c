/* terminal_jobs.c -- libc: a terminal's foreground process group, through
 * the ioctls TIOCGPGRP (0x540F) and TIOCSPGRP (0x5410), as POSIX's
 * tcgetpgrp() and tcsetpgrp().
 *
 * Must stay true: these are the only functions here; termios settings live
 * in termios.c. */
#include <sys/ioctl.h>
#include <unistd.h>

pid_t tcgetpgrp(int fd)
{
    pid_t group = 0;
    if (ioctl(fd, TIOCGPGRP, &group) < 0)
        return -1;
    return group;
}

int tcsetpgrp(int fd, pid_t group)
{
    return ioctl(fd, TIOCSPGRP, &group);
}
