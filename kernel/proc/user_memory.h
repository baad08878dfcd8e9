// kernel/proc/user_memory.h -- reading and writing a program's memory safely.
//
// Layer: processes (system-call support). Every pointer a system call
// receives comes from user space and is checked here, never trusted: the
// range must lie below 0xC0000000, and the copy itself recovers from page
// faults (user_copy.asm), so a bad pointer gives EFAULT, not a kernel fault,
// and a copy into a copy-on-write page copies the page first, exactly as a
// store by the program itself would.
// (Linux: copy_from_user, copy_to_user, strncpy_from_user.)
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel/lib/result.h"

Result<void> copy_from_user(void* destination, uint32_t user_source, size_t count);
Result<void> copy_to_user(uint32_t user_destination, const void* source, size_t count);
// Makes the pages of [user_address, +count) present (and, with
// `for_writing`, writable: copy-on-write and demand-zero pages resolved),
// touching each page that is not yet so once through the fault-safe copy
// (pages already present cost only a look at their page-table entry), so that kernel code
// may then move bytes to or from that range with plain loads and stores --
// read() and write() hand such a buffer straight to the file, with no
// bounce copy. Returns how many bytes from the start are usable (whole
// pages up to the first bad one, cut at count); 0 means EFAULT. The pages
// stay usable for the rest of the system call only while no other thread
// shares the address space (the caller checks: syscall_files.cpp), for
// nothing else takes a program's pages away (no swap; reclaim takes only
// cached file pages). (Linux pins such pages with get_user_pages.)
size_t prepare_user_buffer(uint32_t user_address, size_t count, bool for_writing);
// Copies a NUL-terminated string of at most size - 1 characters;
// ENAMETOOLONG when no NUL comes within `size` bytes. Returns the length.
Result<size_t> copy_string_from_user(char* destination, uint32_t user_source, size_t size);

// Installs the page-fault hook that resolves copy-on-write, resumes faulting
// user accesses and ends a process on its own faults (see process.h), and
// the handler of a program's other exceptions.
void install_user_fault_handling();
