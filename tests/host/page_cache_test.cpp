// tests/host/page_cache_test.cpp -- the page cache over the recording disk.
//
// What is tested: reads equal the disk's bytes and holes read zeros, with
// 4 KiB and 1 KiB blocks (also blocks of one page scattered over the
// disk); writes land at the mapped blocks after write_back, and partial
// writes keep the other bytes; write-back of 256 adjacent pages becomes a
// few maximal requests; sequential reads grow the read-ahead window (fewer,
// larger requests) and a random read resets it; read-ahead is not waited
// for; truncate drops pages, zeroes the tail, waits for a write-back at
// the disk before it returns, and never writes a truncated
// dirty page; write errors come back once from write_back; eviction frees
// clean pages only; flush_once writes old pages and leaves young ones; the
// hard dirty limit makes the writer write back; short writes at ENOSPC.
// The FakeBlockMap plays the file system: a table from file block to
// device block, new blocks from a counter.
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

// ------------------------------------------------------------------ reads

TEST(PageCache, ReadsReturnTheDiskBytesAndHolesReadZeros) {
    File file;
    file.place(0, 2, 100);
    file.place(3, 2, 300);  // file block 2 is a hole
    file.size = 5 * PAGE - 100;
    std::vector<uint8_t> bytes = file.read(0, 5 * PAGE);
    ASSERT_EQ(bytes.size(), 5 * PAGE - 100);
    EXPECT_TRUE(equals_disk(bytes, 0, 100 * PAGE, 2 * PAGE));
    for (size_t i = 2 * PAGE; i < 3 * PAGE; ++i) ASSERT_EQ(bytes[i], 0) << i;
    EXPECT_TRUE(equals_disk(bytes, 3 * PAGE, 300 * PAGE, 2 * PAGE - 100));
    // The second read is served from memory.
    size_t requests = file.disk.device.started().size();
    std::vector<uint8_t> again = file.read(PAGE + 17, 3000);
    EXPECT_TRUE(equals_disk(again, 0, 101 * PAGE + 17, 3000));
    EXPECT_EQ(file.disk.device.started().size(), requests);
    EXPECT_GE(file.cache.statistics().hits, 1u);
}

// A read whose last page is cached guesses that all of it is and starts no
// reads; where a run of cached pages stops (here: the first pages, evicted
// at capacity), the rest of the range is read then -- bytes still right.
TEST(PageCache, AWarmGuessThatMissesReadsTheRestOfTheRange) {
    File file(4 * KIB, 16);
    file.place(0, 24, 100);
    file.size = 24 * PAGE;
    std::vector<uint8_t> first = file.read(0, 24 * PAGE);  // pages 0..7 evicted by 8..23
    ASSERT_EQ(first.size(), 24 * PAGE);
    std::vector<uint8_t> again = file.read(0, 24 * PAGE);
    ASSERT_EQ(again.size(), 24 * PAGE);
    EXPECT_TRUE(equals_disk(again, 0, 100 * PAGE, 24 * PAGE));
}

TEST(PageCache, OneKibBlocksScatteredInsideOnePageReadAndWriteAtTheirOwnPlaces) {
    File file(1 * KIB);
    // Page 0: blocks at 50, 51 (adjacent), 80, and a hole; page 1: 200..203.
    file.map.table = {{0, 50}, {1, 51}, {2, 80}, {4, 200}, {5, 201}, {6, 202}, {7, 203}};
    file.size = 8 * KIB;
    std::vector<uint8_t> bytes = file.read(0, 8 * KIB);
    ASSERT_EQ(bytes.size(), 8 * KIB);
    EXPECT_TRUE(equals_disk(bytes, 0, 50 * KIB, 2 * KIB));
    EXPECT_TRUE(equals_disk(bytes, 2 * KIB, 80 * KIB, KIB));
    for (size_t i = 3 * KIB; i < 4 * KIB; ++i) ASSERT_EQ(bytes[i], 0);
    EXPECT_TRUE(equals_disk(bytes, 4 * KIB, 200 * KIB, 4 * KIB));
    // Three runs of adjacent blocks: 50-51, 80, 200-203.
    std::vector<Started> reads = file.disk.reads();
    size_t requests = 0;
    for (const Started& read : reads) requests += read.request_count;
    EXPECT_EQ(requests, 3u);

    // A write across all of it: the hole gets a new block, the others keep theirs.
    std::vector<uint8_t> data = pattern(8 * KIB, 5);
    file.disk.device.clear_started();
    ASSERT_EQ(file.write(0, data), 8 * KIB);
    ASSERT_FALSE(file.mapping.write_back(true).is_error());
    uint64_t new_block = file.map.table.at(3);
    EXPECT_GE(new_block, 1000u);
    EXPECT_EQ(std::memcmp(file.disk.at(50, KIB), data.data(), 2 * KIB), 0);
    EXPECT_EQ(std::memcmp(file.disk.at(80, KIB), data.data() + 2 * KIB, KIB), 0);
    EXPECT_EQ(std::memcmp(file.disk.at(new_block, KIB), data.data() + 3 * KIB, KIB), 0);
    EXPECT_EQ(std::memcmp(file.disk.at(200, KIB), data.data() + 4 * KIB, 4 * KIB), 0);
}

