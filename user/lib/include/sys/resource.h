/* sys/resource.h -- resource limits: getrlimit, setrlimit, prlimit.
 * resource.c: getrlimit over ugetrlimit (call 191), setrlimit (75) and
 * prlimit over prlimit64 (340); -1 with errno on failure.
 * Must stay true: struct rlimit is Linux's i386 one (two unsigned longs,
 * RLIM_INFINITY ~0UL), struct rlimit64 two 64-bit values, and the
 * RLIMIT_ numbers are Linux's. */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <sys/types.h>

typedef unsigned long rlim_t;
#define RLIM_INFINITY (~0UL)
#define RLIM64_INFINITY (~0ULL)

struct rlimit {
    rlim_t rlim_cur; /* the soft limit */
    rlim_t rlim_max; /* the hard limit */
};

struct rlimit64 {
    unsigned long long rlim_cur;
    unsigned long long rlim_max;
};

#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIMIT_NLIMITS 16

int getrlimit(int resource, struct rlimit *limit);
int setrlimit(int resource, const struct rlimit *limit);
int prlimit(pid_t pid, int resource, const struct rlimit64 *new_limit, struct rlimit64 *old_limit);

#endif
