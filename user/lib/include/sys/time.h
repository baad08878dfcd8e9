/* sys/time.h -- struct timeval and gettimeofday (call 78), as Linux i386
 * has them: two 32-bit longs. */
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
#endif
