// tests/host/buffer_cache_test.cpp -- the buffer cache over the recording disk.
//
// What is tested: hits and misses, argument checks, LRU eviction of clean
// buffers, dirty buffers surviving eviction pressure until sync_device
// writes them (merged, in block order), ENOMEM when nothing can be evicted,
// read_blocks turning runs of misses into single requests, several threads
// sharing one read (and one failure), get_block_for_overwrite, invalidation
// and several block sizes on one device. The RecordingDevice
// (tests/host/support/) tells exactly which requests reached the "disk".
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "fs/cache/buffer_cache.h"
#include "tests/host/support/recording_device.h"

namespace {

using Mode = RecordingDevice::Mode;
using Started = RecordingDevice::StartedRequest;

constexpr uint64_t DISK_SECTORS = 4096;  // 2 MiB
constexpr uint32_t KIB = 1024;

uint8_t byte_at(uint64_t disk_offset) { return uint8_t((disk_offset * 7 + disk_offset / 1024) & 0xff); }

// A disk whose every byte tells where it is.
struct Disk {
    RecordingDevice device;
    explicit Disk(const BlockDeviceLimits& limits = {}, uint32_t logical_block_size = SECTOR_SIZE)
        : device("disk", DISK_SECTORS, limits, logical_block_size) {
        for (size_t i = 0; i < device.storage().size(); ++i) device.storage()[i] = byte_at(i);
    }
    std::vector<Started> reads() const { return of_direction(IoDirection::Read); }
    std::vector<Started> writes() const { return of_direction(IoDirection::Write); }
    std::vector<Started> of_direction(IoDirection direction) const {
        std::vector<Started> matching;
        for (const Started& request : device.started())
            if (request.direction == direction) matching.push_back(request);
        return matching;
    }
};

bool holds_disk_bytes(const uint8_t* data, uint64_t disk_offset, size_t length) {
    for (size_t i = 0; i < length; ++i)
        if (data[i] != byte_at(disk_offset + i)) return false;
    return true;
}

BufferHandle read_ok(BufferCache& cache, BlockDevice& device, uint64_t block, uint32_t size = KIB) {
    Result<BufferHandle> result = cache.read_block(device, block, size);
    EXPECT_FALSE(result.is_error()) << "block " << block;
    if (result.is_error()) return BufferHandle();
    return result.release_value();
}

template <typename Condition>
bool eventually(Condition condition) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

// ------------------------------------------------------------------ reads

TEST(BufferCache, AMissReadsTheBlockAndTheNextReadIsAHit) {
    Disk disk;
    BufferCache cache(64 * KIB);
    {
        BufferHandle block = read_ok(cache, disk.device, 3);
        ASSERT_TRUE(block);
        EXPECT_EQ(block.size(), KIB);
        EXPECT_EQ(block.block_number(), 3u);
        EXPECT_TRUE(holds_disk_bytes(block.data(), 3 * KIB, KIB));
    }
    BufferHandle again = read_ok(cache, disk.device, 3);
    EXPECT_TRUE(holds_disk_bytes(again.data(), 3 * KIB, KIB));
    ASSERT_EQ(disk.reads().size(), 1u);
    EXPECT_EQ(disk.reads()[0].sector, 6u);
    EXPECT_EQ(disk.reads()[0].sector_count, 2u);
    BufferCacheStatistics statistics = cache.statistics();
    EXPECT_EQ(statistics.misses, 1u);
    EXPECT_EQ(statistics.hits, 1u);
    EXPECT_EQ(statistics.reads_submitted, 1u);
    EXPECT_EQ(statistics.blocks_read, 1u);
    EXPECT_EQ(statistics.buffers, 1u);
    EXPECT_EQ(statistics.referenced, 1u);
    EXPECT_EQ(statistics.bytes_cached, KIB);
    EXPECT_EQ(statistics.capacity_bytes, 64 * KIB);
}

TEST(BufferCache, RefusesBadBlockSizesAndBlocksBeyondTheDevice) {
    Disk disk;
    BufferCache cache(64 * KIB);
    for (uint32_t size : {0u, 256u, 1000u, 1536u, 131072u})
        EXPECT_EQ(cache.read_block(disk.device, 0, size).error(), EINVAL) << size;
    EXPECT_EQ(cache.read_block(disk.device, 2048, KIB).error(), EINVAL);  // 2 MiB / 1 KiB blocks
    EXPECT_EQ(cache.read_block(disk.device, UINT64_MAX, KIB).error(), EINVAL);
    EXPECT_EQ(cache.read_blocks(disk.device, 2040, 9, KIB).error(), EINVAL);
    EXPECT_EQ(cache.get_block_for_overwrite(disk.device, 2048, KIB).error(), EINVAL);
    EXPECT_TRUE(holds_disk_bytes(read_ok(cache, disk.device, 2047).data(), 2047 * KIB, KIB));
    EXPECT_EQ(disk.reads().size(), 1u);

    Disk disk_4k({}, 4096);
    EXPECT_EQ(cache.read_block(disk_4k.device, 0, 1024).error(), EINVAL);  // smaller than a logical block
    EXPECT_FALSE(cache.read_block(disk_4k.device, 0, 4096).is_error());
}

TEST(BufferCache, BlockSizesOfOneDeviceAreSeparateBuffers) {
    Disk disk;
    BufferCache cache(256 * KIB);
    BufferHandle small = read_ok(cache, disk.device, 5, 512);
    BufferHandle medium = read_ok(cache, disk.device, 1, KIB);
    BufferHandle large = read_ok(cache, disk.device, 1, 4096);
    BufferHandle huge = read_ok(cache, disk.device, 1, 65536);
    EXPECT_TRUE(holds_disk_bytes(small.data(), 5 * 512, 512));
    EXPECT_TRUE(holds_disk_bytes(medium.data(), KIB, KIB));
    EXPECT_TRUE(holds_disk_bytes(large.data(), 4096, 4096));
    EXPECT_TRUE(holds_disk_bytes(huge.data(), 65536, 65536));
    EXPECT_EQ(cache.statistics().misses, 4u);
    EXPECT_EQ(cache.statistics().buffers, 4u);
    // Data are aligned to the block size (at most a page).
    EXPECT_EQ(reinterpret_cast<uintptr_t>(small.data()) % 512, 0u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(large.data()) % 4096, 0u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(huge.data()) % 4096, 0u);
}

TEST(BufferCache, ABlockLargerThanOneRequestIsReadInSeveral) {
    BlockDeviceLimits small_requests;
    small_requests.max_sectors_per_request = 8;
    small_requests.max_segment_bytes = 2048;
    Disk disk(small_requests);
    BufferCache cache(64 * KIB);
    BufferHandle block = read_ok(cache, disk.device, 3, 16384);
    EXPECT_TRUE(holds_disk_bytes(block.data(), 3 * 16384, 16384));
    std::vector<Started> reads = disk.reads();
    ASSERT_EQ(reads.size(), 4u);
    for (size_t i = 0; i < reads.size(); ++i) {
        EXPECT_EQ(reads[i].sector, 96 + 8 * i);
        EXPECT_EQ(reads[i].sector_count, 8u);
        EXPECT_EQ(reads[i].segment_count, 2u);
    }
}

// ------------------------------------------------------------------ memory

TEST(BufferCache, EvictsTheLeastRecentlyReleasedCleanBuffer) {
    Disk disk;
    BufferCache cache(4 * KIB);  // room for four 1 KiB blocks
    {
        BufferHandle handles[4];
        for (int i = 0; i < 4; ++i) handles[i] = read_ok(cache, disk.device, i);
        for (int i : {2, 0, 3, 1}) handles[i].release();  // 2 is now the oldest
    }
    read_ok(cache, disk.device, 4);  // evicts 2
    EXPECT_EQ(cache.statistics().evictions, 1u);
    read_ok(cache, disk.device, 0);  // still cached
    EXPECT_EQ(cache.statistics().hits, 1u);
    read_ok(cache, disk.device, 5);  // evicts 3 (0 was just used again)
    read_ok(cache, disk.device, 3);  // a miss now
    read_ok(cache, disk.device, 0);  // a hit
    BufferCacheStatistics statistics = cache.statistics();
    EXPECT_EQ(statistics.hits, 2u);
    EXPECT_EQ(statistics.misses, 7u);
    EXPECT_EQ(statistics.evictions, 3u);
    EXPECT_EQ(statistics.buffers, 4u);
    EXPECT_EQ(statistics.bytes_cached, 4 * KIB);
    std::vector<Started> reads = disk.reads();
    ASSERT_EQ(reads.size(), 7u);
    EXPECT_EQ(reads[6].sector, 6u);  // block 3 came from the disk again
}

TEST(BufferCache, IsOutOfMemoryWhenEveryBufferIsReferencedOrDirty) {
    Disk disk;
    BufferCache cache(4 * KIB);
    BufferHandle held[2] = {read_ok(cache, disk.device, 0), read_ok(cache, disk.device, 1)};
    for (uint64_t block : {2, 3}) {
        BufferHandle dirty = read_ok(cache, disk.device, block);
        dirty.data()[0] = 0xdd;
        dirty.mark_dirty();
    }
    EXPECT_EQ(cache.read_block(disk.device, 4, KIB).error(), ENOMEM);
    EXPECT_EQ(cache.get_block_for_overwrite(disk.device, 4, KIB).error(), ENOMEM);
    EXPECT_EQ(cache.read_block(disk.device, 0, 8192).error(), ENOMEM);
    EXPECT_EQ(cache.statistics().buffers, 4u);
    held[0].release();
    BufferHandle now_fits = read_ok(cache, disk.device, 4);
    EXPECT_TRUE(holds_disk_bytes(now_fits.data(), 4 * KIB, KIB));
    EXPECT_EQ(cache.statistics().evictions, 1u);
    EXPECT_FALSE(cache.sync_device(disk.device).is_error());
}

TEST(BufferCache, DirtyBuffersSurviveEvictionUntilSyncWritesThem) {
    Disk disk;
    BufferCache cache(4 * KIB);
    for (uint64_t block : {0, 1}) {
        BufferHandle handle = read_ok(cache, disk.device, block);
        std::memset(handle.data(), 0xa0 + int(block), KIB);
        handle.mark_dirty();
    }
    for (uint64_t block = 10; block < 20; ++block) read_ok(cache, disk.device, block);
    BufferCacheStatistics statistics = cache.statistics();
    EXPECT_EQ(statistics.dirty, 2u);
    EXPECT_EQ(statistics.evictions, 8u);  // two slots cycled through ten clean blocks
    EXPECT_TRUE(disk.writes().empty());
    EXPECT_EQ(disk.device.storage()[0], byte_at(0));

    ASSERT_FALSE(cache.sync_device(disk.device).is_error());
    EXPECT_EQ(disk.device.storage()[0], 0xa0);
    EXPECT_EQ(disk.device.storage()[KIB + 5], 0xa1);
    std::vector<Started> writes = disk.writes();
    ASSERT_EQ(writes.size(), 1u);  // the two adjacent blocks merged
    EXPECT_EQ(writes[0].sector, 0u);
    EXPECT_EQ(writes[0].sector_count, 4u);
    EXPECT_EQ(writes[0].request_count, 2u);
    EXPECT_EQ(disk.device.started().back().direction, IoDirection::Flush);
    statistics = cache.statistics();
    EXPECT_EQ(statistics.dirty, 0u);
    EXPECT_EQ(statistics.blocks_written, 2u);
    // Clean now, so they are evictable like any other.
    BufferHandle fresh[4];
    for (int i = 0; i < 4; ++i) fresh[i] = read_ok(cache, disk.device, 100 + i);
    EXPECT_EQ(cache.statistics().buffers, 4u);
}

TEST(BufferCache, LimitDirtyWritesBackOnlyPastAQuarterOfThePool) {
    Disk disk;
    BufferCache cache(16 * KIB);  // a quarter: four 1 KiB blocks
    auto dirty = [&](uint64_t block) {
        BufferHandle handle = read_ok(cache, disk.device, block);
        handle.data()[0] = 0x5a;
        handle.mark_dirty();
    };
    for (uint64_t block : {1, 2, 3}) dirty(block);
    ASSERT_FALSE(cache.limit_dirty(disk.device).is_error());
    EXPECT_TRUE(disk.writes().empty());
    EXPECT_EQ(cache.statistics().dirty, 3u);
    dirty(4);
    ASSERT_FALSE(cache.limit_dirty(disk.device).is_error());
    EXPECT_FALSE(disk.writes().empty());
    EXPECT_EQ(cache.statistics().dirty, 0u);
    EXPECT_EQ(disk.device.storage()[4 * KIB], 0x5a);
}

TEST(BufferCache, SyncWritesInBlockOrderSoNeighboursMerge) {
    Disk disk;
    BufferCache cache(64 * KIB);
    for (uint64_t block : {11, 5, 3, 10, 4, 20}) {
        BufferHandle handle = read_ok(cache, disk.device, block);
        handle.data()[0] = uint8_t(block);
        handle.mark_dirty();
    }
    ASSERT_FALSE(cache.sync_device(disk.device).is_error());
    std::vector<Started> writes = disk.writes();
    ASSERT_EQ(writes.size(), 3u);
    EXPECT_EQ(writes[0].sector, 6u);  // blocks 3, 4, 5
    EXPECT_EQ(writes[0].sector_count, 6u);
    EXPECT_EQ(writes[0].request_count, 3u);
    EXPECT_EQ(writes[1].sector, 20u);  // blocks 10, 11
    EXPECT_EQ(writes[1].request_count, 2u);
    EXPECT_EQ(writes[2].sector, 40u);  // block 20
    for (uint64_t block : {3, 4, 5, 10, 11, 20}) EXPECT_EQ(disk.device.storage()[block * KIB], block);
    BlockDeviceStatistics device_statistics = disk.device.queue().statistics();
    EXPECT_EQ(device_statistics.writes_merged, 3u);
    EXPECT_EQ(device_statistics.flushes_completed, 1u);
    // Nothing dirty: a second sync writes nothing but still flushes.
    ASSERT_FALSE(cache.sync_device(disk.device).is_error());
    EXPECT_EQ(disk.writes().size(), 3u);
    EXPECT_EQ(disk.device.queue().statistics().flushes_completed, 2u);
}

TEST(BufferCache, SyncOnlyWritesTheGivenDevice) {
    Disk first, second;
    BufferCache cache(64 * KIB);
    for (Disk* disk : {&first, &second}) {
        BufferHandle handle = read_ok(cache, disk->device, 1);
        handle.data()[0] = 0x77;
        handle.mark_dirty();
    }
    ASSERT_FALSE(cache.sync_device(first.device).is_error());
    EXPECT_EQ(first.device.storage()[KIB], 0x77);
    EXPECT_EQ(second.device.storage()[KIB], byte_at(KIB));
    EXPECT_EQ(cache.statistics().dirty, 1u);
    EXPECT_FALSE(cache.sync_device(second.device).is_error());
}

TEST(BufferCache, AFailedWriteLeavesTheBufferDirtyForTheNextSync) {
    Disk disk;
    BufferCache cache(64 * KIB);
    for (uint64_t block : {1, 2}) {
        BufferHandle handle = read_ok(cache, disk.device, block);
        handle.data()[0] = 0x55;
        handle.mark_dirty();
    }
    disk.device.fail_sector(4);  // block 2
    Result<void> result = cache.sync_device(disk.device);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error(), EIO);
    EXPECT_EQ(cache.statistics().dirty, 2u);  // merged into one failing request: both stay dirty
    disk.device.clear_failures();
    ASSERT_FALSE(cache.sync_device(disk.device).is_error());
    EXPECT_EQ(cache.statistics().dirty, 0u);
    EXPECT_EQ(disk.device.storage()[2 * KIB], 0x55);
}

