// fs/socket/socket_file.h -- the open file of a socket.
//
// Layer: sockets, at the VFS's edge (Linux: socket_file_ops and sockfs).
// socket() and accept() give a SocketFile: read() and write() are recv()
// and send() with no flags, poll() is the socket's, fstat() says S_IFSOCK,
// seeking is ESPIPE. The system calls that need the socket itself find it
// through File::kind() == FileKind::Socket and socket_of().
// Must stay true: the file holds one reference to its UnixSocket and closes
// the socket when the file is released.
#pragma once

#include "fs/socket/unix_socket.h"

class SocketFile final : public File {
public:
    // Takes over one reference to `socket`. `flags`: O_RDWR, maybe O_NONBLOCK.
    SocketFile(UnixSocket& socket, uint32_t flags);

    UnixSocket& socket() const { return socket_; }
    bool is_nonblocking() const { return (flags() & O_NONBLOCK) != 0; }

    FileKind kind() const override { return FileKind::Socket; }
    Result<size_t> read(void* buffer, size_t size) override;
    Result<size_t> write(const void* buffer, size_t size) override;
    uint32_t poll(PollTable* table) override;
    Result<size_t> read_at(uint64_t, void*, size_t) override { return Error(ESPIPE); }
    Result<size_t> write_at(uint64_t, const void*, size_t) override { return Error(ESPIPE); }
    Result<uint64_t> seek(int64_t, int) override { return Error(ESPIPE); }
    Result<void> status(linux_abi::stat64* out) override;

protected:
    void release() override;

private:
    UnixSocket& socket_;
    uint32_t number_;  // fstat's st_ino
};

// A new file for `socket` (its reference moves in; dropped on ENOMEM).
Result<FileRef> make_socket_file(UnixSocket* socket, bool nonblocking);

// The socket behind an open file; ENOTSOCK for any other file.
Result<UnixSocket*> socket_of(File& file);
