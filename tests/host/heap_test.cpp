/*
 * tests/host/heap_test.cpp — host unit tests for the kernel heap (kernel/mm/heap.cpp).
 *
 * The heap runs on a TestPageSource that hands out real, 4096-aligned host memory
 * and can be capped to simulate running out of pages. Corruption reports are
 * caught with a CorruptionRecorder instead of trapping.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "kernel/mm/heap.h"

namespace {

constexpr size_t kPage = PageSource::kPageSize;

class TestPageSource : public PageSource {
public:
    explicit TestPageSource(size_t page_limit = SIZE_MAX) : m_page_limit(page_limit) {}

    ~TestPageSource()
    {
        for (auto& [pages, count] : m_runs)
            std::free(pages);
    }

    void* allocate_pages(size_t count) override
    {
        ++allocate_calls;
        if (count > m_page_limit - pages_outstanding)
            return nullptr;
        void* pages = std::aligned_alloc(kPage, count * kPage);
        if (pages == nullptr)
            return nullptr;
        m_runs[pages] = count;
        pages_outstanding += count;
        return pages;
    }

    void free_pages(void* pages, size_t count) override
    {
        auto run = m_runs.find(pages);
        ASSERT_NE(run, m_runs.end()) << "free_pages of a run never handed out";
        EXPECT_EQ(run->second, count) << "free_pages with a different page count";
        pages_outstanding -= run->second;
        m_runs.erase(run);
        std::free(pages);
    }

    size_t allocate_calls = 0;
    size_t pages_outstanding = 0;

private:
    size_t m_page_limit;
    std::map<void*, size_t> m_runs;
};

// Installs a handler that records reports; restores the previous one when done.
class CorruptionRecorder {
public:
    struct Report {
        std::string what;
        void* where;
    };

    CorruptionRecorder() : m_previous(heap_corruption_handler)
    {
        reports().clear();
        heap_corruption_handler = [](const char* what, void* where) {
            reports().push_back(Report{what, where});
        };
    }
    ~CorruptionRecorder() { heap_corruption_handler = m_previous; }

    static std::vector<Report>& reports()
    {
        static std::vector<Report> recorded;
        return recorded;
    }

private:
    HeapCorruptionHandler m_previous;
};

bool is_aligned(void* pointer, size_t alignment)
{
    return reinterpret_cast<uintptr_t>(pointer) % alignment == 0;
}

TEST(Heap, ReturnsPointersAlignedForEveryPowerOfTwoAlignment)
{
    TestPageSource pages;
    Heap heap(pages);
    std::vector<void*> blocks;
    for (size_t alignment = 1; alignment <= 4096; alignment *= 2) {
        for (size_t size : {0, 1, 7, 16, 100, 4000, 9000}) {
            void* block = heap.allocate(size, alignment);
            ASSERT_NE(block, nullptr) << size << " aligned to " << alignment;
            EXPECT_TRUE(is_aligned(block, alignment)) << size << " aligned to " << alignment;
            EXPECT_GE(heap.usable_size(block), size);
            memset(block, 0xCD, heap.usable_size(block));
            blocks.push_back(block);
        }
        ASSERT_TRUE(heap.check_consistency()) << "alignment " << alignment;
    }
    for (void* block : blocks)
        heap.free(block);
    EXPECT_TRUE(heap.check_consistency());
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
}

TEST(Heap, DefaultAlignmentIsSixteen)
{
    TestPageSource pages;
    Heap heap(pages);
    for (size_t size = 1; size < 200; size += 3)
        EXPECT_TRUE(is_aligned(heap.allocate(size), 16));
}

TEST(Heap, RejectsAlignmentsThatAreNotPowersOfTwoOrTooLarge)
{
    TestPageSource pages;
    Heap heap(pages);
    for (size_t alignment : {0, 3, 24, 100, 8192, 1 << 20})
        EXPECT_EQ(heap.allocate(32, alignment), nullptr) << alignment;
    EXPECT_EQ(heap.stats().failed, 6u);
    EXPECT_EQ(heap.stats().allocations, 0u);
}

TEST(Heap, ZeroSizeAllocationsAreUniqueAndNonNull)
{
    TestPageSource pages;
    Heap heap(pages);
    void* first = heap.allocate(0);
    void* second = heap.allocate(0);
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    EXPECT_NE(first, second);
    heap.free(first);
    heap.free(second);
    EXPECT_TRUE(heap.check_consistency());
}

TEST(Heap, FreeOfNullIsIgnored)
{
    TestPageSource pages;
    Heap heap(pages);
    heap.free(nullptr);
    EXPECT_EQ(heap.stats().frees, 0u);
}

// One live allocation in the random test: its range and the byte it was filled with.
struct LiveBlock {
    unsigned char* start;
    size_t size;
    unsigned char fill;
};

size_t random_size(std::mt19937& random)
{
    unsigned kind = random() % 100;
    if (kind < 70)
        return random() % 128;
    if (kind < 97)
        return 128 + random() % 4000;
    return 16 * 1024 + random() % (100 * 1024); // sometimes bigger than an arena
}

size_t random_alignment(std::mt19937& random)
{
    return random() % 8 == 0 ? size_t{1} << (random() % 13) : Heap::kDefaultAlignment;
}

// A new block must not overlap its neighbours in address order.
void expect_no_overlap(const std::map<uintptr_t, size_t>& live_ranges, uintptr_t start, size_t size)
{
    auto next = live_ranges.lower_bound(start);
    if (next != live_ranges.end()) {
        ASSERT_GE(next->first, start + size) << "overlaps the following block";
    }
    if (next != live_ranges.begin()) {
        auto previous = std::prev(next);
        ASSERT_LE(previous->first + previous->second, start) << "overlaps the preceding block";
    }
}

void verify_and_free(Heap& heap, const LiveBlock& block)
{
    for (size_t i = 0; i < block.size; ++i)
        ASSERT_EQ(block.start[i], block.fill) << "byte " << i << " of a live block changed";
    heap.free(block.start);
}

TEST(Heap, RandomAllocFreeNeverOverlapsAndKeepsContents)
{
    TestPageSource pages;
    Heap heap(pages);
    std::mt19937 random(20240607);
    std::vector<LiveBlock> live;
    std::map<uintptr_t, size_t> live_ranges;

    for (int operation = 0; operation < 100000; ++operation) {
        bool allocate = live.empty() || (live.size() < 1500 && random() % 100 < 55);
        if (allocate) {
            size_t size = random_size(random);
            auto* start = static_cast<unsigned char*>(heap.allocate(size, random_alignment(random)));
            ASSERT_NE(start, nullptr);
            size_t usable = heap.usable_size(start);
            ASSERT_GE(usable, size);
            expect_no_overlap(live_ranges, reinterpret_cast<uintptr_t>(start), usable);
            auto fill = static_cast<unsigned char>(random());
            memset(start, fill, size);
            live.push_back(LiveBlock{start, size, fill});
            live_ranges[reinterpret_cast<uintptr_t>(start)] = usable;
        } else {
            size_t victim = random() % live.size();
            verify_and_free(heap, live[victim]);
            live_ranges.erase(reinterpret_cast<uintptr_t>(live[victim].start));
            live[victim] = live.back();
            live.pop_back();
        }
        if (operation % 100 == 0) {
            ASSERT_TRUE(heap.check_consistency()) << "after operation " << operation;
        }
    }

    for (const LiveBlock& block : live)
        verify_and_free(heap, block);
    ASSERT_TRUE(heap.check_consistency());
    Heap::Stats stats = heap.stats();
    EXPECT_EQ(stats.bytes_in_use, 0u);
    EXPECT_LE(stats.arenas, 1u);
    EXPECT_EQ(stats.failed, 0u);
    EXPECT_EQ(stats.allocations, stats.frees);
}

TEST(Heap, FreeingEverythingCoalescesAndReturnsSurplusArenas)
{
    TestPageSource pages;
    Heap heap(pages);
    std::vector<void*> blocks;
    std::mt19937 random(5);
    for (int i = 0; i < 3000; ++i)
        blocks.push_back(heap.allocate(16 + random() % 2000));
    ASSERT_GT(heap.stats().arenas, 3u);
    std::shuffle(blocks.begin(), blocks.end(), random);
    for (void* block : blocks)
        heap.free(block);

    ASSERT_TRUE(heap.check_consistency());
    Heap::Stats after_free = heap.stats();
    EXPECT_EQ(after_free.bytes_in_use, 0u);
    EXPECT_EQ(after_free.arenas, 1u); // the spare
    EXPECT_EQ(pages.pages_outstanding * kPage, after_free.bytes_from_pages);

    // Only the whole, coalesced arena can hold this; the heap must not grow for it.
    size_t calls_before = pages.allocate_calls;
    void* large = heap.allocate(after_free.bytes_free - 64);
    ASSERT_NE(large, nullptr);
    EXPECT_EQ(pages.allocate_calls, calls_before);
    EXPECT_EQ(heap.stats().arenas, 1u);
    EXPECT_EQ(heap.stats().bytes_from_pages, after_free.bytes_from_pages);
    heap.free(large);
    EXPECT_TRUE(heap.check_consistency());
}

TEST(Heap, FreedNeighboursMergeInBothDirections)
{
    TestPageSource pages;
    Heap heap(pages);
    void* first = heap.allocate(100);
    void* second = heap.allocate(100);
    void* third = heap.allocate(100);
    void* guard = heap.allocate(100); // keeps the merged block from reaching the tail
    heap.free(first);
    heap.free(third);
    heap.free(second); // merges with the free block before and the one after
    ASSERT_TRUE(heap.check_consistency());

    size_t span = static_cast<char*>(guard) - static_cast<char*>(first);
    void* merged = heap.allocate(span - 64); // fits only in the merged space (or the tail)
    EXPECT_EQ(merged, first);
    heap.free(merged);
    heap.free(guard);
    EXPECT_TRUE(heap.check_consistency());
}

TEST(Heap, FragmentedHolesAreReusedAndLargerBlocksStillFit)
{
    TestPageSource pages;
    Heap heap(pages);
    std::vector<void*> blocks;
    for (int i = 0; i < 1000; ++i)
        blocks.push_back(heap.allocate(64));
    for (size_t i = 0; i < blocks.size(); i += 2) {
        heap.free(blocks[i]);
        blocks[i] = nullptr;
    }
    ASSERT_TRUE(heap.check_consistency());

    // Same-sized requests fill the holes exactly: no new pages are needed.
    Heap::Stats fragmented = heap.stats();
    for (size_t i = 0; i < blocks.size(); i += 2)
        blocks[i] = heap.allocate(64);
    EXPECT_EQ(heap.stats().bytes_from_pages, fragmented.bytes_from_pages);
    ASSERT_TRUE(heap.check_consistency());

    // Free every other block again; the holes are now too small for 256 bytes.
    for (size_t i = 1; i < blocks.size(); i += 2) {
        heap.free(blocks[i]);
        blocks[i] = nullptr;
    }
    std::vector<void*> larger;
    for (int i = 0; i < 300; ++i) {
        void* block = heap.allocate(256);
        ASSERT_NE(block, nullptr);
        memset(block, 0x5A, 256);
        larger.push_back(block);
    }
    ASSERT_TRUE(heap.check_consistency());
    for (void* block : blocks)
        heap.free(block);
    for (void* block : larger)
        heap.free(block);
    ASSERT_TRUE(heap.check_consistency());
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_LE(heap.stats().arenas, 1u);
}

TEST(Heap, ExhaustionReturnsNullAndTheHeapKeepsWorking)
{
    TestPageSource pages(64); // 256 KiB in total
    Heap heap(pages);
    std::vector<void*> blocks;
    for (;;) {
        void* block = heap.allocate(1000);
        if (block == nullptr)
            break;
        blocks.push_back(block);
        ASSERT_LT(blocks.size(), 100000u);
    }
    EXPECT_GT(blocks.size(), 100u);
    EXPECT_EQ(heap.stats().failed, 1u);
    ASSERT_TRUE(heap.check_consistency());

    EXPECT_EQ(heap.allocate(1 << 20), nullptr);     // more than the cap
    EXPECT_EQ(heap.allocate(SIZE_MAX), nullptr);    // more than any address space
    EXPECT_EQ(heap.allocate(SIZE_MAX - 4096, 4096), nullptr);
    EXPECT_EQ(heap.stats().failed, 4u);

    heap.free(blocks.back());
    blocks.pop_back();
    void* again = heap.allocate(1000);
    EXPECT_NE(again, nullptr);
    blocks.push_back(again);
    for (void* block : blocks)
        heap.free(block);
    ASSERT_TRUE(heap.check_consistency());
    EXPECT_NE(heap.allocate(100 * 1024), nullptr); // coalesced space serves big requests
}

TEST(Heap, ArenasThatBecomeEmptyGoBackExceptOneSpare)
{
    TestPageSource pages;
    Heap heap(pages);
    void* big[3];
    for (void*& block : big)
        block = heap.allocate(100 * 1024); // each needs an arena of its own
    EXPECT_EQ(heap.stats().arenas, 3u);
    for (void* block : big)
        heap.free(block);
    EXPECT_EQ(heap.stats().arenas, 1u);
    EXPECT_EQ(pages.pages_outstanding * kPage, heap.stats().bytes_from_pages);
    EXPECT_TRUE(heap.check_consistency());
}

TEST(Heap, StatsCountCallsAndBytes)
{
    TestPageSource pages;
    Heap heap(pages);
    void* a = heap.allocate(10);
    void* b = heap.allocate(20);
    heap.free(a);
    Heap::Stats stats = heap.stats();
    EXPECT_EQ(stats.allocations, 2u);
    EXPECT_EQ(stats.frees, 1u);
    EXPECT_EQ(stats.failed, 0u);
    EXPECT_EQ(stats.arenas, 1u);
    EXPECT_GE(stats.bytes_in_use, heap.usable_size(b));
    EXPECT_GE(stats.bytes_from_pages, Heap::kMinArenaBytes);
    EXPECT_LT(stats.bytes_in_use + stats.bytes_free, stats.bytes_from_pages);
    heap.free(b);
}

TEST(Heap, DoubleFreeIsReportedAndIgnored)
{
    TestPageSource pages;
    Heap heap(pages);
    CorruptionRecorder recorder;
    void* keep = heap.allocate(64); // keeps the arena from becoming empty
    void* block = heap.allocate(64);
    heap.free(block);
    heap.free(block);
    ASSERT_EQ(CorruptionRecorder::reports().size(), 1u);
    EXPECT_NE(CorruptionRecorder::reports()[0].what.find("double free"), std::string::npos);
    EXPECT_EQ(CorruptionRecorder::reports()[0].where, block);
    EXPECT_EQ(heap.stats().frees, 1u);
    EXPECT_TRUE(heap.check_consistency());
    heap.free(keep);
}

TEST(Heap, DoubleFreeOfABlockMergedIntoItsPredecessorIsReported)
{
    TestPageSource pages;
    Heap heap(pages);
    CorruptionRecorder recorder;
    void* first = heap.allocate(64);
    void* second = heap.allocate(64);
    void* keep = heap.allocate(64);
    heap.free(first);
    heap.free(second); // swallowed by the free block at `first`
    heap.free(second);
    ASSERT_EQ(CorruptionRecorder::reports().size(), 1u);
    EXPECT_NE(CorruptionRecorder::reports()[0].what.find("double free"), std::string::npos);
    EXPECT_TRUE(heap.check_consistency());
    heap.free(keep);
}

TEST(Heap, FreeOfAForeignPointerIsReported)
{
    TestPageSource pages;
    Heap heap(pages);
    CorruptionRecorder recorder;
    void* keep = heap.allocate(64);
    int on_the_stack = 0;
    heap.free(&on_the_stack);
    heap.free(static_cast<char*>(keep) + 16); // inside a block, not its start
    EXPECT_EQ(heap.usable_size(&on_the_stack), 0u);
    EXPECT_EQ(CorruptionRecorder::reports().size(), 3u);
    EXPECT_EQ(CorruptionRecorder::reports()[0].where, &on_the_stack);
    EXPECT_TRUE(heap.check_consistency());
    heap.free(keep);
}

TEST(Heap, OverwrittenBlockHeaderIsReported)
{
    TestPageSource pages;
    Heap heap(pages);
    CorruptionRecorder recorder;
    auto* first = static_cast<unsigned char*>(heap.allocate(64));
    void* second = heap.allocate(64);
    memset(first, 0x55, heap.usable_size(first) + 8); // runs into second's header
    EXPECT_FALSE(heap.check_consistency());
    heap.free(second);
    ASSERT_EQ(CorruptionRecorder::reports().size(), 1u);
    EXPECT_NE(CorruptionRecorder::reports()[0].what.find("corrupted"), std::string::npos);
    EXPECT_EQ(CorruptionRecorder::reports()[0].where, second);
}

TEST(HeapDeathTest, DefaultCorruptionHandlerTraps)
{
    TestPageSource pages;
    Heap heap(pages);
    void* keep = heap.allocate(64);
    void* block = heap.allocate(64);
    heap.free(block);
    EXPECT_DEATH(heap.free(block), "");
    heap.free(keep);
}

} // namespace
