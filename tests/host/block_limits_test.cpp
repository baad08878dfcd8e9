// tests/host/block_limits_test.cpp -- large requests: counting physical
// pieces and merging up to a driver's real limits, never past them.
//
// What is tested: describe_physical_segments and join_physical_segments
// (adjacent memory is one piece; max_segment_bytes and the 64 KiB boundary
// cut pieces; joining two requests' descriptions never counts fewer pieces
// than their memory needs, and with ATA's limits exactly as many), and the
// queue merging one-page requests into chains of up to 1 MiB under the
// limits virtio-blk and ATA DMA state -- never past max_sectors_per_request,
// max_segments or max_segment_bytes, with every chain's PRD table (the ATA
// driver's real builder) no longer than the pieces the queue counted, and a
// 64 MiB write-back of scattered pages in at most 80 requests, and a
// partition forwarding such chains whole. On the host,
// "physical" addresses are the addresses themselves
// (platform::physical_address_of), so a test chooses adjacency and
// alignment by choosing where its memory lies.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "drivers/ata/prd_table.h"
#include "drivers/block/block_device.h"
#include "drivers/block/partition_device.h"
#include "drivers/block/physical_segments.h"
#include "drivers/block/request_merge.h"
#include "tests/host/support/recording_device.h"

namespace {

constexpr uint32_t PAGE = 4096;
constexpr uint32_t WINDOW = 65536;
constexpr uint64_t DISK_SECTORS = 1 << 20;  // 512 MiB, never touched

// Memory aligned to a 64 KiB window (its size rounded up to whole
// windows, as aligned_alloc wants), freed with the test.
struct AlignedMemory {
    explicit AlignedMemory(size_t size)
        : bytes(static_cast<uint8_t*>(std::aligned_alloc(WINDOW, (size + WINDOW - 1) / WINDOW * WINDOW))) {}
    ~AlignedMemory() { std::free(bytes); }
    uint8_t* bytes;
};

BlockDeviceLimits ata_dma_limits() {
    BlockDeviceLimits limits;
    limits.max_sectors_per_request = 2048;
    limits.max_segments = 256;
    limits.max_segment_bytes = WINDOW;
    limits.segment_boundary = WINDOW;
    return limits;
}

BlockDeviceLimits virtio_limits() {  // QEMU's: seg_max 254, no size_max
    BlockDeviceLimits limits;
    limits.max_sectors_per_request = 2048;
    limits.max_segments = 254;
    limits.max_segment_bytes = WINDOW;
    return limits;
}

uint32_t host_physical(uintptr_t address) { return uint32_t(address); }

// The fewest pieces that can carry `segments` under `limits`,
// worked out independently of the code under test: maximal runs of
// adjacent bytes, cut at every boundary, each part needing
// ceil(length / max_segment_bytes) pieces.
uint32_t fewest_pieces(const std::vector<MemorySegment>& segments, const BlockDeviceLimits& limits) {
    std::vector<std::pair<uint64_t, uint64_t>> runs;  // start, length
    for (const MemorySegment& segment : segments) {
        uint64_t start = uintptr_t(segment.address), length = segment.length;
        if (!runs.empty() && runs.back().first + runs.back().second == start) runs.back().second += length;
        else runs.push_back({start, length});
    }
    uint32_t pieces = 0;
    for (auto [start, length] : runs) {
        while (length > 0) {
            uint64_t part = length;
            if (limits.segment_boundary)
                part = std::min<uint64_t>(part, limits.segment_boundary - start % limits.segment_boundary);
            pieces += uint32_t((part + limits.max_segment_bytes - 1) / limits.max_segment_bytes);
            start += part;
            length -= part;
        }
    }
    return pieces;
}

std::vector<MemorySegment> segments_of(const Request& leader) {
    std::vector<MemorySegment> segments;
    leader.for_each_segment([&](const MemorySegment& segment) { segments.push_back(segment); });
    return segments;
}

// A disk that checks each chain as a driver would see it and completes it
// at once: its sectors, the pieces the queue counted, the entries of the
// PRD table built for it, and its longest own segment.
class ChainCheckingDevice final : public BlockDevice {
public:
    struct Chain {
        uint64_t sector;
        uint32_t sectors;
        uint32_t requests;
        uint32_t counted_pieces;
        uint32_t prd_entries;
        uint32_t longest_segment;
        uint64_t prd_bytes;
        uint32_t fewest_pieces;
    };

