/* sys/time.h -- struct timeval, gettimeofday (call 78) and settimeofday
 * (call 79), as Linux i386 has them: two 32-bit longs (time.c). */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H
#include <sys/types.h>

struct timeval {
    long tv_sec;
    long tv_usec;
};

struct timezone {
    int tz_minuteswest;
    int tz_dsttime;
};

int gettimeofday(struct timeval *tv, void *tz);
/* settimeofday (call 79): sets the calendar clock; root only (EPERM). */
int settimeofday(const struct timeval *tv, const void *tz);
#endif
