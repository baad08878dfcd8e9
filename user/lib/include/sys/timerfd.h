/* sys/timerfd.h -- timers read from a file: timerfd_create (call 322),
 * timerfd_settime (325) and timerfd_gettime (326), in events.c.
 * struct itimerspec is two 32-bit timespecs, as the i386 calls take it. */
#ifndef _SYS_TIMERFD_H
#define _SYS_TIMERFD_H
#include <time.h>

#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_NONBLOCK 04000
#define TFD_CLOEXEC 02000000
#ifndef CLOCK_BOOTTIME
#define CLOCK_BOOTTIME 7
#endif

struct itimerspec {
    struct timespec it_interval;
    struct timespec it_value;
};

int timerfd_create(int clock, int flags);
int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old);
int timerfd_gettime(int fd, struct itimerspec *value);
#endif
