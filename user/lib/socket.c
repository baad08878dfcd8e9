/* socket.c -- the socket calls of sys/socket.h, Linux i386's direct ones,
 * and socketcall(102), the multiplexer that reaches the same calls. */
#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/syscall.h>

_Static_assert(sizeof(struct msghdr) == 28, "i386 msghdr");
_Static_assert(sizeof(struct cmsghdr) == 12, "i386 cmsghdr");
_Static_assert(sizeof(struct mmsghdr) == 32, "i386 mmsghdr");

#define RET(expr) return __syscall_ret(expr)
#define L(x) ((long)(x))

int socket(int domain, int type, int protocol) { RET(syscall3(359, domain, type, protocol)); }
int socketpair(int domain, int type, int protocol, int fds[2])
{ RET(syscall4(360, domain, type, protocol, L(fds))); }
int bind(int fd, const struct sockaddr *address, socklen_t length) { RET(syscall3(361, fd, L(address), L(length))); }
int connect(int fd, const struct sockaddr *address, socklen_t length)
{ RET(syscall3(362, fd, L(address), L(length))); }
int listen(int fd, int backlog) { RET(syscall2(363, fd, backlog)); }
int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags)
{ RET(syscall4(364, fd, L(address), L(length), flags)); }
int accept(int fd, struct sockaddr *address, socklen_t *length) { return accept4(fd, address, length, 0); }
int getsockopt(int fd, int level, int name, void *value, socklen_t *length)
{ RET(syscall5(365, fd, level, name, L(value), L(length))); }
int setsockopt(int fd, int level, int name, const void *value, socklen_t length)
{ RET(syscall5(366, fd, level, name, L(value), L(length))); }
int getsockname(int fd, struct sockaddr *address, socklen_t *length)
{ RET(syscall3(367, fd, L(address), L(length))); }
int getpeername(int fd, struct sockaddr *address, socklen_t *length)
{ RET(syscall3(368, fd, L(address), L(length))); }
ssize_t sendto(int fd, const void *buffer, size_t length, int flags, const struct sockaddr *address,
               socklen_t address_length)
{ RET(__syscall6(369, fd, L(buffer), L(length), flags, L(address), L(address_length))); }
ssize_t send(int fd, const void *buffer, size_t length, int flags) { return sendto(fd, buffer, length, flags, NULL, 0); }
ssize_t sendmsg(int fd, const struct msghdr *message, int flags) { RET(syscall3(370, fd, L(message), flags)); }
ssize_t recvfrom(int fd, void *buffer, size_t length, int flags, struct sockaddr *address,
                 socklen_t *address_length)
{ RET(__syscall6(371, fd, L(buffer), L(length), flags, L(address), L(address_length))); }
ssize_t recv(int fd, void *buffer, size_t length, int flags) { return recvfrom(fd, buffer, length, flags, NULL, NULL); }
ssize_t recvmsg(int fd, struct msghdr *message, int flags) { RET(syscall3(372, fd, L(message), flags)); }
int shutdown(int fd, int how) { RET(syscall2(373, fd, how)); }
int sendmmsg(int fd, struct mmsghdr *messages, unsigned int count, int flags)
{ RET(syscall4(345, fd, L(messages), L(count), flags)); }
int recvmmsg(int fd, struct mmsghdr *messages, unsigned int count, int flags, void *timeout)
{ RET(syscall5(337, fd, L(messages), L(count), flags, L(timeout))); }
long socketcall(int call, unsigned long *arguments) { RET(syscall2(102, call, L(arguments))); }

struct cmsghdr *__cmsg_nxthdr(struct msghdr *mhdr, struct cmsghdr *cmsg)
{
    unsigned char *end = (unsigned char *)mhdr->msg_control + mhdr->msg_controllen;
    if (cmsg->cmsg_len < sizeof(struct cmsghdr))
        return NULL;
    struct cmsghdr *next = (struct cmsghdr *)((unsigned char *)cmsg + CMSG_ALIGN(cmsg->cmsg_len));
    if ((unsigned char *)(next + 1) > end || (unsigned char *)next + CMSG_ALIGN(next->cmsg_len) > end)
        return NULL;
    return next;
}
