// fs/cache/buffer_cache.cpp -- the buffer cache: lookup, LRU, reads, write-back.
//
// Layer: caches. See buffer_cache.h for the interface and the buffer
// states. How the pieces fit:
//
//   read_block      get_buffer_locked (hash lookup, or a new buffer, evicting
//                   the least recently released clean one when the pool is
//                   full), then make_valid: the first thread to find the
//                   block unread claims it (io_in_flight) and reads it, the
//                   others sleep on io_done until that read ends
//   read_blocks     claims every missing block of a range at once, then one
//                   request per run of adjacent claimed blocks
//   sync_device     pins the device's dirty buffers, writes them in block
//                   order through a plugged queue (so the scheduler merges
//                   neighbours), then flushes the device
//
// The cache's Mutex is taken for bookkeeping only and dropped before any
// request is submitted, so a thread waiting for the disk never blocks a
// thread whose block is already cached.
#include "fs/cache/buffer_cache.h"

#include "drivers/block/transfer_limits.h"
#include "kernel/lib/string.h"

namespace {

constexpr uint32_t MIN_BLOCK_SIZE = 512;
constexpr uint32_t MAX_BLOCK_SIZE = 65536;
// Buffers written per plugged batch: bounds the memory for Requests
// (a few hundred bytes each) while leaving chains of up to 128 KiB of
// 1 KiB blocks to merge.
constexpr size_t WRITE_BATCH_BUFFERS = 128;
// One bucket per 1 KiB of capacity: about one buffer per chain for the
// common 1 KiB ext2 block.
constexpr size_t BYTES_PER_BUCKET = 1024;
constexpr size_t MIN_BUCKETS = 16, MAX_BUCKETS = 65536;

Result<void> check_block_range(const BlockDevice& device, uint64_t first_block, uint64_t count,
                               uint32_t block_size) {
    bool power_of_two = (block_size & (block_size - 1)) == 0;
    if (block_size < MIN_BLOCK_SIZE || block_size > MAX_BLOCK_SIZE || !power_of_two ||
        block_size % device.logical_block_size() != 0)
        return Error{EINVAL};
    uint64_t blocks_on_device = device.capacity_bytes() / block_size;
    if (first_block >= blocks_on_device || count > blocks_on_device - first_block) return Error{EINVAL};
    return {};
}

uint64_t first_sector_of(const Buffer& buffer) { return buffer.block_number * (buffer.block_size / SECTOR_SIZE); }

// A Request and the claimed buffers it covers, [first_buffer, end_buffer).
struct PendingTransfer {
    Request request;
    size_t first_buffer = 0, end_buffer = 0;
    int error = 0;
};

// Cuts the buffers' bytes into requests within `limits`: a request goes on
// while the next piece continues it on disk and fits. With
// one_request_per_buffer every buffer starts a new request (write-back,
// where the scheduler is meant to do the merging). Counts the requests;
// fills `out` too unless it is nullptr.
size_t plan_transfers(const TransferLimits& limits, IoDirection direction, Buffer* const* buffers, size_t count,
                      bool one_request_per_buffer, PendingTransfer* out) {
    size_t requests = 0;
    PendingTransfer* current = nullptr;
    uint64_t current_bytes = 0, next_sector = 0;
    uint32_t current_segments = 0;
    for (size_t i = 0; i < count; ++i) {
        const Buffer& buffer = *buffers[i];
        uint64_t sector = first_sector_of(buffer);
        for (uint32_t offset = 0; offset < buffer.block_size;) {
            uint32_t piece = buffer.block_size - offset;
            if (piece > limits.segment_bytes) piece = limits.segment_bytes;
            uint64_t piece_sector = sector + offset / SECTOR_SIZE;
            bool starts_request = requests == 0 || piece_sector != next_sector ||
                                  (one_request_per_buffer && offset == 0) ||
                                  current_segments == limits.segments ||
                                  current_bytes + piece > limits.request_bytes;
            if (starts_request) {
                if (out) {
                    current = &out[requests];
                    current->request.direction = direction;
                    current->request.sector = piece_sector;
                    current->first_buffer = i;
                }
                ++requests;
                current_bytes = 0;
                current_segments = 0;
            }
            if (out) {
                current->request.add_segment(buffer.data + offset, piece);
                current->end_buffer = i + 1;
            }
            current_bytes += piece;
            ++current_segments;
            offset += piece;
            next_sector = sector + offset / SECTOR_SIZE;
        }
    }
    return requests;
}

// Submits every request in one plugged burst, then waits for each. Records
// each request's error in its PendingTransfer. Returns how many were submitted.
size_t submit_and_wait(BlockDevice& device, PendingTransfer* pending, size_t count) {
    size_t submitted = 0;
    {
        QueuePlug plug(device.queue());
        for (size_t i = 0; i < count; ++i) {
            Result<void> result = device.queue().submit(pending[i].request);
            if (result.is_error()) {
                pending[i].error = result.error();
            } else {
                ++submitted;
            }
        }
    }
    for (size_t i = 0; i < count; ++i) {
        if (pending[i].error != 0) continue;  // never submitted: nothing to wait for
        Result<void> result = pending[i].request.wait();
        if (result.is_error()) pending[i].error = result.error();
    }
    return submitted;
}

uint64_t position_of(const Buffer* buffer) { return buffer->block_number * buffer->block_size; }

// Heapsort by position on the disk: O(n log n), no memory, for write-back.
void sort_by_position(Buffer** buffers, size_t count) {
    auto sift_down = [buffers](size_t root, size_t end) {
        while (2 * root + 1 < end) {
            size_t child = 2 * root + 1;
            if (child + 1 < end && position_of(buffers[child]) < position_of(buffers[child + 1])) ++child;
            if (position_of(buffers[root]) >= position_of(buffers[child])) return;
            Buffer* swapped = buffers[root];
            buffers[root] = buffers[child];
            buffers[child] = swapped;
            root = child;
        }
    };
    for (size_t i = count / 2; i-- > 0;) sift_down(i, count);
    for (size_t end = count; end-- > 1;) {
        Buffer* largest = buffers[0];
        buffers[0] = buffers[end];
        buffers[end] = largest;
        sift_down(0, end);
    }
}

// io_in_flight is read by sleepers with interrupts off (not under the
// cache lock, which they must not hold while sleeping), so it is written
// with interrupts off too: the check-then-sleep in wait_for_io is atomic.
void begin_io(Buffer& buffer) {
    InterruptGuard atomic;
    buffer.io_in_flight = true;
    buffer.io_error = 0;
}

void end_io(Buffer& buffer) {
    {
        InterruptGuard atomic;
        buffer.io_in_flight = false;
    }
    buffer.io_done.wake_all();
}

void wait_for_io(Buffer& buffer) {
    buffer.io_done.wait_until([&buffer] { return !buffer.io_in_flight; });
}

}  // namespace

