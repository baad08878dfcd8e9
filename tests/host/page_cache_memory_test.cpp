// tests/host/page_cache_memory_test.cpp -- the page cache's memory and its
// flusher, over the recording disk: eviction at capacity frees clean pages
// but never dirty ones; pages that cannot be allocated give clean ones back,
// then ENOMEM; flush_once writes old pages down to the background
// threshold and leaves young ones; passing the threshold wakes the flusher;
// the hard dirty limit makes the writer write back; sync of all or of one
// device; discard; the flusher against eviction.
#include "tests/host/support/page_cache_fixture.h"

namespace {

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
