// fs/socket/unix_socket.cpp -- see unix_socket.h: the socket object, its
// receive queue, sending, receiving, shutdown and poll (Linux:
// unix_stream_sendmsg, unix_dgram_sendmsg, unix_stream_read_generic,
// unix_dgram_recvmsg, unix_shutdown, unix_poll, unix_dgram_poll).
// Names and connections are in unix_socket_names.cpp.
#include "fs/socket/unix_socket.h"

#include "kernel/lib/string.h"
#include "kernel/mm/kmalloc.h"

using namespace socket_abi;

// One queued send. The bytes follow the header in the same allocation.
struct UnixSocket::Message {
    Message* next = nullptr;
    size_t size = 0;
    size_t offset = 0;  // Stream: bytes already read
    FileRef* rights = nullptr;
    uint32_t right_count = 0;
    PeerCredentials sender;
    SocketAddress from;

    uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }
};

namespace {

// What a stream receive queue holds before writers wait, and a datagram
// queue's length limit (Linux bounds both by SO_SNDBUF's accounting).
constexpr size_t STREAM_QUEUE_BYTES = 65536;
constexpr size_t DATAGRAM_QUEUE_MESSAGES = 256;
constexpr size_t DATAGRAM_QUEUE_BYTES = 262144;
// A stream send is queued in pieces of at most this.
constexpr size_t STREAM_PIECE = 16384;

bool signal_interrupts() { return WaitQueue::signal_pending(); }

PeerCredentials nobody() { return PeerCredentials(); }
CallerCredentials caller_credentials = nobody;

}  // namespace

void set_caller_credentials(CallerCredentials source) { caller_credentials = source; }

bool SocketAddress::same_as(const SocketAddress& other) const {
    return length == other.length && klib::memcmp(bytes, other.bytes, length) == 0;
}

Result<UnixSocket*> UnixSocket::create(int type) {
    if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET) return Error(ESOCKTNOSUPPORT);
    auto* socket = new (std::nothrow) UnixSocket(type);
    if (!socket) return Error(ENOMEM);
    return socket;
}

Result<void> UnixSocket::create_pair(int type, const PeerCredentials& creator, UnixSocket*& first,
                                     UnixSocket*& second) {
    first = TRY(create(type));
    auto made = create(type);
    if (made.is_error()) {
        first->drop_reference();
        return Error(made.error());
    }
    second = made.value();
    InterruptGuard atomic;
    first->peer_ = second, second->peer_ = first;
    first->add_reference(), second->add_reference();
    first->state_ = second->state_ = State::Connected;
    first->peer_credentials_ = second->peer_credentials_ = creator;
    return {};
}

UnixSocket::~UnixSocket() {
    while (Message* message = queue_head_) {
        queue_head_ = message->next;
        free_message(message);
    }
}

void UnixSocket::add_reference() {
    InterruptGuard atomic;
    ++references_;
}

void UnixSocket::drop_reference() {
    bool last;
    {
        InterruptGuard atomic;
        last = --references_ == 0;
    }
    if (last) delete this;
}

// The peer is told (Linux unix_release_sock): a connected peer can read no
// more than what is queued, and sees ECONNRESET when this side left data
// unread; senders waiting on this socket wake and find it closed.
void UnixSocket::disconnect_locked() {
    if (UnixSocket* peer = peer_) {
        if (is_connection_oriented() && peer->peer_ == this) {
            peer->receive_shut_ = peer->send_shut_ = true;
            if (queue_head_ || pending_head_) peer->error_ = ECONNRESET;
        }
        peer->readable.wake_all();
        peer->room.wake_all();
    }
    readable.wake_all();
    room.wake_all();
}