// ------------------------------------------------------------------ read_blocks

TEST(BufferCache, ReadBlocksMakesOneRequestPerRunOfMisses) {
    Disk disk;
    BufferCache cache(64 * KIB);
    read_ok(cache, disk.device, 3);
    disk.device.clear_started();
    ASSERT_FALSE(cache.read_blocks(disk.device, 0, 8, KIB).is_error());
    std::vector<Started> reads = disk.reads();
    ASSERT_EQ(reads.size(), 2u);  // blocks 0-2 and 4-7; block 3 was cached
    EXPECT_EQ(reads[0].sector, 0u);
    EXPECT_EQ(reads[0].sector_count, 6u);
    EXPECT_EQ(reads[0].segment_count, 3u);
    EXPECT_EQ(reads[0].request_count, 1u);
    EXPECT_EQ(reads[1].sector, 8u);
    EXPECT_EQ(reads[1].sector_count, 8u);
    BufferCacheStatistics statistics = cache.statistics();
    EXPECT_EQ(statistics.reads_submitted, 3u);
    EXPECT_EQ(statistics.blocks_read, 8u);
    EXPECT_EQ(statistics.referenced, 0u);
    for (uint64_t block = 0; block < 8; ++block)
        EXPECT_TRUE(holds_disk_bytes(read_ok(cache, disk.device, block).data(), block * KIB, KIB));
    EXPECT_EQ(disk.reads().size(), 2u);
    EXPECT_EQ(cache.statistics().hits, 8u);
    // All cached: nothing to do.
    ASSERT_FALSE(cache.read_blocks(disk.device, 0, 8, KIB).is_error());
    EXPECT_EQ(disk.reads().size(), 2u);
}

