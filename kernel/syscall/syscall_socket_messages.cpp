// kernel/syscall/syscall_socket_messages.cpp -- moving data through sockets.
//
// Layer: system calls, over fs/socket/. sendto/recvfrom (and socketcall's
// send/recv) move one buffer; sendmsg/recvmsg a struct msghdr: a name, an
// iovec array and control messages; sendmmsg/recvmmsg several msghdrs.
// The i386 layouts: msghdr {name, namelen, iov, iovlen, control,
// controllen, flags} of 4-byte words; cmsghdr {len, level, type} then the
// data, aligned to 4; mmsghdr a msghdr and the length moved.
//
// What Linux does and so do these:
//   - control messages at level SOL_SOCKET: SCM_RIGHTS passes open files
//     (at most 253 a message, EBADF for a closed descriptor), SCM_CREDENTIALS
//     the sender's pid/uid/gid (EPERM for someone else's unless root); other
//     levels are skipped, a malformed header is EINVAL.
//   - a receiver gets the files as new descriptors (close-on-exec with
//     MSG_CMSG_CLOEXEC) and, with SO_PASSCRED, the sender's credentials
//     first; what does not fit the control buffer is closed, MSG_CTRUNC.
//   - a datagram longer than the buffer is cut, MSG_TRUNC in msg_flags (and
//     the full length returned when MSG_TRUNC was asked for).
//   - EPIPE also sends SIGPIPE, unless MSG_NOSIGNAL.
//   - at most 1024 iovecs and a total under 2 GiB (EMSGSIZE / EINVAL).
#include "kernel/lib/string.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/signals.h"
#include "kernel/syscall/syscall_socket.h"

namespace {

using namespace socket_abi;
using namespace socket_calls;

struct IoVector {
    uint32_t base, length;
};
struct MessageHeader {
    uint32_t name, name_length, vectors, vector_count, control, control_length;
    uint32_t flags;
};
static_assert(sizeof(MessageHeader) == 28);
constexpr uint32_t NAME_LENGTH_OFFSET = 4, CONTROL_LENGTH_OFFSET = 20, FLAGS_OFFSET = 24;
constexpr uint32_t MAX_IO_VECTORS = 1024;
constexpr uint32_t MAX_CONTROL = 20480;  // Linux's net.core.optmem_max
constexpr uint32_t SOL_SOCKET = 1, SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
constexpr uint32_t CMSG_HEADER = 12;
constexpr uint32_t MSG_WAITFORONE = 0x10000;
// What one call moves through a kernel buffer: a stream goes in pieces of
// STREAM_STEP; a datagram whole, and none is longer than DATAGRAM_BUFFER.
constexpr size_t STREAM_STEP = 65536, DATAGRAM_BUFFER = 262144;

uint32_t cmsg_align(uint32_t length) { return (length + 3) & ~3u; }

// A user iovec array, read in and walked in order.
class UserVectors {
public:
    ~UserVectors() { delete[] vectors_; }

    Result<void> read(uint32_t address, uint32_t count) {
        if (count > MAX_IO_VECTORS) return Error(EMSGSIZE);
        vectors_ = new (std::nothrow) IoVector[count ? count : 1];
        if (!vectors_) return Error(ENOMEM);
        count_ = count;
        TRY(copy_from_user(vectors_, address, count * sizeof(IoVector)));
        for (uint32_t i = 0; i < count; ++i) {
            total_ += vectors_[i].length;
            if (total_ > 0x7FFFFFFF) return Error(EINVAL);
        }
        return {};
    }
    // One buffer, as sendto and recvfrom give it.
    void single(uint32_t base, uint32_t length) {
        one_ = {base, length};
        vectors_ = nullptr, count_ = 1, total_ = length;
    }
    uint64_t total() const { return total_; }