TEST(PageCache, AReadErrorIsReportedAndNothingIsCachedAsValid) {
    File file;
    file.place(0, 4, 100);
    file.size = 4 * PAGE;
    file.disk.device.fail_sector(first_sector(101, PAGE));
    std::vector<uint8_t> bytes(PAGE);
    Result<size_t> failed = file.mapping.read(PAGE, bytes.data(), PAGE, file.size);
    ASSERT_TRUE(failed.is_error());
    EXPECT_EQ(failed.error(), EIO);
    file.disk.device.clear_failures();
    std::vector<uint8_t> again = file.read(PAGE, PAGE);
    EXPECT_TRUE(equals_disk(again, 0, 101 * PAGE, PAGE));
}

// ------------------------------------------------------------------ writes

TEST(PageCache, PartialWritesKeepTheOtherBytesAndLandAfterWriteBack) {
    File file;
    file.place(0, 3, 100);
    file.size = 3 * PAGE;
    std::vector<uint8_t> data = pattern(300, 9);
    ASSERT_EQ(file.write(PAGE + 1000, data), 300u);
    EXPECT_TRUE(file.disk.writes().empty());  // only dirty so far
    EXPECT_EQ(file.cache.statistics().dirty, 1u);
    // Read back from the cache: the new bytes between the old ones.
    std::vector<uint8_t> page = file.read(PAGE, PAGE);
    EXPECT_TRUE(equals_disk(page, 0, 101 * PAGE, 1000));
    EXPECT_EQ(std::memcmp(page.data() + 1000, data.data(), 300), 0);
    EXPECT_TRUE(equals_disk(page, 1300, 101 * PAGE + 1300, PAGE - 1300));

    ASSERT_FALSE(file.mapping.write_back(true).is_error());
    std::vector<Started> writes = file.disk.writes();
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes[0].sector, first_sector(101, PAGE));
    EXPECT_EQ(writes[0].sector_count, PAGE / SECTOR_SIZE);
    const uint8_t* on_disk = file.disk.at(101, PAGE);
    EXPECT_EQ(std::memcmp(on_disk + 1000, data.data(), 300), 0);
    EXPECT_EQ(on_disk[999], byte_at(101 * PAGE + 999));
    EXPECT_EQ(on_disk[1300], byte_at(101 * PAGE + 1300));
    EXPECT_EQ(file.cache.statistics().dirty, 0u);
}

TEST(PageCache, WritingPastTheEndAllocatesBlocksAndLeavesZerosInTheGap) {
    File file;
    file.size = 0;
    std::vector<uint8_t> data = pattern(100, 1);
    ASSERT_EQ(file.write(2 * PAGE + 500, data), 100u);
    EXPECT_EQ(file.map.table.size(), 1u);  // only the block written to
    std::vector<uint8_t> bytes = file.read(0, file.size);
    ASSERT_EQ(bytes.size(), 2 * PAGE + 600);
    for (size_t i = 0; i < 2 * PAGE + 500; ++i) ASSERT_EQ(bytes[i], 0) << i;
    EXPECT_EQ(std::memcmp(bytes.data() + 2 * PAGE + 500, data.data(), 100), 0);
    ASSERT_FALSE(file.mapping.write_back(true).is_error());
    ASSERT_EQ(file.disk.writes().size(), 1u);  // holes are never written
}

