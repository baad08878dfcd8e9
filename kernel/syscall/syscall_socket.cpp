// kernel/syscall/syscall_socket.cpp -- sockets: making, naming, connecting.
//
// Layer: system calls, over the Unix-domain sockets of fs/socket/. i386
// Linux reaches sockets two ways, and glibc uses both: the old multiplexer
// socketcall(102) with a call number and a pointer to the arguments, and,
// since Linux 4.3, one call each: socket 359, socketpair 360, bind 361,
// connect 362, listen 363, accept4 364, getsockopt 365, setsockopt 366,
// getsockname 367, getpeername 368, sendto 369, sendmsg 370, recvfrom 371,
// recvmsg 372, shutdown 373, recvmmsg 337, sendmmsg 345 (the data calls
// are in syscall_socket_messages.cpp).
//
// Only AF_UNIX exists. Every other family (AF_INET, AF_INET6, AF_NETLINK,
// AF_PACKET...) answers EAFNOSUPPORT, as a Linux kernel built without that
// family does. That answer matters: static glibc asks for a socket quietly
// -- getpwuid() first tries the name-service cache daemon over a Unix
// socket, as bash does at start -- and goes on without when connect fails.
// Errors follow Linux: a descriptor that is no socket is ENOTSOCK, a bad
// SOCK_* flag EINVAL, a protocol other than 0 EPROTONOSUPPORT, an unknown
// type ESOCKTNOSUPPORT; unknown options ENOPROTOOPT, options at a level
// other than SOL_SOCKET EOPNOTSUPP.
#include "kernel/syscall/syscall_socket.h"

#include "kernel/lib/string.h"

namespace socket_calls {

using namespace socket_abi;

Result<SocketHandle> socket_handle(uint32_t fd) {
    SocketHandle handle;
    handle.file = TRY(file_of(fd));
    handle.socket = TRY(socket_of(*handle.file));
    return handle;
}

Result<SocketAddress> read_address(uint32_t user_address, uint32_t length) {
    constexpr uint32_t FAMILY_SIZE = 2;
    if (length < FAMILY_SIZE || length > FAMILY_SIZE + SUN_PATH_SIZE) return Error(EINVAL);
    uint8_t raw[FAMILY_SIZE + SUN_PATH_SIZE];
    TRY(copy_from_user(raw, user_address, length));
    if (raw[0] != AF_UNIX || raw[1] != 0) return Error(EINVAL);
    SocketAddress address;
    size_t name_length = length - FAMILY_SIZE;
    klib::memcpy(address.bytes, raw + FAMILY_SIZE, name_length);
    if (name_length == 0 || address.bytes[0] == 0) {
        address.length = name_length;
    } else {
        address.length = klib::strnlen(reinterpret_cast<const char*>(address.bytes), name_length) + 1;
    }
    return address;
}

Result<void> write_address(uint32_t user_address, uint32_t user_length, const SocketAddress& address,
                           bool unnamed_is_empty) {
    if (!user_address || !user_length) return {};
    int32_t room;
    TRY(copy_from_user(&room, user_length, sizeof room));
    if (room < 0) return Error(EINVAL);
    uint8_t raw[2 + SUN_PATH_SIZE + 1] = {AF_UNIX, 0};
    klib::memcpy(raw + 2, address.bytes, address.length);
    int32_t full = address.length == 0 && unnamed_is_empty ? 0 : int32_t(2 + address.length);
    TRY(copy_to_user(user_address, raw, size_t(room < full ? room : full)));
    return copy_to_user(user_length, &full, sizeof full);
}

PeerCredentials caller_credentials() {
    PeerCredentials credentials;
    credentials.pid = self().pid;
    credentials.uid = self().credentials.uid;
    credentials.gid = self().credentials.gid;
    return credentials;
}

}  // namespace socket_calls

