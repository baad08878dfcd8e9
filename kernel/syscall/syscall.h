// kernel/syscall/syscall.h -- the door from programs into the kernel.
//
// Layer: system calls. A program executes `int 0x80` with the call's number
// in EAX and up to six arguments in EBX, ECX, EDX, ESI, EDI, EBP -- the
// Linux i386 ABI, with Linux's numbers, so our programs are genuine Linux
// binaries and static Linux programs run here. The result, or -errno, goes
// back in EAX. Each call is a function taking the raw argument words; user
// pointers among them are only ever used through user_memory.h.
// An unimplemented number returns -ENOSYS and is logged once.
//
// `strace` on the kernel command line prints every call of every program
// with its result: "[pid] name(args) = result".
#pragma once

#include <cstdint>

struct SyscallArguments {
    uint32_t arg[6];
};

// Returns a non-negative result, or -errno.
using SyscallFunction = int32_t (*)(const SyscallArguments& arguments);

struct SyscallEntry {
    const char* name;
    SyscallFunction function;
};

// One row of a file's table: the Linux i386 number and its entry.
struct NumberedSyscall {
    uint32_t number;
    SyscallEntry entry;
};

// Puts `calls` into `table` (size entries) at their numbers.
// A number registered twice is a kernel bug (one file would silently take
// another's call): it stops the boot.
[[noreturn]] void system_call_registered_twice(uint32_t number);
template <uint32_t N>
void add_system_calls(SyscallEntry* table, uint32_t size, const NumberedSyscall (&calls)[N]) {
    for (const NumberedSyscall& call : calls) {
        if (call.number >= size) continue;
        if (table[call.number].function) system_call_registered_twice(call.number);
        table[call.number] = call.entry;
    }
}

void install_system_calls();

// The tables of the files that implement the calls (syscall_files.cpp,
// syscall_process.cpp, syscall_exec.cpp, syscall_signal.cpp,
// syscall_time.cpp, syscall_names.cpp, syscall_memory.cpp,
// syscall_mount.cpp): each
// registers its entries by number.
void register_file_system_calls(SyscallEntry* table, uint32_t size);
void register_process_system_calls(SyscallEntry* table, uint32_t size);
void register_exec_system_calls(SyscallEntry* table, uint32_t size);
void register_signal_system_calls(SyscallEntry* table, uint32_t size);
void register_time_system_calls(SyscallEntry* table, uint32_t size);
void register_name_system_calls(SyscallEntry* table, uint32_t size);
void register_memory_system_calls(SyscallEntry* table, uint32_t size);
void register_mount_system_calls(SyscallEntry* table, uint32_t size);
void register_poll_system_calls(SyscallEntry* table, uint32_t size);  // syscall_poll.cpp
void register_socket_system_calls(SyscallEntry* table, uint32_t size);  // syscall_socket.cpp
void register_timer_system_calls(SyscallEntry* table, uint32_t size);   // syscall_timers.cpp
void register_sched_system_calls(SyscallEntry* table, uint32_t size);   // syscall_sched.cpp
void register_thread_system_calls(SyscallEntry* table, uint32_t size);  // syscall_threads.cpp
void register_legacy_system_calls(SyscallEntry* table, uint32_t size);  // syscall_legacy.cpp
void register_identity_system_calls(SyscallEntry* table, uint32_t size);  // syscall_identity.cpp
void register_trait_system_calls(SyscallEntry* table, uint32_t size);     // syscall_traits.cpp
void register_host_name_system_calls(SyscallEntry* table, uint32_t size); // syscall_host_names.cpp
void register_file_extra_system_calls(SyscallEntry* table, uint32_t size); // syscall_file_extras.cpp
void register_xattr_system_calls(SyscallEntry* table, uint32_t size);     // syscall_xattr.cpp
void register_memory_lock_system_calls(SyscallEntry* table, uint32_t size); // syscall_memory_locks.cpp
void register_event_file_system_calls(SyscallEntry* table, uint32_t size);  // syscall_event_files.cpp

// Turns a Result into the ABI's "value or -errno".
template <typename T>
int32_t syscall_result(const T& result) {
    return result.is_error() ? -result.error() : int32_t(result.value());
}
