/* sockcheck -- checks the kernel's Unix-domain sockets against what Linux does.
 *
 * Usage: sockcheck [DIRECTORY]
 *        sockcheck --bind PATH   (binds a socket to PATH and leaves its inode)
 *
 * socket() and socketpair() (families, types, flags, errors); stream,
 * datagram and sequenced-packet pairs: bytes, message boundaries, cut
 * datagrams (MSG_TRUNC), MSG_PEEK, MSG_DONTWAIT and O_NONBLOCK (EAGAIN),
 * shutdown, a closed peer (EOF, EPIPE, SIGPIPE, MSG_NOSIGNAL), poll, a
 * signal that ends a blocked recv (EINTR); SCM_RIGHTS passing a pipe to
 * a child, SCM_CREDENTIALS and SO_PEERCRED; socket options; a server bound
 * to a path in DIRECTORY (default /tmp) and a forked client: bind (a socket
 * inode, EADDRINUSE), listen, connect (ENOENT, ECONNREFUSED), accept4 with
 * its flags, names, unlink; abstract names and datagrams by address; the
 * same calls through socketcall(102). Prints "ok NAME" or "FAIL NAME: got X,
 * expected Y" per check and "sockcheck: N failed" at the end; the exit
 * status is N. The same binary runs on a Linux host, which is the reference
 * (tests/user/test_sockets.py), and on our kernel (tests/qemu/test_sockets.py). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define ERR(call) ((call) < 0 ? -errno : 0)

static const char *directory = "/tmp";

static long outcome_of(pid_t child)
{
    int status = 0;
    if (waitpid(child, &status, 0) != child)
        return -errno;
    return WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : (status >> 8) & 0xff;
}

static socklen_t path_address(struct sockaddr_un *address, const char *name)
{
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    snprintf(address->sun_path, sizeof address->sun_path, "%s/%s", directory, name);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(address->sun_path) + 1);
}

static void creation(void)
{
    expect("socket: family 200 is EAFNOSUPPORT", ERR(socket(200, SOCK_STREAM, 0)), -EAFNOSUPPORT);
    expect("socket: type 99 is EINVAL", ERR(socket(AF_UNIX, 99, 0)), -EINVAL);
    expect("socket: SOCK_RDM is ESOCKTNOSUPPORT", ERR(socket(AF_UNIX, SOCK_RDM, 0)), -ESOCKTNOSUPPORT);
    expect("socket: protocol 7 is EPROTONOSUPPORT", ERR(socket(AF_UNIX, SOCK_STREAM, 7)), -EPROTONOSUPPORT);
    expect("socket: an unknown flag is EINVAL", ERR(socket(AF_UNIX, SOCK_STREAM | 0x100, 0)), -EINVAL);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct stat st;
    expect("socket: fstat says S_IFSOCK", fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode), 1);
    expect("socket: SOCK_NONBLOCK is O_NONBLOCK", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, 1);
    expect("socket: SOCK_CLOEXEC is FD_CLOEXEC", fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    expect("socket: lseek is ESPIPE", ERR(lseek(fd, 0, SEEK_SET)), -ESPIPE);
    char byte;
    expect("socket: read unconnected stream is EINVAL", ERR(read(fd, &byte, 1)), -EINVAL);
    expect("socket: send unconnected stream is ENOTCONN", ERR(send(fd, "x", 1, MSG_NOSIGNAL)), -ENOTCONN);
    struct sockaddr_un address;
    socklen_t length = sizeof address;
    expect("getpeername: unconnected is ENOTCONN", ERR(getpeername(fd, (struct sockaddr *)&address, &length)),
           -ENOTCONN);
    struct pollfd p = {fd, POLLIN | POLLOUT, 0};
    expect("poll: a new stream socket is POLLOUT|POLLHUP", poll(&p, 1, 0) == 1 ? p.revents : -1, POLLOUT | POLLHUP);
    close(fd);
    expect("bind: not a socket is ENOTSOCK", ERR(bind(0, (struct sockaddr *)&address, 2)), -ENOTSOCK);
    int fds[2];
    expect("socketpair: family 200 is EAFNOSUPPORT", ERR(socketpair(200, SOCK_STREAM, 0, fds)), -EAFNOSUPPORT);
}

static int sigpipes;
static void count_sigpipe(int signal) { (void)signal; sigpipes++; }
static void on_alarm(int signal) { (void)signal; }

static void stream_pair(void)
{
    int fds[2];
    char buffer[64] = {0};
    expect("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    expect("stream: write", write(fds[0], "hello", 5), 5);
    expect("stream: MSG_PEEK sees the bytes", recv(fds[1], buffer, 3, MSG_PEEK), 3);
    expect("stream: read after peek", read(fds[1], buffer, sizeof buffer), 5);
    expect_string("stream: the bytes", buffer, "hello");
    send(fds[0], "ab", 2, 0);
    send(fds[0], "cd", 2, 0);
    expect("stream: reads cross writes", recv(fds[1], buffer, sizeof buffer, 0), 4);
    expect("stream: empty with MSG_DONTWAIT is EAGAIN", ERR(recv(fds[1], buffer, 1, MSG_DONTWAIT)), -EAGAIN);
    struct pollfd p = {fds[1], POLLIN | POLLOUT | POLLRDHUP, 0};
    expect("poll: connected and empty is POLLOUT", poll(&p, 1, 0) == 1 ? p.revents : -1, POLLOUT);
    expect("shutdown: how 3 is EINVAL", ERR(shutdown(fds[0], 3)), -EINVAL);
    expect("shutdown SHUT_WR", shutdown(fds[0], SHUT_WR), 0);
    expect("stream: the peer reads EOF after SHUT_WR", read(fds[1], buffer, sizeof buffer), 0);
    expect("poll: after the peer's SHUT_WR", poll(&p, 1, 0) == 1 ? p.revents : -1,
           POLLIN | POLLOUT | POLLRDHUP);
    expect("stream: send after SHUT_WR is EPIPE", ERR(send(fds[0], "x", 1, MSG_NOSIGNAL)), -EPIPE);
    expect("stream: the other direction still works", write(fds[1], "back", 4), 4);
    expect("stream: read the other direction", read(fds[0], buffer, sizeof buffer), 4);
    close(fds[0]);
    close(fds[1]);

    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    write(fds[0], "last", 4);
    close(fds[0]);
    expect("stream: the queued bytes outlive the writer", read(fds[1], buffer, sizeof buffer), 4);
    expect("stream: then EOF", read(fds[1], buffer, sizeof buffer), 0);
    p.fd = fds[1];
    expect("poll: a closed peer", poll(&p, 1, 0) == 1 ? p.revents : -1, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
    signal(SIGPIPE, count_sigpipe);
    expect("stream: write to a closed peer is EPIPE", ERR(write(fds[1], "x", 1)), -EPIPE);
    expect("stream: ... and SIGPIPE", sigpipes, 1);
    expect("stream: MSG_NOSIGNAL: EPIPE", ERR(send(fds[1], "x", 1, MSG_NOSIGNAL)), -EPIPE);
    expect("stream: ... without SIGPIPE", sigpipes, 1);
    signal(SIGPIPE, SIG_DFL);
    close(fds[1]);

    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    write(fds[0], "unread", 6);
    close(fds[1]);
    expect("stream: a peer that left data unread: ECONNRESET", ERR(read(fds[0], buffer, 1)), -ECONNRESET);
    close(fds[0]);
}

static void nonblocking(void)
{
    int fds[2];
    char buffer[4096];
    expect("socketpair SOCK_NONBLOCK", socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    expect("nonblocking: empty read is EAGAIN", ERR(read(fds[0], buffer, 1)), -EAGAIN);
    memset(buffer, 'z', sizeof buffer);
    long total = 0, written;
    while ((written = write(fds[0], buffer, sizeof buffer)) > 0 && total < (64L << 20))
        total += written;
    expect("nonblocking: a full socket is EAGAIN", written < 0 ? -errno : 0, -EAGAIN);
    struct pollfd p = {fds[0], POLLOUT, 0};
    expect("poll: a full socket is not POLLOUT", poll(&p, 1, 0), 0);
    long drained = 0, got;
    while ((got = read(fds[1], buffer, sizeof buffer)) > 0)
        drained += got;
    expect("nonblocking: every byte written comes out", drained, total);
    expect("poll: drained, POLLOUT again", poll(&p, 1, 0) == 1 ? p.revents : -1, POLLOUT);
    close(fds[0]);
    close(fds[1]);
}

static void datagram_pairs(int type, const char *name)
{
    int fds[2];
    char buffer[64] = {0}, label[96];
    snprintf(label, sizeof label, "socketpair %s", name);
    expect(label, socketpair(AF_UNIX, type, 0, fds), 0);
    send(fds[0], "ab", 2, 0);
    send(fds[0], "cde", 3, 0);
    snprintf(label, sizeof label, "%s: the first message alone", name);
    expect(label, recv(fds[1], buffer, sizeof buffer, 0), 2);
    snprintf(label, sizeof label, "%s: then the second", name);
    expect(label, recv(fds[1], buffer, sizeof buffer, 0), 3);
    send(fds[0], "12345", 5, 0);
    struct iovec vector = {buffer, 2};
    struct msghdr message = {0};
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    snprintf(label, sizeof label, "%s: a cut message", name);
    expect(label, recvmsg(fds[1], &message, 0), 2);
    snprintf(label, sizeof label, "%s: ... says MSG_TRUNC", name);
    expect(label, message.msg_flags & MSG_TRUNC, MSG_TRUNC);
    send(fds[0], "123456", 6, 0);
    snprintf(label, sizeof label, "%s: recv MSG_TRUNC gives the full length", name);
    expect(label, recv(fds[1], buffer, 1, MSG_TRUNC), 6);
    send(fds[0], "", 0, 0);
    snprintf(label, sizeof label, "%s: an empty message is a message", name);
    expect(label, recv(fds[1], buffer, sizeof buffer, MSG_DONTWAIT), 0);
    snprintf(label, sizeof label, "%s: then EAGAIN", name);
    expect(label, ERR(recv(fds[1], buffer, sizeof buffer, MSG_DONTWAIT)), -EAGAIN);
    close(fds[1]);
    snprintf(label, sizeof label, "%s: send to a closed peer", name);
    expect(label, ERR(send(fds[0], "x", 1, MSG_NOSIGNAL)), type == SOCK_DGRAM ? -ECONNREFUSED : -EPIPE);
    close(fds[0]);
}

/* A child writes 1 MiB in odd-sized pieces; the parent reads it all back. */
static void large_transfer(void)
{
    enum { TOTAL = 1 << 20 };
    int fds[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        static unsigned char piece[7777];
        long sent = 0;
        while (sent < TOTAL) {
            long n = TOTAL - sent < (long)sizeof piece ? TOTAL - sent : (long)sizeof piece;
            for (long i = 0; i < n; ++i)
                piece[i] = (unsigned char)((sent + i) * 7);
            long written = write(fds[1], piece, n);
            if (written <= 0)
                _exit(1);
            sent += written;
        }
        _exit(0);
    }
    close(fds[1]);
    static unsigned char buffer[5000];
    long received = 0, wrong = 0, got;
    while ((got = read(fds[0], buffer, sizeof buffer)) > 0) {
        for (long i = 0; i < got; ++i)
            wrong += buffer[i] != (unsigned char)((received + i) * 7);
        received += got;
    }
    expect("stream: 1 MiB from a child arrives whole and in order", received == TOTAL && wrong == 0, 1);
    expect("stream: the writer finished", outcome_of(child), 0);
    close(fds[0]);
}