TEST(PageCache, WriteBackOf256AdjacentPagesBecomesFewMaximalRequests) {
    File file(4 * KIB, 4096);  // 256 dirty pages stay below the hard limit
    std::vector<uint8_t> data = pattern(256 * PAGE, 3);
    ASSERT_EQ(file.write(0, data), data.size());
    EXPECT_EQ(file.cache.statistics().dirty, 256u);
    ASSERT_FALSE(file.mapping.write_back(true).is_error());
    // 1 MiB in requests of at most 128 KiB (256 sectors, 32 segments).
    PageCacheStatistics statistics = file.cache.statistics();
    EXPECT_EQ(statistics.write_requests, 8u);
    EXPECT_EQ(statistics.pages_written, 256u);
    std::vector<Started> writes = file.disk.writes();
    ASSERT_LE(writes.size(), 8u);
    uint64_t sectors = 0;
    for (const Started& write : writes) {
        EXPECT_LE(write.sector_count, 256u);
        sectors += write.sector_count;
    }
    EXPECT_EQ(sectors, 256u * PAGE / SECTOR_SIZE);
    EXPECT_EQ(std::memcmp(file.disk.at(1000, PAGE), data.data(), data.size()), 0);
    EXPECT_EQ(statistics.dirty, 0u);
}

TEST(PageCache, ShortWriteWhenTheDiskFillsAndENOSPCWhenNothingFits) {
    File file;
    file.map.allocations_left = 2;
    std::vector<uint8_t> data = pattern(4 * PAGE, 7);
    Result<size_t> written = file.mapping.write(0, data.data(), data.size(), 0);
    ASSERT_FALSE(written.is_error());
    EXPECT_EQ(written.value(), 2u * PAGE);
    Result<size_t> none = file.mapping.write(2 * PAGE, data.data(), PAGE, 2 * PAGE);
    ASSERT_TRUE(none.is_error());
    EXPECT_EQ(none.error(), ENOSPC);
}

TEST(PageCache, AWholePageWriteThatRunsOutOfSpaceKeepsTheRestOfThePage) {
    File file(1 * KIB);
    file.map.table = {{0, 60}, {3, 63}};  // blocks 1 and 2 are holes
    file.size = PAGE;
    file.map.allocations_left = 1;  // block 1 gets one, block 2 does not
    std::vector<uint8_t> data = pattern(PAGE, 11);
    Result<size_t> written = file.mapping.write(0, data.data(), PAGE, file.size);
    ASSERT_FALSE(written.is_error());
    ASSERT_EQ(written.value(), 2 * KIB);
    std::vector<uint8_t> bytes = file.read(0, PAGE);
    ASSERT_EQ(bytes.size(), PAGE);
    EXPECT_EQ(std::memcmp(bytes.data(), data.data(), 2 * KIB), 0);
    for (size_t i = 2 * KIB; i < 3 * KIB; ++i) ASSERT_EQ(bytes[i], 0) << i;  // still a hole
    EXPECT_TRUE(equals_disk(bytes, 3 * KIB, 63 * KIB, KIB));                 // the file's bytes, not zeros
    ASSERT_FALSE(file.mapping.write_back(true).is_error());
    EXPECT_EQ(std::memcmp(file.disk.at(file.map.table.at(1), KIB), data.data() + KIB, KIB), 0);
}

TEST(PageCache, WriteErrorsComeBackFromWriteBackOnce) {
    File file;
    file.place(0, 2, 100);
    file.size = 2 * PAGE;
    ASSERT_EQ(file.write(0, pattern(2 * PAGE, 4)), 2 * PAGE);
    file.disk.device.fail_sector(first_sector(101, PAGE));
    Result<void> synced = file.mapping.write_back(true);
    ASSERT_TRUE(synced.is_error());
    EXPECT_EQ(synced.error(), EIO);
    EXPECT_FALSE(file.mapping.write_back(true).is_error());  // reported once
    EXPECT_GE(file.cache.statistics().write_errors, 1u);
}

