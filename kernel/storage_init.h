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
// Also the page cache for file data, and its flusher thread ("flusher"),
// which every second writes pages dirty for longer than 5 s (page_cache.h).
//
// Boot parameters: buffer_cache_kib=N (default 4096) sizes the buffer cache;
// page_cache_kib=N (default: a quarter of the memory free at boot, between
// 1 MiB and 256 MiB) sizes the page cache.
#pragma once

#include "fs/cache/buffer_cache.h"
#include "fs/cache/page_cache.h"
#include "fs/vfs/mount_namespace.h"
#include "kernel/multiboot.h"

namespace storage {

void initialize(const BootInfo& boot_info);

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
