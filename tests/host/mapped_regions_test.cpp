// tests/host/mapped_regions_test.cpp -- the region list of an address space
// (kernel/proc/mapped_regions.h): sorted, never overlapping, split at any
// page, merged where Linux's vma_merge would merge, copied whole by fork.
#include "kernel/proc/mapped_regions.h"

#include <gtest/gtest.h>

#include <string>

namespace {

constexpr uint32_t PAGE = 4096;

MappedRegion region(uint32_t start_page, uint32_t end_page, uint32_t protection = PROTECTION_READ | PROTECTION_WRITE,
                    bool shared = false) {
    MappedRegion r;
    r.start = start_page * PAGE;
    r.end = end_page * PAGE;
    r.protection = protection;
    r.shared = shared;
    return r;
}

// "start-end:protection" in pages, for every region in order.
std::string layout(const MappedRegions& regions) {
    std::string text;
    for (const MappedRegion* r = regions.first(); r; r = r->next) {
        if (!text.empty()) text += " ";
        text += std::to_string(r->start / PAGE) + "-" + std::to_string(r->end / PAGE) + ":" +
                std::to_string(r->protection) + (r->shared ? "s" : "");
    }
    return text;
}

TEST(MappedRegions, InsertKeepsOrderAndMergesPrivateAnonymousNeighbours) {
    MappedRegions regions;
    ASSERT_FALSE(regions.insert(region(10, 12)).is_error());
    ASSERT_FALSE(regions.insert(region(2, 4)).is_error());
    ASSERT_FALSE(regions.insert(region(4, 6)).is_error());         // merges with 2-4
    ASSERT_FALSE(regions.insert(region(6, 8, PROTECTION_READ)).is_error());  // another protection: not merged
    ASSERT_FALSE(regions.insert(region(12, 13, 3, true)).is_error());        // shared: never merged
    EXPECT_EQ(layout(regions), "2-6:3 6-8:1 10-12:3 12-13:3s");
}

TEST(MappedRegions, FindCoversAndIsFree) {
    MappedRegions regions;
    ASSERT_FALSE(regions.insert(region(2, 4)).is_error());
    ASSERT_FALSE(regions.insert(region(6, 8, PROTECTION_READ)).is_error());
    EXPECT_EQ(regions.find(1 * PAGE), nullptr);
    EXPECT_EQ(regions.find(3 * PAGE + 5)->start, 2 * PAGE);
    EXPECT_EQ(regions.find(4 * PAGE), nullptr);  // end is exclusive
    EXPECT_TRUE(regions.covers(2 * PAGE, 4 * PAGE));
    EXPECT_FALSE(regions.covers(2 * PAGE, 7 * PAGE));  // the hole 4-6
    EXPECT_TRUE(regions.is_free(4 * PAGE, 6 * PAGE));
    EXPECT_FALSE(regions.is_free(4 * PAGE, 7 * PAGE));
}

TEST(MappedRegions, SplitAndRemoveTakeOutExactlyTheRange) {
    MappedRegions regions;
    MappedRegion file_like = region(0, 8, PROTECTION_READ, true);
    file_like.file_offset = 0x10000;
    ASSERT_FALSE(regions.insert(file_like).is_error());
    ASSERT_FALSE(regions.split_at(2 * PAGE).is_error());
    ASSERT_FALSE(regions.split_at(5 * PAGE).is_error());
    ASSERT_FALSE(regions.split_at(5 * PAGE).is_error());  // already a boundary: nothing to do
    EXPECT_EQ(layout(regions), "0-2:1s 2-5:1s 5-8:1s");
    EXPECT_EQ(regions.find(5 * PAGE)->file_offset, 0x10000u + 5 * PAGE);  // offsets follow the split
    MappedRegion* removed = regions.remove(2 * PAGE, 5 * PAGE);
    ASSERT_NE(removed, nullptr);
    EXPECT_EQ(removed->start, 2 * PAGE);
    EXPECT_EQ(removed->next, nullptr);
    MappedRegions::free_list(removed);
    EXPECT_EQ(layout(regions), "0-2:1s 5-8:1s");
}

TEST(MappedRegions, ProtectionChangedBackMergesAgain) {
    MappedRegions regions;
    ASSERT_FALSE(regions.insert(region(0, 6)).is_error());
    ASSERT_FALSE(regions.split_at(2 * PAGE).is_error());
    ASSERT_FALSE(regions.split_at(4 * PAGE).is_error());
    regions.find(2 * PAGE)->protection = PROTECTION_READ;
    regions.merge_neighbours();
    EXPECT_EQ(layout(regions), "0-2:3 2-4:1 4-6:3");
    regions.find(2 * PAGE)->protection = 3;
    regions.merge_neighbours();
    EXPECT_EQ(layout(regions), "0-6:3");
}

TEST(MappedRegions, FindFreeAreaTakesTheLowestGapThatFits) {
    MappedRegions regions;
    ASSERT_FALSE(regions.insert(region(2, 4)).is_error());
    ASSERT_FALSE(regions.insert(region(5, 8, PROTECTION_READ)).is_error());
    EXPECT_EQ(regions.find_free_area(1 * PAGE, 2 * PAGE, 100 * PAGE), 4 * PAGE);
    EXPECT_EQ(regions.find_free_area(2 * PAGE, 2 * PAGE, 100 * PAGE), 8 * PAGE);
    EXPECT_EQ(regions.find_free_area(2 * PAGE, 0, 100 * PAGE), 0u);  // 0..2: at 0, which is "none"
    EXPECT_EQ(regions.find_free_area(2 * PAGE, 1 * PAGE, 9 * PAGE), 0u);  // nothing fits below 9
    EXPECT_EQ(regions.find_free_area(1 * PAGE, 1 * PAGE, 9 * PAGE), 1 * PAGE);
}

TEST(MappedRegions, CopyFromIsAWholeIndependentCopy) {
    MappedRegions regions, copy;
    ASSERT_FALSE(regions.insert(region(0, 2)).is_error());
    ASSERT_FALSE(regions.insert(region(3, 4, 1, true)).is_error());
    ASSERT_FALSE(copy.copy_from(regions).is_error());
    EXPECT_EQ(layout(copy), layout(regions));
    MappedRegions::free_list(regions.remove(0, 2 * PAGE));
    EXPECT_EQ(layout(copy), "0-2:3 3-4:1s");
}

}  // namespace