// ------------------------------------------------------------------ read-ahead

TEST(PageCache, SequentialReadsGrowTheWindowAndARandomReadResetsIt) {
    File file;
    file.place(0, 1024, 100);
    file.size = 1024 * PAGE;
    std::vector<uint64_t> windows;
    for (uint64_t page = 0; page < 300; ++page) {
        std::vector<uint8_t> bytes = file.read(page * PAGE, PAGE);
        ASSERT_TRUE(equals_disk(bytes, 0, (100 + page) * PAGE, PAGE)) << page;
        if (windows.empty() || windows.back() != file.mapping.readahead_window())
            windows.push_back(file.mapping.readahead_window());
    }
    EXPECT_EQ(windows, (std::vector<uint64_t>{4, 8, 16, 32, 64}));
    PageCacheStatistics statistics = file.cache.statistics();
    EXPECT_EQ(statistics.misses, 1u);  // only the very first page was waited for
    EXPECT_GE(statistics.readahead_pages, 299u);
    // 300 pages in requests of up to 128 KiB: a handful, not hundreds.
    std::vector<Started> reads = file.disk.reads();
    EXPECT_LE(reads.size(), 16u);
    uint32_t largest = 0;
    for (const Started& read : reads) largest = std::max(largest, read.sector_count);
    EXPECT_EQ(largest, 256u);

    // A jump elsewhere is random: no window; reading on from there starts anew.
    file.read(900 * PAGE + 10, 100);
    EXPECT_EQ(file.mapping.readahead_window(), 0u);
    file.read(901 * PAGE, PAGE);
    EXPECT_EQ(file.mapping.readahead_window(), 4u);
}

// Like ext2 reading an indirect block: the mapper itself reads through the
// same device queue, so no plug of that queue may be held while it runs
// (a plugged request is never dispatched, and the lookup would wait forever).
TEST(PageCache, ABlockMapperThatReadsTheSameDiskDoesNotDeadlockReadAhead) {
    struct ReadingMap final : public BlockMapper {
        BlockDevice& device;
        FakeBlockMap table;
        int lookups = 0;
        explicit ReadingMap(BlockDevice& device_) : device(device_) {}
        Result<uint64_t> map_block(uint64_t file_block, bool allocate) override {
            uint8_t indirect[SECTOR_SIZE];
            TRY(device.read(SECTOR_SIZE * (file_block % 8), indirect, sizeof indirect));
            ++lookups;
            return table.map_block(file_block, allocate);
        }
    };
    Disk disk;
    PageCache cache(256);
    ReadingMap map(disk.device);
    for (uint64_t block = 0; block < 40; ++block) map.table.table[block] = 100 + block;
    FileMapping mapping(cache, disk.device, PAGE, map);
    std::vector<uint8_t> bytes(PAGE);
    for (uint64_t page = 0; page < 40; ++page) {
        ASSERT_FALSE(mapping.read(page * PAGE, bytes.data(), PAGE, 40 * PAGE).is_error());
        ASSERT_TRUE(equals_disk(bytes, 0, (100 + page) * PAGE, PAGE)) << page;
    }
    EXPECT_EQ(map.lookups, 40);  // each block mapped once
    ASSERT_FALSE(mapping.evict().is_error());
}

TEST(PageCache, ReadAheadIsNotWaitedFor) {
    File file;
    file.place(0, 64, 100);
    file.size = 64 * PAGE;
    file.read(0, PAGE);  // page 0 and the first window, 1..4
    file.disk.device.set_mode(Mode::Hold);
    file.disk.device.clear_started();
    // Page 1 is cached; reading it starts the next window (5..12), which
    // stays held at the "disk" while the read returns.
    std::vector<uint8_t> bytes = file.read(PAGE, PAGE);
    EXPECT_TRUE(equals_disk(bytes, 0, 101 * PAGE, PAGE));
    ASSERT_EQ(file.disk.device.held_count(), 1u);
    EXPECT_EQ(file.disk.reads()[0].sector, first_sector(105, PAGE));
    EXPECT_EQ(file.disk.reads()[0].sector_count, 8u * PAGE / SECTOR_SIZE);
    // A reader of a page still on its way waits for it, then gets it.
    std::thread completer([&file] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        file.disk.device.complete_all();
    });
    std::vector<uint8_t> later = file.read(5 * PAGE, PAGE);  // not sequential: no new window
    completer.join();
    EXPECT_TRUE(equals_disk(later, 0, 105 * PAGE, PAGE));
}

