// fs/devfs/block_device_file.cpp -- bytes of a disk, through a bounce buffer.
//
// Layer: between the VFS and the block layer. See block_device_file.h. Every
// read or write is cut into steps of at most one bounce buffer; a step moves
// whole logical blocks between the disk and the buffer (one request per
// page under a plug, merged by the I/O scheduler: transfer_by_pages) and
// copies the caller's bytes in or out of the middle. A step's span runs from the
// block holding its first byte to the block holding its last, so only those
// two blocks can be partial, and only a write has to read them first.
#include "fs/devfs/block_device_file.h"

#include "drivers/block/block_device_registry.h"
#include "fs/devfs/block_device_ioctl.h"
#include "fs/vfs/device_table.h"
#include "kernel/lib/string.h"

namespace {

struct BlockMajor {
    uint32_t major;
    const char* name;  // as in Linux's /proc/devices
};

constexpr BlockMajor BLOCK_MAJORS[] = {
    {RAMDISK_MAJOR, "ramdisk"},     {IDE0_MAJOR, "ide0"},           {IDE1_MAJOR, "ide1"},
    {VIRTIO_BLOCK_MAJOR, "virtblk"}, {BLOCK_EXTENDED_MAJOR, "blkext"},
};

// Serialises writes to every block device file (see the header's locking note).
Mutex& write_lock() {
    static Mutex lock{"block device file writes"};
    return lock;
}

uint64_t round_down(uint64_t value, uint32_t block) { return value - value % block; }
uint64_t round_up(uint64_t value, uint32_t block) { return round_down(value + block - 1, block); }

// The heap memory one read or write moves its blocks through, freed at the
// end of the call. Sized for the blocks the call touches, at most
// BOUNCE_BUFFER_BYTES (but always at least one block).
class BounceBuffer {
public:
    BounceBuffer(uint64_t offset, size_t size, uint32_t block) {
        uint64_t limit = round_down(BlockDeviceFile::BOUNCE_BUFFER_BYTES, block);
        if (limit < block) limit = block;
        uint64_t span = round_up(offset + size, block) - round_down(offset, block);
        size_ = size_t(span < limit ? span : limit);
        bytes_ = static_cast<uint8_t*>(kmalloc(size_, SECTOR_SIZE));
    }
    ~BounceBuffer() {
        if (bytes_ != nullptr) kfree(bytes_);
    }
    BounceBuffer(const BounceBuffer&) = delete;
    BounceBuffer& operator=(const BounceBuffer&) = delete;

