/* sys/ioctl.h -- ioctl (call 54) and the request numbers we use. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H
#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
int ioctl(int fd, unsigned long request, ...);
#endif
