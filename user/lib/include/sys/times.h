/* sys/times.h -- process times (times, call 43): clock ticks of user and
 * system time of the process and of its waited-for children. */
#ifndef _SYS_TIMES_H
#define _SYS_TIMES_H
#include <sys/types.h>

struct tms {
    clock_t tms_utime;
    clock_t tms_stime;
    clock_t tms_cutime;
    clock_t tms_cstime;
};
clock_t times(struct tms *buffer);
#endif