void UnixSocket::close() {
    UnixSocket* old_peer;
    Message* queued;
    UnixSocket* pending;
    {
        InterruptGuard atomic;
        disconnect_locked();
        state_ = State::Closed;
        receive_shut_ = send_shut_ = true;
        old_peer = peer_;
        peer_ = nullptr;
        queued = queue_head_;
        queue_head_ = queue_tail_ = nullptr;
        queued_bytes_ = queued_messages_ = 0;
        pending = pending_head_;
        pending_head_ = nullptr;
        pending_count_ = 0;
    }
    forget_name();
    // Files in flight and connections never accepted go now, interrupts on.
    while (queued) {
        Message* next = queued->next;
        free_message(queued);
        queued = next;
    }
    while (pending) {
        UnixSocket* next = pending->pending_next_;
        pending->close();
        pending->drop_reference();
        pending = next;
    }
    if (old_peer) old_peer->drop_reference();
}

int UnixSocket::take_error() {
    InterruptGuard atomic;
    int error = error_;
    error_ = 0;
    return error;
}

// ---- messages -------------------------------------------------------------

UnixSocket::Message* UnixSocket::make_message(const SendRequest& request, size_t size) {
    PeerCredentials sender = caller_credentials();
    void* memory = kmalloc(sizeof(Message) + (size ? size : 1));
    if (!memory) return nullptr;
    auto* message = new (memory) Message;
    message->size = size;
    message->sender = sender;
    klib::memcpy(message->data(), request.data, size);
    return message;
}

void UnixSocket::free_message(Message* message) {
    delete[] message->rights;  // drops the files still in flight
    message->~Message();
    kfree(message);
}

void UnixSocket::queue_locked(Message& message) {
    if (queue_tail_) queue_tail_->next = &message;
    else queue_head_ = &message;
    queue_tail_ = &message;
    queued_bytes_ += message.size;
    ++queued_messages_;
    readable.wake_all();
}

bool UnixSocket::queue_full_for(size_t size) const {
    if (type_ == SOCK_STREAM) return queued_bytes_ >= STREAM_QUEUE_BYTES;
    if (queued_messages_ == 0) return false;
    return queued_messages_ >= DATAGRAM_QUEUE_MESSAGES || queued_bytes_ + size > DATAGRAM_QUEUE_BYTES;
}

// ---- send -----------------------------------------------------------------

// Where a send goes: the destination of a datagram sendto, else the peer.
// Connected sockets refuse a destination (EISCONN) as Linux does.
Result<UnixSocket*> UnixSocket::send_target(SendRequest& request) {
    if (is_connection_oriented()) {
        if (request.destination) return Error(state_ == State::Connected ? EISCONN : EOPNOTSUPP);
        if (state_ != State::Connected) return Error(ENOTCONN);
        if (send_shut_) return Error(EPIPE);
        return peer_;
    }
    if (request.destination) return request.destination;
    if (!peer_) return Error(ENOTCONN);
    if (peer_->state_ == State::Closed) return Error(ECONNREFUSED);
    return peer_;
}

Result<size_t> UnixSocket::send(SendRequest& request) {
    if (!is_connection_oriented() && !name_.length && pass_credentials) TRY(autobind());
    if (type_ == SOCK_STREAM) return send_stream(request);
    UnixSocket* target;
    {
        InterruptGuard atomic;
        target = TRY(send_target(request));
        target->add_reference();
    }
    auto sent = send_message(request, *target);
    target->drop_reference();
    return sent;
}

// Datagrams and sequenced packets: one message, whole or not at all.
Result<size_t> UnixSocket::send_message(SendRequest& request, UnixSocket& target) {
    uint32_t limit = send_buffer > 32 ? send_buffer - 32 : 0;
    if (request.size > limit) return Error(EMSGSIZE);
    Message* message = make_message(request, request.size);
    if (!message) return Error(ENOMEM);
    message->from = name_;
    InterruptGuard atomic;
    for (;;) {
        Result<void> refused = {};
        if (target.state_ == State::Closed || target.receive_shut_) {
            refused = Error(is_connection_oriented() ? EPIPE : ECONNREFUSED);
        } else if (!target.queue_full_for(request.size)) {
            break;
        } else if (request.nonblocking) {
            refused = Error(EAGAIN);
        } else if (signal_interrupts()) {
            refused = Error(EINTR);
        }
        if (refused.is_error()) {
            free_message(message);
            return Error(refused.error());
        }
        target.room.sleep();
    }
    message->rights = request.rights, message->right_count = request.right_count;
    request.rights = nullptr, request.right_count = 0;
    target.queue_locked(*message);
    return request.size;
}