// ---------------------------------------------------------------- handles

BufferHandle::BufferHandle(BufferHandle&& other) noexcept : cache_(other.cache_), buffer_(other.buffer_) {
    other.cache_ = nullptr;
    other.buffer_ = nullptr;
}

BufferHandle& BufferHandle::operator=(BufferHandle&& other) noexcept {
    if (this != &other) {
        release();
        cache_ = other.cache_;
        buffer_ = other.buffer_;
        other.cache_ = nullptr;
        other.buffer_ = nullptr;
    }
    return *this;
}

void BufferHandle::mark_dirty() { cache_->mark_dirty(*buffer_); }

void BufferHandle::release() {
    if (!buffer_) return;
    cache_->release(*buffer_);
    cache_ = nullptr;
    buffer_ = nullptr;
}

// ---------------------------------------------------------------- construction

uint32_t BufferCache::BufferKeyTraits::hash(const Key& key) {
    uint32_t hash = klib::hash_u64(uint64_t(reinterpret_cast<uintptr_t>(key.device)));
    hash = klib::hash_combine(hash, klib::hash_u64(key.block_number));
    return klib::hash_combine(hash, key.block_size);
}

BufferCache::BufferCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {
    size_t bucket_count = capacity_bytes / BYTES_PER_BUCKET;
    if (bucket_count < MIN_BUCKETS) bucket_count = MIN_BUCKETS;
    if (bucket_count > MAX_BUCKETS) bucket_count = MAX_BUCKETS;
    buckets_ = static_cast<klib::HashNode**>(kmalloc(bucket_count * sizeof(klib::HashNode*)));
    if (!buckets_) {
        // Still a working cache, only with every buffer on one chain.
        log_warning("buffer cache: no memory for %u hash buckets; using one", unsigned(bucket_count));
        buckets_ = &single_bucket_;
        bucket_count = 1;
    }
    table_.init(buckets_, bucket_count);
}

