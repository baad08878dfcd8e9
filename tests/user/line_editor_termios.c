/* line_editor_termios.c -- test program for libc's termios (user/lib/
 * termios.c), the line editor's way to raw mode. Built twice: by user/user.mk
 * on our libc, and by test_line_editor_pty.py with the host's C compiler on
 * glibc, the reference; both run on a pseudo-terminal and must print the
 * same. It prints the terminal's modes, then cfmakeraw and cfsetospeed's
 * result as tcgetattr reads it back, the errors of bad calls, the window
 * size, and the modes once restored with TCSAFLUSH.
 * Must stay true: only POSIX termios calls, so glibc builds it unchanged. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, const struct termios *t)
{
    printf("%s: iflag %o oflag %o cflag %o lflag %o speed %o vmin %d vtime %d intr %d erase %d eof %d\n",
           what, (unsigned)t->c_iflag, (unsigned)t->c_oflag, (unsigned)t->c_cflag, (unsigned)t->c_lflag,
           (unsigned)cfgetospeed(t), t->c_cc[VMIN], t->c_cc[VTIME], t->c_cc[VINTR], t->c_cc[VERASE],
           t->c_cc[VEOF]);
}

int main(void)
{
    struct termios saved, raw, now;
    if (tcgetattr(0, &saved) != 0) {
        printf("tcgetattr: errno %d\n", errno);
        return 1;
    }
    show("before", &saved);
    raw = saved;
    cfmakeraw(&raw);
    cfsetospeed(&raw, B9600);
    cfsetispeed(&raw, B9600);
    int set = tcsetattr(0, TCSADRAIN, &raw);
    tcgetattr(0, &now);
    printf("tcsetattr TCSADRAIN: %d\n", set);
    show("raw", &now);
    int result = tcsetattr(0, 99, &raw);
    printf("tcsetattr when=99: %d errno %d\n", result, errno);
    int null = open("/dev/null", O_RDWR);
    result = tcgetattr(null, &now);
    printf("tcgetattr /dev/null: %d errno %d\n", result, errno);
    struct winsize size;
    if (ioctl(0, TIOCGWINSZ, &size) == 0)
        printf("window: %d rows %d columns\n", size.ws_row, size.ws_col);
    printf("tcsetattr TCSAFLUSH: %d\n", tcsetattr(0, TCSAFLUSH, &saved));
    printf("tcsetattr TCSANOW: %d\n", tcsetattr(0, TCSANOW, &saved));
    tcgetattr(0, &now);
    show("restored", &now);
    printf("tcdrain: %d\n", tcdrain(1));
    return 0;
}
