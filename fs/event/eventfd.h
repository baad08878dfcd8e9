// fs/event/eventfd.h -- eventfd: a 64-bit counter as a file.
//
// Layer: VFS special files (Linux: fs/eventfd.c). write() adds its 8-byte
// value to the counter, read() takes the whole counter and leaves 0 -- or,
// with EFD_SEMAPHORE, takes 1. A read of a zero counter waits (EAGAIN when
// non-blocking); a write that would pass 2^64-2 waits for a read. Buffers
// under 8 bytes and the value 2^64-1 are EINVAL. poll: readable while the
// counter is above 0, writable while 1 more fits.
// Locking: the counter is guarded by InterruptGuard; readers and writers
// sleep on one queue and re-check after every wake.
#pragma once

#include "fs/vfs/file.h"

constexpr uint32_t EFD_SEMAPHORE = 1;

// A new eventfd with `initial` in its counter. `flags`: EFD_SEMAPHORE, O_NONBLOCK.
Result<FileRef> create_eventfd(uint32_t initial, uint32_t flags);