BufferCache::~BufferCache() {
    if (!dirty_.empty() || referenced_buffers_ != 0)
        log_warning("buffer cache destroyed with %u dirty and %u referenced buffers", unsigned(dirty_.size()),
                    unsigned(referenced_buffers_));
    table_.for_each([this](Buffer& buffer) {
        if (buffer.lru_node.is_linked()) (buffer.dirty ? dirty_ : lru_).remove(buffer);
        table_.remove(buffer);
        kfree(buffer.data);
        delete &buffer;
    });
    if (buckets_ != &single_bucket_) kfree(buckets_);
}

// ---------------------------------------------------------------- lookup and memory

Result<Buffer*> BufferCache::get_buffer_locked(BlockDevice& device, uint64_t block_number, uint32_t block_size) {
    Buffer* buffer = table_.find(BufferKey{&device, block_number, block_size});
    if (!buffer) {
        ++statistics_.misses;
        return create_buffer_locked(device, block_number, block_size);
    }
    // A block being read counts as a hit: this caller shares that read.
    // One whose read failed will be read again, so it is a miss.
    if (buffer->valid || buffer->io_in_flight) {
        ++statistics_.hits;
    } else {
        ++statistics_.misses;
    }
    reference_locked(*buffer);
    return buffer;
}

// A new buffer, referenced once, not valid, in the table.
Result<Buffer*> BufferCache::create_buffer_locked(BlockDevice& device, uint64_t block_number, uint32_t block_size) {
    if (!make_room_locked(block_size)) return Error{ENOMEM};
    Buffer* buffer = new (std::nothrow) Buffer;
    if (!buffer) return Error{ENOMEM};
    // Aligned to the block size (the heap aligns to at most a page), so a
    // block never straddles a page: a driver's DMA sees whole pages.
    size_t alignment = block_size < 4096 ? block_size : 4096;
    uint8_t* data = static_cast<uint8_t*>(kmalloc(block_size, alignment));
    // The pool may be within its capacity while the heap is not: give back
    // clean buffers until the allocation succeeds or none are left.
    while (!data && evict_one_locked()) data = static_cast<uint8_t*>(kmalloc(block_size, alignment));
    if (!data) {
        delete buffer;
        return Error{ENOMEM};
    }
    buffer->device = &device;
    buffer->block_number = block_number;
    buffer->block_size = block_size;
    buffer->data = data;
    buffer->reference_count = 1;
    ++referenced_buffers_;
    table_.insert(*buffer);
    bytes_cached_ += block_size;
    return buffer;
}

bool BufferCache::make_room_locked(size_t bytes) {
    if (bytes > capacity_bytes_) return false;
    while (bytes_cached_ + bytes > capacity_bytes_) {
        if (!evict_one_locked()) return false;  // everything referenced or dirty
    }
    return true;
}

bool BufferCache::evict_one_locked() {
    Buffer* victim = lru_.front();  // the least recently released clean buffer
    if (!victim) return false;
    destroy_buffer_locked(*victim);
    ++statistics_.evictions;
    return true;
}

void BufferCache::destroy_buffer_locked(Buffer& buffer) {
    KASSERT(buffer.reference_count == 0 && !buffer.dirty);
    if (buffer.lru_node.is_linked()) lru_.remove(buffer);
    table_.remove(buffer);
    bytes_cached_ -= buffer.block_size;
    kfree(buffer.data);
    delete &buffer;
}

void BufferCache::reference_locked(Buffer& buffer) {
    if (buffer.reference_count++ != 0) return;
    ++referenced_buffers_;
    // Unreferenced clean buffers wait on the LRU list; a referenced one must
    // not be evicted, so it leaves. Dirty ones stay on the dirty list.
    if (!buffer.dirty) lru_.remove(buffer);
}