// ------------------------------------------------------------------ truncate

TEST(PageCache, TruncateDropsPagesZeroesTheTailAndNeverWritesTruncatedPages) {
    File file;
    ASSERT_EQ(file.write(0, pattern(3 * PAGE, 2)), 3 * PAGE);
    ASSERT_EQ(file.mapping.page_count(), 3u);
    ASSERT_FALSE(file.mapping.truncate(PAGE + 904).is_error());
    file.size = PAGE + 904;
    EXPECT_EQ(file.mapping.page_count(), 2u);
    ASSERT_FALSE(file.mapping.write_back(true).is_error());
    // Pages 0 and 1 were written; page 2 (block 1002) never was.
    uint64_t written_sectors = 0;
    for (const Started& write : file.disk.writes()) {
        EXPECT_LT(write.sector, first_sector(1002, PAGE));
        written_sectors += write.sector_count;
    }
    EXPECT_EQ(written_sectors, 2u * PAGE / SECTOR_SIZE);
    EXPECT_TRUE(equals_disk(std::vector<uint8_t>(file.disk.at(1002, PAGE), file.disk.at(1002, PAGE) + PAGE), 0,
                            1002 * PAGE, PAGE));
    // The tail of page 1 is zero, in memory and on the disk.
    const uint8_t* tail = file.disk.at(1001, PAGE);
    for (size_t i = 904; i < PAGE; ++i) ASSERT_EQ(tail[i], 0) << i;
    file.size = 2 * PAGE;  // grown again: the old bytes do not come back
    std::vector<uint8_t> bytes = file.read(PAGE, PAGE);
    for (size_t i = 904; i < PAGE; ++i) ASSERT_EQ(bytes[i], 0) << i;
}

TEST(PageCache, TruncateZeroesTheTailOfAPartialBlockThatIsNotCached) {
    File file(1 * KIB);
    file.place(0, 8, 40);
    file.size = 2 * PAGE;
    file.cache.drop_clean_pages();
    ASSERT_FALSE(file.mapping.truncate(PAGE + 1500).is_error());  // inside file block 5
    file.size = PAGE + 1500;
    ASSERT_FALSE(file.mapping.write_back(true).is_error());
    const uint8_t* block = file.disk.at(45, KIB);
    for (size_t i = 0; i < 1500 - KIB; ++i) ASSERT_EQ(block[i], byte_at(45 * KIB + i)) << i;
    for (size_t i = 1500 - KIB; i < KIB; ++i) ASSERT_EQ(block[i], 0) << i;
    // The page's blocks 4 and 5 went out (4 unchanged); 6 and 7 are the
    // file system's to free: never written.
    ASSERT_EQ(file.disk.writes().size(), 1u);
    EXPECT_EQ(file.disk.writes()[0].sector, first_sector(44, KIB));
    EXPECT_EQ(file.disk.writes()[0].sector_count, 2 * KIB / SECTOR_SIZE);
    for (size_t i = 0; i < KIB; ++i) ASSERT_EQ(file.disk.at(44, KIB)[i], byte_at(44 * KIB + i)) << i;
}