    // Copies `size` bytes at `offset` of the whole to (or from) the kernel.
    Result<void> transfer(uint64_t offset, uint8_t* buffer, size_t size, bool to_user) {
        for (uint32_t i = 0; i < count_ && size; ++i) {
            const IoVector& v = vectors_ ? vectors_[i] : one_;
            if (offset >= v.length) {
                offset -= v.length;
                continue;
            }
            size_t n = v.length - offset < size ? size_t(v.length - offset) : size;
            uint32_t address = v.base + uint32_t(offset);
            TRY(to_user ? copy_to_user(address, buffer, n) : copy_from_user(buffer, address, n));
            buffer += n, size -= n, offset = 0;
        }
        return {};
    }

private:
    IoVector* vectors_ = nullptr;
    IoVector one_ = {0, 0};
    uint32_t count_ = 0;
    uint64_t total_ = 0;
};

// The control messages of a send, taken in.
struct ControlIn {
    FileRef* rights = nullptr;
    uint32_t right_count = 0;
    ~ControlIn() { delete[] rights; }
};

Result<void> add_rights(ControlIn& control, const uint8_t* data, uint32_t count) {
    if (control.right_count + count > SCM_MAX_FD) return Error(EINVAL);
    auto* rights = new (std::nothrow) FileRef[control.right_count + count];
    if (!rights) return Error(ENOMEM);
    for (uint32_t i = 0; i < control.right_count; ++i) rights[i] = static_cast<FileRef&&>(control.rights[i]);
    for (uint32_t i = 0; i < count; ++i) {
        int32_t fd;
        klib::memcpy(&fd, data + 4 * i, 4);
        auto file = self().files->get(fd);
        if (file.is_error()) {
            delete[] rights;
            return Error(EBADF);
        }
        rights[control.right_count + i] = file.value();
    }
    delete[] control.rights;
    control.rights = rights, control.right_count += count;
    return {};
}

Result<void> check_credentials(const uint8_t* data) {
    int32_t given[3];
    klib::memcpy(given, data, sizeof given);
    PeerCredentials me = caller_credentials();
    if (me.uid == 0) return {};
    if (given[0] != me.pid || uint32_t(given[1]) != me.uid || uint32_t(given[2]) != me.gid) return Error(EPERM);
    return {};
}

Result<void> read_control(uint32_t address, uint32_t length, ControlIn& control) {
    if (!length) return {};
    if (length > MAX_CONTROL) return Error(ENOBUFS);
    auto* bytes = static_cast<uint8_t*>(kmalloc(length));
    if (!bytes) return Error(ENOMEM);
    Result<void> result = copy_from_user(bytes, address, length);
    for (uint32_t at = 0; !result.is_error() && at + CMSG_HEADER <= length;) {
        uint32_t header[3];
        klib::memcpy(header, bytes + at, sizeof header);
        if (header[0] < CMSG_HEADER || header[0] > length - at) {
            result = Error(EINVAL);
            break;
        }
        const uint8_t* data = bytes + at + CMSG_HEADER;
        uint32_t data_length = header[0] - CMSG_HEADER;
        if (header[1] == SOL_SOCKET) {
            if (header[2] == SCM_RIGHTS) result = add_rights(control, data, data_length / 4);
            else if (header[2] == SCM_CREDENTIALS && data_length == 12) result = check_credentials(data);
            else result = Error(EINVAL);
        }
        at += cmsg_align(header[0]);
    }
    kfree(bytes);
    return result;
}

// ---- send ---------------------------------------------------------------------

// The destination of a sendto/sendmsg with a name (datagrams; a connected
// stream refuses it, a sequenced-packet socket ignores it, as on Linux).
Result<UnixSocket*> destination_of(UnixSocket& socket, uint32_t name, uint32_t name_length) {
    if (!name || !name_length || socket.type() == SOCK_SEQPACKET) return static_cast<UnixSocket*>(nullptr);
    if (socket.type() == SOCK_STREAM) {
        return Error(socket.state() == UnixSocket::State::Connected ? EISCONN : EOPNOTSUPP);
    }
    SocketAddress address = TRY(read_address(name, name_length));
    UnixSocket* target = TRY(UnixSocket::find_bound(address, self().working_directory, self().credentials));
    if (target->type() != socket.type()) {  // Linux finds names of the caller's type only
        target->drop_reference();
        return Error(ECONNREFUSED);
    }
    return target;
}

Result<size_t> send_vectors(SocketHandle& handle, UserVectors& data, uint32_t flags, UnixSocket* destination,
                            ControlIn& control) {
    UnixSocket& socket = *handle.socket;
    bool stream = socket.type() == SOCK_STREAM;
    if (!stream && data.total() > DATAGRAM_BUFFER) return Error(EMSGSIZE);
    size_t step = stream ? STREAM_STEP : size_t(data.total());
    auto* buffer = static_cast<uint8_t*>(kmalloc(step ? step : 1));
    if (!buffer) return Error(ENOMEM);
    SendRequest request;
    request.rights = control.rights, request.right_count = control.right_count;
    control.rights = nullptr, control.right_count = 0;
    request.destination = destination;
    request.nonblocking = handle.nonblocking() || (flags & MSG_DONTWAIT);
    uint64_t done = 0;
    Result<size_t> result = size_t(0);
    do {
        size_t piece = data.total() - done < step ? size_t(data.total() - done) : step;
        if (auto copied = data.transfer(done, buffer, piece, false); copied.is_error()) {
            result = Error(copied.error());
            break;
        }
        request.data = buffer, request.size = piece;
        result = socket.send(request);
        if (result.is_error()) break;
        done += result.value();
        if (result.value() < piece) break;
    } while (done < data.total());
    delete[] request.rights;  // files not sent
    kfree(buffer);
    if (done) return size_t(done);
    if (result.is_error() && result.error() == EPIPE && !(flags & MSG_NOSIGNAL)) send_signal_to_current_thread(SIGPIPE);
    return result;
}

// What sendmsg and recvmsg read first: the socket, the msghdr, its iovecs.
struct MessageCall {
    SocketHandle handle;
    MessageHeader header;
    UserVectors data;