void BufferCache::release_locked(Buffer& buffer) {
    KASSERT(buffer.reference_count > 0);  // a release without a reference: a kernel bug
    if (--buffer.reference_count != 0) return;
    --referenced_buffers_;
    if (buffer.dirty) return;  // already on the dirty list
    if (!buffer.valid) {
        // A failed read: keep nothing, so the next reader reads again.
        destroy_buffer_locked(buffer);
        return;
    }
    lru_.push_back(buffer);  // the most recently released is evicted last
}

void BufferCache::release(Buffer& buffer) {
    MutexLocker locker(lock_);
    release_locked(buffer);
}

void BufferCache::mark_dirty(Buffer& buffer) {
    MutexLocker locker(lock_);
    KASSERT(buffer.reference_count > 0 && buffer.valid);  // only through a handle
    if (buffer.dirty) return;
    buffer.dirty = true;
    dirty_.push_back(buffer);
}

// ---------------------------------------------------------------- reading

Result<BufferHandle> BufferCache::read_block(BlockDevice& device, uint64_t block_number, uint32_t block_size) {
    TRY(check_block_range(device, block_number, 1, block_size));
    Buffer* buffer;
    bool claimed_the_read = false, joined_a_read;
    {
        MutexLocker locker(lock_);
        buffer = TRY(get_buffer_locked(device, block_number, block_size));
        joined_a_read = buffer->io_in_flight;
        // Claimed in the same locked section as the lookup, so a second
        // reader arriving now already finds the read in flight (and counts
        // as a hit that shares it).
        if (!buffer->valid && !joined_a_read) {
            begin_io(*buffer);
            claimed_the_read = true;
        }
    }
    BufferHandle handle(this, buffer);  // releases the reference if the read fails
    if (claimed_the_read) {
        TRY(transfer_claimed(device, IoDirection::Read, &buffer, 1));
    } else {
        TRY(make_valid(device, *buffer, joined_a_read));
    }
    return handle;
}

// What a thread holding a reference to `buffer` does next. Claims the read
// (Read) when the block is neither valid nor being read; Failed when the
// read this thread joined has failed (its error in `error`): every thread
// that found the read in flight hears of its failure, and only a later
// caller tries again.
BufferCache::FillStep BufferCache::next_fill_step(Buffer& buffer, bool joined_a_read, int& error) {
    MutexLocker locker(lock_);
    if (buffer.valid) return FillStep::Ready;
    if (buffer.io_in_flight) return FillStep::Wait;
    if (joined_a_read && buffer.io_error != 0) {
        error = buffer.io_error;
        return FillStep::Failed;
    }
    begin_io(buffer);
    return FillStep::Read;
}

Result<void> BufferCache::make_valid(BlockDevice& device, Buffer& buffer, bool joined_a_read) {
    for (;;) {
        int error = 0;
        switch (next_fill_step(buffer, joined_a_read, error)) {
        case FillStep::Ready:
            return {};
        case FillStep::Failed:
            return Error{error};
        case FillStep::Read: {
            Buffer* claimed = &buffer;
            return transfer_claimed(device, IoDirection::Read, &claimed, 1);
        }
        case FillStep::Wait:
            wait_for_io(buffer);
            joined_a_read = true;
            break;
        }
    }
}