    uint8_t* bytes() const { return bytes_; }
    size_t size() const { return size_; }

private:
    uint8_t* bytes_ = nullptr;
    size_t size_ = 0;
};

// One request per page (or per logical block, if larger) of `memory`, all
// submitted under one plug, then waited for: the I/O scheduler merges the
// adjacent pages back into requests as large as the device takes. Linux
// builds block-device I/O the same way (bios that the block layer merges),
// and it is what makes merging visible in /proc/diskstats ("merged", iostat's
// rrqm/wrqm) -- also on a RAM disk, which completes every request at once and
// so never has a queue to merge in otherwise. Every submitted request is
// waited for before returning, even after an error, since they point into
// `memory`. Returns the first error.
Result<void> transfer_by_pages(BlockDevice& device, IoDirection direction, uint64_t byte_offset, uint8_t* memory,
                               size_t length) {
    constexpr uint64_t PAGE_BYTES = 4096;
    uint32_t block = device.logical_block_size();
    const BlockDeviceLimits& limits = device.limits();
    uint64_t piece = PAGE_BYTES < block ? block : PAGE_BYTES;
    uint64_t segment_limit = round_down(limits.max_segment_bytes, block);
    uint64_t request_limit = round_down(uint64_t(limits.max_sectors_per_request) * SECTOR_SIZE, block);
    if (piece > segment_limit) piece = segment_limit;
    if (piece > request_limit) piece = request_limit;
    if (piece == 0 || limits.max_segments == 0) return Error{EINVAL};
    size_t count = size_t((length + piece - 1) / piece);
    Request* requests = new (std::nothrow) Request[count];
    if (requests == nullptr) return Error{ENOMEM};
    size_t submitted = 0;
    int error = 0;
    {
        QueuePlug plug(device.queue());
        for (; submitted < count; ++submitted) {
            Request& request = requests[submitted];
            uint64_t done = submitted * piece;
            request.direction = direction;
            request.sector = (byte_offset + done) / SECTOR_SIZE;
            request.add_segment(memory + done, uint32_t(length - done < piece ? length - done : piece));
            Result<void> queued = device.queue().submit(request);
            if (queued.is_error()) {
                error = queued.error();
                break;
            }
        }
    }
    for (size_t i = 0; i < submitted; ++i) {
        Result<void> done = requests[i].wait();
        if (done.is_error() && error == 0) error = done.error();
    }
    delete[] requests;
    if (error != 0) return Error{error};
    return {};
}

// One step of a write on its way to the disk: its blocks, in memory of its
// own, and the requests carrying them (one per page, merged back by the
// I/O scheduler). The completion of its last request -- maybe in an
// interrupt handler -- ends the device's background write and frees it all.
struct WriteBatch {
    BlockDevice* device;
    uint8_t* memory;
    Request* requests;
    size_t outstanding;  // requests not yet completed, plus the submitter's hold
    int error;
};

void release_write_batch(WriteBatch* batch) {
    {
        InterruptGuard atomic;
        if (--batch->outstanding > 0) return;
    }
    batch->device->end_background_write(batch->error);
    delete[] batch->requests;  // request.h: on_complete comes last, so freeing is allowed
    kfree(batch->memory);
    delete batch;
}

void on_write_batch_request_done(Request& request, void* context) {
    auto* batch = static_cast<WriteBatch*>(context);
    if (request.error() != 0 && batch->error == 0) batch->error = request.error();
    release_write_batch(batch);
}

// Submits `length` bytes of `memory` (which the batch now owns) at
// `byte_offset` and returns without waiting. The caller has waited for the
// device's previous background write.
Result<void> submit_write_batch(BlockDevice& device, uint64_t byte_offset, uint8_t* memory, size_t length) {
    constexpr uint64_t PAGE_BYTES = 4096;
    uint32_t block = device.logical_block_size();
    uint64_t piece = PAGE_BYTES < block ? block : PAGE_BYTES;
    uint64_t segment_limit = round_down(device.limits().max_segment_bytes, block);
    if (piece > segment_limit) piece = segment_limit;
    size_t count = size_t((length + piece - 1) / piece);
    auto* batch = new (std::nothrow) WriteBatch{&device, memory, new (std::nothrow) Request[count], count + 1, 0};
    if (batch == nullptr || batch->requests == nullptr) {
        if (batch) delete batch;
        kfree(memory);
        return Error{ENOMEM};
    }
    device.begin_background_write();
    {
        QueuePlug plug(device.queue());
        for (size_t i = 0; i < count; ++i) {
            Request& request = batch->requests[i];
            uint64_t done = i * piece;
            request.direction = IoDirection::Write;
            request.sector = (byte_offset + done) / SECTOR_SIZE;
            request.add_segment(memory + done, uint32_t(length - done < piece ? length - done : piece));
            request.on_complete = on_write_batch_request_done;
            request.completion_context = batch;
            Result<void> queued = device.queue().submit(request);
            if (queued.is_error()) {  // never submitted: never completes
                if (batch->error == 0) batch->error = queued.error();
                release_write_batch(batch);
            }
        }
    }
    release_write_batch(batch);  // the submitter's hold
    return {};
}

// The device table's opener for the block majors: the node's number names
// the disk in the registry.
Result<FileRef> open_block_device(Path&& path, uint32_t flags, uint32_t device_number, void* /*context*/) {
    BlockDevice* device = find_block_device_by_number(device_major(device_number), device_minor(device_number));
    if (device == nullptr) return Error{ENXIO};
    if (open_flags_allow_write(flags) && device->is_read_only()) return Error{EROFS};
    return make_file<BlockDeviceFile>(static_cast<Path&&>(path), flags, *device);
}

}  // namespace

uint64_t BlockDeviceFile::size() const {
    return round_down(device_.capacity_bytes(), device_.logical_block_size());
}

Result<size_t> BlockDeviceFile::read_at(uint64_t offset, void* buffer, size_t size) {
    uint64_t end = this->size();
    if (offset >= end || size == 0) return size_t(0);
    if (size > end - offset) size = size_t(end - offset);
    // Readers wait: the bytes of a write still on its way must be read back.
    (void)device_.wait_for_background_writes(false);
    BounceBuffer bounce(offset, size, device_.logical_block_size());
    if (bounce.bytes() == nullptr) return Error{ENOMEM};
    uint8_t* bytes = static_cast<uint8_t*>(buffer);
    size_t done = 0;
    while (done < size) {
        Result<size_t> step = read_step(offset + done, bytes + done, size - done, bounce.bytes(), bounce.size());
        // Bytes already read are worth more than the error (Linux: a short read).
        if (step.is_error()) return done != 0 ? Result<size_t>(done) : Error{step.error()};
        done += step.value();
    }
    return done;
}