TEST(BufferCache, ReadBlocksSplitsRunsAtTheDeviceLimits) {
    BlockDeviceLimits limits;
    limits.max_sectors_per_request = 8;
    limits.max_segments = 3;
    Disk disk(limits);
    BufferCache cache(64 * KIB);
    ASSERT_FALSE(cache.read_blocks(disk.device, 10, 8, KIB).is_error());
    std::vector<Started> reads = disk.reads();
    // At most 3 segments (3 blocks) per request: 3 + 3 + 2 blocks.
    ASSERT_EQ(reads.size(), 3u);
    EXPECT_EQ(reads[0].sector, 20u);
    EXPECT_EQ(reads[1].sector, 26u);
    EXPECT_EQ(reads[2].sector, 32u);
    EXPECT_EQ(reads[2].sector_count, 4u);
    for (const Started& read : reads) EXPECT_LE(read.segment_count, 3u);
    for (uint64_t block = 10; block < 18; ++block)
        EXPECT_TRUE(holds_disk_bytes(read_ok(cache, disk.device, block).data(), block * KIB, KIB));
}

TEST(BufferCache, ReadBlocksReportsAFailureAndKeepsTheBlocksThatArrived) {
    BlockDeviceLimits limits;
    limits.max_segments = 2;
    Disk disk(limits);
    disk.device.fail_sector(2 * 2);  // block 2, in the second request (blocks 2-3)
    BufferCache cache(64 * KIB);
    Result<void> result = cache.read_blocks(disk.device, 0, 6, KIB);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error(), EIO);
    EXPECT_EQ(cache.statistics().buffers, 4u);  // blocks 0, 1, 4, 5
    EXPECT_EQ(cache.statistics().blocks_read, 4u);
    disk.device.clear_failures();
    disk.device.clear_started();
    EXPECT_TRUE(holds_disk_bytes(read_ok(cache, disk.device, 3).data(), 3 * KIB, KIB));
    EXPECT_EQ(disk.reads().size(), 1u);
}

