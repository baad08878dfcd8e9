// tests/host/support/block_test_helpers.h -- what the block layer's tests
// share: patterned data, building a Request from a buffer, device limits,
// and a device kept busy so that submitted requests queue (and merge).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "drivers/block/request.h"
#include "tests/host/support/recording_device.h"

namespace block_test {

using Mode = RecordingDevice::Mode;

constexpr uint64_t DISK_SECTORS = 2048;  // 1 MiB

inline std::vector<uint8_t> pattern(size_t bytes, uint32_t seed) {
    std::vector<uint8_t> data(bytes);
    for (size_t i = 0; i < bytes; ++i) data[i] = uint8_t((i * 131 + seed * 7 + i / 512) & 0xff);
    return data;
}

// Fills `request` for `bytes` at `data`, cut into segments of `segment_bytes`.
inline void build(Request& request, IoDirection direction, uint64_t sector, uint8_t* data, uint32_t bytes,
           uint32_t segment_bytes = 0) {
    request.direction = direction;
    request.sector = sector;
    if (segment_bytes == 0) segment_bytes = bytes;
    for (uint32_t done = 0; done < bytes; done += segment_bytes) {
        uint32_t length = bytes - done < segment_bytes ? bytes - done : segment_bytes;
        ASSERT_TRUE(request.add_segment(data + done, length));
    }
}

inline BlockDeviceLimits limits_with(uint32_t max_sectors, uint32_t max_segments, uint32_t queue_depth = 1,
                              uint32_t max_segment_bytes = 65536) {
    BlockDeviceLimits limits;
    limits.max_sectors_per_request = max_sectors;
    limits.max_segments = max_segments;
    limits.queue_depth = queue_depth;
    limits.max_segment_bytes = max_segment_bytes;
    return limits;
}

// A held request on the device keeps everything submitted after it queued
// (queue depth 1), so the scheduler gets the chance to merge.
struct BusyDevice {
    RecordingDevice device;
    Request blocker;
    std::vector<uint8_t> blocker_data = std::vector<uint8_t>(SECTOR_SIZE);

    explicit BusyDevice(const BlockDeviceLimits& limits = limits_with(256, 32)) : device("busy", DISK_SECTORS, limits) {
        device.set_mode(Mode::Hold);
        build(blocker, IoDirection::Read, DISK_SECTORS - 1, blocker_data.data(), SECTOR_SIZE);
        EXPECT_FALSE(device.queue().submit(blocker).is_error());
        EXPECT_EQ(device.held_count(), 1u);
    }
    ~BusyDevice() { device.complete_all(); }
};

}  // namespace block_test
