// fs/vfs/file_locks.h -- flock(2): advisory whole-file locks.
//
// Layer: virtual file system (Linux: fs/locks.c, the FL_FLOCK half). A lock
// belongs to an open file (a File: what open made, shared by dup and fork),
// and is on the file it opened (its Inode; a File without an inode, a pipe
// end, is a file of its own). Many shared locks or one exclusive lock may be
// on a file at a time. A File's own lock is converted, not stacked: asking
// for the other kind drops the old lock first and then waits for the new
// one, as Linux does, so a conversion is not atomic. A lock ends with
// unlock, or when the last reference to its File goes (File::~File). The
// locks are advisory: read and write never look at them.
//
// Interface:
//   file_lock(file, kind, wait)  EWOULDBLOCK when another file holds a lock in
//                                the way and !wait; with wait, sleeps until
//                                it can have it, or EINTR for a signal
//                                (restarted after a SA_RESTART handler);
//                                ENOLCK when no memory is left for the lock
//   file_unlock(file)            drops the file's lock, if any
//
// Locking: the lock list is guarded by InterruptGuard (one CPU); waiters
// sleep on one wait queue, woken at every unlock.
#pragma once

#include "kernel/lib/result.h"

class File;

enum class FileLockKind { Shared, Exclusive };

Result<void> file_lock(File& file, FileLockKind kind, bool wait);
void file_unlock(File& file);