    explicit ChainCheckingDevice(const BlockDeviceLimits& limits)
        : BlockDevice("check", SECTOR_SIZE, DISK_SECTORS, limits, false) {}

    void start_request(Request& leader) override {
        Chain chain{leader.sector, leader.chain_sector_count(), 0, leader.chain_physical_segments().count, 0, 0, 0,
                    fewest_pieces(segments_of(leader), limits())};
        for (const Request* r = &leader; r; r = r->merged_next()) ++chain.requests;
        std::vector<ata::PrdEntry> table(1024);
        ata::PrdTableBuilder builder(table.data(), uint32_t(table.size()), host_physical);
        leader.for_each_segment([&](const MemorySegment& segment) {
            EXPECT_EQ(builder.add(segment.address, segment.length), ata::PrdTableBuilder::Status::Ok);
            if (segment.length > chain.longest_segment) chain.longest_segment = segment.length;
        });
        chain.prd_entries = builder.finish();
        chain.prd_bytes = builder.total_bytes();
        chains.push_back(chain);
        queue().complete(leader, 0);
    }

    std::vector<Chain> chains;
};

// One-page requests at consecutive sectors, the i-th page's memory at
// `memory + page_offsets[i]`, all under one plug.
void submit_pages(ChainCheckingDevice& device, std::vector<Request>& requests, uint8_t* memory,
                  const std::vector<size_t>& page_offsets, uint64_t first_sector = 0) {
    QueuePlug plug(device.queue());
    for (size_t i = 0; i < page_offsets.size(); ++i) {
        requests[i].direction = IoDirection::Write;
        requests[i].sector = first_sector + i * (PAGE / SECTOR_SIZE);
        ASSERT_TRUE(requests[i].add_segment(memory + page_offsets[i], PAGE));
        ASSERT_FALSE(device.queue().submit(requests[i]).is_error()) << i;
    }
}

std::vector<size_t> offsets(size_t count, size_t stride, size_t start = 0) {
    std::vector<size_t> result;
    for (size_t i = 0; i < count; ++i) result.push_back(start + i * stride);
    return result;
}

void fill(Request& request, std::initializer_list<std::pair<uint8_t*, uint32_t>> segments) {
    for (auto [address, length] : segments) EXPECT_TRUE(request.add_segment(address, length));
}

}  // namespace

// ------------------------------------------------------------ counting

TEST(PhysicalSegments, AdjacentPagesAreOnePieceAndSeparateOnesAreNot) {
    AlignedMemory memory(4 * PAGE);
    BlockDeviceLimits limits = ata_dma_limits();
    Request adjacent;
    fill(adjacent, {{memory.bytes, PAGE}, {memory.bytes + PAGE, PAGE}});
    PhysicalSegments joined = describe_physical_segments(adjacent, limits);
    EXPECT_EQ(joined.count, 1u);
    EXPECT_EQ(joined.first_length, 2 * PAGE);
    EXPECT_EQ(joined.first_start, uint64_t(uintptr_t(memory.bytes)));

    Request apart;
    fill(apart, {{memory.bytes, PAGE}, {memory.bytes + 2 * PAGE, PAGE}});
    PhysicalSegments separate = describe_physical_segments(apart, limits);
    EXPECT_EQ(separate.count, 2u);
    EXPECT_EQ(separate.last_start, uint64_t(uintptr_t(memory.bytes + 2 * PAGE)));
    // Out of order is not adjacent either: the second piece would have to
    // come first.
    Request reversed;
    fill(reversed, {{memory.bytes + PAGE, PAGE}, {memory.bytes, PAGE}});
    EXPECT_EQ(describe_physical_segments(reversed, limits).count, 2u);
}