Result<size_t> BlockDeviceFile::write_at(uint64_t offset, const void* buffer, size_t size) {
    if (device_.is_read_only()) return Error{EROFS};
    if (size == 0) return size_t(0);
    uint64_t end = this->size();
    if (offset >= end) return Error{ENOSPC};  // a disk does not grow
    if (size > end - offset) size = size_t(end - offset);
    const uint8_t* bytes = static_cast<const uint8_t*>(buffer);
    MutexLocker locker(write_lock());
    size_t done = 0;
    while (done < size) {
        Result<size_t> step = write_step(offset + done, bytes + done, size - done);
        if (step.is_error()) return done != 0 ? Result<size_t>(done) : Error{step.error()};
        done += step.value();
    }
    return done;
}

Result<size_t> BlockDeviceFile::read_step(uint64_t offset, uint8_t* buffer, size_t size, uint8_t* bounce,
                                          size_t bounce_size) {
    uint32_t block = device_.logical_block_size();
    uint64_t span_start = round_down(offset, block);
    uint64_t data_end = offset + size;
    if (data_end > span_start + bounce_size) data_end = span_start + bounce_size;
    uint64_t span_end = round_up(data_end, block);
    TRY(transfer_by_pages(device_, IoDirection::Read, span_start, bounce, size_t(span_end - span_start)));
    klib::memcpy(buffer, bounce + (offset - span_start), size_t(data_end - offset));
    return size_t(data_end - offset);
}

// One step of a write: at most BOUNCE_BUFFER_BYTES of whole blocks, the
// partial first and last ones read first (read-modify-write), handed to the
// disk as a background batch. The step before must have reached the disk
// (or failed) first: two batches in flight could be reordered by the I/O
// scheduler, and a later write overtaken by an earlier one.
Result<size_t> BlockDeviceFile::write_step(uint64_t offset, const uint8_t* buffer, size_t size) {
    uint32_t block = device_.logical_block_size();
    uint64_t span_start = round_down(offset, block);
    uint64_t data_end = offset + size;
    uint64_t limit = round_down(BOUNCE_BUFFER_BYTES, block) < block ? block : round_down(BOUNCE_BUFFER_BYTES, block);
    if (data_end > span_start + limit) data_end = span_start + limit;
    uint64_t span_end = round_up(data_end, block);
    uint64_t last_block = span_end - block;
    bool partial_head = offset != span_start;
    bool partial_tail = data_end != span_end;
    (void)device_.wait_for_background_writes(false);
    auto* memory = static_cast<uint8_t*>(kmalloc(size_t(span_end - span_start), SECTOR_SIZE));
    if (memory == nullptr) return Error{ENOMEM};
    Result<void> old_contents;
    if (partial_head) old_contents = device_.read(span_start, memory, block);
    if (!old_contents.is_error() && partial_tail && !(partial_head && last_block == span_start)) {
        old_contents = device_.read(last_block, memory + (last_block - span_start), block);
    }
    if (old_contents.is_error()) {
        kfree(memory);
        return Error{old_contents.error()};
    }
    klib::memcpy(memory + (offset - span_start), buffer, size_t(data_end - offset));
    TRY(submit_write_batch(device_, span_start, memory, size_t(span_end - span_start)));
    return size_t(data_end - offset);
}

Result<uint64_t> BlockDeviceFile::seek(int64_t offset, int whence) {
    MutexLocker locker(position_lock_);
    // Linux's fixed_size_llseek: anywhere from 0 to the end, nothing beyond.
    uint64_t old_position = position_;
    uint64_t position = TRY(seek_locked(offset, whence, size()));
    if (position > size()) {
        position_ = old_position;
        return Error{EINVAL};
    }
    return position;
}

// fsync: the last background write done (its error, if any, is fsync's),
// then the device's write cache flushed.
Result<void> BlockDeviceFile::sync() {
    Result<void> written = device_.wait_for_background_writes(true);
    Result<void> flushed = device_.flush();
    return written.is_error() ? written : flushed;
}

void BlockDeviceFile::release() { (void)device_.wait_for_background_writes(false); }

Result<int32_t> BlockDeviceFile::ioctl(uint32_t request, uintptr_t argument) {
    return block_device_ioctl(device_, request, argument);
}

Result<void> register_block_device_files() {
    for (const BlockMajor& entry : BLOCK_MAJORS)
        TRY(register_device_driver(DeviceKind::Block, entry.major, 0, DEVICE_MINOR_MASK + 1, entry.name,
                                   open_block_device, nullptr));
    return {};
}