Result<void> BufferCache::read_blocks(BlockDevice& device, uint64_t first_block, uint32_t count,
                                      uint32_t block_size) {
    if (count == 0) return {};
    TRY(check_block_range(device, first_block, count, block_size));
    Buffer** claimed = static_cast<Buffer**>(kmalloc(count * sizeof(Buffer*)));
    if (!claimed) return Error{ENOMEM};
    size_t claimed_count = 0;
    Result<void> outcome;
    {
        MutexLocker locker(lock_);
        for (uint64_t block = first_block; block < first_block + count; ++block) {
            Buffer* buffer = table_.find(BufferKey{&device, block, block_size});
            if (buffer && (buffer->valid || buffer->io_in_flight)) continue;  // cached, or on its way
            ++statistics_.misses;
            if (buffer) {
                reference_locked(*buffer);  // a failed read still referenced by someone: retry it
            } else {
                Result<Buffer*> created = create_buffer_locked(device, block, block_size);
                if (created.is_error()) {
                    outcome = Error{created.error()};  // read what was claimed; report the rest
                    break;
                }
                buffer = created.value();
            }
            begin_io(*buffer);
            claimed[claimed_count++] = buffer;
        }
    }
    // Blocks were claimed in increasing order, so adjacent misses are
    // adjacent in `claimed` and each run becomes one request.
    Result<void> transferred = transfer_claimed(device, IoDirection::Read, claimed, claimed_count);
    {
        MutexLocker locker(lock_);
        for (size_t i = 0; i < claimed_count; ++i) release_locked(*claimed[i]);
    }
    kfree(claimed);
    if (transferred.is_error()) return transferred;
    return outcome;
}

Result<BufferHandle> BufferCache::get_block_for_overwrite(BlockDevice& device, uint64_t block_number,
                                                          uint32_t block_size) {
    TRY(check_block_range(device, block_number, 1, block_size));
    Buffer* buffer;
    {
        MutexLocker locker(lock_);
        buffer = TRY(get_buffer_locked(device, block_number, block_size));
    }
    BufferHandle handle(this, buffer);
    for (;;) {
        {
            MutexLocker locker(lock_);
            if (buffer->valid) return handle;
            if (!buffer->io_in_flight) {
                // Nothing to read: the caller overwrites every byte.
                klib::memset(buffer->data, 0, block_size);
                buffer->valid = true;
                return handle;
            }
        }
        // A read of this block is running; data copied in now would be
        // overwritten when it lands, so let it finish first.
        wait_for_io(*buffer);
    }
}

// ---------------------------------------------------------------- transfers

Result<void> BufferCache::transfer_claimed(BlockDevice& device, IoDirection direction, Buffer** buffers,
                                           size_t count) {
    if (count == 0) return {};
    TransferLimits limits(device);
    bool one_request_per_buffer = direction == IoDirection::Write;
    int setup_error = 0;
    size_t request_count = 0, submitted = 0;
    PendingTransfer* pending = nullptr;
    if (!limits.usable()) {
        setup_error = EINVAL;  // a driver whose limits allow no request at all
    } else {
        request_count = plan_transfers(limits, direction, buffers, count, one_request_per_buffer, nullptr);
        pending = new (std::nothrow) PendingTransfer[request_count];
        if (!pending) setup_error = ENOMEM;
    }
    if (pending) {
        plan_transfers(limits, direction, buffers, count, one_request_per_buffer, pending);
        submitted = submit_and_wait(device, pending, request_count);
    }

    MutexLocker locker(lock_);
    // Each buffer's outcome: the setup error, or the error of any request
    // that carried some of its bytes.
    for (size_t i = 0; i < count; ++i) buffers[i]->io_error = setup_error;
    for (size_t r = 0; pending && r < request_count; ++r) {
        if (pending[r].error == 0) continue;
        for (size_t i = pending[r].first_buffer; i < pending[r].end_buffer; ++i) buffers[i]->io_error = pending[r].error;
    }
    if (direction == IoDirection::Read) statistics_.reads_submitted += submitted;
    delete[] pending;
    finish_claimed_locked(direction, buffers, count);
    for (size_t i = 0; i < count; ++i) {
        if (buffers[i]->io_error != 0) return Error{buffers[i]->io_error};
    }
    return {};
}

// Publishes the outcome recorded in each buffer's io_error and wakes the
// threads waiting for it. The claimer's reference is the caller's to drop.
void BufferCache::finish_claimed_locked(IoDirection direction, Buffer* const* buffers, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        Buffer& buffer = *buffers[i];
        bool failed = buffer.io_error != 0;
        if (direction == IoDirection::Read) {
            buffer.valid = !failed;
            if (!failed) ++statistics_.blocks_read;
        } else if (failed) {
            // The disk does not have these bytes: dirty again, so a later
            // sync retries (unless it was dirtied again meanwhile anyway).
            if (!buffer.dirty) {
                buffer.dirty = true;
                dirty_.push_back(buffer);
            }
        } else {
            ++statistics_.blocks_written;
        }
        end_io(buffer);
    }
}