TEST(PhysicalSegments, ABoundaryAndMaxSegmentBytesCutPieces) {
    AlignedMemory memory(4 * WINDOW);
    uint8_t* before_boundary = memory.bytes + WINDOW - PAGE;  // 4 KiB before, 4 KiB after
    Request straddling;
    fill(straddling, {{before_boundary, 2 * PAGE}});
    BlockDeviceLimits ata = ata_dma_limits();
    EXPECT_EQ(describe_physical_segments(straddling, ata).count, 2u);
    BlockDeviceLimits virtio = virtio_limits();
    EXPECT_EQ(describe_physical_segments(straddling, virtio).count, 1u);
    // Two 64 KiB segments side by side within virtio's 64 KiB pieces: two.
    Request two_windows;
    fill(two_windows, {{memory.bytes, WINDOW}, {memory.bytes + WINDOW, WINDOW}});
    EXPECT_EQ(describe_physical_segments(two_windows, virtio).count, 2u);
    virtio.max_segment_bytes = 2 * WINDOW;
    EXPECT_EQ(describe_physical_segments(two_windows, virtio).count, 1u);
    // Sixteen one-page segments of one window: one piece, whatever the cut.
    Request pages;
    for (uint32_t i = 0; i < 16; ++i) ASSERT_TRUE(pages.add_segment(memory.bytes + WINDOW + i * PAGE, PAGE));
    EXPECT_EQ(describe_physical_segments(pages, ata).count, 1u);
}

TEST(PhysicalSegments, JoiningTwoDescriptionsCoversTheTwoInARow) {
    // Random cuts of memory with random gaps. What the queue counts for a
    // merge (joining the two descriptions) is never fewer pieces than the
    // memory needs -- so a driver that joins as much as it can never needs
    // more than counted -- and never more than the two counted apart. With
    // ATA's limits (pieces as long as the window) it is exactly the fewest,
    // as a fresh walk of the whole is.
    AlignedMemory memory(64 * WINDOW);
    std::mt19937 random(7);
    for (int round = 0; round < 500; ++round) {
        BlockDeviceLimits limits = round % 2 ? ata_dma_limits() : virtio_limits();
        if (round % 3 == 0) limits.max_segment_bytes = 3 * PAGE;
        bool exact = limits.segment_boundary != 0 && limits.max_segment_bytes == limits.segment_boundary;
        Request front, back, whole;
        size_t position = (random() % 64) * 512;
        int front_segments = 1 + int(random() % 6), back_segments = 1 + int(random() % 6);
        for (int i = 0; i < front_segments + back_segments; ++i) {
            uint32_t length = 512 * (1 + random() % 24);
            if (length > limits.max_segment_bytes) length = limits.max_segment_bytes;
            ASSERT_TRUE((i < front_segments ? front : back).add_segment(memory.bytes + position, length));
            ASSERT_TRUE(whole.add_segment(memory.bytes + position, length));
            position += length + (random() % 3 == 0 ? 512 * (random() % 4) : 0);
        }
        PhysicalSegments front_pieces = describe_physical_segments(front, limits);
        PhysicalSegments back_pieces = describe_physical_segments(back, limits);
        PhysicalSegments joined = join_physical_segments(front_pieces, back_pieces, limits);
        PhysicalSegments walked = describe_physical_segments(whole, limits);
        uint32_t fewest = fewest_pieces(segments_of(whole), limits);
        EXPECT_GE(joined.count, fewest) << "round " << round;
        EXPECT_GE(walked.count, fewest) << "round " << round;
        EXPECT_LE(joined.count, front_pieces.count + back_pieces.count) << "round " << round;
        EXPECT_EQ(joined.first_start, walked.first_start);
        EXPECT_EQ(joined.last_start + joined.last_length, walked.last_start + walked.last_length);
        if (exact) {
            EXPECT_EQ(joined.count, fewest) << "round " << round;
            EXPECT_EQ(walked.count, fewest) << "round " << round;
            EXPECT_EQ(joined.last_start, walked.last_start);
        }
    }
}

// ------------------------------------------------------------ merging

