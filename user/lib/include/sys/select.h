/* sys/select.h -- select (call 142, _newselect) and pselect (308,
 * pselect6), implemented in poll.c, with fd_set as Linux's: FD_SETSIZE
 * bits in 32-bit words, bit (fd % 32) of word (fd / 32).
 * Linux's select writes the time left back into *timeout; so does ours. */
#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H

#include <signal.h>
#include <time.h>

#define FD_SETSIZE 1024

typedef struct {
    unsigned long fds_bits[FD_SETSIZE / 32];
} fd_set;

#define FD_ZERO(set) __builtin_memset((set), 0, sizeof(fd_set))
#define FD_SET(fd, set) ((set)->fds_bits[(fd) / 32] |= 1UL << ((fd) % 32))
#define FD_CLR(fd, set) ((set)->fds_bits[(fd) / 32] &= ~(1UL << ((fd) % 32)))
#define FD_ISSET(fd, set) (((set)->fds_bits[(fd) / 32] >> ((fd) % 32)) & 1)

#ifndef _STRUCT_TIMEVAL
#define _STRUCT_TIMEVAL
struct timeval {
    long tv_sec;
    long tv_usec;
};
#endif

int select(int nfds, fd_set *readable, fd_set *writable, fd_set *exceptional, struct timeval *timeout);
int pselect(int nfds, fd_set *readable, fd_set *writable, fd_set *exceptional, const struct timespec *timeout,
            const sigset_t *mask);

#endif