// A write-back of the file's pages is held at the disk; truncate(0) in
// another thread must not return (nor free the pages) while it is held,
// and returns once the disk completes it. The write that was in flight
// still lands whole; truncate itself writes nothing.
TEST(PageCache, TruncateWaitsForAWriteInFlight) {
    File file;
    std::vector<uint8_t> data = pattern(2 * PAGE, 6);
    ASSERT_EQ(file.write(0, data), 2 * PAGE);
    file.disk.device.set_mode(Mode::Hold);
    ASSERT_FALSE(file.mapping.write_back(false).is_error());
    ASSERT_TRUE(file.disk.device.wait_for_held(1));
    size_t held = file.disk.device.held_count();
    size_t writes_before = file.disk.writes().size();

    std::atomic<bool> returned{false};
    Result<void> truncated = Error{EINVAL};
    std::thread truncater([&] {
        truncated = file.mapping.truncate(0);
        returned = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    bool returned_while_held = returned;
    EXPECT_FALSE(returned_while_held) << "truncate returned while the write was at the disk";
    EXPECT_EQ(file.disk.device.held_count(), held);  // the write is still there

    EXPECT_EQ(file.disk.device.complete_all(), held);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!returned && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_TRUE(returned) << "truncate did not return after the write completed";
    truncater.join();

    ASSERT_FALSE(truncated.is_error());
    EXPECT_EQ(file.mapping.page_count(), 0u);
    EXPECT_EQ(file.cache.statistics().pages, 0u);
    EXPECT_EQ(file.cache.statistics().dirty, 0u);
    EXPECT_EQ(file.disk.device.held_count(), 0u);
    EXPECT_EQ(file.disk.writes().size(), writes_before);  // truncate wrote nothing
    ASSERT_EQ(file.map.table.size(), 2u);
    EXPECT_EQ(std::memcmp(file.disk.at(file.map.table[0], PAGE), data.data(), PAGE), 0);
    EXPECT_EQ(std::memcmp(file.disk.at(file.map.table[1], PAGE), data.data() + PAGE, PAGE), 0);
}

// ------------------------------------------------------------------ memory and the flusher

TEST(PageCache, EvictionAtCapacityFreesCleanPagesButNeverDirtyOnes) {
    File file(4 * KIB, 16);
    ASSERT_EQ(file.write(0, pattern(3 * PAGE, 8)), 3 * PAGE);  // 3 dirty: within the hard limit
    FakeBlockMap other_map;
    FileMapping other(file.cache, file.disk.device, PAGE, other_map);
    for (uint64_t block = 0; block < 40; ++block) other_map.table[block] = 2000 + block;
    std::vector<uint8_t> bytes(PAGE);
    for (uint64_t page = 0; page < 40; page += 2) {  // not sequential: no read-ahead
        ASSERT_FALSE(other.read(page * PAGE, bytes.data(), PAGE, 40 * PAGE).is_error());
        ASSERT_TRUE(equals_disk(bytes, 0, (2000 + page) * PAGE, PAGE));
    }
    PageCacheStatistics statistics = file.cache.statistics();
    EXPECT_LE(statistics.pages, 16u);
    EXPECT_GT(statistics.evictions, 0u);
    EXPECT_EQ(statistics.dirty, 3u);
    EXPECT_EQ(file.mapping.page_count(), 3u);
    EXPECT_TRUE(file.disk.writes().empty());
    // The other file's pages are all clean: drop_clean_pages frees exactly
    // them (counted before, as the order of a macro's arguments is not
    // specified) and keeps the 3 dirty ones.
    size_t clean = other.page_count();
    EXPECT_EQ(clean, statistics.pages - 3);
    EXPECT_GT(clean, 0u);
    EXPECT_EQ(file.cache.drop_clean_pages(), clean);
    EXPECT_EQ(other.page_count(), 0u);
    EXPECT_EQ(file.mapping.page_count(), 3u);
    EXPECT_EQ(file.cache.statistics().pages, 3u);
    ASSERT_FALSE(other.evict().is_error());
}

TEST(PageCache, WhenPagesCannotBeAllocatedCleanOnesAreGivenBackAndThenENOMEM) {
    File file(4 * KIB, 64);
    file.place(0, 32, 100);
    file.size = 32 * PAGE;
    for (uint64_t page = 1; page < 10; page += 2) file.read(page * PAGE, PAGE);  // 5 clean pages
    ASSERT_EQ(file.write(31 * PAGE, pattern(PAGE, 3)), PAGE);                  // 1 dirty page
    ASSERT_EQ(file.cache.statistics().pages, 6u);
    // Every allocation fails: each clean page is given back in the hope of
    // memory, then the read fails; the dirty page stays.
    host_platform::fail_allocations_after(0);
    std::vector<uint8_t> bytes(PAGE);
    Result<size_t> failed = file.mapping.read(20 * PAGE, bytes.data(), PAGE, file.size);
    host_platform::reset_allocation_failures();
    ASSERT_TRUE(failed.is_error());
    EXPECT_EQ(failed.error(), ENOMEM);
    PageCacheStatistics statistics = file.cache.statistics();
    EXPECT_EQ(statistics.pages, 1u);  // every clean page given back, the dirty one kept
    EXPECT_EQ(statistics.dirty, 1u);
    EXPECT_TRUE(file.disk.writes().empty());
    // With memory again, the same read works.
    std::vector<uint8_t> again = file.read(20 * PAGE, PAGE);
    EXPECT_TRUE(equals_disk(again, 0, 120 * PAGE, PAGE));
}

uint64_t fake_now_ms = 0;
uint64_t fake_clock() { return fake_now_ms; }

TEST(PageCache, FlushOnceWritesOldPagesAndLeavesYoungOnes) {
    File file;
    file.cache.set_clock(fake_clock);
    fake_now_ms = 10000;
    ASSERT_EQ(file.write(0, pattern(PAGE, 1)), PAGE);
    fake_now_ms = 13000;
    ASSERT_EQ(file.write(5 * PAGE, pattern(PAGE, 2)), PAGE);
    EXPECT_EQ(file.cache.flush_once(14000), 0u);  // nothing is 5 s old yet
    EXPECT_EQ(file.cache.flush_once(15500), 1u);  // page 0 is
    EXPECT_EQ(file.cache.statistics().dirty, 1u);
    ASSERT_EQ(file.disk.writes().size(), 1u);
    EXPECT_EQ(file.disk.writes()[0].sector, first_sector(file.map.table.at(0), PAGE));
    EXPECT_EQ(file.cache.flush_once(18000), 1u);
    EXPECT_EQ(file.cache.statistics().dirty, 0u);
}

TEST(PageCache, FlushOnceWritesDownToTheBackgroundThreshold) {
    File file(4 * KIB, 100);  // background 10 pages, hard 20
    file.cache.set_clock(fake_clock);
    fake_now_ms = 50000;
    ASSERT_EQ(file.write(0, pattern(15 * PAGE, 1)), 15 * PAGE);
    EXPECT_EQ(file.cache.statistics().dirty, 15u);
    EXPECT_GT(file.cache.flush_once(50001), 0u);  // young, but too many
    EXPECT_LE(file.cache.statistics().dirty, 10u);
}

TEST(PageCache, PassingTheBackgroundThresholdWakesTheFlusher) {
    File file(4 * KIB, 100);  // background 10 pages
    std::atomic<bool> woken{false};
    auto started = std::chrono::steady_clock::now();
    std::thread flusher([&] {
        file.cache.wait_for_flusher_work(20000);
        woken = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_EQ(file.write(0, pattern(5 * PAGE, 1)), 5 * PAGE);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(woken);  // 5 dirty pages: below the threshold
    ASSERT_EQ(file.write(5 * PAGE, pattern(7 * PAGE, 2)), 7 * PAGE);
    flusher.join();
    EXPECT_TRUE(woken);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(PageCache, TheHardDirtyLimitMakesTheWriterWriteBack) {
    File file(4 * KIB, 100);  // hard limit: 20 dirty pages
    std::vector<uint8_t> data = pattern(PAGE, 4);
    size_t most_dirty = 0;
    for (uint64_t page = 0; page < 60; ++page) {
        ASSERT_EQ(file.write(page * PAGE, data), PAGE);
        most_dirty = std::max(most_dirty, file.cache.statistics().dirty);
    }
    EXPECT_LE(most_dirty, 21u);
    EXPECT_FALSE(file.disk.writes().empty());  // written without any write_back call
    EXPECT_GT(file.cache.statistics().throttled_writes, 0u);
    ASSERT_FALSE(file.mapping.write_back(true).is_error());
    for (uint64_t page = 0; page < 60; ++page)
        ASSERT_EQ(std::memcmp(file.disk.at(file.map.table.at(page), PAGE), data.data(), PAGE), 0) << page;
}

TEST(PageCache, SyncAllWritesEveryMappingAndEvictEmptiesOne) {
    File file;
    FakeBlockMap other_map(3000);
    FileMapping other(file.cache, file.disk.device, PAGE, other_map);
    ASSERT_EQ(file.write(0, pattern(2 * PAGE, 1)), 2 * PAGE);
    ASSERT_FALSE(other.write(0, pattern(PAGE, 2).data(), PAGE, 0).is_error());
    EXPECT_EQ(file.cache.statistics().dirty, 3u);
    ASSERT_FALSE(file.cache.sync_all().is_error());
    EXPECT_EQ(file.cache.statistics().dirty, 0u);
    EXPECT_EQ(file.cache.statistics().pages_written, 3u);
    ASSERT_FALSE(other.evict().is_error());
    EXPECT_EQ(other.page_count(), 0u);
}

// syncfs and unmount: only the files on that disk are written.
TEST(PageCache, SyncOfOneDeviceWritesOnlyItsFiles) {
    File file;
    Disk second;
    second.device.set_mode(Mode::CompleteImmediately);
    FakeBlockMap other_map(3000);
    FileMapping other(file.cache, second.device, PAGE, other_map);
    ASSERT_EQ(file.write(0, pattern(2 * PAGE, 1)), 2 * PAGE);
    ASSERT_FALSE(other.write(0, pattern(PAGE, 2).data(), PAGE, 0).is_error());
    ASSERT_FALSE(file.cache.sync_all(&second.device).is_error());
    EXPECT_EQ(second.writes().size(), 1u);
    EXPECT_TRUE(file.disk.writes().empty());
    EXPECT_EQ(file.cache.statistics().dirty, 2u);  // the first disk's pages wait
    ASSERT_FALSE(file.cache.sync_all(&file.disk.device).is_error());
    EXPECT_EQ(file.cache.statistics().dirty, 0u);
    other.discard();
}

TEST(PageCache, DiscardDropsDirtyPagesWithoutWriting) {
    File file;
    ASSERT_EQ(file.write(0, pattern(4 * PAGE, 1)), 4 * PAGE);
    file.mapping.discard();
    EXPECT_EQ(file.mapping.page_count(), 0u);
    EXPECT_EQ(file.cache.statistics().dirty, 0u);
    EXPECT_TRUE(file.disk.writes().empty());
}

// The flusher and an "interrupt handler" run beside files that are
// written, read, evicted and destroyed over and over: the flusher never
// touches a mapping after evict() returned (AddressSanitizer would see it).
TEST(PageCache, TheFlusherAndAsynchronousCompletionsAreSafeAgainstEviction) {
    Disk disk;
    disk.device.set_mode(Mode::Hold);
    PageCache cache(64);  // background 6, hard 12 dirty pages
    std::atomic<bool> done{false};
    std::thread interrupts([&] {
        while (!done) {
            disk.device.complete_all();
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    });
    std::thread flusher([&] {
        while (!done) cache.flush_once(platform::now_ms() + PageCache::DIRTY_EXPIRE_MS);
    });
    for (int round = 0; round < 40; ++round) {
        FakeBlockMap map(100 + 64 * uint64_t(round));
        auto* mapping = new FileMapping(cache, disk.device, PAGE, map);
        std::vector<uint8_t> data = pattern(16 * PAGE, uint8_t(round));
        Result<size_t> written = mapping->write(0, data.data(), data.size(), 0);
        ASSERT_FALSE(written.is_error());
        ASSERT_EQ(written.value(), data.size());
        std::vector<uint8_t> back(data.size());
        ASSERT_FALSE(mapping->read(0, back.data(), back.size(), data.size()).is_error());
        ASSERT_EQ(back, data) << round;
        if (round % 2 == 0) {
            ASSERT_FALSE(mapping->evict().is_error());
            ASSERT_EQ(std::memcmp(disk.at(100 + 64 * uint64_t(round), PAGE), data.data(), data.size()), 0);
        } else {
            mapping->discard();
        }
        delete mapping;
    }
    done = true;
    flusher.join();
    interrupts.join();
    PageCacheStatistics statistics = cache.statistics();
    EXPECT_EQ(statistics.pages, 0u);
    EXPECT_EQ(statistics.dirty, 0u);
    EXPECT_EQ(statistics.writeback, 0u);
}

}  // namespace