/* An address no program may use, out of the compiler's sight. */
static void *volatile bad_address = (void *)16;

static void bad_pointers(void)
{
    int fds[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, fds);
    void *bad = bad_address;
    expect("socketpair: a bad array is EFAULT", ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, bad)), -EFAULT);
    expect("connect: a bad address is EFAULT", ERR(connect(fds[0], bad, sizeof(struct sockaddr_un))), -EFAULT);
    expect("sendmsg: a bad msghdr is EFAULT", ERR(sendmsg(fds[0], bad, 0)), -EFAULT);
    expect("send: a bad buffer is EFAULT", ERR(send(fds[0], bad, 10, 0)), -EFAULT);
    struct iovec vector = {bad, 10};
    struct msghdr message = {0};
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    expect("sendmsg: a bad iovec buffer is EFAULT", ERR(sendmsg(fds[0], &message, 0)), -EFAULT);
    message.msg_iovlen = 2000;
    expect("sendmsg: 2000 iovecs is EMSGSIZE", ERR(sendmsg(fds[0], &message, 0)), -EMSGSIZE);
    expect("getsockopt: a bad length is EFAULT", ERR(getsockopt(fds[0], SOL_SOCKET, SO_TYPE, bad, bad)), -EFAULT);
    expect("recvmsg: a bad msghdr is EFAULT", ERR(recvmsg(fds[1], bad, MSG_DONTWAIT)), -EFAULT);
    close(fds[0]);
    close(fds[1]);
}