    Result<void> read(uint32_t fd, uint32_t user_header) {
        handle = TRY(socket_handle(fd));
        TRY(copy_from_user(&header, user_header, sizeof header));
        return data.read(header.vectors, header.vector_count);
    }
};

Result<size_t> send_message(uint32_t fd, uint32_t user_header, uint32_t flags) {
    MessageCall call;
    TRY(call.read(fd, user_header));
    ControlIn control;
    TRY(read_control(call.header.control, call.header.control_length, control));
    UnixSocket* destination = TRY(destination_of(*call.handle.socket, call.header.name, call.header.name_length));
    auto sent = send_vectors(call.handle, call.data, flags, destination, control);
    if (destination) destination->drop_reference();
    return sent;
}

// ---- receive ------------------------------------------------------------------

// Control messages out: credentials (with SO_PASSCRED), then the files as
// new descriptors. Returns the bytes of control buffer used.
uint32_t write_control(uint32_t address, uint32_t length, ReceivedExtras& extras, bool pass_credentials,
                       bool close_on_exec, uint32_t& flags_out) {
    uint32_t used = 0;
    if (pass_credentials && extras.has_sender) {
        uint32_t message[6] = {CMSG_HEADER + 12, SOL_SOCKET, SCM_CREDENTIALS, uint32_t(extras.sender.pid),
                               extras.sender.uid, extras.sender.gid};
        if (!address || length < sizeof message || copy_to_user(address, message, sizeof message).is_error()) {
            flags_out |= MSG_CTRUNC;
        } else {
            used = sizeof message;
        }
    }
    if (!extras.right_count) return used;
    uint32_t room = address && length > used + CMSG_HEADER ? (length - used - CMSG_HEADER) / 4 : 0;
    uint32_t wanted = extras.right_count < room ? extras.right_count : room;
    int32_t fds[SCM_MAX_FD];
    uint32_t given = 0;
    for (; given < wanted; ++given) {
        auto fd = self().files->allocate(extras.rights[given], close_on_exec);
        if (fd.is_error()) break;
        fds[given] = fd.value();
    }
    if (given < extras.right_count) flags_out |= MSG_CTRUNC;
    if (given == 0) return used;
    uint32_t header[3] = {CMSG_HEADER + 4 * given, SOL_SOCKET, SCM_RIGHTS};
    (void)copy_to_user(address + used, header, sizeof header);
    (void)copy_to_user(address + used + CMSG_HEADER, fds, 4 * given);
    uint32_t space = cmsg_align(CMSG_HEADER + 4 * given);
    return used + (space < length - used ? space : length - used);
}

// Receives into `data`; the extras stay for the caller (name, control).
Result<size_t> receive_vectors(SocketHandle& handle, UserVectors& data, uint32_t flags, ReceivedExtras& extras) {
    UnixSocket& socket = *handle.socket;
    size_t cap = socket.type() == SOCK_STREAM ? STREAM_STEP : DATAGRAM_BUFFER;
    size_t size = data.total() < cap ? size_t(data.total()) : cap;
    auto* buffer = static_cast<uint8_t*>(kmalloc(size ? size : 1));
    if (!buffer) return Error(ENOMEM);
    auto got = socket.receive(buffer, size, flags, handle.nonblocking(), extras);
    Result<size_t> result = got;
    if (!got.is_error()) {
        if (auto copied = data.transfer(0, buffer, got.value(), true); copied.is_error()) result = Error(EFAULT);
        else if ((flags & MSG_TRUNC) && socket.type() != SOCK_STREAM) result = extras.message_size;
    }
    kfree(buffer);
    return result;
}

Result<size_t> receive_message(uint32_t fd, uint32_t user_header, uint32_t flags) {
    MessageCall call;
    TRY(call.read(fd, user_header));
    SocketHandle& handle = call.handle;
    const MessageHeader& header = call.header;
    ReceivedExtras extras;
    auto got = receive_vectors(handle, call.data, flags, extras);
    if (!got.is_error()) {
        if (header.name) {
            (void)write_address(header.name, user_header + NAME_LENGTH_OFFSET, extras.from, true);
        }
        uint32_t flags_out = extras.flags_out;
        uint32_t used = write_control(header.control, header.control_length, extras,
                                      handle.socket->pass_credentials, flags & MSG_CMSG_CLOEXEC, flags_out);
        (void)copy_to_user(user_header + CONTROL_LENGTH_OFFSET, &used, 4);
        (void)copy_to_user(user_header + FLAGS_OFFSET, &flags_out, 4);
    }
    delete[] extras.rights;  // those not installed are closed
    return got;
}

}  // namespace

