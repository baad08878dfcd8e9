// drivers/block/block_device.h -- what every disk driver looks like from above.
//
// Layer: physical I/O. A BlockDevice is an array of sectors with a name
// ("ram0", "hda", "vda"), a logical block size, a capacity and limits on
// what one request may carry. Each has a RequestQueue (request_queue.h)
// through which all I/O passes; drivers implement start_request() and call
// queue().complete() when the hardware is done -- from the interrupt handler
// or, for a RAM disk, right away. (Linux: struct gendisk + blk_mq_ops;
// SerenityOS: StorageDevice::start_request.)
#pragma once

#include <cstdint>

#include "drivers/block/request.h"
#include "drivers/block/request_queue.h"

// What one transfer (a leader with its merged followers) may carry. The
// queue refuses requests beyond them and merges only within them; a driver
// states its hardware's real figures.
struct BlockDeviceLimits {
    uint32_t max_sectors_per_request = 256;  // of a whole chain; 128 KiB
    // Physical pieces of a whole chain, adjacent memory joined
    // (physical_segments.h): what the driver's scatter-gather list holds.
    uint32_t max_segments = Request::MAX_SEGMENTS;
    uint32_t max_segment_bytes = 65536;  // of one submitted segment, and of one piece
    uint32_t segment_boundary = 0;       // no piece crosses a multiple of it (0: none)
    uint32_t queue_depth = 1;            // requests the device accepts at once
};

class BlockDevice {
public:
    // logical_block_size: a power of two of at least SECTOR_SIZE (a driver
    // passing anything else gets SECTOR_SIZE, and an error in the log).
    BlockDevice(const char* name, uint32_t logical_block_size, uint64_t capacity_sectors,
                const BlockDeviceLimits& limits, bool read_only);
    virtual ~BlockDevice() = default;
    BlockDevice(const BlockDevice&) = delete;
    BlockDevice& operator=(const BlockDevice&) = delete;

    const char* name() const { return name_; }
    uint32_t logical_block_size() const { return logical_block_size_; }
    uint64_t capacity_sectors() const { return capacity_sectors_; }
    uint64_t capacity_bytes() const { return capacity_sectors_ * SECTOR_SIZE; }
    bool is_read_only() const { return read_only_; }
    const BlockDeviceLimits& limits() const { return limits_; }
    RequestQueue& queue() { return queue_; }
    // For a partition, the disk it is part of; nullptr for a whole disk.
    // (Linux: bdev_whole.) The partition scan skips partitions with it.
    virtual const BlockDevice* whole_disk() const { return nullptr; }

    // The driver's half. Begins the transfer of a leader request (with its
    // merged followers); must end, sooner or later, in
    // queue().complete(request, error). Called with the queue's lock held
    // (interrupts off): must not sleep.
    virtual void start_request(Request& request) = 0;

    // Convenience for callers that just want bytes: cuts the transfer into
    // requests within the limits (sectors, segments, segment bytes) and
    // submits and waits for each in turn. Byte offset and length must be
    // multiples of the logical block size (else EINVAL); submit's errors
    // (EIO beyond the end, EROFS) and the device's are returned.
    Result<void> read(uint64_t byte_offset, void* buffer, size_t length);
    Result<void> write(uint64_t byte_offset, const void* buffer, size_t length);
    Result<void> flush();

    // Writes whose writer does not wait for them (block device files
    // submit a step and return: "the cache submits and moves on"). At most
    // one such batch is in flight per device; a reader, the next writer and
    // fsync wait for it first. The batch's completion (maybe in an
    // interrupt) calls end_background_write with its first error, which is
    // kept for the next wait that takes it (fsync): as in Linux, a write
    // error surfaces at fsync, not at the write that caused it.
    void begin_background_write();
    void end_background_write(int error);
    Result<void> wait_for_background_writes(bool take_error);

protected:
    void set_capacity_sectors(uint64_t sectors) { capacity_sectors_ = sectors; }

private:
    Result<void> transfer(IoDirection direction, uint64_t byte_offset, void* buffer, size_t length);

    char name_[16] = {};
    uint32_t logical_block_size_;
    uint64_t capacity_sectors_;
    BlockDeviceLimits limits_;
    bool read_only_;
    RequestQueue queue_;
    bool background_write_in_flight_ = false;  // guarded by InterruptGuard
    int background_write_error_ = 0;
    WaitQueue background_write_done_;
};
