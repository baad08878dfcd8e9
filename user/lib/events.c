/* events.c -- eventfd, timerfd and epoll wrappers (sys/eventfd.h,
 * sys/timerfd.h, sys/epoll.h): Linux i386's calls, unchanged. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>

_Static_assert(sizeof(struct epoll_event) == 12, "i386 epoll_event is packed");
_Static_assert(sizeof(struct itimerspec) == 16, "32-bit itimerspec");

#define RET(expr) return (int)__syscall_ret(expr)
#define L(x) ((long)(x))
#define KERNEL_SIGSET_SIZE 8

int eventfd(unsigned int initial, int flags) { RET(syscall2(328, L(initial), flags)); }
int timerfd_create(int clock, int flags) { RET(syscall2(322, clock, flags)); }
int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old)
{ RET(syscall4(325, fd, flags, L(value), L(old))); }
int timerfd_gettime(int fd, struct itimerspec *value) { RET(syscall2(326, fd, L(value))); }
int epoll_create(int size) { RET(syscall1(254, size)); }
int epoll_create1(int flags) { RET(syscall1(329, flags)); }
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event) { RET(syscall4(255, epfd, op, fd, L(event))); }
int epoll_wait(int epfd, struct epoll_event *events, int max_events, int timeout_ms)
{ RET(syscall4(256, epfd, L(events), max_events, timeout_ms)); }
int epoll_pwait(int epfd, struct epoll_event *events, int max_events, int timeout_ms, const sigset_t *mask)
{ RET(__syscall6(319, epfd, L(events), max_events, timeout_ms, L(mask), mask ? KERNEL_SIGSET_SIZE : 0)); }
