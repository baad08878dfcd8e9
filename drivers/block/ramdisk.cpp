// drivers/block/ramdisk.cpp -- a block device whose "hardware" is memcpy.
//
// Layer: device driver. See ramdisk.h. The queue has already checked every
// request against the capacity, so transfer() needs no range checks of its
// own; completing inside start_request() is allowed by the queue (it is
// what a very fast device looks like).
#include "drivers/block/ramdisk.h"

#include "kernel/lib/string.h"

RamDisk::RamDisk(const char* name, void* memory, uint64_t bytes, bool read_only)
    : BlockDevice(name, SECTOR_SIZE, bytes / SECTOR_SIZE, BlockDeviceLimits{}, read_only),
      memory_(static_cast<uint8_t*>(memory)) {}

void RamDisk::start_request(Request& request) {
    if (request.direction != IoDirection::Flush) {
        // Memory needs no flushing; data requests copy every segment of the
        // chain, which covers consecutive sectors from the leader's on.
        uint64_t byte_offset = request.sector * SECTOR_SIZE;
        request.for_each_segment([&](const MemorySegment& segment) {
            transfer(request.direction, byte_offset, segment);
            byte_offset += segment.length;
        });
    }
    queue().complete(request, 0);
}

void RamDisk::transfer(IoDirection direction, uint64_t byte_offset, const MemorySegment& segment) {
    if (direction == IoDirection::Read) {
        klib::memcpy(segment.address, memory_ + byte_offset, segment.length);
    } else {
        klib::memcpy(memory_ + byte_offset, segment.address, segment.length);
    }
}
