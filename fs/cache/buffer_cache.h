// fs/cache/buffer_cache.h -- file system metadata blocks, cached in memory.
//
// Layer: caches. A file system asks for "block 17 of device ram0, 1024 bytes
// per block" and gets a BufferHandle: a counted reference to a Buffer whose
// data are that block's bytes. Blocks are kept after use, so the next
// request for them costs no I/O. (Linux: buffer_head, bread/brelse,
// mark_buffer_dirty; xv6: bio.c.)
//
//   BufferHandle block = TRY(cache.read_block(device, 17, 1024));
//   uint8_t* bytes = block.data();            // valid while `block` lives
//   block.mark_dirty();                        // after changing the bytes
//                                              // the handle's destructor releases
//
// Keys are (device, block number, block size); a device may be read with
// several block sizes, but one byte range is never cached under two sizes at
// once while either is dirty (file systems use one size per device).
//
// Memory: a bounded pool of `capacity_bytes` (a boot parameter later). When
// it is full, the least recently released clean, unreferenced buffer is
// evicted; dirty buffers are never evicted -- they wait on the dirty list
// for write-back (sync_device, or the flusher later). When every buffer is
// referenced or dirty, read_block fails with ENOMEM rather than deadlock.
//
// I/O: a miss submits a read Request through the device's RequestQueue and
// sleeps until it completes. Concurrent readers of one block wait for that
// one read in flight instead of issuing their own. read_blocks() reads a
// run of adjacent blocks, turning the misses into one request.
//
// Errors: EIO when the device fails (the buffer is dropped, not cached as
// valid), EINVAL for a block beyond the device or a bad block size, ENOMEM.
//
// Locking: one Mutex for the cache's lists and hash; never held during I/O.
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/block_device.h"
#include "kernel/lib/hash_table.h"
#include "kernel/lib/list.h"

class BufferCache;

struct Buffer {
    BlockDevice* device = nullptr;
    uint64_t block_number = 0;
    uint32_t block_size = 0;
    uint8_t* data = nullptr;

    // Guarded by the cache's lock.
    uint32_t reference_count = 0;
    bool valid = false;        // data hold the block's contents
    bool dirty = false;        // data are newer than the disk
    bool io_in_flight = false; // a read or write of this buffer is running
    int io_error = 0;          // of the last read, for the readers who waited
    klib::HashNode hash_node;
    klib::ListNode lru_node;   // on the LRU list (unreferenced) or the dirty list
    WaitQueue io_done;
};

// A counted reference to a Buffer; releases it when destroyed. Movable, not copyable.
class BufferHandle {
public:
    BufferHandle() = default;
    BufferHandle(BufferCache* cache, Buffer* buffer) : cache_(cache), buffer_(buffer) {}
    BufferHandle(BufferHandle&& other) noexcept;
    BufferHandle& operator=(BufferHandle&& other) noexcept;
    BufferHandle(const BufferHandle&) = delete;
    BufferHandle& operator=(const BufferHandle&) = delete;
    ~BufferHandle() { release(); }

    explicit operator bool() const { return buffer_ != nullptr; }
    uint8_t* data() const { return buffer_->data; }
    uint32_t size() const { return buffer_->block_size; }
    uint64_t block_number() const { return buffer_->block_number; }
    void mark_dirty();
    void release();

private:
    BufferCache* cache_ = nullptr;
    Buffer* buffer_ = nullptr;
};

struct BufferCacheStatistics {
    uint64_t hits = 0, misses = 0, evictions = 0;
    uint64_t reads_submitted = 0;   // read requests sent to devices
    uint64_t blocks_read = 0, blocks_written = 0;
    size_t buffers = 0, dirty = 0, referenced = 0;
    size_t bytes_cached = 0, capacity_bytes = 0;
};

class BufferCache {
public:
    static constexpr size_t DEFAULT_CAPACITY_BYTES = 4 << 20;

    explicit BufferCache(size_t capacity_bytes = DEFAULT_CAPACITY_BYTES);
    ~BufferCache();
    BufferCache(const BufferCache&) = delete;
    BufferCache& operator=(const BufferCache&) = delete;

    // The block's bytes, read from the device on a miss.
    Result<BufferHandle> read_block(BlockDevice& device, uint64_t block_number, uint32_t block_size);
    // Brings `count` adjacent blocks into the cache with as few requests as
    // possible (a hint: read-ahead; errors are reported, nothing is returned).
    Result<void> read_blocks(BlockDevice& device, uint64_t first_block, uint32_t count, uint32_t block_size);
    // A buffer for a block about to be overwritten entirely: no read, the
    // data are zeroed when not cached. The caller fills and marks it dirty.
    Result<BufferHandle> get_block_for_overwrite(BlockDevice& device, uint64_t block_number, uint32_t block_size);

    // Writes every dirty buffer of the device (one plugged batch, so adjacent
    // blocks merge), waits for them, then asks the device to flush its cache.
    Result<void> sync_device(BlockDevice& device);
    // Drops every unreferenced clean buffer of the device (after umount).
    // EBUSY when some of its buffers are still referenced or dirty.
    Result<void> invalidate_device(BlockDevice& device);

    BufferCacheStatistics statistics() const;

private:
    friend class BufferHandle;
    void release(Buffer& buffer);
    void mark_dirty(Buffer& buffer);
    // (implementation-private helpers go here)
};
