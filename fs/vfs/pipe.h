// fs/vfs/pipe.h -- pipes: a bounded byte queue between two open files.
//
// Layer: virtual file system (special files). pipe() gives a read end and a
// write end sharing one Pipe of CAPACITY bytes. A reader sleeps while the
// pipe is empty and writers remain, and reads 0 (end of file) once the last
// writer has closed; a writer sleeps while the pipe is full and readers
// remain, and gets EPIPE once the last reader has closed. Writes of up to
// CAPACITY bytes are never interleaved with other writers' (POSIX's
// PIPE_BUF guarantee, with PIPE_BUF = CAPACITY). Seeking gives ESPIPE.
// poll(): the read end is readable with data, and POLLHUP once no writer
// is left; the write end is POLLOUT while 4096 bytes fit, POLLERR once no
// reader is left.
// (Linux: fs/pipe.c.)
//
// Locking: the Pipe's state is guarded by InterruptGuard; readers and
// writers sleep on its two wait queues and re-check after every wake.
#pragma once

#include "fs/vfs/file.h"

class Pipe;

// Creates a pipe; its two ends are returned through the references.
// `flags` may contain O_NONBLOCK (EAGAIN instead of sleeping).
Result<void> create_pipe(FileRef& read_end, FileRef& write_end, uint32_t flags);

constexpr size_t PIPE_CAPACITY = 16384;
