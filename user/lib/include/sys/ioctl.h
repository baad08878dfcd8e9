/* sys/ioctl.h -- ioctl (call 54) and the request numbers we use.
 * Must stay true: every number and struct equals Linux's i386 one
 * (include/uapi/asm-generic/ioctls.h, termios.h). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H
#define TCGETS 0x5401
#define TCSETS 0x5402       /* set now */
#define TCSETSW 0x5403      /* set after the output drained */
#define TCSETSF 0x5404      /* drain output, discard pending input, then set */
#define TCSBRK 0x5409
#define TCXONC 0x540A
#define TCFLSH 0x540B
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B

/* The terminal's size in characters (and pixels, usually 0). */
struct winsize {
    unsigned short ws_row;
    unsigned short ws_col;
    unsigned short ws_xpixel;
    unsigned short ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);
#endif
