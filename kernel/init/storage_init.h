// kernel/init/storage_init.h -- assembling the storage stack at boot.
//
// Layer: init, the top floor (storage bring-up). Creates the kernel-wide roots of
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
// page_cache_kib=N (default: three quarters of the memory free at boot, between
// 1 MiB and 768 MiB) sizes the page cache.
// Once built, the caches and the namespace are handed to the kernel as its
// storage roots (kernel/storage/storage.h), which is where processes and
// system calls find them; nothing includes this header but kernel/init.
#pragma once

#include "kernel/multiboot.h"

namespace storage {

// Builds the stack, in order: caches, file system types, RAM disks, PCI
// disks, the standard mounts. Runs in the first thread (it sleeps).
void initialize(const BootInfo& boot_info);

}  // namespace storage
