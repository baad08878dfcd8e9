// fs/devfs/block_device_file.h -- a disk opened as one big file (/dev/hda).
//
// Layer: the seam between the VFS and the block layer. Opening a block
// device node -- in devfs, or one made with mknod anywhere -- asks the VFS
// device table for the driver of the node's number; for the block majors
// that is this file's opener, which finds the BlockDevice in the registry by
// (major, minor) and returns a BlockDeviceFile. Its read/write/pread/pwrite
// then reach the disk's bytes at any offset and length, so `dd`, `cmp` or a
// mkfs program work on the whole disk. (Linux: blkdev_open, blkdev_read_iter,
// blkdev_write_iter, blkdev_llseek, blkdev_fsync in block/fops.c.)
//
// Interface:
//   register_block_device_files()   the opener for block majors 1 (ram), 3
//                                   and 22 (IDE), 254 (virtio), 259 (extended)
//   BlockDeviceFile                 the open file:
//     read_at(offset, ...)          short at the end of the disk, 0 past it
//     write_at(offset, ...)         short at the end; ENOSPC at or past it;
//                                   EROFS on a read-only device; returns
//                                   once the last step is submitted
//                                   (below), not written
//     seek                          SEEK_END is the device size; a position
//                                   beyond the end is EINVAL (as Linux)
//     sync                          fsync: waits for the write in flight
//                                   (its error is fsync's, as on Linux),
//                                   then flushes the device's write cache
//     ioctl                         BLKIOSCHED_GET/SET: the disk's I/O
//                                   scheduler (block_device_ioctl.h)
//     read/write                    File's defaults: read_at/write_at at the
//                                   position (O_APPEND has no meaning here)
// Open errors: ENXIO when no device has the node's number (a node for a disk
// that is not there), EROFS when a read-only device is opened for writing.
//
// How bytes become blocks: the device accepts only whole logical blocks, so
// each read or write goes through heap memory of at most BOUNCE_BUFFER_BYTES
// (1 MiB, so `dd bs=1M` reaches the disk as 1 MiB requests), one step after
// another. A write that covers a block only partly
// reads that block first (read-modify-write): only the first and the last
// block of a step can be partial. Writes are asynchronous: a step's memory
// and requests are handed to the disk as a background batch that frees
// itself when its last request completes, and the writer moves on to copy
// the next step meanwhile. One batch per disk is in flight at a time (the
// next step, every read and fsync wait for it first), so the I/O scheduler
// can never let an older write overtake a newer one to the same blocks;
// readers always see what was written. Each step's blocks go to the request queue as one request per
// 4 KiB page, submitted under one plug, so the I/O scheduler merges them
// back into requests as large as the device allows (Linux's bios are merged
// the same way); /proc/diskstats counts those merges. The heap is in the
// direct map, so a driver may hand the buffer to DMA, which the caller's
// buffer (maybe on a kernel stack) would not allow.
//
// Caching: none yet. Every call goes straight to the request queue; later
// these files will go through the page cache like regular files (Linux's
// block devices have one). Writing to a disk that is also mounted bypasses
// the file system's buffer cache -- as raw writes to a mounted disk do on
// Linux, the result is the writer's problem.
//
// Locking: write_lock() (one mutex for all block device files) is held
// across each whole write, so two read-modify-writes of the same block never
// lose each other's bytes. Reads take no lock: a read beside a write sees
// old or new blocks, as on any disk. The BlockDevice is never freed
// (devices are never unregistered), so the file keeps a plain reference.
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/block_device.h"
#include "fs/vfs/file.h"

class BlockDeviceFile final : public File {
public:
    static constexpr size_t BOUNCE_BUFFER_BYTES = 1024 * 1024;

    BlockDeviceFile(Path&& path, uint32_t flags, BlockDevice& device)
        : File(static_cast<Path&&>(path), flags), device_(device) {}

    BlockDevice& device() const { return device_; }
    // The bytes the file holds: the capacity in whole logical blocks.
    uint64_t size() const;

    Result<size_t> read_at(uint64_t offset, void* buffer, size_t size) override;
    Result<size_t> write_at(uint64_t offset, const void* buffer, size_t size) override;
    Result<uint64_t> seek(int64_t offset, int whence) override;
    Result<void> sync() override;
    Result<int32_t> ioctl(uint32_t request, uintptr_t argument) override;

protected:
    // The last close waits for the write in flight (its memory is not the
    // file's, but the bytes should be on the disk when close returns).
    void release() override;

private:
    // One step of at most one bounce buffer: the bytes [offset, offset +
    // size) of the disk, where `size` stays within the buffer's span. Each
    // returns how many bytes it moved.
    Result<size_t> read_step(uint64_t offset, uint8_t* buffer, size_t size, uint8_t* bounce,
                             size_t bounce_size);
    Result<size_t> write_step(uint64_t offset, const uint8_t* buffer, size_t size);

    BlockDevice& device_;
};

Result<void> register_block_device_files();
