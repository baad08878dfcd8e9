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
// short writes at ENOSPC. (Memory limits and the flusher:
// page_cache_memory_test.cpp.)
// The FakeBlockMap plays the file system: a table from file block to
// device block, new blocks from a counter.
#include "tests/host/support/page_cache_fixture.h"

namespace {

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

}  // namespace