// ------------------------------------------------------------------ threads

TEST(BufferCache, ConcurrentReadersOfOneBlockShareOneRequest) {
    Disk disk;
    disk.device.set_mode(Mode::Hold);
    BufferCache cache(64 * KIB);
    constexpr int READERS = 4;
    std::atomic<int> correct{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < READERS; ++i) {
        readers.emplace_back([&] {
            Result<BufferHandle> block = cache.read_block(disk.device, 7, KIB);
            if (!block.is_error() && holds_disk_bytes(block.value().data(), 7 * KIB, KIB)) ++correct;
        });
    }
    ASSERT_TRUE(disk.device.wait_for_held(1));
    ASSERT_TRUE(eventually([&] {
        BufferCacheStatistics statistics = cache.statistics();
        return statistics.hits + statistics.misses == READERS;
    }));
    EXPECT_TRUE(disk.device.complete_next());
    for (std::thread& reader : readers) reader.join();
    EXPECT_EQ(correct.load(), READERS);
    EXPECT_EQ(disk.device.started().size(), 1u);
    BufferCacheStatistics statistics = cache.statistics();
    EXPECT_EQ(statistics.misses, 1u);
    EXPECT_EQ(statistics.hits, uint64_t(READERS - 1));
    EXPECT_EQ(statistics.referenced, 0u);
}

