// fs/socket/unix_socket.h -- Unix-domain sockets: AF_UNIX stream, datagram
// and sequenced-packet sockets between processes of this machine.
//
// Layer: sockets, beside the VFS's special files (Linux: net/unix/af_unix.c).
// A UnixSocket is the socket object; its open file is a SocketFile
// (socket_file.h), which the system calls (kernel/syscall/syscall_socket.cpp)
// reach through File::kind() == FileKind::Socket. What is sent is queued as
// messages on the receiver's queue:
//   Stream      a byte stream: reads cross message boundaries (not the one
//               that carries files); connect/listen/accept; EOF once the
//               peer shut down or closed, EPIPE to a writer without peer
//   SeqPacket   connected like Stream, one message per read, like Datagram
//   Datagram    one message per read, cut to the reader's buffer (MSG_TRUNC);
//               sendto an address, or connect to set the default peer
// Names (unix_socket_names.cpp): bind() to a path makes a socket inode
// (S_IFSOCK, through vfs_mknod) and remembers its inode; connect() looks the
// path up and finds the socket bound to that inode. An abstract name
// (sun_path[0] == 0) lives only in the table. Closing the socket forgets
// the name; the inode stays until unlink, as on Linux.
// Messages may carry open files (SCM_RIGHTS) and the sender's credentials.
//
// Lifetime: a UnixSocket is counted: its SocketFile holds one reference,
// a connected peer one, a listener's queue of not yet accepted connections
// one each. close() (the file's release) disconnects it; the memory goes
// with the last reference.
//
// Locking: all state is guarded by InterruptGuard (one CPU, as pipes).
// Sleepers re-check after every wake; a signal ends a sleep with EINTR.
// Files carried in messages are dropped only with interrupts on.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/file.h"

namespace socket_abi {
// Linux's values (include/linux/socket.h, net.h, uapi/asm-generic/socket.h).
constexpr int AF_UNIX = 1;
constexpr int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_SEQPACKET = 5;
constexpr uint32_t MSG_OOB = 0x1, MSG_PEEK = 0x2, MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40,
                   MSG_EOR = 0x80, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
constexpr int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
constexpr size_t SUN_PATH_SIZE = 108;
constexpr uint32_t SCM_MAX_FD = 253;
}  // namespace socket_abi

// A sockaddr_un's name: sun_path's bytes that count. length 0: unnamed;
// bytes[0] == 0: an abstract name of `length` bytes; else a path, NUL-terminated.
struct SocketAddress {
    uint8_t bytes[socket_abi::SUN_PATH_SIZE + 1] = {};
    size_t length = 0;

    bool is_abstract() const { return length > 0 && bytes[0] == 0; }
    bool same_as(const SocketAddress& other) const;
};

// Who sent a message or made a connection (SO_PEERCRED, SCM_CREDENTIALS).
struct PeerCredentials {
    int32_t pid = 0;
    uint32_t uid = 0xFFFFFFFF, gid = 0xFFFFFFFF;  // Linux's overflow ids: nobody yet
};

// Who is calling, as a socket peer: installed by the system-call layer,
// which knows processes (this layer does not). Every message is stamped
// with it, however it was sent (send*, or write() on the socket).
using CallerCredentials = PeerCredentials (*)();
void set_caller_credentials(CallerCredentials source);

// One send: kernel bytes, files to pass (their references move into the
// message), where to (datagram sendto; nullptr: the peer).
struct SendRequest {
    const uint8_t* data = nullptr;
    size_t size = 0;
    FileRef* rights = nullptr;  // `right_count` references, taken over on success
    uint32_t right_count = 0;
    class UnixSocket* destination = nullptr;
    bool nonblocking = false;
};

// What a receive took, besides the bytes: files and credentials that came
// with it, the sender's name, and the message's full length.
struct ReceivedExtras {
    FileRef* rights = nullptr;  // owned by the caller afterwards (delete[])
    uint32_t right_count = 0;
    PeerCredentials sender;
    bool has_sender = false;
    SocketAddress from;
    size_t message_size = 0;  // datagrams: before cutting (MSG_TRUNC)
    uint32_t flags_out = 0;   // MSG_TRUNC when cut
};

class UnixSocket {
public:
    enum class State : uint8_t { Unconnected, Listening, Connected, Closed };

    // A new socket of `type` (socket_abi::SOCK_*), one reference held by the caller.
    static Result<UnixSocket*> create(int type);
    // socketpair: two connected sockets.
    static Result<void> create_pair(int type, const PeerCredentials& creator, UnixSocket*& first,
                                    UnixSocket*& second);

