// kernel/syscall/syscall_socket.h -- what the socket system-call files share.
//
// Layer: system calls. syscall_socket.cpp has the calls that make, name
// and connect sockets and socketcall(102), which reaches every one of them;
// syscall_socket_messages.cpp has the calls that move data (send*, recv*).
// Here: finding the socket behind a descriptor, sockaddr_un in and out,
// and who the caller is as a socket peer.
#pragma once

#include <cstdint>

#include "fs/socket/socket_file.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace socket_calls {

// The descriptor's socket and its file (the reference keeps both alive).
struct SocketHandle {
    FileRef file;
    UnixSocket* socket = nullptr;
    bool nonblocking() const { return (file->flags() & O_NONBLOCK) != 0; }
};
Result<SocketHandle> socket_handle(uint32_t fd);

// A sockaddr_un from user space (Linux unix_validate_addr, unix_mkname):
// EINVAL for a length outside 2..110 or a family other than AF_UNIX.
Result<SocketAddress> read_address(uint32_t user_address, uint32_t length);
// Writes `address` as a sockaddr_un into a buffer of *user_length bytes
// (cut to fit) and its full length to *user_length. An unnamed address
// is the family alone, or nothing when `unnamed_is_empty` (recvfrom).
Result<void> write_address(uint32_t user_address, uint32_t user_length, const SocketAddress& address,
                           bool unnamed_is_empty);

PeerCredentials caller_credentials();

// syscall_socket_messages.cpp
int32_t sys_sendto(const SyscallArguments& a);
int32_t sys_recvfrom(const SyscallArguments& a);
int32_t sys_sendmsg(const SyscallArguments& a);
int32_t sys_recvmsg(const SyscallArguments& a);
int32_t sys_sendmmsg(const SyscallArguments& a);
int32_t sys_recvmmsg(const SyscallArguments& a);
int32_t sys_send(const SyscallArguments& a);
int32_t sys_recv(const SyscallArguments& a);

}  // namespace socket_calls