namespace socket_calls {

// sendto(fd, buffer, length, flags, address, address_length)
int32_t sys_sendto(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    auto destination = destination_of(*handle.value().socket, a.arg[4], a.arg[5]);
    if (destination.is_error()) return -destination.error();
    UserVectors data;
    data.single(a.arg[1], a.arg[2]);
    ControlIn none;
    auto sent = send_vectors(handle.value(), data, a.arg[3], destination.value(), none);
    if (destination.value()) destination.value()->drop_reference();
    return syscall_result(sent);
}

// recvfrom(fd, buffer, length, flags, address, address_length*)
int32_t sys_recvfrom(const SyscallArguments& a) {
    auto handle = socket_handle(a.arg[0]);
    if (handle.is_error()) return -handle.error();
    UserVectors data;
    data.single(a.arg[1], a.arg[2]);
    ReceivedExtras extras;
    auto got = receive_vectors(handle.value(), data, a.arg[3], extras);
    delete[] extras.rights;
    if (!got.is_error() && a.arg[4]) {
        if (auto written = write_address(a.arg[4], a.arg[5], extras.from, true); written.is_error()) {
            return -written.error();
        }
    }
    return syscall_result(got);
}

int32_t sys_send(const SyscallArguments& a) {
    return sys_sendto({{a.arg[0], a.arg[1], a.arg[2], a.arg[3], 0, 0}});
}
int32_t sys_recv(const SyscallArguments& a) {
    return sys_recvfrom({{a.arg[0], a.arg[1], a.arg[2], a.arg[3], 0, 0}});
}

int32_t sys_sendmsg(const SyscallArguments& a) { return syscall_result(send_message(a.arg[0], a.arg[1], a.arg[2])); }
int32_t sys_recvmsg(const SyscallArguments& a) {
    return syscall_result(receive_message(a.arg[0], a.arg[1], a.arg[2]));
}

// sendmmsg(fd, mmsghdr*, count, flags) / recvmmsg(fd, mmsghdr*, count,
// flags, timeout*): one msghdr after another; the count done, or the first
// error when none was. recvmmsg's MSG_WAITFORONE waits for the first only;
// its timeout is not kept (Linux checks it only between messages too).
int32_t transfer_several(const SyscallArguments& a, bool sending) {
    constexpr uint32_t ENTRY = sizeof(MessageHeader) + 4;
    uint32_t count = a.arg[2] > MAX_IO_VECTORS ? MAX_IO_VECTORS : a.arg[2];
    uint32_t flags = a.arg[3];
    uint32_t done = 0;
    for (; done < count; ++done) {
        uint32_t entry = a.arg[1] + done * ENTRY;
        auto moved = sending ? send_message(a.arg[0], entry, flags) : receive_message(a.arg[0], entry, flags);
        if (moved.is_error()) return done ? int32_t(done) : -moved.error();
        uint32_t length = uint32_t(moved.value());
        if (copy_to_user(entry + sizeof(MessageHeader), &length, 4).is_error()) return done ? int32_t(done) : -EFAULT;
        if (!sending && (flags & MSG_WAITFORONE)) flags |= MSG_DONTWAIT;
    }
    return int32_t(done);
}
int32_t sys_sendmmsg(const SyscallArguments& a) { return transfer_several(a, true); }
int32_t sys_recvmmsg(const SyscallArguments& a) { return transfer_several(a, false); }

}  // namespace socket_calls