    void add_reference();
    void drop_reference();
    // The file is gone: disconnect, forget the name, drop what is queued.
    void close();

    int type() const { return type_; }
    bool is_connection_oriented() const { return type_ != socket_abi::SOCK_DGRAM; }
    State state() const { return state_; }

    // ---- data (unix_socket.cpp)
    Result<size_t> send(SendRequest& request);
    // `flags`: MSG_PEEK, MSG_DONTWAIT (or `nonblocking`), MSG_WAITALL, MSG_TRUNC.
    Result<size_t> receive(uint8_t* buffer, size_t size, uint32_t flags, bool nonblocking,
                           ReceivedExtras& extras);
    Result<void> shutdown(int how);
    uint32_t poll(PollTable* table);
    int take_error();  // SO_ERROR: the pending error, cleared

    // ---- names and connections (unix_socket_names.cpp)
    // `parent_cwd`/`credentials`/`umask` are the caller's, for the path.
    Result<void> bind(const SocketAddress& address, const Path& cwd, const Credentials& credentials,
                      uint32_t umask);
    Result<void> listen(int backlog, const PeerCredentials& listener);
    Result<void> connect(const SocketAddress& address, const Path& cwd, const Credentials& credentials,
                         const PeerCredentials& client, bool nonblocking);
    // connect() to AF_UNSPEC: a datagram socket forgets its default peer.
    void disconnect_datagram();
    // The next connection, with one reference for the caller.
    Result<UnixSocket*> accept(bool nonblocking);
    // The socket bound to `address` (one reference for the caller);
    // ENOENT/ECONNREFUSED as connect() answers.
    static Result<UnixSocket*> find_bound(const SocketAddress& address, const Path& cwd,
                                          const Credentials& credentials);
    const SocketAddress& name() const { return name_; }
    // The peer's name; ENOTCONN without a peer.
    Result<SocketAddress> peer_name() const;
    const PeerCredentials& peer_credentials() const { return peer_credentials_; }

    // ---- options
    uint32_t send_buffer = DEFAULT_BUFFER, receive_buffer = DEFAULT_BUFFER;  // SO_SNDBUF/SO_RCVBUF as set
    bool pass_credentials = false;                                           // SO_PASSCRED

    static constexpr uint32_t DEFAULT_BUFFER = 212992;  // Linux's net.core.[rw]mem_default

private:
    struct Message;
    explicit UnixSocket(int type) : type_(type) {}
    ~UnixSocket();

    // unix_socket.cpp
    static Message* make_message(const SendRequest& request, size_t size);
    static void free_message(Message* message);
    Result<UnixSocket*> send_target(SendRequest& request);
    Result<size_t> send_stream(SendRequest& request);
    Result<size_t> send_message(SendRequest& request, UnixSocket& target);
    size_t copy_out(uint8_t* buffer, size_t size, uint32_t flags, ReceivedExtras& extras);
    size_t copy_stream(uint8_t* buffer, size_t size, uint32_t flags, ReceivedExtras& extras);
    bool queue_full_for(size_t size) const;
    void disconnect_locked();
    void queue_locked(Message& message);

    // unix_socket_names.cpp
    Result<void> bind_locked_name(const SocketAddress& address);
    Result<void> autobind();
    void forget_name();
    Result<void> connect_stream(UnixSocket& listener, const PeerCredentials& client, bool nonblocking);

    const int type_;
    State state_ = State::Unconnected;
    uint32_t references_ = 1;
    UnixSocket* peer_ = nullptr;  // counted; Connected, or a datagram's default destination
    bool receive_shut_ = false, send_shut_ = false;
    int error_ = 0;  // SO_ERROR (ECONNRESET)

    // The receive queue: messages oldest first, and what they hold.
    Message* queue_head_ = nullptr;
    Message* queue_tail_ = nullptr;
    size_t queued_bytes_ = 0, queued_messages_ = 0;

    // Listening: connections not accepted yet (each counted), and how many may wait.
    UnixSocket* pending_head_ = nullptr;
    UnixSocket* pending_next_ = nullptr;  // link while on a listener's queue
    uint32_t pending_count_ = 0, backlog_ = 0;

    SocketAddress name_;
    Path bound_path_;  // the socket inode bind() made; keeps it (and its number) alive
    UnixSocket* next_bound_ = nullptr;
    PeerCredentials peer_credentials_;

public:
    WaitQueue readable;  // data or a connection arrived, the peer went
    WaitQueue room;      // senders to this socket: its queue has room again, or it went
};
