// drivers/block/ramdisk.h -- a block device over memory.
//
// Layer: device driver. The boot loader loads the root file system image
// as a Multiboot module; each module becomes a RamDisk: module 1 is ram0,
// the next ram1, and so on. A RamDisk "transfers" with memcpy and completes
// each request at once, but it goes through the same RequestQueue as a real
// disk, so everything above it is exercised exactly as with one.
#pragma once

#include "drivers/block/block_device.h"

class RamDisk final : public BlockDevice {
public:
    // `memory` must stay valid for the device's life; `bytes` is rounded
    // down to whole sectors.
    RamDisk(const char* name, void* memory, uint64_t bytes, bool read_only);

    void start_request(Request& request) override;

private:
    // Copies one segment to or from the disk's memory (the bottom of every
    // read: set a breakpoint here and `bt` shows each layer above).
    void transfer(IoDirection direction, uint64_t byte_offset, const MemorySegment& segment);

    uint8_t* memory_;
};