// A byte stream: in pieces while the peer's queue has room; a partial
// count when a later piece cannot wait, EPIPE when the peer is gone.
Result<size_t> UnixSocket::send_stream(SendRequest& request) {
    size_t done = 0;
    InterruptGuard atomic;
    if (request.size == 0 && request.right_count == 0) {  // nothing is queued, as on Linux
        auto target = send_target(request);
        return target.is_error() ? Result<size_t>(Error(target.error())) : Result<size_t>(size_t(0));
    }
    do {
        auto target = send_target(request);
        if (target.is_error()) return done ? Result<size_t>(done) : Result<size_t>(Error(target.error()));
        UnixSocket& peer = *target.value();
        if (peer.receive_shut_ || peer.state_ == State::Closed) {
            return done ? Result<size_t>(done) : Result<size_t>(Error(EPIPE));
        }
        if (peer.queue_full_for(0)) {
            if (request.nonblocking) return done ? Result<size_t>(done) : Result<size_t>(Error(EAGAIN));
            if (signal_interrupts()) return done ? Result<size_t>(done) : Result<size_t>(Error(EINTR));
            peer.room.sleep();
            continue;
        }
        size_t piece = request.size - done;
        if (piece > STREAM_PIECE) piece = STREAM_PIECE;
        SendRequest part = request;
        part.data = request.data + done;
        Message* message = make_message(part, piece);
        if (!message) return done ? Result<size_t>(done) : Result<size_t>(Error(ENOMEM));
        message->from = name_;
        message->rights = request.rights, message->right_count = request.right_count;
        request.rights = nullptr, request.right_count = 0;
        peer.queue_locked(*message);
        done += piece;
    } while (done < request.size);
    return done;
}

// ---- receive --------------------------------------------------------------

// One message to the reader (datagram, sequenced packet): cut to `size`.
size_t UnixSocket::copy_out(uint8_t* buffer, size_t size, uint32_t flags, ReceivedExtras& extras) {
    Message* message = queue_head_;
    size_t n = message->size < size ? message->size : size;
    klib::memcpy(buffer, message->data(), n);
    extras.message_size = message->size;
    if (n < message->size) extras.flags_out |= MSG_TRUNC;
    extras.sender = message->sender, extras.has_sender = true;
    extras.from = message->from;
    if (flags & MSG_PEEK) return n;
    extras.rights = message->rights, extras.right_count = message->right_count;
    message->rights = nullptr;
    queue_head_ = message->next;
    if (!queue_head_) queue_tail_ = nullptr;
    queued_bytes_ -= message->size;
    --queued_messages_;
    free_message(message);  // no files left in it: safe with interrupts off
    room.wake_all();
    return n;
}