static void several_messages(void)
{
    int fds[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, fds);
    struct iovec out[3] = {{"one", 3}, {"three", 5}, {"sixteen", 7}};
    struct mmsghdr messages[3];
    memset(messages, 0, sizeof messages);
    for (int i = 0; i < 3; ++i) {
        messages[i].msg_hdr.msg_iov = &out[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    expect("sendmmsg: three datagrams", sendmmsg(fds[0], messages, 3, 0), 3);
    char buffers[3][16];
    struct iovec in[3] = {{buffers[0], 16}, {buffers[1], 16}, {buffers[2], 16}};
    for (int i = 0; i < 3; ++i)
        messages[i].msg_hdr.msg_iov = &in[i];
    expect("recvmmsg: three datagrams", recvmmsg(fds[1], messages, 3, 0, NULL), 3);
    expect("recvmmsg: their lengths", messages[0].msg_len * 100 + messages[1].msg_len * 10 + messages[2].msg_len,
           357);
    close(fds[0]);
    close(fds[1]);
}

static void interrupted_receive(void)
{
    int fds[2];
    char byte;
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    struct sigaction action = {0};
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    alarm(1);
    expect("stream: a signal ends a blocked recv with EINTR", ERR(recv(fds[0], &byte, 1, 0)), -EINTR);
    signal(SIGALRM, SIG_DFL);
    close(fds[0]);
    close(fds[1]);
}

/* ---- passing files and credentials ------------------------------------- */

/* A msghdr for one byte and a control buffer. */
static void one_byte_message(struct msghdr *message, struct iovec *vector, char *byte, void *control, size_t size)
{
    vector->iov_base = byte;
    vector->iov_len = 1;
    memset(message, 0, sizeof *message);
    message->msg_iov = vector;
    message->msg_iovlen = 1;
    message->msg_control = control;
    message->msg_controllen = size;
}

static int send_fd(int socket, int fd, const char *byte)
{
    char control[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec vector;
    struct msghdr message;
    one_byte_message(&message, &vector, (char *)byte, control, sizeof control);
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof fd);
    return (int)sendmsg(socket, &message, 0);
}

/* The descriptor that came with one byte; -1 when none. */
static int receive_fd(int socket, int flags, int *message_flags)
{
    char control[CMSG_SPACE(sizeof(int))] = {0}, byte;
    struct iovec vector;
    struct msghdr message;
    one_byte_message(&message, &vector, &byte, control, sizeof control);
    if (recvmsg(socket, &message, flags) != 1)
        return -1;
    *message_flags = message.msg_flags;
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (!header || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS)
        return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(header), sizeof fd);
    return fd;
}

static void passing_files(void)
{
    int fds[2], pipe_fds[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    pipe(pipe_fds);
    expect("SCM_RIGHTS: send a pipe's read end", send_fd(fds[0], pipe_fds[0], "p"), 1);
    close(pipe_fds[0]);
    pid_t child = fork();
    if (child == 0) {
        int flags = 0;
        int fd = receive_fd(fds[1], MSG_CMSG_CLOEXEC, &flags);
        char buffer[16] = {0};
        if (fd < 0 || read(fd, buffer, sizeof buffer) != 5 || strcmp(buffer, "piped") != 0)
            _exit(1);
        _exit((fcntl(fd, F_GETFD) & FD_CLOEXEC) ? 0 : 2);
    }
    write(pipe_fds[1], "piped", 5);
    expect("SCM_RIGHTS: a child reads the pipe through the passed descriptor (close-on-exec)",
           outcome_of(child), 0);
    close(pipe_fds[1]);

    int bad = 200;
    expect("SCM_RIGHTS: a closed descriptor is EBADF", ERR(send_fd(fds[0], bad, "b")), -EBADF);
    int flags = 0;
    send_fd(fds[0], 1, "s");
    char byte;
    struct iovec vector;
    struct msghdr message;
    one_byte_message(&message, &vector, &byte, NULL, 0);
    expect("SCM_RIGHTS: no room for the descriptor", recvmsg(fds[1], &message, 0), 1);
    expect("SCM_RIGHTS: ... says MSG_CTRUNC", message.msg_flags & MSG_CTRUNC, MSG_CTRUNC);
    send_fd(fds[0], 1, "t");
    int fd = receive_fd(fds[1], 0, &flags);
    expect("SCM_RIGHTS: the received descriptor is the lowest free", fd, pipe_fds[0]);
    struct stat a, b;
    fstat(1, &a);
    fstat(fd, &b);
    expect("SCM_RIGHTS: ... and the same file", a.st_ino == b.st_ino && a.st_dev == b.st_dev, 1);
    close(fd);
    close(fds[0]);
    close(fds[1]);
}

static void credentials(void)
{
    int fds[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    struct ucred peer = {0};
    socklen_t length = sizeof peer;
    expect("SO_PEERCRED: socketpair's creator", getsockopt(fds[0], SOL_SOCKET, SO_PEERCRED, &peer, &length), 0);
    expect("SO_PEERCRED: pid and uid", peer.pid == getpid() && peer.uid == getuid() && length == 12, 1);
    int on = 1;
    expect("SO_PASSCRED", setsockopt(fds[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on), 0);
    pid_t child = fork();
    if (child == 0)
        _exit(write(fds[0], "c", 1) == 1 ? 0 : 1);
    outcome_of(child);
    char control[CMSG_SPACE(sizeof(struct ucred))] = {0}, byte;
    struct iovec vector;
    struct msghdr message;
    one_byte_message(&message, &vector, &byte, control, sizeof control);
    expect("SCM_CREDENTIALS: recvmsg", recvmsg(fds[1], &message, 0), 1);
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    struct ucred sender = {0};
    if (header && header->cmsg_type == SCM_CREDENTIALS)
        memcpy(&sender, CMSG_DATA(header), sizeof sender);
    expect("SCM_CREDENTIALS: the sending child's pid and uid", sender.pid == child && sender.uid == getuid(), 1);
    close(fds[0]);
    close(fds[1]);
}

static void options(void)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0), value = 0;
    socklen_t length = sizeof value;
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &length);
    expect("SO_TYPE", value, SOCK_DGRAM);
    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &value, &length);
    expect("SO_DOMAIN", value, AF_UNIX);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length);
    expect("SO_ERROR", value, 0);
    value = 8192;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, sizeof value);
    getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, &length);
    expect("SO_SNDBUF: set 8192, Linux keeps twice", value, 16384);
    value = 8192;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, sizeof value);
    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, &length);
    expect("SO_RCVBUF: set 8192, Linux keeps twice", value, 16384);
    expect("setsockopt: SO_REUSEADDR accepted", setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &value, 4), 0);
    expect("setsockopt: short option is EINVAL", ERR(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, 2)), -EINVAL);
    expect("setsockopt: option 1000 is ENOPROTOOPT", ERR(setsockopt(fd, SOL_SOCKET, 1000, &value, 4)),
           -ENOPROTOOPT);
    expect("setsockopt: level 6 is EOPNOTSUPP", ERR(setsockopt(fd, 6, 1, &value, 4)), -EOPNOTSUPP);
    expect("listen: a datagram socket is EOPNOTSUPP", ERR(listen(fd, 1)), -EOPNOTSUPP);
    close(fd);
}

