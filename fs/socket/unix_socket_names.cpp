// fs/socket/unix_socket_names.cpp -- see unix_socket.h: names and
// connections (Linux: unix_bind, unix_autobind, unix_find_other,
// unix_listen, unix_stream_connect, unix_dgram_connect, unix_accept).
//
// The table of bound sockets is one list, guarded by InterruptGuard; it
// holds no references (close() takes a socket off first). A socket bound
// to a path keeps the Path of its inode, so the inode, and with it the
// number connect() compares, stays in memory while the socket is bound --
// even after unlink, when only sockets that already know it can reach it.
#include "fs/socket/unix_socket.h"

#include "fs/vfs/path_lookup.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/string.h"

using namespace socket_abi;

namespace {

UnixSocket* bound_sockets = nullptr;  // linked through next_bound_; InterruptGuard
uint32_t autobind_counter = 0;        // InterruptGuard
constexpr int MAX_BACKLOG = 4096;     // Linux's net.core.somaxconn

const char* path_of(const SocketAddress& address) { return reinterpret_cast<const char*>(address.bytes); }

}  // namespace

// ---- the table --------------------------------------------------------------

// An abstract name, or (for a path) nothing: the caller has checked the inode.
Result<void> UnixSocket::bind_locked_name(const SocketAddress& address) {
    if (address.is_abstract()) {
        for (UnixSocket* other = bound_sockets; other; other = other->next_bound_) {
            if (other->name_.same_as(address)) return Error(EADDRINUSE);
        }
    }
    if (name_.length) return Error(EINVAL);
    name_ = address;
    next_bound_ = bound_sockets;
    bound_sockets = this;
    return {};
}

// bind() with no name, or a datagram sent with SO_PASSCRED: an abstract
// name of five hex digits, as Linux picks one.
Result<void> UnixSocket::autobind() {
    InterruptGuard atomic;
    if (name_.length) return {};
    for (int attempt = 0; attempt < 0x100000; ++attempt) {
        SocketAddress name;
        uint32_t number = autobind_counter++ & 0xFFFFF;
        name.bytes[0] = 0;
        for (int digit = 0; digit < 5; ++digit) {
            name.bytes[5 - digit] = uint8_t("0123456789abcdef"[(number >> (4 * digit)) & 0xF]);
        }
        name.length = 6;
        if (!bind_locked_name(name).is_error()) return {};
    }
    return Error(ENOSPC);
}

void UnixSocket::forget_name() {
    Path path;
    {
        InterruptGuard atomic;
        for (UnixSocket** link = &bound_sockets; *link; link = &(*link)->next_bound_) {
            if (*link == this) {
                *link = next_bound_;
                break;
            }
        }
        next_bound_ = nullptr;
        path = static_cast<Path&&>(bound_path_);
    }
}

Result<void> UnixSocket::bind(const SocketAddress& address, const Path& cwd, const Credentials& credentials,
                              uint32_t umask) {
    if (address.length == 0) return name_.length ? Result<void>(Error(EINVAL)) : autobind();
    if (address.is_abstract()) {
        InterruptGuard atomic;
        if (name_.length) return Error(EINVAL);
        return bind_locked_name(address);
    }
    // The inode first, as Linux's unix_bind_bsd: an existing path is
    // EADDRINUSE even for a socket that is bound already.
    auto made = vfs_mknod(cwd, path_of(address), S_IFSOCK | (0777 & ~umask), 0, credentials);
    if (made.is_error()) return Error(made.error() == EEXIST ? EADDRINUSE : made.error());
    if (name_.length) {
        (void)vfs_unlink(cwd, path_of(address), credentials);
        return Error(EINVAL);
    }
    Path inode_path = TRY(path_walk(cwd, path_of(address), 0, credentials));
    InterruptGuard atomic;
    TRY(bind_locked_name(address));
    bound_path_ = static_cast<Path&&>(inode_path);
    return {};
}

Result<UnixSocket*> UnixSocket::find_bound(const SocketAddress& address, const Path& cwd,
                                           const Credentials& credentials) {
    Path found;
    if (!address.is_abstract()) {
        if (address.length == 0) return Error(EINVAL);
        found = TRY(path_walk(cwd, path_of(address), LOOKUP_FOLLOW, credentials));
        if (!S_ISSOCK(found.inode()->mode())) return Error(ECONNREFUSED);
        TRY(found.inode()->check_permission(credentials, MAY_WRITE));
    }
    InterruptGuard atomic;
    for (UnixSocket* other = bound_sockets; other; other = other->next_bound_) {
        bool match = address.is_abstract() ? other->name_.same_as(address)
                                           : other->bound_path_.inode() == found.inode();
        if (match && other->state_ != State::Closed) {
            other->add_reference();
            return other;
        }
    }
    return Error(ECONNREFUSED);
}