TEST(BufferCache, AFailedReadIsReportedToEveryWaiterAndALaterReadRetries) {
    Disk disk;
    disk.device.set_mode(Mode::Hold);
    disk.device.fail_sector(14);  // block 7
    BufferCache cache(64 * KIB);
    constexpr int READERS = 3;
    std::atomic<int> saw_eio{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < READERS; ++i) {
        readers.emplace_back([&] {
            Result<BufferHandle> block = cache.read_block(disk.device, 7, KIB);
            if (block.is_error() && block.error() == EIO) ++saw_eio;
        });
    }
    ASSERT_TRUE(disk.device.wait_for_held(1));
    ASSERT_TRUE(eventually([&] {
        BufferCacheStatistics statistics = cache.statistics();
        return statistics.hits + statistics.misses == READERS;
    }));
    // A thread plays the interrupt handler.
    std::thread interrupt([&] { EXPECT_TRUE(disk.device.complete_next()); });
    interrupt.join();
    for (std::thread& reader : readers) reader.join();
    EXPECT_EQ(saw_eio.load(), READERS);
    EXPECT_EQ(disk.device.started().size(), 1u);
    EXPECT_EQ(cache.statistics().buffers, 0u);  // nothing invalid stays cached

    disk.device.clear_failures();
    disk.device.set_mode(Mode::CompleteImmediately);
    BufferHandle retried = read_ok(cache, disk.device, 7);
    EXPECT_TRUE(holds_disk_bytes(retried.data(), 7 * KIB, KIB));
    EXPECT_EQ(disk.device.started().size(), 2u);
}