TEST(LargeRequests, OneMiBOfAdjacentPagesIsOneChainOfSixteenPieces) {
    // A 1 MiB heap buffer submitted a page per request (the block device
    // file's way): 256 requests, 16 PRD entries, one command.
    AlignedMemory memory(2 * 1024 * 1024);
    ChainCheckingDevice device(ata_dma_limits());
    std::vector<Request> requests(272);
    submit_pages(device, requests, memory.bytes, offsets(272, PAGE));
    ASSERT_EQ(device.chains.size(), 2u);
    EXPECT_EQ(device.chains[0].sectors, 2048u);
    EXPECT_EQ(device.chains[0].requests, 256u);
    EXPECT_EQ(device.chains[0].counted_pieces, 16u);
    EXPECT_EQ(device.chains[0].prd_entries, 16u);
    EXPECT_EQ(device.chains[0].prd_bytes, 1024u * 1024);
    EXPECT_EQ(device.chains[1].sector, 2048u);
    EXPECT_EQ(device.chains[1].requests, 16u);
    EXPECT_EQ(device.chains[1].counted_pieces, 1u);
    EXPECT_EQ(device.queue().statistics().writes_merged, 270u);
}

TEST(LargeRequests, ScatteredPagesStopAtSegMax) {
    // Every page on its own (a gap after each): 254 pieces is virtio's
    // seg_max, so the chains are 254 pages (1016 KiB) and the rest.
    AlignedMemory memory(600 * PAGE);
    ChainCheckingDevice device(virtio_limits());
    std::vector<Request> requests(300);
    submit_pages(device, requests, memory.bytes, offsets(300, 2 * PAGE));
    ASSERT_EQ(device.chains.size(), 2u);
    EXPECT_EQ(device.chains[0].requests, 254u);
    EXPECT_EQ(device.chains[0].counted_pieces, 254u);
    EXPECT_EQ(device.chains[0].prd_entries, 254u);
    EXPECT_EQ(device.chains[1].requests, 46u);
}

TEST(LargeRequests, PiecesNeverJoinAcrossA64KiBBoundary) {
    // Contiguous pages starting 8 KiB before a window: with two pieces
    // allowed, a chain is those 8 KiB plus the next whole window (2 + 16
    // pages), though all of it is adjacent memory.
    AlignedMemory memory(4 * WINDOW);
    BlockDeviceLimits limits = ata_dma_limits();
    limits.max_segments = 2;
    ChainCheckingDevice device(limits);
    std::vector<Request> requests(40);
    submit_pages(device, requests, memory.bytes, offsets(40, PAGE, WINDOW - 2 * PAGE));
    ASSERT_EQ(device.chains.size(), 2u);
    EXPECT_EQ(device.chains[0].requests, 18u);
    EXPECT_EQ(device.chains[0].counted_pieces, 2u);
    EXPECT_EQ(device.chains[0].prd_entries, 2u);
    EXPECT_EQ(device.chains[1].requests, 22u);  // the next window whole, and 6 pages of the one after
    EXPECT_EQ(device.chains[1].counted_pieces, 2u);
    EXPECT_EQ(device.chains[1].prd_entries, 2u);
}

TEST(LargeRequests, ASubmittedRequestIsCheckedByItsPiecesNotItsSegments) {
    // 32 one-page segments of one buffer are 2 pieces: fine for a device
    // that takes 4; 32 scattered pages are not.
    AlignedMemory memory(64 * PAGE + WINDOW);
    BlockDeviceLimits limits = ata_dma_limits();
    limits.max_segments = 4;
    ChainCheckingDevice device(limits);
    Request adjacent, scattered;
    for (uint32_t i = 0; i < Request::MAX_SEGMENTS; ++i) {
        ASSERT_TRUE(adjacent.add_segment(memory.bytes + i * PAGE, PAGE));
        ASSERT_TRUE(scattered.add_segment(memory.bytes + 2 * i * PAGE, PAGE));
    }
    EXPECT_FALSE(device.queue().submit(adjacent).is_error());
    EXPECT_EQ(device.queue().submit(scattered).error(), EINVAL);
    ASSERT_EQ(device.chains.size(), 1u);
    EXPECT_EQ(device.chains[0].counted_pieces, 2u);
}

