// kernel/syscall/syscall_socket.cpp -- sockets: none, and saying so.
//
// Layer: system calls. This kernel has no network and no Unix-domain
// sockets, so making a socket fails as on a Linux built without any
// address family: EAFNOSUPPORT. That answer matters because static glibc
// asks for one quietly -- getpwuid() first tries the name-service cache
// daemon over a Unix socket, as bash does at start -- and goes on without
// when the socket cannot be made. i386 Linux reaches sockets two ways:
// the old multiplexer socketcall(102) with a call number and a pointer to
// the arguments, and, since Linux 4.3, one call each (socket 359,
// socketpair 360). The other socket calls stay unimplemented (ENOSYS,
// logged): no descriptor can be a socket.
#include "kernel/lib/errno.h"
#include "kernel/syscall/syscall.h"

namespace {

// socketcall's call numbers (include/uapi/linux/net.h).
enum SocketCall : uint32_t { SOCKETCALL_SOCKET = 1, SOCKETCALL_SOCKETPAIR = 8 };

int32_t sys_socket(const SyscallArguments&) { return -EAFNOSUPPORT; }
int32_t sys_socketpair(const SyscallArguments&) { return -EAFNOSUPPORT; }

int32_t sys_socketcall(const SyscallArguments& a) {
    switch (a.arg[0]) {
    case SOCKETCALL_SOCKET:
    case SOCKETCALL_SOCKETPAIR:
        return -EAFNOSUPPORT;
    default:
        return -ENOSYS;
    }
}

}  // namespace

void register_socket_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {102, {"socketcall", sys_socketcall}}, {359, {"socket", sys_socket}}, {360, {"socketpair", sys_socketpair}},
    };
    add_system_calls(table, size, calls);
}
