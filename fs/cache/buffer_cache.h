// fs/cache/buffer_cache.h -- file system metadata blocks, cached in memory.
//
// Layer: caches. Metadata only: superblocks, group descriptors, bitmaps,
// inode tables, directory and indirect blocks. File data go through the
// page cache (page_cache.h), per inode, not through here. A file system asks for "block 17 of device ram0, 1024 bytes
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
// Memory: a bounded pool of `capacity_bytes` (boot parameter
// buffer_cache_kib=, kernel/init/storage_init.h). When
// it is full, the least recently released clean, unreferenced buffer is
// evicted; dirty buffers are never evicted -- they wait on the dirty list
// for write-back (sync_device; limit_dirty when a file system has dirtied
// too many). When every buffer is
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
// A reader that finds a block's read in flight sleeps on that Buffer's
// io_done queue (io_in_flight is also only written with interrupts off, so
// that check-and-sleep is atomic); sync_device passes are serialized by a
// second Mutex, which is held across their writes.
//
// Buffer states (the invariants the lists keep):
//   referenced, clean        on no list
//   referenced or not, dirty on the dirty list
//   unreferenced, clean      on the LRU list, valid (an invalid buffer -- a
//                            failed read -- is freed at its last release)
// During a write-back a buffer is pinned (referenced) and clean; a write
// that fails makes it dirty again.
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
    // Cached blocks are skipped; each run of missing ones is one request (or
    // several, at the device's limits). When the pool cannot hold them all,
    // the ones that fit are read and the result is ENOMEM.
    Result<void> read_blocks(BlockDevice& device, uint64_t first_block, uint32_t count, uint32_t block_size);
    // A buffer for a block about to be overwritten entirely: no read, the
    // data are zeroed when not cached. The caller fills and marks it dirty.
    Result<BufferHandle> get_block_for_overwrite(BlockDevice& device, uint64_t block_number, uint32_t block_size);

    // Writes every dirty buffer of the device (one plugged batch, so adjacent
    // blocks merge), waits for them, then asks the device to flush its cache.
    Result<void> sync_device(BlockDevice& device);
    // The file system freed this block: a dirty copy must not reach the disk
    // any more (the block may soon hold another file's data, written by the
    // page cache). The buffer stays cached, clean. Nothing when not cached
    // or while its write is already in flight. (Linux: bforget.)
    void forget_block(BlockDevice& device, uint64_t block_number, uint32_t block_size);
    // Dirty buffers are never evicted: a file system that changes many
    // blocks between syncs calls this after its changes, and once the dirty
    // buffers pass a quarter of the pool the device's are written back
    // (sync_device). Nothing to do (and no I/O) below that.
    Result<void> limit_dirty(BlockDevice& device);
    // Drops every unreferenced clean buffer of the device (after umount).
    // EBUSY when some of its buffers are still referenced or dirty.
    Result<void> invalidate_device(BlockDevice& device);
    // Frees every clean, unreferenced buffer of every device, so the next
    // reads go to the disks (Linux: echo 1 > /proc/sys/vm/drop_caches).
    // Returns how many were dropped.
    size_t drop_clean_buffers();

    BufferCacheStatistics statistics() const;

private:
    friend class BufferHandle;
    void release(Buffer& buffer);
    void mark_dirty(Buffer& buffer);

    struct BufferKey {
        BlockDevice* device;
        uint64_t block_number;
        uint32_t block_size;
        bool operator==(const BufferKey&) const = default;
    };
    struct BufferKeyTraits {
        using Key = BufferKey;
        static Key key_of(const Buffer& buffer) { return {buffer.device, buffer.block_number, buffer.block_size}; }
        static uint32_t hash(const Key& key);
    };
    using BufferTable = klib::IntrusiveHashTable<Buffer, &Buffer::hash_node, BufferKeyTraits>;
    using BufferList = klib::IntrusiveList<Buffer, &Buffer::lru_node>;
    enum class FillStep { Ready, Read, Wait, Failed };

    // --- lookup and memory; lock_ held -------------------------------------
    Result<Buffer*> get_buffer_locked(BlockDevice& device, uint64_t block_number, uint32_t block_size);
    Result<Buffer*> create_buffer_locked(BlockDevice& device, uint64_t block_number, uint32_t block_size);
    bool make_room_locked(size_t bytes);
    bool evict_one_locked();
    void destroy_buffer_locked(Buffer& buffer);
    void reference_locked(Buffer& buffer);
    void release_locked(Buffer& buffer);

    // --- I/O; lock_ not held (these take it) -------------------------------
    Result<void> make_valid(BlockDevice& device, Buffer& buffer, bool joined_a_read);
    FillStep next_fill_step(Buffer& buffer, bool joined_a_read, int& error);
    // Transfers buffers whose io_in_flight this thread set (in block order;
    // reads: one request per run of adjacent blocks; writes: one per buffer,
    // for the scheduler to merge), then finishes them. First error returned.
    Result<void> transfer_claimed(BlockDevice& device, IoDirection direction, Buffer** buffers, size_t count);
    void finish_claimed_locked(IoDirection direction, Buffer* const* buffers, size_t count);
    Result<void> write_back(BlockDevice& device, Buffer** buffers, size_t count);

    mutable Mutex lock_{"buffer cache"};   // guards everything below and Buffer's fields
    Mutex sync_lock_{"buffer cache sync"}; // one write-back pass at a time; held across I/O
    klib::HashNode** buckets_ = nullptr;   // kmalloc'd, or &single_bucket_ when that failed
    klib::HashNode* single_bucket_ = nullptr;
    BufferTable table_;                    // every buffer, by (device, block number, size)
    BufferList lru_;                       // unreferenced, clean, valid; least recently released first
    BufferList dirty_;                     // dirty (referenced or not); never evicted
    size_t capacity_bytes_;
    size_t bytes_cached_ = 0;              // block sizes of every buffer in table_
    size_t referenced_buffers_ = 0;
    BufferCacheStatistics statistics_;     // the counters; sizes are filled in by statistics()
};
