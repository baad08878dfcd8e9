/* poll.c -- poll (call 168), ppoll (309), select (142, _newselect) and
 * pselect (308, pselect6): see poll.h and sys/select.h. Like glibc, ppoll
 * and pselect pass a copy of the timeout, so the caller's is left as it
 * was; select passes the caller's own, which the kernel updates. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <sys/select.h>
#include <sys/syscall.h>

#define SYS_select_new 142
#define SYS_poll_call 168
#define SYS_pselect6_call 308
#define SYS_ppoll_call 309
#define KERNEL_SIGSET_SIZE 8

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
    return (int)__syscall_ret(syscall3(SYS_poll_call, (long)fds, (long)nfds, timeout_ms));
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *mask)
{
    struct timespec copy, *timeout_copy = NULL;
    if (timeout) {
        copy = *timeout;
        timeout_copy = &copy;
    }
    return (int)__syscall_ret(syscall5(SYS_ppoll_call, (long)fds, (long)nfds, (long)timeout_copy, (long)mask,
                                       KERNEL_SIGSET_SIZE));
}

int select(int nfds, fd_set *readable, fd_set *writable, fd_set *exceptional, struct timeval *timeout)
{
    return (int)__syscall_ret(__syscall6(SYS_select_new, nfds, (long)readable, (long)writable, (long)exceptional,
                                         (long)timeout, 0));
}

int pselect(int nfds, fd_set *readable, fd_set *writable, fd_set *exceptional, const struct timespec *timeout,
            const sigset_t *mask)
{
    struct timespec copy, *timeout_copy = NULL;
    if (timeout) {
        copy = *timeout;
        timeout_copy = &copy;
    }
    unsigned long mask_argument[2] = {(unsigned long)mask, KERNEL_SIGSET_SIZE};
    return (int)__syscall_ret(__syscall6(SYS_pselect6_call, nfds, (long)readable, (long)writable,
                                         (long)exceptional, (long)timeout_copy, (long)mask_argument));
}