// ---------------------------------------------------------------- write-back

Result<void> BufferCache::sync_device(BlockDevice& device) {
    MutexLocker one_sync_at_a_time(sync_lock_);
    Buffer** batch = nullptr;
    size_t count = 0;
    {
        MutexLocker locker(lock_);
        for (Buffer& buffer : dirty_) count += buffer.device == &device ? 1 : 0;
        if (count > 0) {
            batch = static_cast<Buffer**>(kmalloc(count * sizeof(Buffer*)));
            if (!batch) return Error{ENOMEM};
        }
        size_t collected = 0;
        for (Buffer& buffer : dirty_) {
            if (buffer.device != &device) continue;
            // Pinned and clean while its write runs: a mark_dirty meanwhile
            // puts it back on the dirty list for the next sync.
            reference_locked(buffer);  // while still dirty: it is on no LRU list
            dirty_.remove(buffer);
            buffer.dirty = false;
            begin_io(buffer);
            batch[collected++] = &buffer;
        }
    }
    sort_by_position(batch, count);
    Result<void> written = write_back(device, batch, count);
    kfree(batch);
    Result<void> flushed = device.flush();
    if (written.is_error()) return written;
    return flushed;
}

// Writes pinned buffers (sorted) in plugged batches and unpins them.
Result<void> BufferCache::write_back(BlockDevice& device, Buffer** buffers, size_t count) {
    Result<void> first_failure;
    for (size_t done = 0; done < count; done += WRITE_BATCH_BUFFERS) {
        size_t batch = count - done < WRITE_BATCH_BUFFERS ? count - done : WRITE_BATCH_BUFFERS;
        Result<void> result = transfer_claimed(device, IoDirection::Write, buffers + done, batch);
        if (result.is_error() && !first_failure.is_error()) first_failure = result;
    }
    MutexLocker locker(lock_);
    for (size_t i = 0; i < count; ++i) release_locked(*buffers[i]);
    return first_failure;
}

Result<void> BufferCache::limit_dirty(BlockDevice& device) {
    size_t dirty_bytes = 0;
    {
        MutexLocker locker(lock_);
        for (Buffer& buffer : dirty_) dirty_bytes += buffer.block_size;
    }
    if (dirty_bytes < capacity_bytes_ / 4) return {};
    return sync_device(device);
}

void BufferCache::forget_block(BlockDevice& device, uint64_t block_number, uint32_t block_size) {
    MutexLocker locker(lock_);
    Buffer* buffer = table_.find(BufferKey{&device, block_number, block_size});
    if (buffer == nullptr || !buffer->dirty || buffer->io_in_flight) return;
    buffer->dirty = false;
    dirty_.remove(*buffer);
    if (buffer->reference_count == 0) lru_.push_back(*buffer);
}

Result<void> BufferCache::invalidate_device(BlockDevice& device) {
    MutexLocker locker(lock_);
    bool busy = false;
    table_.for_each([&](Buffer& buffer) {
        if (buffer.device == &device && (buffer.reference_count != 0 || buffer.dirty)) busy = true;
    });
    if (busy) return Error{EBUSY};
    table_.for_each([&](Buffer& buffer) {
        if (buffer.device == &device) destroy_buffer_locked(buffer);
    });
    return {};
}

size_t BufferCache::drop_clean_buffers() {
    MutexLocker locker(lock_);
    size_t dropped = 0;
    table_.for_each([&](Buffer& buffer) {
        if (buffer.reference_count == 0 && !buffer.dirty && !buffer.io_in_flight) {
            destroy_buffer_locked(buffer);
            ++dropped;
        }
    });
    return dropped;
}

BufferCacheStatistics BufferCache::statistics() const {
    MutexLocker locker(lock_);
    BufferCacheStatistics snapshot = statistics_;
    snapshot.buffers = table_.size();
    snapshot.dirty = dirty_.size();
    snapshot.referenced = referenced_buffers_;
    snapshot.bytes_cached = bytes_cached_;
    snapshot.capacity_bytes = capacity_bytes_;
    return snapshot;
}
