/* termios.c -- libc layer: the POSIX terminal calls (termios.h) as thin
 * wrappers of the terminal ioctls of the Linux i386 ABI.
 *
 * tcsetattr's `when` picks the request: TCSANOW -> TCSETS, TCSADRAIN ->
 * TCSETSW (after pending output is written), TCSAFLUSH -> TCSETSF (also
 * discards unread input). The speed is the CBAUD field of c_cflag, the
 * same for input and output, as on Linux.
 * Must stay true: struct termios goes to the kernel unchanged (36 bytes). */
#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>

_Static_assert(sizeof(struct termios) == 36, "the i386 kernel's struct termios is 36 bytes");

int tcgetattr(int fd, struct termios *termios)
{
    return ioctl(fd, TCGETS, termios);
}

int tcsetattr(int fd, int when, const struct termios *termios)
{
    unsigned long request;
    switch (when) {
    case TCSANOW: request = TCSETS; break;
    case TCSADRAIN: request = TCSETSW; break;
    case TCSAFLUSH: request = TCSETSF; break;
    default: errno = EINVAL; return -1;
    }
    return ioctl(fd, request, (void *)termios);
}

/* TCSBRK with a non-zero argument waits for the output, sends no break. */
int tcdrain(int fd) { return ioctl(fd, TCSBRK, (void *)1); }
int tcflush(int fd, int queue) { return ioctl(fd, TCFLSH, (void *)(long)queue); }
int tcflow(int fd, int action) { return ioctl(fd, TCXONC, (void *)(long)action); }
int tcsendbreak(int fd, int duration)
{
    (void)duration;   /* Linux, too, sends a break of 0.25-0.5 s whatever the duration */
    return ioctl(fd, TCSBRK, (void *)0);
}

/* As glibc's: bytes in and out unchanged, one at a time, no signals. */
void cfmakeraw(struct termios *termios)
{
    termios->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    termios->c_oflag &= ~(tcflag_t)OPOST;
    termios->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    termios->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    termios->c_cflag |= CS8;
    termios->c_cc[VMIN] = 1;
    termios->c_cc[VTIME] = 0;
}

speed_t cfgetospeed(const struct termios *termios) { return termios->c_cflag & CBAUD; }
speed_t cfgetispeed(const struct termios *termios) { return termios->c_cflag & CBAUD; }

int cfsetospeed(struct termios *termios, speed_t speed)
{
    if (speed & ~(speed_t)CBAUD) {
        errno = EINVAL;
        return -1;
    }
    termios->c_cflag = (termios->c_cflag & ~(tcflag_t)CBAUD) | speed;
    return 0;
}

/* One speed for both directions; 0 means "the same as the output". */
int cfsetispeed(struct termios *termios, speed_t speed)
{
    return speed == 0 ? 0 : cfsetospeed(termios, speed);
}

int cfsetspeed(struct termios *termios, speed_t speed) { return cfsetospeed(termios, speed); }