namespace {

using namespace socket_abi;
using namespace socket_calls;

constexpr uint16_t AF_UNSPEC = 0;
constexpr uint32_t SOCK_TYPE_MASK = 0xf, SOCK_NONBLOCK = O_NONBLOCK, SOCK_CLOEXEC = O_CLOEXEC;
constexpr uint32_t SOCK_MAX = 11, ADDRESS_FAMILIES = 46;  // Linux's SOCK_MAX and NPROTO

// socket()'s and socketpair()'s checks, in Linux's order; the SOCK_* type.
Result<int> checked_type(uint32_t family, uint32_t type, uint32_t protocol) {
    if ((type & ~SOCK_TYPE_MASK) & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) return Error(EINVAL);
    if (family >= ADDRESS_FAMILIES) return Error(EAFNOSUPPORT);
    if ((type & SOCK_TYPE_MASK) >= SOCK_MAX) return Error(EINVAL);
    if (family != uint32_t(AF_UNIX)) return Error(EAFNOSUPPORT);
    if (protocol != 0 && protocol != uint32_t(AF_UNIX)) return Error(EPROTONOSUPPORT);
    int base = int(type & SOCK_TYPE_MASK);
    if (base == SOCK_RAW) base = SOCK_DGRAM;  // as unix_create
    if (base != SOCK_STREAM && base != SOCK_DGRAM && base != SOCK_SEQPACKET) return Error(ESOCKTNOSUPPORT);
    return base;
}

// A descriptor for a socket; the socket's reference moves into its file.
Result<int> install_socket(UnixSocket* socket, uint32_t flags) {
    FileRef file = TRY(make_socket_file(socket, flags & SOCK_NONBLOCK));
    return self().files->allocate(static_cast<FileRef&&>(file), flags & SOCK_CLOEXEC);
}

int32_t sys_socket(const SyscallArguments& a) {
    auto type = checked_type(a.arg[0], a.arg[1], a.arg[2]);
    if (type.is_error()) return -type.error();
    auto socket = UnixSocket::create(type.value());
    if (socket.is_error()) return -socket.error();
    return syscall_result(install_socket(socket.value(), a.arg[1]));
}

int32_t sys_socketpair(const SyscallArguments& a) {
    auto type = checked_type(a.arg[0], a.arg[1], a.arg[2]);
    if (type.is_error()) return -type.error();
    UnixSocket *first, *second;
    if (auto made = UnixSocket::create_pair(type.value(), caller_credentials(), first, second); made.is_error()) {
        return -made.error();
    }
    auto first_fd = install_socket(first, a.arg[1]);
    if (first_fd.is_error()) {
        second->close();
        second->drop_reference();
        return -first_fd.error();
    }
    auto second_fd = install_socket(second, a.arg[1]);
    if (second_fd.is_error()) {
        (void)self().files->close(first_fd.value());
        return -second_fd.error();
    }
    int fds[2] = {first_fd.value(), second_fd.value()};
    if (copy_to_user(a.arg[3], fds, sizeof fds).is_error()) {
        (void)self().files->close(fds[0]);
        (void)self().files->close(fds[1]);
        return -EFAULT;
    }
    return 0;
}

int32_t sys_bind(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    auto address = read_address(a.arg[1], a.arg[2]);
    if (address.is_error()) return -address.error();
    auto bound =
        handle.value().socket->bind(address.value(), self().working_directory, self().credentials, self().umask);
    return bound.is_error() ? -bound.error() : 0;
}

int32_t sys_connect(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    uint16_t family;
    bool unspecified = a.arg[2] >= sizeof family && !copy_from_user(&family, a.arg[1], sizeof family).is_error() &&
                       family == AF_UNSPEC;
    if (unspecified && handle.value().socket->type() == SOCK_DGRAM) {  // 1003.1g: breaks the association
        handle.value().socket->disconnect_datagram();
        return 0;
    }
    auto address = read_address(a.arg[1], a.arg[2]);
    if (address.is_error()) return -address.error();
    SocketHandle& h = handle.value();
    auto connected = h.socket->connect(address.value(), self().working_directory, self().credentials,
                                       caller_credentials(), h.nonblocking());
    return connected.is_error() ? -connected.error() : 0;
}

int32_t sys_listen(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    auto listening = handle.value().socket->listen(int32_t(a.arg[1]), caller_credentials());
    return listening.is_error() ? -listening.error() : 0;
}

// accept4(fd, addr, addrlen, flags): the peer's name goes to addr.
int32_t sys_accept4(const SyscallArguments& a) {
    if (a.arg[3] & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) return -EINVAL;
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    SocketHandle& h = handle.value();
    auto connection = h.socket->accept(h.nonblocking());
    if (connection.is_error()) return -connection.error();
    UnixSocket* socket = connection.value();
    auto peer = socket->peer_name();
    SocketAddress peer_address = peer.is_error() ? SocketAddress() : peer.value();
    auto fd = install_socket(socket, a.arg[3]);
    if (fd.is_error()) return -fd.error();
    if (auto written = write_address(a.arg[1], a.arg[2], peer_address, false); written.is_error()) {
        (void)self().files->close(fd.value());
        return -written.error();
    }
    return fd.value();
}

int32_t sys_accept(const SyscallArguments& a) {
    SyscallArguments with_flags = {{a.arg[0], a.arg[1], a.arg[2], 0, 0, 0}};
    return sys_accept4(with_flags);
}

int32_t sys_getsockname(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    SocketAddress name = handle.value().socket->name();
    auto written = write_address(a.arg[1], a.arg[2], name, false);
    return written.is_error() ? -written.error() : 0;
}

int32_t sys_getpeername(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    auto peer = handle.value().socket->peer_name();
    if (peer.is_error()) return -peer.error();
    auto written = write_address(a.arg[1], a.arg[2], peer.value(), false);
    return written.is_error() ? -written.error() : 0;
}

int32_t sys_shutdown(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    auto done = handle.value().socket->shutdown(int32_t(a.arg[1]));
    return done.is_error() ? -done.error() : 0;
}

// ---- options ---------------------------------------------------------------

constexpr uint32_t SOL_SOCKET = 1;
enum SocketOption : uint32_t {
    SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8,
    SO_KEEPALIVE = 9, SO_PASSCRED = 16, SO_PEERCRED = 17, SO_RCVLOWAT = 18, SO_ACCEPTCONN = 30,
    SO_PROTOCOL = 38, SO_DOMAIN = 39,
};
// Linux's net.core.wmem_max/rmem_max and SOCK_MIN_SNDBUF/RCVBUF on i386.
constexpr uint32_t BUFFER_MAX = 212992, MIN_SEND_BUFFER = 4608, MIN_RECEIVE_BUFFER = 2304;

// The value of an integer option, or ENOPROTOOPT.
Result<int32_t> option_value(UnixSocket& socket, uint32_t name) {
    switch (name) {
        case SO_TYPE: return socket.type();
        case SO_ERROR: return socket.take_error();
        case SO_SNDBUF: return int32_t(socket.send_buffer);
        case SO_RCVBUF: return int32_t(socket.receive_buffer);
        case SO_PASSCRED: return socket.pass_credentials ? 1 : 0;
        case SO_ACCEPTCONN: return socket.state() == UnixSocket::State::Listening ? 1 : 0;
        case SO_DOMAIN: return AF_UNIX;
        case SO_PROTOCOL: return 0;
        case SO_RCVLOWAT: return 1;
        case SO_REUSEADDR: case SO_BROADCAST: case SO_KEEPALIVE: return 0;
        default: return Error(ENOPROTOOPT);
    }
}

// getsockopt(fd, level, name, value*, length*)
int32_t sys_getsockopt(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    if (a.arg[1] != SOL_SOCKET) return -EOPNOTSUPP;
    int32_t room;
    if (copy_from_user(&room, a.arg[4], sizeof room).is_error()) return -EFAULT;
    if (room < 0) return -EINVAL;
    UnixSocket& socket = *handle.value().socket;
    int32_t value[3];
    int32_t size = 4;
    if (a.arg[2] == SO_PEERCRED) {
        const PeerCredentials& peer = socket.peer_credentials();
        value[0] = peer.pid, value[1] = int32_t(peer.uid), value[2] = int32_t(peer.gid);
        size = 12;
    } else {
        auto option = option_value(socket, a.arg[2]);
        if (option.is_error()) return -option.error();
        value[0] = option.value();
    }
    if (room < size) size = room;
    if (copy_to_user(a.arg[3], value, size_t(size)).is_error()) return -EFAULT;
    if (copy_to_user(a.arg[4], &size, sizeof size).is_error()) return -EFAULT;
    return 0;
}

// setsockopt(fd, level, name, value*, length)
int32_t sys_setsockopt(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    if (a.arg[1] != SOL_SOCKET) return -EOPNOTSUPP;
    if (int32_t(a.arg[4]) < int32_t(sizeof(int32_t))) return -EINVAL;
    int32_t value;
    if (copy_from_user(&value, a.arg[3], sizeof value).is_error()) return -EFAULT;
    UnixSocket& socket = *handle.value().socket;
    uint32_t wanted = value < 0 ? 0 : uint32_t(value) > BUFFER_MAX ? BUFFER_MAX : uint32_t(value);
    switch (a.arg[2]) {
        case SO_SNDBUF:
            socket.send_buffer = wanted * 2 < MIN_SEND_BUFFER ? MIN_SEND_BUFFER : wanted * 2;
            return 0;
        case SO_RCVBUF:
            socket.receive_buffer = wanted * 2 < MIN_RECEIVE_BUFFER ? MIN_RECEIVE_BUFFER : wanted * 2;
            return 0;
        case SO_PASSCRED: socket.pass_credentials = value != 0; return 0;
        case SO_REUSEADDR: case SO_BROADCAST: case SO_KEEPALIVE: return 0;  // accepted, nothing to do
        default: return -ENOPROTOOPT;
    }
}

// ---- socketcall ---------------------------------------------------------------

// socketcall(call, arguments*): call numbers of include/uapi/linux/net.h,
// each with its count of argument words.
int32_t sys_socketcall(const SyscallArguments& a) {
    static constexpr SyscallFunction CALLS[] = {
        nullptr,         sys_socket,      sys_bind,        sys_connect,     sys_listen,
        sys_accept,      sys_getsockname, sys_getpeername, sys_socketpair,  sys_send,
        sys_recv,        sys_sendto,      sys_recvfrom,    sys_shutdown,    sys_setsockopt,
        sys_getsockopt,  sys_sendmsg,     sys_recvmsg,     sys_accept4,     sys_recvmmsg,
        sys_sendmmsg,
    };
    static constexpr uint8_t WORDS[] = {0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4};
    uint32_t call = a.arg[0];
    if (call < 1 || call >= sizeof WORDS) return -EINVAL;
    SyscallArguments arguments = {};
    if (copy_from_user(arguments.arg, a.arg[1], WORDS[call] * sizeof(uint32_t)).is_error()) return -EFAULT;
    return CALLS[call](arguments);
}

}  // namespace

void register_socket_system_calls(SyscallEntry* table, uint32_t size) {
    set_caller_credentials(caller_credentials);
    const NumberedSyscall calls[] = {
        {102, {"socketcall", sys_socketcall}},   {337, {"recvmmsg", sys_recvmmsg}},
        {345, {"sendmmsg", sys_sendmmsg}},       {359, {"socket", sys_socket}},
        {360, {"socketpair", sys_socketpair}},   {361, {"bind", sys_bind}},
        {362, {"connect", sys_connect}},         {363, {"listen", sys_listen}},
        {364, {"accept4", sys_accept4}},         {365, {"getsockopt", sys_getsockopt}},
        {366, {"setsockopt", sys_setsockopt}},   {367, {"getsockname", sys_getsockname}},
        {368, {"getpeername", sys_getpeername}}, {369, {"sendto", sys_sendto}},
        {370, {"sendmsg", sys_sendmsg}},         {371, {"recvfrom", sys_recvfrom}},
        {372, {"recvmsg", sys_recvmsg}},         {373, {"shutdown", sys_shutdown}},
    };
    add_system_calls(table, size, calls);
}