/* ---- names ------------------------------------------------------------ */

static void serve_one(int listener, pid_t client)
{
    struct sockaddr_un peer;
    socklen_t length = sizeof peer;
    int connection = accept4(listener, (struct sockaddr *)&peer, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    expect("accept4: a connection", connection >= 0, 1);
    expect("accept4: an unnamed client's address is the family alone", length, 2);
    expect("accept4: SOCK_NONBLOCK", (fcntl(connection, F_GETFL) & O_NONBLOCK) != 0, 1);
    expect("accept4: SOCK_CLOEXEC", fcntl(connection, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    struct ucred peer_credentials = {0};
    socklen_t credentials_length = sizeof peer_credentials;
    getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer_credentials, &credentials_length);
    expect("SO_PEERCRED: the server sees the connecting child", peer_credentials.pid == client, 1);
    struct pollfd p = {connection, POLLIN, 0};
    poll(&p, 1, 5000);
    char buffer[16] = {0};
    expect("server: read the client's ping", read(connection, buffer, sizeof buffer), 4);
    expect_string("server: the ping", buffer, "ping");
    expect("server: write pong", write(connection, "pong", 4), 4);
    struct sockaddr_un own;
    length = sizeof own;
    getsockname(connection, (struct sockaddr *)&own, &length);
    expect("accepted socket: getsockname is the listener's name", length > 2 && own.sun_path[0] == '/', 1);
    close(connection);
}

/* The forked client: 0 when everything went as on Linux. */
static int run_client(const struct sockaddr_un *address, socklen_t length)
{
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    char buffer[16] = {0};
    if (connect(client, (const struct sockaddr *)address, length) != 0)
        return 1;
    if (write(client, "ping", 4) != 4 || read(client, buffer, sizeof buffer) != 4 || strcmp(buffer, "pong"))
        return 2;
    struct sockaddr_un peer;
    socklen_t peer_length = sizeof peer;
    if (getpeername(client, (struct sockaddr *)&peer, &peer_length) != 0 || strcmp(peer.sun_path, address->sun_path))
        return 3;
    struct ucred server = {0};
    socklen_t server_length = sizeof server;
    getsockopt(client, SOL_SOCKET, SO_PEERCRED, &server, &server_length);
    if (server.pid != getppid())
        return 5;
    return read(client, buffer, 1) == 0 ? 0 : 4;
}

static void bound_path(void)
{
    struct sockaddr_un address, other;
    socklen_t length = path_address(&address, "sockcheck.sock");
    unlink(address.sun_path);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    expect("bind: a path", bind(listener, (struct sockaddr *)&address, length), 0);
    struct stat st;
    expect("bind: makes a socket inode", stat(address.sun_path, &st) == 0 && S_ISSOCK(st.st_mode), 1);
    expect("bind: the same path twice is EADDRINUSE", ERR(bind(listener, (struct sockaddr *)&address, length)),
           -EADDRINUSE);
    struct sockaddr_un elsewhere;
    socklen_t elsewhere_length = path_address(&elsewhere, "sockcheck-other.sock");
    unlink(elsewhere.sun_path);
    expect("bind: a bound socket to another path is EINVAL",
           ERR(bind(listener, (struct sockaddr *)&elsewhere, elsewhere_length)), -EINVAL);
    expect("bind: ... and leaves no inode there", ERR(stat(elsewhere.sun_path, &st)), -ENOENT);
    int second = socket(AF_UNIX, SOCK_STREAM, 0);
    expect("bind: an existing path is EADDRINUSE", ERR(bind(second, (struct sockaddr *)&address, length)),
           -EADDRINUSE);
    expect("connect: bound but not listening is ECONNREFUSED",
           ERR(connect(second, (struct sockaddr *)&address, length)), -ECONNREFUSED);
    socklen_t name_length = sizeof other;
    getsockname(listener, (struct sockaddr *)&other, &name_length);
    expect("getsockname: the path's length", name_length, length);
    expect_string("getsockname: the path", other.sun_path, address.sun_path);
    expect("accept: not listening is EINVAL", ERR(accept(listener, NULL, NULL)), -EINVAL);
    expect("listen", listen(listener, 4), 0);
    int flags = fcntl(listener, F_GETFL);
    fcntl(listener, F_SETFL, flags | O_NONBLOCK);
    expect("accept: none pending, nonblocking: EAGAIN", ERR(accept(listener, NULL, NULL)), -EAGAIN);
    fcntl(listener, F_SETFL, flags);
    pid_t child = fork();
    if (child == 0)
        _exit(run_client(&address, length));
    struct pollfd p = {listener, POLLIN, 0};
    expect("poll: a listener with a connection is POLLIN", poll(&p, 1, 5000) == 1 ? p.revents : -1, POLLIN);
    serve_one(listener, child);
    expect("client: connect, ping, pong, peer name, the listener's SO_PEERCRED, EOF", outcome_of(child), 0);
    close(second);
    close(listener);
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    expect("connect: a closed listener is ECONNREFUSED", ERR(connect(late, (struct sockaddr *)&address, length)),
           -ECONNREFUSED);
    expect("unlink: the socket inode", unlink(address.sun_path), 0);
    expect("connect: a removed path is ENOENT", ERR(connect(late, (struct sockaddr *)&address, length)), -ENOENT);
    int file = open(address.sun_path, O_CREAT | O_WRONLY, 0644);
    close(file);
    expect("connect: a regular file is ECONNREFUSED", ERR(connect(late, (struct sockaddr *)&address, length)),
           -ECONNREFUSED);
    unlink(address.sun_path);
    close(late);
}

static socklen_t abstract_address(struct sockaddr_un *address, const char *name)
{
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    int n = snprintf(address->sun_path + 1, sizeof address->sun_path - 1, "sockcheck-%s-%d", name, getpid());
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static void abstract_names(void)
{
    struct sockaddr_un address, from;
    socklen_t length = abstract_address(&address, "dgram");
    int server = socket(AF_UNIX, SOCK_DGRAM, 0), client = socket(AF_UNIX, SOCK_DGRAM, 0);
    expect("bind: an abstract name", bind(server, (struct sockaddr *)&address, length), 0);
    int again = socket(AF_UNIX, SOCK_DGRAM, 0);
    expect("bind: the abstract name again is EADDRINUSE", ERR(bind(again, (struct sockaddr *)&address, length)),
           -EADDRINUSE);
    close(again);
    expect("sendto: the abstract name", sendto(client, "hi", 2, 0, (struct sockaddr *)&address, length), 2);
    char buffer[16];
    socklen_t from_length = sizeof from;
    expect("recvfrom: the datagram", recvfrom(server, buffer, sizeof buffer, 0, (struct sockaddr *)&from,
                                              &from_length), 2);
    expect("recvfrom: an unnamed sender has no address", from_length, 0);
    expect("bind: no name autobinds", bind(client, (struct sockaddr *)&address, sizeof(sa_family_t)), 0);
    socklen_t name_length = sizeof from;
    getsockname(client, (struct sockaddr *)&from, &name_length);
    expect("autobind: an abstract name of five hex digits", name_length == 8 && from.sun_path[0] == 0, 1);
    sendto(client, "again", 5, 0, (struct sockaddr *)&address, length);
    struct sockaddr_un sender;
    from_length = sizeof sender;
    recvfrom(server, buffer, sizeof buffer, 0, (struct sockaddr *)&sender, &from_length);
    expect("recvfrom: a named sender's address", from_length == name_length &&
           memcmp(sender.sun_path, from.sun_path, 6) == 0, 1);
    struct sockaddr_un missing;
    socklen_t missing_length = abstract_address(&missing, "nobody");
    expect("sendto: an unbound abstract name is ECONNREFUSED",
           ERR(sendto(client, "x", 1, 0, (struct sockaddr *)&missing, missing_length)), -ECONNREFUSED);
    expect("connect: a datagram peer", connect(client, (struct sockaddr *)&address, length), 0);
    expect("send: to the connected peer", send(client, "c", 1, 0), 1);
    expect("recv: from the connected sender", recv(server, buffer, sizeof buffer, 0), 1);
    struct sockaddr unspecified = {AF_UNSPEC, {0}};
    expect("connect: AF_UNSPEC disconnects a datagram socket", connect(client, &unspecified, sizeof unspecified), 0);
    expect("send: disconnected is ENOTCONN", ERR(send(client, "c", 1, 0)), -ENOTCONN);
    int stream = socket(AF_UNIX, SOCK_STREAM, 0);
    expect("connect: a stream to a datagram's name is ECONNREFUSED",
           ERR(connect(stream, (struct sockaddr *)&address, length)), -ECONNREFUSED);
    address.sun_family = AF_INET;
    expect("bind: a family other than AF_UNIX is EINVAL", ERR(bind(stream, (struct sockaddr *)&address, length)),
           -EINVAL);
    close(stream);
    close(server);
    close(client);
}

static void through_socketcall(void)
{
    int fds[2] = {-1, -1};
    unsigned long pair[4] = {AF_UNIX, SOCK_DGRAM, 0, (unsigned long)fds};
    expect("socketcall SYS_SOCKETPAIR", socketcall(8, pair), 0);
    unsigned long sent[4] = {(unsigned long)fds[0], (unsigned long)"sc", 2, 0};
    expect("socketcall SYS_SEND", socketcall(9, sent), 2);
    char buffer[8];
    unsigned long received[4] = {(unsigned long)fds[1], (unsigned long)buffer, sizeof buffer, 0};
    expect("socketcall SYS_RECV", socketcall(10, received), 2);
    unsigned long family[3] = {200, SOCK_STREAM, 0};
    expect("socketcall SYS_SOCKET: family 200 is EAFNOSUPPORT", ERR(socketcall(1, family)), -EAFNOSUPPORT);
    expect("socketcall: call 99 is EINVAL", ERR(socketcall(99, family)), -EINVAL);
    close(fds[0]);
    close(fds[1]);
}

static int bind_and_leave(const char *path)
{
    struct sockaddr_un address = {AF_UNIX, {0}};
    if (strlen(path) >= sizeof address.sun_path) {
        fprintf(stderr, "sockcheck: %s: name too long\n", path);
        return 1;
    }
    strcpy(address.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        fprintf(stderr, "sockcheck: bind %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: sockcheck [DIRECTORY]\n"
               "       sockcheck --bind PATH\n"
               "Checks Unix-domain sockets: pairs, datagrams, passing files, options, and a\n"
               "server bound to a path in DIRECTORY (default /tmp) with a forked client.\n"
               "--bind binds a socket to PATH and exits, leaving the socket inode behind.\n");
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--bind") == 0)
        return bind_and_leave(argv[2]);
    if (argc > 1)
        directory = argv[1];
    creation();
    stream_pair();
    nonblocking();
    datagram_pairs(SOCK_DGRAM, "dgram");
    datagram_pairs(SOCK_SEQPACKET, "seqpacket");
    several_messages();
    large_transfer();
    bad_pointers();
    interrupted_receive();
    passing_files();
    credentials();
    options();
    bound_path();
    abstract_names();
    through_socketcall();
    printf("sockcheck: %d failed\n", check_failures);
    return check_failures > 100 ? 100 : check_failures;
}
