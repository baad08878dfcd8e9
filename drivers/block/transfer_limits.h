// drivers/block/transfer_limits.h -- what one request may carry on a device,
// in whole logical blocks.
//
// Layer: physical I/O (a helper for the caches above it). The buffer cache
// and the page cache cut their transfers into requests a driver accepts:
// at most `request_bytes`, in segments of at most `segment_bytes`, at most
// `segments` of them per Request (a chain carries more). Each is the
// device's limit (block_device.h) rounded down to whole logical blocks, so
// a cut never splits a block. usable() is false for a driver whose limits
// allow no request at all (a bug: callers fail the transfer with EINVAL).
#pragma once

#include <cstdint>

#include "drivers/block/block_device.h"

struct TransferLimits {
    uint64_t request_bytes;
    uint32_t segment_bytes;
    uint32_t segments;

    explicit TransferLimits(const BlockDevice& device) {
        const BlockDeviceLimits& limits = device.limits();
        uint32_t block = device.logical_block_size();
        request_bytes = uint64_t(limits.max_sectors_per_request) * SECTOR_SIZE;
        request_bytes -= request_bytes % block;
        segment_bytes = limits.max_segment_bytes - limits.max_segment_bytes % block;
        if (segment_bytes > request_bytes) segment_bytes = uint32_t(request_bytes);
        segments = limits.max_segments < Request::MAX_SEGMENTS ? limits.max_segments : Request::MAX_SEGMENTS;
    }
    bool usable() const { return request_bytes > 0 && segment_bytes > 0 && segments > 0; }
};