// Bytes of the stream, across messages; a message with files ends the read
// (after it, or before it when bytes were taken already), as on Linux.
size_t UnixSocket::copy_stream(uint8_t* buffer, size_t size, uint32_t flags, ReceivedExtras& extras) {
    size_t done = 0;
    Message* message = queue_head_;
    while (message && done < size) {
        if (message->rights && done > 0) break;
        size_t offset = message->offset;
        size_t n = message->size - offset < size - done ? message->size - offset : size - done;
        klib::memcpy(buffer + done, message->data() + offset, n);
        done += n;
        extras.sender = message->sender, extras.has_sender = true;
        bool carried_rights = message->rights != nullptr;
        if (carried_rights && !(flags & MSG_PEEK)) {
            extras.rights = message->rights, extras.right_count = message->right_count;
            message->rights = nullptr, message->right_count = 0;
        }
        if (flags & MSG_PEEK) {
            message = message->next;
        } else {
            message->offset += n;
            queued_bytes_ -= n;
            if (message->offset == message->size) {
                queue_head_ = message->next;
                if (!queue_head_) queue_tail_ = nullptr;
                --queued_messages_;
                free_message(message);
                message = queue_head_;
            }
        }
        if (carried_rights) break;
    }
    if (done && !(flags & MSG_PEEK)) room.wake_all();
    return done;
}

Result<size_t> UnixSocket::receive(uint8_t* buffer, size_t size, uint32_t flags, bool nonblocking,
                                   ReceivedExtras& extras) {
    if (flags & MSG_OOB) return Error(EOPNOTSUPP);
    if (is_connection_oriented() && state_ != State::Connected) {
        return Error(type_ == SOCK_STREAM ? EINVAL : ENOTCONN);
    }
    if (flags & MSG_DONTWAIT) nonblocking = true;
    bool stream = type_ == SOCK_STREAM;
    size_t wanted = stream && (flags & MSG_WAITALL) && !(flags & MSG_PEEK) ? size : 1;
    size_t done = 0;
    InterruptGuard atomic;
    for (;;) {
        if (queue_head_) {
            if (!stream) return copy_out(buffer, size, flags, extras);
            done += copy_stream(buffer + done, size - done, flags, extras);
            if (done >= wanted || done == size || extras.rights) return done;
            continue;
        }
        if (done) {
            if (done >= wanted) return done;
        } else if (error_) {
            int error = error_;
            error_ = 0;
            return Error(error);
        }
        if (receive_shut_ || size == 0) return done;
        if (nonblocking) return done ? Result<size_t>(done) : Result<size_t>(Error(EAGAIN));
        if (signal_interrupts()) return done ? Result<size_t>(done) : Result<size_t>(Error(EINTR));
        readable.sleep();
    }
}

// ---- shutdown and poll ------------------------------------------------------

Result<void> UnixSocket::shutdown(int how) {
    if (how < SHUT_RD || how > SHUT_RDWR) return Error(EINVAL);
    InterruptGuard atomic;
    bool read_side = how != SHUT_WR, write_side = how != SHUT_RD;
    if (read_side) receive_shut_ = true;
    if (write_side) send_shut_ = true;
    if (peer_ && is_connection_oriented()) {
        if (read_side) peer_->send_shut_ = true;
        if (write_side) peer_->receive_shut_ = true;
        peer_->readable.wake_all();
        peer_->room.wake_all();
    }
    readable.wake_all();
    room.wake_all();
    return {};
}

// Linux's unix_poll (streams) and unix_dgram_poll (datagrams, sequenced
// packets): readable with data or a connection to accept, RDHUP and IN once
// reading was shut, HUP when both directions are, or (connected kinds) when
// not connected; writable while the peer's queue has room.
uint32_t UnixSocket::poll(PollTable* table) {
    using namespace poll_events;
    InterruptGuard atomic;
    poll_wait(table, readable);
    uint32_t events = 0;
    if (error_) events |= ERR;
    if (receive_shut_ && send_shut_) events |= HUP;
    if (receive_shut_) events |= READ_HANGUP | IN | READ_NORMAL;
    if (queue_head_ || pending_head_) events |= IN | READ_NORMAL;
    if (is_connection_oriented() && state_ != State::Connected && state_ != State::Listening) events |= HUP;
    bool writable = state_ != State::Listening;
    if (peer_) {
        poll_wait(table, peer_->room);
        if (peer_->queue_full_for(0)) writable = false;
    }
    if (writable) events |= OUT | WRITE_NORMAL | WRITE_BAND;
    return events;
}