TEST(LargeRequests, RandomStreamsStayWithinEveryLimit) {
    // Runs of requests of 1-8 pages, each run's memory either adjacent to
    // the last or elsewhere, sectors mostly continuing; every chain the
    // device sees keeps every limit, its memory needs no more pieces than
    // the queue counted, and under ATA's limits the PRD table (the ATA
    // driver's real builder) has no more entries than counted.
    AlignedMemory memory(8 * 1024 * 1024);
    std::mt19937 random(11);
    for (int round = 0; round < 20; ++round) {
        BlockDeviceLimits limits = round % 2 ? ata_dma_limits() : virtio_limits();
        limits.max_segments = 8 + uint32_t(random() % 250);
        limits.max_sectors_per_request = 8 * (1 + uint32_t(random() % 256));
        ChainCheckingDevice device(limits);
        std::vector<std::unique_ptr<Request>> requests;
        {
            QueuePlug plug(device.queue());
            size_t position = 0;
            uint64_t sector = 0;
            while (requests.size() < 400) {
                uint32_t pages = 1 + uint32_t(random() % 8);
                if (pages * (PAGE / SECTOR_SIZE) > limits.max_sectors_per_request) pages = 1;
                if (random() % 4 == 0) position += PAGE * (1 + random() % 3);  // a gap
                if (random() % 10 == 0) sector += 64;                         // a seek
                if (position + pages * PAGE > 8u * 1024 * 1024) position = 0;
                auto request = std::make_unique<Request>();
                request->direction = IoDirection::Read;
                request->sector = sector;
                for (uint32_t p = 0; p < pages; ++p)
                    ASSERT_TRUE(request->add_segment(memory.bytes + position + p * PAGE, PAGE));
                Result<void> submitted = device.queue().submit(*request);
                if (submitted.is_error()) {
                    // Only a request that alone exceeds the pieces may be refused.
                    EXPECT_EQ(submitted.error(), EINVAL);
                    EXPECT_GT(describe_physical_segments(*request, limits).count, limits.max_segments);
                    continue;
                }
                position += pages * PAGE;
                sector += pages * (PAGE / SECTOR_SIZE);
                requests.push_back(std::move(request));
            }
        }
        uint64_t sectors = 0;
        for (const auto& chain : device.chains) {
            EXPECT_LE(chain.sectors, limits.max_sectors_per_request) << "round " << round;
            EXPECT_LE(chain.counted_pieces, limits.max_segments) << "round " << round;
            EXPECT_LE(chain.longest_segment, limits.max_segment_bytes) << "round " << round;
            EXPECT_LE(chain.fewest_pieces, chain.counted_pieces) << "round " << round;
            if (limits.segment_boundary == WINDOW)
                EXPECT_LE(chain.prd_entries, chain.counted_pieces) << "round " << round;
            EXPECT_EQ(chain.prd_bytes, uint64_t(chain.sectors) * SECTOR_SIZE);
            sectors += chain.sectors;
        }
        uint64_t submitted_sectors = 0;
        for (const auto& request : requests) {
            EXPECT_TRUE(request->is_complete());
            submitted_sectors += request->sector_count();
        }
        EXPECT_EQ(sectors, submitted_sectors);
        EXPECT_LT(device.chains.size(), requests.size()) << "nothing merged in round " << round;
    }
}

