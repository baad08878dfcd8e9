/* sys/epoll.h -- waiting on a set of files: epoll_create1 (call 329),
 * epoll_ctl (255), epoll_wait (256), epoll_pwait (319), in events.c.
 * Must stay true: struct epoll_event is packed, 12 bytes, as on i386 Linux. */
#ifndef _SYS_EPOLL_H
#define _SYS_EPOLL_H
#include <signal.h>
#include <stdint.h>

#define EPOLL_CLOEXEC 02000000
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

#define EPOLLIN 0x001
#define EPOLLPRI 0x002
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLRDNORM 0x040
#define EPOLLWRNORM 0x100
#define EPOLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)

typedef union epoll_data {
    void *ptr;
    int fd;
    uint32_t u32;
    uint64_t u64;
} epoll_data_t;

struct epoll_event {
    uint32_t events;
    epoll_data_t data;
} __attribute__((packed));

int epoll_create(int size);
int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int epoll_wait(int epfd, struct epoll_event *events, int max_events, int timeout_ms);
int epoll_pwait(int epfd, struct epoll_event *events, int max_events, int timeout_ms, const sigset_t *mask);
#endif