TEST(BufferCache, AnotherBlockIsServedWhileAReadIsInFlight) {
    Disk disk;
    BufferCache cache(64 * KIB);
    read_ok(cache, disk.device, 1);
    disk.device.set_mode(Mode::Hold);
    std::thread slow_reader([&] { read_ok(cache, disk.device, 9); });
    ASSERT_TRUE(disk.device.wait_for_held(1));
    // The cache lock is not held across the read above.
    EXPECT_TRUE(holds_disk_bytes(read_ok(cache, disk.device, 1).data(), KIB, KIB));
    disk.device.complete_all();
    slow_reader.join();
}

// ------------------------------------------------------------------ overwrite, invalidate

TEST(BufferCache, GetBlockForOverwriteDoesNoRead) {
    Disk disk;
    BufferCache cache(64 * KIB);
    {
        Result<BufferHandle> result = cache.get_block_for_overwrite(disk.device, 5, KIB);
        ASSERT_FALSE(result.is_error());
        BufferHandle block = result.release_value();
        for (uint32_t i = 0; i < KIB; ++i) EXPECT_EQ(block.data()[i], 0) << i;
        std::memset(block.data(), 0x3c, KIB);
        block.mark_dirty();
    }
    EXPECT_TRUE(disk.device.started().empty());
    EXPECT_EQ(cache.statistics().reads_submitted, 0u);
    // A cached block is handed out as it is.
    BufferHandle cached = read_ok(cache, disk.device, 5);
    EXPECT_EQ(cached.data()[100], 0x3c);
    Result<BufferHandle> again = cache.get_block_for_overwrite(disk.device, 5, KIB);
    ASSERT_FALSE(again.is_error());
    EXPECT_EQ(again.value().data()[100], 0x3c);
    cached.release();
    again.value().release();
    ASSERT_FALSE(cache.sync_device(disk.device).is_error());
    EXPECT_EQ(disk.device.storage()[5 * KIB + 100], 0x3c);
    EXPECT_TRUE(disk.reads().empty());
}

TEST(BufferCache, InvalidateDeviceIsBusyWhileBuffersAreReferencedOrDirty) {
    Disk disk, other;
    BufferCache cache(64 * KIB);
    read_ok(cache, other.device, 0);
    BufferHandle held = read_ok(cache, disk.device, 0);
    read_ok(cache, disk.device, 1);
    EXPECT_EQ(cache.invalidate_device(disk.device).error(), EBUSY);
    EXPECT_EQ(cache.statistics().buffers, 3u);  // nothing dropped
    held.mark_dirty();
    held.release();
    EXPECT_EQ(cache.invalidate_device(disk.device).error(), EBUSY);
    ASSERT_FALSE(cache.sync_device(disk.device).is_error());
    ASSERT_FALSE(cache.invalidate_device(disk.device).is_error());
    BufferCacheStatistics statistics = cache.statistics();
    EXPECT_EQ(statistics.buffers, 1u);  // the other device's block
    EXPECT_EQ(statistics.bytes_cached, KIB);
    uint64_t misses = statistics.misses;
    read_ok(cache, disk.device, 1);
    read_ok(cache, other.device, 0);
    EXPECT_EQ(cache.statistics().misses, misses + 1);
}

TEST(BufferCache, HandlesMoveAndReleaseOnce) {
    Disk disk;
    BufferCache cache(64 * KIB);
    BufferHandle first = read_ok(cache, disk.device, 2);
    BufferHandle second(std::move(first));
    EXPECT_FALSE(first);
    ASSERT_TRUE(second);
    BufferHandle third;
    third = std::move(second);
    EXPECT_EQ(cache.statistics().referenced, 1u);
    third = read_ok(cache, disk.device, 4);  // drops block 2, holds block 4
    EXPECT_EQ(cache.statistics().referenced, 1u);
    EXPECT_EQ(third.block_number(), 4u);
    third.release();
    third.release();
    EXPECT_EQ(cache.statistics().referenced, 0u);
}

}  // namespace
