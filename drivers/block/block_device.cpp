// drivers/block/block_device.cpp -- the generic half of every block device.
//
// Layer: physical I/O. See block_device.h. The byte-oriented helpers cut a
// transfer into requests the device accepts (at most max_sectors_per_request
// sectors, at most max_segments physical pieces, segments of at most
// max_segment_bytes each) and run them one after another: simple, needs no
// memory but one Request on the stack, and callers that want more
// parallelism (the caches) build their own requests.
#include "drivers/block/block_device.h"

#include "kernel/lib/string.h"

BlockDevice::BlockDevice(const char* name, uint32_t logical_block_size, uint64_t capacity_sectors,
                         const BlockDeviceLimits& limits, bool read_only)
    : logical_block_size_(logical_block_size),
      capacity_sectors_(capacity_sectors),
      limits_(limits),
      read_only_(read_only),
      queue_(*this) {
    klib::strlcpy(name_, name, sizeof name_);
    // A size that is not a power of two of at least one sector is a driver
    // bug; fall back to sectors rather than divide by it later.
    if (logical_block_size_ < SECTOR_SIZE || (logical_block_size_ & (logical_block_size_ - 1)) != 0) {
        log_error("block: %s: bad logical block size %u, using %u", name_, logical_block_size_, SECTOR_SIZE);
        logical_block_size_ = SECTOR_SIZE;
    }
}

Result<void> BlockDevice::read(uint64_t byte_offset, void* buffer, size_t length) {
    return transfer(IoDirection::Read, byte_offset, buffer, length);
}

Result<void> BlockDevice::write(uint64_t byte_offset, const void* buffer, size_t length) {
    // The request only reads from the buffer; Request's segments are not
    // const because the same type serves reads.
    return transfer(IoDirection::Write, byte_offset, const_cast<void*>(buffer), length);
}

Result<void> BlockDevice::flush() {
    Request request;
    request.direction = IoDirection::Flush;
    TRY(queue_.submit(request));
    return request.wait();
}

void BlockDevice::begin_background_write() {
    InterruptGuard atomic;
    KASSERT(!background_write_in_flight_);  // callers wait for the previous batch first
    background_write_in_flight_ = true;
}

void BlockDevice::end_background_write(int error) {
    InterruptGuard atomic;
    if (error != 0 && background_write_error_ == 0) background_write_error_ = error;
    background_write_in_flight_ = false;
    background_write_done_.wake_all();
}

Result<void> BlockDevice::wait_for_background_writes(bool take_error) {
    InterruptGuard atomic;
    background_write_done_.wait_until([this] { return !background_write_in_flight_; });
    if (!take_error || background_write_error_ == 0) return {};
    int error = background_write_error_;
    background_write_error_ = 0;
    return Error{error};
}

// Fills `request` with up to `cap` bytes at `memory` in segments of at most
// segment_limit, and at most max_segments of them (each is a piece at
// least); returns the bytes taken.
static uint64_t fill_request(Request& request, uint8_t* memory, uint64_t length, uint64_t segment_limit,
                             uint32_t max_segments, uint64_t cap) {
    uint64_t taken = 0;
    while (taken < length && taken < cap && request.segment_count() < max_segments) {
        uint64_t piece = length - taken;
        if (piece > segment_limit) piece = segment_limit;
        if (piece > cap - taken) piece = cap - taken;
        if (!request.add_segment(memory + taken, uint32_t(piece))) break;
        taken += piece;
    }
    return taken;
}

Result<void> BlockDevice::transfer(IoDirection direction, uint64_t byte_offset, void* buffer, size_t length) {
    if (byte_offset % logical_block_size_ != 0 || length % logical_block_size_ != 0) return Error{EINVAL};
    // Every piece is a whole number of logical blocks, so each request is too.
    uint64_t segment_limit = limits_.max_segment_bytes - limits_.max_segment_bytes % logical_block_size_;
    uint64_t request_limit = uint64_t(limits_.max_sectors_per_request) * SECTOR_SIZE;
    request_limit -= request_limit % logical_block_size_;
    if (segment_limit == 0 || request_limit == 0 || limits_.max_segments == 0) return Error{EINVAL};

    uint8_t* bytes = static_cast<uint8_t*>(buffer);
    size_t done = 0;
    while (done < length) {
        Request request;
        request.direction = direction;
        request.sector = (byte_offset + done) / SECTOR_SIZE;
        // Memory that is not physically contiguous (a kernel stack) may need
        // more pieces than the device takes: then ask for less, down to
        // one block, which is at most two pages.
        uint64_t cap = request_limit;
        uint64_t taken = fill_request(request, bytes + done, length - done, segment_limit, limits_.max_segments, cap);
        while (describe_physical_segments(request, limits_).count > limits_.max_segments && cap > logical_block_size_) {
            cap = cap / 2 - (cap / 2) % logical_block_size_;
            if (cap < logical_block_size_) cap = logical_block_size_;
            request.clear_segments();
            taken = fill_request(request, bytes + done, length - done, segment_limit, limits_.max_segments, cap);
        }
        TRY(queue_.submit(request));
        TRY(request.wait());
        done += size_t(taken);
    }
    return {};
}
