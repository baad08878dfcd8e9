// kernel/storage/storage.h -- the storage stack's kernel-wide roots.
//
// Layer: storage roots, above the caches (fs/cache), the VFS (fs/vfs) and
// the block layer (drivers/block), below processes and system calls. The
// buffer cache, the page cache and the mount namespace exist once in the
// kernel; processes (their first working directory), the system calls
// (sync, reboot) and procfs's figures reach them here. Who builds them --
// kernel/init/storage_init.cpp at boot -- hands them over once with
// install(); nothing below this layer knows these roots, so every lower
// layer still takes its cache or namespace as a parameter.
//
// Must stay true: install() runs before the first process starts, and the
// roots live until power-off (they are never replaced).
#pragma once

#include "fs/cache/buffer_cache.h"
#include "fs/cache/page_cache.h"
#include "fs/vfs/mount_namespace.h"

namespace storage {

// Takes the three roots for the rest of the kernel's life.
void install(BufferCache& buffer_cache, PageCache& page_cache, MountNamespace& mount_namespace);

BufferCache& buffer_cache();
PageCache& page_cache();
MountNamespace& mount_namespace();
// The root of the namespace (an empty Path when nothing is mounted).
Path root();
// sync(2) and poweroff: every dirty page of the page cache, then every
// mounted file system (their metadata, through the buffer cache), then
// every disk's background write and write cache. Returns the first error.
Result<void> sync_everything();
// Power-off: sync, then every writable file system remounted read-only (so
// each disk records a clean unmount even with files still open), and the
// disks' caches flushed once more.
Result<void> shut_down_file_systems();

}  // namespace storage
