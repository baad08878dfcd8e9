/* time.h -- struct timespec as the 32-bit i386 calls (nanosleep 162,
 * clock_gettime 265) read and write it: two 32-bit longs. */
#ifndef _TIME_H
#define _TIME_H
#include <sys/types.h>

struct timespec {
    long tv_sec;
    long tv_nsec;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

int nanosleep(const struct timespec *request, struct timespec *remaining);
int clock_gettime(clockid_t clock, struct timespec *ts);
time_t time(time_t *out);
#endif