TEST(LargeRequests, A64MiBWriteBackOfScatteredPagesTakesAtMost80Requests) {
    // A page cache's write-back: 64 MiB of pages that lie anywhere in
    // memory, submitted as requests of 32 one-page segments under one plug.
    // Linux writes such a file in about 80 requests; merging to the drivers'
    // limits must do no worse: ATA DMA takes 8 requests per chain (256
    // pieces, 1 MiB), virtio-blk 7 (224 pieces: an eighth would pass 254).
    constexpr size_t PAGES = 64 * 1024 * 1024 / PAGE;
    AlignedMemory memory(PAGES * PAGE);
    std::vector<size_t> page_order(PAGES);
    for (size_t i = 0; i < PAGES; ++i) page_order[i] = i;
    std::shuffle(page_order.begin(), page_order.end(), std::mt19937(3));
    for (const BlockDeviceLimits& limits : {ata_dma_limits(), virtio_limits()}) {
        ChainCheckingDevice device(limits);
        std::vector<Request> requests(PAGES / Request::MAX_SEGMENTS);
        {
            QueuePlug plug(device.queue());
            for (size_t r = 0; r < requests.size(); ++r) {
                requests[r].direction = IoDirection::Write;
                requests[r].sector = r * Request::MAX_SEGMENTS * (PAGE / SECTOR_SIZE);
                for (uint32_t s = 0; s < Request::MAX_SEGMENTS; ++s) {
                    size_t page = page_order[r * Request::MAX_SEGMENTS + s];
                    ASSERT_TRUE(requests[r].add_segment(memory.bytes + page * PAGE, PAGE));
                }
                ASSERT_FALSE(device.queue().submit(requests[r]).is_error());
            }
        }
        uint64_t sectors = 0;
        for (const auto& chain : device.chains) {
            EXPECT_LE(chain.counted_pieces, limits.max_segments);
            EXPECT_LE(chain.sectors, limits.max_sectors_per_request);
            sectors += chain.sectors;
        }
        EXPECT_EQ(sectors, PAGES * (PAGE / SECTOR_SIZE));
        EXPECT_LE(device.chains.size(), 80u) << "max_segments " << limits.max_segments;
        EXPECT_EQ(device.chains[0].requests, limits.max_segments == 256 ? 8u : 7u);
    }
}

TEST(LargeRequests, APartitionForwardsAWholeChainOfScatteredPagesAsOneDiskChain) {
    // Through hda1-like forwarding: 1 MiB of scattered pages in requests of
    // 32 segments, then 960 KiB in requests of 20, each merged on the
    // partition, forwarded as several disk requests and merged back there
    // into one command; the bytes land at the partition's offset.
    constexpr uint64_t START = 2048, SECTORS = 8192;
    RecordingDevice disk("disk", START + SECTORS, ata_dma_limits());
    PartitionDevice partition("disk1", disk, START, SECTORS);
    std::mt19937 random(5);
    for (uint32_t segments_per_request : {32u, 20u}) {
        uint32_t requests_count = segments_per_request == 32 ? 8 : 12;
        uint32_t pages = requests_count * segments_per_request;
        AlignedMemory memory(2 * pages * PAGE);
        for (size_t i = 0; i < 2 * pages * PAGE; ++i) memory.bytes[i] = uint8_t(random());
        disk.clear_started();
        std::vector<Request> requests(requests_count);
        {
            QueuePlug plug(partition.queue());
            for (uint32_t r = 0; r < requests_count; ++r) {
                requests[r].direction = IoDirection::Write;
                requests[r].sector = 8 + r * segments_per_request * (PAGE / SECTOR_SIZE);
                for (uint32_t s = 0; s < segments_per_request; ++s) {
                    size_t page = 2 * (r * segments_per_request + s);  // a gap after each page
                    ASSERT_TRUE(requests[r].add_segment(memory.bytes + page * PAGE, PAGE));
                }
                ASSERT_FALSE(partition.queue().submit(requests[r]).is_error());
            }
        }
        for (Request& request : requests) ASSERT_FALSE(request.wait().is_error());
        std::vector<RecordingDevice::StartedRequest> started = disk.started();
        ASSERT_EQ(started.size(), 1u) << segments_per_request;
        EXPECT_EQ(started[0].sector, START + 8);
        EXPECT_EQ(started[0].sector_count, pages * (PAGE / SECTOR_SIZE));
        for (uint32_t p = 0; p < pages; ++p) {
            const uint8_t* on_disk = disk.storage().data() + (START + 8) * SECTOR_SIZE + size_t(p) * PAGE;
            ASSERT_EQ(std::memcmp(on_disk, memory.bytes + 2 * size_t(p) * PAGE, PAGE), 0) << "page " << p;
        }
    }
}
