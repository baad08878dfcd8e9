/* sys/time.h -- struct timeval, gettimeofday (call 78) and settimeofday
 * (call 79), as Linux i386 has them: two 32-bit longs (time.c); interval
 * timers, setitimer (104) and getitimer (105) (timers.c). */
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

struct itimerval {
    struct timeval it_interval;  /* re-armed with this after each expiry; 0: once */
    struct timeval it_value;     /* time to the next expiry; 0: disarmed */
};
#define ITIMER_REAL 0       /* real time: SIGALRM */
#define ITIMER_VIRTUAL 1    /* user CPU time: SIGVTALRM */
#define ITIMER_PROF 2       /* all CPU time: SIGPROF */

int setitimer(int which, const struct itimerval *value, struct itimerval *old_value);
int getitimer(int which, struct itimerval *value);

int gettimeofday(struct timeval *tv, void *tz);
/* settimeofday (call 79): sets the calendar clock; root only (EPERM). */
int settimeofday(const struct timeval *tv, const void *tz);
#endif