Result<SocketAddress> UnixSocket::peer_name() const {
    InterruptGuard atomic;
    if (!peer_) return Error(ENOTCONN);
    return peer_->name_;
}

// ---- connections ---------------------------------------------------------------

Result<void> UnixSocket::listen(int backlog, const PeerCredentials& listener) {
    if (!is_connection_oriented()) return Error(EOPNOTSUPP);
    InterruptGuard atomic;
    if (!name_.length || (state_ != State::Unconnected && state_ != State::Listening)) return Error(EINVAL);
    if (backlog < 0 || backlog > MAX_BACKLOG) backlog = MAX_BACKLOG;
    backlog_ = uint32_t(backlog);
    state_ = State::Listening;
    peer_credentials_ = listener;  // what connecting clients see as SO_PEERCRED
    room.wake_all();
    return {};
}

Result<void> UnixSocket::connect(const SocketAddress& address, const Path& cwd, const Credentials& credentials,
                                 const PeerCredentials& client, bool nonblocking) {
    if (is_connection_oriented()) {
        if (state_ == State::Connected) return Error(EISCONN);
        if (state_ == State::Listening) return Error(EINVAL);
    }
    UnixSocket* target = TRY(find_bound(address, cwd, credentials));
    Result<void> result = {};
    if (target->type_ != type_) {
        result = Error(ECONNREFUSED);  // Linux finds names of the caller's type only
    } else if (is_connection_oriented()) {
        result = connect_stream(*target, client, nonblocking);
    } else {
        if (pass_credentials && !name_.length) result = autobind();
        UnixSocket* old_peer = nullptr;
        if (!result.is_error()) {
            InterruptGuard atomic;
            old_peer = peer_;
            peer_ = target;  // takes over find_bound's reference
            peer_credentials_ = target->peer_credentials_;
            target = nullptr;
        }
        if (old_peer) old_peer->drop_reference();
    }
    if (target) target->drop_reference();
    return result;
}

void UnixSocket::disconnect_datagram() {
    UnixSocket* old_peer;
    {
        InterruptGuard atomic;
        old_peer = peer_;
        peer_ = nullptr;
    }
    if (old_peer) old_peer->drop_reference();
}

// The server's half of a new connection waits on the listener's queue,
// already connected to this socket (Linux: the "embryo").
Result<void> UnixSocket::connect_stream(UnixSocket& listener, const PeerCredentials& client, bool nonblocking) {
    UnixSocket* server_side = TRY(create(type_));
    InterruptGuard atomic;
    for (;;) {
        Result<void> refused = {};
        if (listener.state_ != State::Listening) refused = Error(ECONNREFUSED);
        else if (state_ == State::Connected) refused = Error(EISCONN);
        else if (listener.pending_count_ <= listener.backlog_) break;
        else if (nonblocking) refused = Error(EAGAIN);
        else if (WaitQueue::signal_pending()) refused = Error(EINTR);
        if (refused.is_error()) {
            server_side->drop_reference();
            return refused;
        }
        listener.room.sleep();
    }
    server_side->peer_ = this, add_reference();
    peer_ = server_side, server_side->add_reference();
    server_side->state_ = state_ = State::Connected;
    server_side->name_ = listener.name_;
    server_side->peer_credentials_ = client;
    peer_credentials_ = listener.peer_credentials_;
    UnixSocket** link = &listener.pending_head_;
    while (*link) link = &(*link)->pending_next_;
    *link = server_side;  // takes over create()'s reference
    ++listener.pending_count_;
    listener.readable.wake_all();
    return {};
}

Result<UnixSocket*> UnixSocket::accept(bool nonblocking) {
    if (!is_connection_oriented()) return Error(EOPNOTSUPP);
    InterruptGuard atomic;
    for (;;) {
        if (state_ != State::Listening) return Error(EINVAL);
        if (UnixSocket* connection = pending_head_) {
            pending_head_ = connection->pending_next_;
            connection->pending_next_ = nullptr;
            --pending_count_;
            room.wake_all();
            return connection;
        }
        if (nonblocking) return Error(EAGAIN);
        if (WaitQueue::signal_pending()) return Error(EINTR);
        readable.sleep();
    }
}
