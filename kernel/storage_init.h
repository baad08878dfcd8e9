// kernel/storage_init.h -- assembling the storage stack at boot.
//
// Layer: kernel core (storage bring-up). Creates the kernel-wide roots of
// the storage stack -- the buffer cache, the dentry cache and the mount
// namespace -- registers the file system types, turns the boot modules into
// RAM disks, mounts romfs from /dev/ram0 as /, devfs on /dev, tmpfs on
// /tmp and procfs on /proc.
// A missing or corrupt root image is reported, not fatal: the kernel monitor
// still runs, and `mount` can try another device.
//
// Boot parameters: buffer_cache_kib=N (default 4096) sizes the buffer cache.
#pragma once

#include "fs/cache/buffer_cache.h"
#include "fs/vfs/mount_namespace.h"
#include "kernel/multiboot.h"

namespace storage {

void initialize(const BootInfo& boot_info);

BufferCache& buffer_cache();
MountNamespace& mount_namespace();
// The root of the namespace (an empty Path when nothing is mounted).
Path root();
// sync(2) and poweroff: every mounted file system, then every disk's
// background write and write cache. Returns the first error.
Result<void> sync_everything();
// Power-off: sync, then every writable file system remounted read-only (so
// each disk records a clean unmount even with files still open), and the
// disks' caches flushed once more.
Result<void> shut_down_file_systems();

}  // namespace storage
