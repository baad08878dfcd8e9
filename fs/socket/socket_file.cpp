// fs/socket/socket_file.cpp -- see socket_file.h.
#include "fs/socket/socket_file.h"

#include "kernel/lib/string.h"

namespace {
uint32_t sockets_made = 0;  // InterruptGuard
}

SocketFile::SocketFile(UnixSocket& socket, uint32_t flags) : File(Path(), flags), socket_(socket) {
    InterruptGuard atomic;
    number_ = ++sockets_made;
}

Result<size_t> SocketFile::read(void* buffer, size_t size) {
    ReceivedExtras extras;
    auto got = socket_.receive(static_cast<uint8_t*>(buffer), size, 0, is_nonblocking(), extras);
    delete[] extras.rights;  // read() takes no files: they are closed, as on Linux
    return got;
}

Result<size_t> SocketFile::write(const void* buffer, size_t size) {
    SendRequest request;
    request.data = static_cast<const uint8_t*>(buffer);
    request.size = size;
    request.nonblocking = is_nonblocking();
    return socket_.send(request);
}

uint32_t SocketFile::poll(PollTable* table) { return socket_.poll(table); }

// Like Linux's sockfs: S_IFSOCK with every permission, no size.
Result<void> SocketFile::status(linux_abi::stat64* out) {
    klib::memset(out, 0, sizeof(*out));
    out->st_mode = S_IFSOCK | 0777;
    out->st_nlink = 1;
    out->st_ino = out->__st_ino = number_;
    out->st_blksize = 4096;
    return {};
}

void SocketFile::release() {
    socket_.close();
    socket_.drop_reference();
}

Result<FileRef> make_socket_file(UnixSocket* socket, bool nonblocking) {
    auto* file = new (std::nothrow) SocketFile(*socket, O_RDWR | (nonblocking ? O_NONBLOCK : 0));
    if (!file) {
        socket->close();
        socket->drop_reference();
        return Error(ENOMEM);
    }
    return FileRef::adopt(file);
}

Result<UnixSocket*> socket_of(File& file) {
    if (file.kind() != FileKind::Socket) return Error(ENOTSOCK);
    return &static_cast<SocketFile&>(file).socket();
}
