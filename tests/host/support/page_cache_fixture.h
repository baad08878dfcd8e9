// tests/host/support/page_cache_fixture.h -- what the page cache tests share:
// the recording disk with a known byte pattern, the FakeBlockMap that plays
// the file system (a table from file block to device block, new blocks from
// a counter), a file on it, and byte checks against the disk.
// Used by tests/host/page_cache_test.cpp and page_cache_memory_test.cpp.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>
#include <vector>

#include "fs/cache/page_cache.h"
#include "tests/host/support/recording_device.h"

namespace {

using Mode = RecordingDevice::Mode;
using Started = RecordingDevice::StartedRequest;

constexpr uint64_t DISK_SECTORS = 32768;  // 16 MiB
constexpr uint32_t KIB = 1024;
constexpr uint32_t PAGE = 4096;

uint8_t byte_at(uint64_t disk_offset) { return uint8_t((disk_offset * 7 + disk_offset / 1024) & 0xff); }

class FakeBlockMap final : public BlockMapper {
public:
    explicit FakeBlockMap(uint64_t first_free_block = 1000) : next_free_(first_free_block) {}

    Result<uint64_t> map_block(uint64_t file_block, bool allocate) override {
        ++calls;
        auto found = table.find(file_block);
        if (found != table.end()) return found->second;
        if (!allocate) return uint64_t(0);
        if (allocations_left == 0) return Error{ENOSPC};
        if (allocations_left > 0) --allocations_left;
        uint64_t block = next_free_++;
        table[file_block] = block;
        return block;
    }

    std::map<uint64_t, uint64_t> table;  // file block -> device block
    long allocations_left = -1;          // -1: never ENOSPC
    int calls = 0;

private:
    uint64_t next_free_;
};

// Request limits spelt out, so the expected request counts do not move
// with the block layer's defaults: 128 KiB, 32 segments of up to 64 KiB.
BlockDeviceLimits test_limits() {
    BlockDeviceLimits limits;
    limits.max_sectors_per_request = 256;
    limits.max_segments = 32;
    limits.max_segment_bytes = 65536;
    limits.queue_depth = 1;
    return limits;
}

// A disk whose every byte tells where it is.
struct Disk {
    RecordingDevice device{"disk", DISK_SECTORS, test_limits()};
    Disk() {
        for (size_t i = 0; i < device.storage().size(); ++i) device.storage()[i] = byte_at(i);
    }
    std::vector<Started> of_direction(IoDirection direction) const {
        std::vector<Started> matching;
        for (const Started& request : device.started())
            if (request.direction == direction) matching.push_back(request);
        return matching;
    }
    std::vector<Started> reads() const { return of_direction(IoDirection::Read); }
    std::vector<Started> writes() const { return of_direction(IoDirection::Write); }
    const uint8_t* at(uint64_t block, uint32_t block_size) { return device.storage().data() + block * block_size; }
};

// A cache, one file on the disk and its mapping; evicts at the end.
struct File {
    Disk disk;
    PageCache cache;
    FakeBlockMap map;
    uint32_t block_size;
    FileMapping mapping;
    uint64_t size = 0;

    explicit File(uint32_t block_size_ = 4 * KIB, size_t capacity_pages = 1024)
        : cache(capacity_pages), block_size(block_size_), mapping(cache, disk.device, block_size_, map) {}
    ~File() {
        disk.device.set_mode(Mode::CompleteImmediately);
        disk.device.complete_all();
        mapping.discard();
    }

    // The file's blocks file_block..+count at device blocks first_device_block..
    void place(uint64_t file_block, uint64_t count, uint64_t first_device_block) {
        for (uint64_t i = 0; i < count; ++i) map.table[file_block + i] = first_device_block + i;
    }
    std::vector<uint8_t> read(uint64_t offset, size_t length) {
        std::vector<uint8_t> bytes(length, 0xEE);
        Result<size_t> result = mapping.read(offset, bytes.data(), length, size);
        EXPECT_FALSE(result.is_error()) << "read at " << offset;
        if (result.is_error()) return {};
        bytes.resize(result.value());
        return bytes;
    }
    size_t write(uint64_t offset, const std::vector<uint8_t>& bytes) {
        Result<size_t> result = mapping.write(offset, bytes.data(), bytes.size(), size);
        EXPECT_FALSE(result.is_error()) << "write at " << offset;
        if (result.is_error()) return 0;
        if (offset + result.value() > size) size = offset + result.value();
        return result.value();
    }
};

std::vector<uint8_t> pattern(size_t length, uint8_t seed) {
    std::vector<uint8_t> bytes(length);
    for (size_t i = 0; i < length; ++i) bytes[i] = uint8_t(seed + i * 13 + i / 251);
    return bytes;
}

bool equals_disk(const std::vector<uint8_t>& bytes, size_t from, uint64_t disk_offset, size_t length) {
    for (size_t i = 0; i < length; ++i)
        if (bytes[from + i] != byte_at(disk_offset + i)) return false;
    return true;
}

uint64_t first_sector(uint64_t block, uint32_t block_size) { return block * (block_size / SECTOR_SIZE); }


}  // namespace
