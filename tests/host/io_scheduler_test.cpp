// tests/host/io_scheduler_test.cpp -- the three I/O schedulers on a disk with a head.
//
// What is tested, on the SeekCostDevice of tests/host/support/ (a RAM-backed
// fake whose head must travel; requests wait at the "driver" until the test
// serves them, so later submissions queue in the scheduler):
//   order      noop is FIFO; elevator is C-LOOK (up from the head, then wrap
//              to the lowest); deadline sweeps the same way in batches
//   merges     back and front merges, never beyond max_sectors_per_request,
//              max_segments or max_segment_bytes, for every scheduler
//   deadline   an expired request goes before closer ones; a far request in
//              a stream of close ones is served within a bound (the elevator
//              starves it); reads go before writes, and writes still get
//              their turn after writes_starved read batches
//   data       random reads and writes give the same results and the same
//              final disk under every scheduler
//   seek cost  on a random workload (fixed seed) the elevator moves the head
//              less than noop (the three totals are printed)
//   switching  select_scheduler with requests queued loses none, keeps
//              chains and expiry times, also while other threads submit and
//              complete; iosched= sets the default
//   RAM disk   completes at once, so it merges only what was plugged
// Time is a fake clock (RequestQueue::set_clock) stepped by the tests.
#include <gtest/gtest.h>

#include <cstdio>
#include <atomic>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "drivers/block/deadline_scheduler.h"
#include "drivers/block/io_scheduler.h"
#include "tests/host/support/seek_cost_device.h"
#include "drivers/block/ramdisk.h"

namespace {

uint64_t fake_now_ms = 0;
uint64_t fake_clock() { return fake_now_ms; }

constexpr uint64_t DISK_SECTORS = 1 << 16;  // 32 MiB

BlockDeviceLimits limits_with(uint32_t max_sectors, uint32_t max_segments, uint32_t max_segment_bytes) {
    BlockDeviceLimits limits;
    limits.max_sectors_per_request = max_sectors;
    limits.max_segments = max_segments;
    limits.max_segment_bytes = max_segment_bytes;
    limits.queue_depth = 1;
    return limits;
}

// A device running one scheduler, and the requests (with their memory)
// submitted to it, kept alive until the harness goes.
class Harness {
public:
    explicit Harness(const char* scheduler, const BlockDeviceLimits& limits = {}, uint64_t sectors = DISK_SECTORS)
        : device_("seek", sectors, limits) {
        device_.queue().set_clock(fake_clock);
        EXPECT_FALSE(device_.queue().select_scheduler(scheduler).is_error());
    }
    ~Harness() { device_.serve_all(); }

    // Submits `sectors` sectors at `sector`, cut into segments of
    // segment_bytes (0: one segment), filled with `fill` for writes. A gap
    // follows each segment, so no two are adjacent memory (which would
    // count as one piece against max_segments).
    Request& submit(IoDirection direction, uint64_t sector, uint32_t sectors, uint32_t segment_bytes = 0,
                    uint8_t fill = 0) {
        auto memory = std::make_unique<std::vector<uint8_t>>(2 * sectors * SECTOR_SIZE + 1, fill);
        auto request = std::make_unique<Request>();
        request->direction = direction;
        request->sector = sector;
        uint32_t bytes = sectors * SECTOR_SIZE;
        if (direction == IoDirection::Flush) bytes = 0;
        if (segment_bytes == 0) segment_bytes = bytes;
        for (uint32_t done = 0; done < bytes; done += segment_bytes) {
            uint32_t length = bytes - done < segment_bytes ? bytes - done : segment_bytes;
            EXPECT_TRUE(request->add_segment(memory->data() + 2 * done, length));
        }
        Result<void> submitted = device_.queue().submit(*request);
        EXPECT_FALSE(submitted.is_error()) << "submit of sector " << sector;
        memories_.push_back(std::move(memory));
        requests_.push_back(std::move(request));
        return *requests_.back();
    }
    Request& read(uint64_t sector, uint32_t sectors = 8) { return submit(IoDirection::Read, sector, sectors); }
    Request& write(uint64_t sector, uint32_t sectors = 8) { return submit(IoDirection::Write, sector, sectors); }
    Request& flush() { return submit(IoDirection::Flush, 0, 0); }

    // The first sectors of the served chains, in service order.
    std::vector<uint64_t> served_sectors() const {
        std::vector<uint64_t> sectors;
        for (const auto& chain : device_.served()) sectors.push_back(chain.sector);
        return sectors;
    }
    // Where in service order the chain starting at `sector` went; -1 if never.
    int service_position(uint64_t sector) const {
        std::vector<uint64_t> sectors = served_sectors();
        for (size_t i = 0; i < sectors.size(); ++i) {
            if (sectors[i] == sector) return int(i);
        }
        return -1;
    }
    bool all_complete() const {
        for (const auto& request : requests_) {
            if (!request->is_complete() || request->error() != 0) return false;
        }
        return true;
    }

    SeekCostDevice& device() { return device_; }

private:
    SeekCostDevice device_;
    std::vector<std::unique_ptr<std::vector<uint8_t>>> memories_;
    std::vector<std::unique_ptr<Request>> requests_;
};

class SchedulerTest : public ::testing::Test {
protected:
    void SetUp() override { fake_now_ms = 1000; }
};

class EverySchedulerTest : public ::testing::TestWithParam<const char*> {
protected:
    void SetUp() override { fake_now_ms = 1000; }
};

using Sectors = std::vector<uint64_t>;

// Submits, behind a busy device (the first request, at 500), requests
// scattered around it; returns the service order.
Sectors scattered_order(const char* scheduler) {
    Harness harness(scheduler);
    harness.read(500);
    for (uint64_t sector : {100, 900, 600, 50, 700}) harness.read(sector);
    harness.device().serve_all();
    EXPECT_TRUE(harness.all_complete());
    return harness.served_sectors();
}

// ------------------------------------------------------------------ order

TEST_F(SchedulerTest, NoopServesInArrivalOrder) {
    EXPECT_EQ(scattered_order("noop"), (Sectors{500, 100, 900, 600, 50, 700}));
}

TEST_F(SchedulerTest, ElevatorSweepsUpFromTheHeadThenWrapsToTheLowest) {
    EXPECT_EQ(scattered_order("elevator"), (Sectors{500, 600, 700, 900, 50, 100}));
}

TEST_F(SchedulerTest, DeadlineSweepsLikeTheElevatorWhileNothingExpires) {
    EXPECT_EQ(scattered_order("deadline"), (Sectors{500, 600, 700, 900, 50, 100}));
}

TEST_F(SchedulerTest, SortingSchedulersServeAFlushFirst) {
    for (const char* scheduler : {"elevator", "deadline"}) {
        Harness harness(scheduler);
        harness.write(0);
        harness.write(300);
        harness.flush();
        harness.write(100);
        harness.device().serve_all();
        std::vector<SeekCostDevice::ServedChain> served = harness.device().served();
        ASSERT_EQ(served.size(), 4u) << scheduler;
        EXPECT_EQ(served[1].direction, IoDirection::Flush) << scheduler;
        EXPECT_EQ(served[2].sector, 100u) << scheduler;
        EXPECT_EQ(served[3].sector, 300u) << scheduler;
        EXPECT_TRUE(harness.all_complete());
    }
}

// ------------------------------------------------------------------ merges

TEST_P(EverySchedulerTest, MergesBackAndFrontIntoOneChain) {
    Harness harness(GetParam());
    harness.read(5000);
    harness.write(108);  // then one behind it, then one in front
    harness.write(116);
    harness.write(100);
    harness.device().serve_all();
    std::vector<SeekCostDevice::ServedChain> served = harness.device().served();
    ASSERT_EQ(served.size(), 2u);
    EXPECT_EQ(served[1].sector, 100u);
    EXPECT_EQ(served[1].sector_count, 24u);
    EXPECT_EQ(served[1].request_count, 3u);
    EXPECT_EQ(harness.device().queue().statistics().writes_merged, 2u);
    EXPECT_TRUE(harness.all_complete());
}

// Six adjacent requests of 8 sectors in two 2 KiB segments each, under
// `limits`; checks every served chain against the limits and returns how
// many chains there were.
size_t chains_for_six_adjacent_requests(const char* scheduler, const BlockDeviceLimits& limits) {
    Harness harness(scheduler, limits);
    harness.submit(IoDirection::Read, 9000, 8, 2048);
    for (int i = 0; i < 6; ++i) harness.submit(IoDirection::Write, 8 * i, 8, 2048);
    harness.device().serve_all();
    EXPECT_TRUE(harness.all_complete());
    std::vector<SeekCostDevice::ServedChain> served = harness.device().served();
    uint32_t sectors = 0;
    for (size_t i = 1; i < served.size(); ++i) {
        EXPECT_LE(served[i].sector_count, limits.max_sectors_per_request) << scheduler;
        EXPECT_LE(served[i].physical_segment_count, limits.max_segments) << scheduler;
        EXPECT_EQ(served[i].physical_segment_count, served[i].segment_count) << scheduler;  // none adjacent
        EXPECT_LE(served[i].largest_segment_bytes, limits.max_segment_bytes) << scheduler;
        sectors += served[i].sector_count;
    }
    EXPECT_EQ(sectors, 48u);
    return served.size() - 1;
}

TEST_P(EverySchedulerTest, MergesStopAtMaxSectorsPerRequest) {
    // 16 sectors per request: two requests per chain, no more.
    EXPECT_EQ(chains_for_six_adjacent_requests(GetParam(), limits_with(16, 32, 65536)), 3u);
}

TEST_P(EverySchedulerTest, MergesStopAtMaxSegments) {
    // 6 segments: three requests of two segments per chain.
    EXPECT_EQ(chains_for_six_adjacent_requests(GetParam(), limits_with(256, 6, 65536)), 2u);
}

TEST_P(EverySchedulerTest, MergedChainsKeepEverySegmentWithinMaxSegmentBytes) {
    // Segments are never fused, so a limit the requests meet, the chain meets.
    EXPECT_EQ(chains_for_six_adjacent_requests(GetParam(), limits_with(256, 32, 2048)), 1u);
}

TEST_P(EverySchedulerTest, ReadsAndWritesNeverMerge) {
    Harness harness(GetParam());
    harness.read(9000);
    harness.read(0);
    harness.write(8);
    harness.read(16);
    harness.device().serve_all();
    EXPECT_TRUE(harness.all_complete());
    std::vector<SeekCostDevice::ServedChain> served = harness.device().served();
    ASSERT_EQ(served.size(), 4u);  // each request its own chain
    std::map<uint64_t, IoDirection> directions;
    for (const auto& chain : served) {
        EXPECT_EQ(chain.request_count, 1u);
        EXPECT_EQ(chain.sector_count, 8u);
        directions[chain.sector] = chain.direction;
    }
    EXPECT_EQ(directions, (std::map<uint64_t, IoDirection>{{0, IoDirection::Read}, {8, IoDirection::Write},
                                                           {16, IoDirection::Read}, {9000, IoDirection::Read}}));
}

// ------------------------------------------------------------------ deadline

// The head ends at 1008 after the first request; a far read waits at 10
// since t=1000, a close one at 1016 arrives at `close_arrives_ms`.
Sectors far_and_close(const char* scheduler, uint64_t close_arrives_ms) {
    Harness harness(scheduler);
    harness.read(1000);
    harness.read(10);
    fake_now_ms = close_arrives_ms;
    harness.read(1016);
    harness.device().serve_all();
    return harness.served_sectors();
}

TEST_F(SchedulerTest, DeadlineServesAnExpiredReadBeforeACloserOne) {
    EXPECT_EQ(far_and_close("deadline", 1100), (Sectors{1000, 1016, 10}));  // not yet expired
    EXPECT_EQ(far_and_close("deadline", 1600), (Sectors{1000, 10, 1016}));  // 600 ms > 500 ms
    EXPECT_EQ(far_and_close("elevator", 1600), (Sectors{1000, 1016, 10}));  // no expiry there
}

// A far read behind the head, then a stream of reads each just ahead of
// it, one new arrival per service, 10 ms apart; returns where in service
// order the far read went.
int far_read_position_in_a_stream(const char* scheduler, int stream_length) {
    Harness harness(scheduler);
    harness.read(2000);
    harness.read(10);
    for (int i = 0; i < stream_length; ++i) {
        harness.read(2016 + 16 * uint64_t(i));  // gaps of 8 sectors: no merges
        fake_now_ms += 10;
        harness.device().serve_next();
    }
    harness.device().serve_all();
    EXPECT_TRUE(harness.all_complete());
    return harness.service_position(10);
}

TEST_F(SchedulerTest, DeadlineServesAFarRequestWithinABoundUnderAStreamOfCloseOnes) {
    constexpr int STREAM = 200;
    int elevator = far_read_position_in_a_stream("elevator", STREAM);
    int deadline = far_read_position_in_a_stream("deadline", STREAM);
    std::printf("far read served at position %d (elevator) and %d (deadline) of %d\n", elevator, deadline,
                STREAM + 2);
    EXPECT_EQ(elevator, STREAM + 1);  // starved until the stream ended
    // Expired after 500 ms = 50 services; then at most the running batch (16).
    DeadlineTunables defaults;
    int bound = int(defaults.read_expire_ms / 10 + defaults.fifo_batch + 2);
    EXPECT_LE(deadline, bound);
    EXPECT_GT(deadline, 0);
}

TEST_F(SchedulerTest, DeadlineServesReadsBeforeWrites) {
    for (const char* scheduler : {"deadline", "elevator"}) {
        Harness harness(scheduler);
        harness.write(0);
        harness.write(100);
        harness.write(200);
        harness.read(300);
        harness.read(400);
        harness.device().serve_all();
        Sectors expected = std::string(scheduler) == "deadline" ? Sectors{0, 300, 400, 100, 200}
                                                                : Sectors{0, 100, 200, 300, 400};
        EXPECT_EQ(harness.served_sectors(), expected) << scheduler;
    }
}

TEST_F(SchedulerTest, DeadlineGivesWritesATurnAfterWritesStarvedReadBatches) {
    Harness harness("deadline");
    harness.read(0);
    harness.write(50000);
    for (uint64_t i = 1; i <= 100; ++i) harness.read(64 * i);
    harness.device().serve_all();
    DeadlineTunables defaults;
    int position = harness.service_position(50000);
    std::printf("write served at position %d of 102\n", position);
    EXPECT_EQ(position, int(1 + defaults.writes_starved * defaults.fifo_batch));
    EXPECT_TRUE(harness.all_complete());
}

// ------------------------------------------------------------------ data

// Rounds of random, non-overlapping reads and writes (overlapping requests
// in flight together have no defined order under any scheduler, and the
// caches never issue them): each read must see the disk as it was before
// its round, and the final disk must equal a model that applied every write.
std::vector<uint8_t> run_random_data_workload(const char* scheduler) {
    constexpr uint64_t SECTORS = 2048;
    Harness harness(scheduler, BlockDeviceLimits{}, SECTORS);
    std::vector<uint8_t> model(SECTORS * SECTOR_SIZE, 0);
    std::mt19937 random(20261127);
    for (int round = 0; round < 40; ++round) {
        std::vector<bool> taken(SECTORS, false);
        struct Pending { Request* request; std::vector<uint8_t> expected; uint64_t sector; };
        std::vector<Pending> reads;
        std::vector<std::pair<uint64_t, Request*>> writes;
        for (int i = 0; i < 24; ++i) {
            uint64_t sector = random() % (SECTORS - 32);
            uint32_t sectors = 1 + random() % 24;
            bool overlaps = false;
            for (uint64_t s = sector; s < sector + sectors; ++s) overlaps = overlaps || taken[s];
            if (overlaps) continue;
            for (uint64_t s = sector; s < sector + sectors; ++s) taken[s] = true;
            uint32_t segment = SECTOR_SIZE * (1 + random() % 4);
            if (random() % 2) {
                Request& request = harness.submit(IoDirection::Write, sector, sectors, segment, uint8_t(random()));
                writes.push_back({sector, &request});
            } else {
                Request& request = harness.submit(IoDirection::Read, sector, sectors, segment);
                auto begin = model.begin() + long(sector * SECTOR_SIZE);
                reads.push_back({&request, std::vector<uint8_t>(begin, begin + long(sectors * SECTOR_SIZE)), sector});
            }
        }
        harness.device().serve_all();
        for (Pending& read : reads) {
            std::vector<uint8_t> got;
            for (uint32_t i = 0; i < read.request->segment_count(); ++i) {
                auto* bytes = static_cast<uint8_t*>(read.request->segment(i).address);
                got.insert(got.end(), bytes, bytes + read.request->segment(i).length);
            }
            EXPECT_EQ(got, read.expected) << scheduler << " round " << round << " sector " << read.sector;
        }
        for (auto& [sector, request] : writes) {
            for (uint32_t i = 0, offset = 0; i < request->segment_count(); ++i) {
                const MemorySegment& piece = request->segment(i);
                std::memcpy(model.data() + sector * SECTOR_SIZE + offset, piece.address, piece.length);
                offset += piece.length;
            }
        }
    }
    EXPECT_TRUE(harness.all_complete());
    EXPECT_EQ(harness.device().storage(), model) << scheduler;
    return harness.device().storage();
}

TEST_F(SchedulerTest, EverySchedulerGivesTheSameDataOnARandomWorkload) {
    std::vector<uint8_t> noop = run_random_data_workload("noop");
    EXPECT_EQ(run_random_data_workload("elevator"), noop);
    EXPECT_EQ(run_random_data_workload("deadline"), noop);
}

// ------------------------------------------------------------------ seek cost

uint64_t seek_cost_of_random_workload(const char* scheduler) {
    Harness harness(scheduler);
    std::mt19937 random(4242);
    for (int round = 0; round < 20; ++round) {
        for (int i = 0; i < 32; ++i) harness.read(8 * (random() % (DISK_SECTORS / 8 - 1)));
        fake_now_ms += 5;
        harness.device().serve_all();
    }
    EXPECT_TRUE(harness.all_complete());
    return harness.device().total_seek_cost();
}

TEST_F(SchedulerTest, ElevatorSeeksLessThanNoopOnARandomWorkload) {
    uint64_t noop = seek_cost_of_random_workload("noop");
    uint64_t elevator = seek_cost_of_random_workload("elevator");
    uint64_t deadline = seek_cost_of_random_workload("deadline");
    std::printf("total seek distance (sectors) over 640 random reads: noop %llu, elevator %llu, deadline %llu\n",
                (unsigned long long)noop, (unsigned long long)elevator, (unsigned long long)deadline);
    EXPECT_LT(elevator, noop);
}

// ------------------------------------------------------------------ switching

TEST_F(SchedulerTest, SwitchingWithRequestsQueuedLosesNoneAndKeepsChains) {
    Harness harness("noop");
    harness.read(5000);
    harness.read(900);
    harness.read(100);
    harness.read(108);  // joins 100's chain under noop
    harness.read(600);
    EXPECT_EQ(harness.device().queue().scheduler_name(), std::string("noop"));
    ASSERT_FALSE(harness.device().queue().select_scheduler("elevator").is_error());
    EXPECT_EQ(harness.device().queue().scheduler_name(), std::string("elevator"));
    harness.device().serve_all();
    EXPECT_TRUE(harness.all_complete());
    // The elevator's head starts at 0 when it takes over.
    EXPECT_EQ(harness.served_sectors(), (Sectors{5000, 100, 600, 900}));
    EXPECT_EQ(harness.device().served()[1].request_count, 2u);
}

TEST_F(SchedulerTest, SwitchingToDeadlineKeepsHowLongRequestsHaveWaited) {
    Harness harness("noop");
    harness.read(1000);
    harness.read(10);  // queued at t=1000
    fake_now_ms = 1600;
    ASSERT_FALSE(harness.device().queue().select_scheduler("deadline").is_error());
    harness.read(1016);
    harness.device().serve_all();
    EXPECT_EQ(harness.served_sectors(), (Sectors{1000, 10, 1016}));
}

// Three threads at once: one submits bursts of requests and waits for
// them, one plays the disk's interrupt, one switches schedulers round and
// round. Every request must complete, with the right bytes.
TEST_F(SchedulerTest, SwitchingWhileRequestsComeAndGoLosesNothing) {
    SeekCostDevice device("busy", 4096);
    for (size_t i = 0; i < device.storage().size(); ++i) device.storage()[i] = uint8_t(i / SECTOR_SIZE);
    std::atomic<bool> submitting{true};
    std::thread disk([&] {
        while (submitting || device.held_count() > 0) {
            if (!device.serve_next()) std::this_thread::yield();
        }
    });
    std::thread switcher([&] {
        const char* names[] = {"noop", "elevator", "deadline"};
        for (int i = 0; submitting; ++i) {
            EXPECT_FALSE(device.queue().select_scheduler(names[i % 3]).is_error());
            std::this_thread::yield();
        }
    });
    std::mt19937 random(7);
    for (int burst = 0; burst < 200; ++burst) {
        Request requests[8];
        std::vector<uint8_t> memory(8 * SECTOR_SIZE);
        uint64_t sectors[8];
        for (int i = 0; i < 8; ++i) {
            sectors[i] = random() % 4096;
            requests[i].sector = sectors[i];
            requests[i].add_segment(memory.data() + i * SECTOR_SIZE, SECTOR_SIZE);
            ASSERT_FALSE(device.queue().submit(requests[i]).is_error());
        }
        for (int i = 0; i < 8; ++i) {
            ASSERT_FALSE(requests[i].wait().is_error());
            EXPECT_EQ(memory[i * SECTOR_SIZE], uint8_t(sectors[i])) << "burst " << burst;
        }
    }
    submitting = false;
    disk.join();
    switcher.join();
    EXPECT_EQ(device.queue().statistics().in_flight, 0u);
}

TEST_F(SchedulerTest, SwitchingToAnUnknownSchedulerIsEinvalAndChangesNothing) {
    Harness harness("deadline");
    harness.read(1000);
    harness.read(10);
    EXPECT_EQ(harness.device().queue().select_scheduler("cfq").error(), EINVAL);
    EXPECT_EQ(harness.device().queue().select_scheduler(nullptr).error(), EINVAL);
    EXPECT_EQ(harness.device().queue().scheduler_name(), std::string("deadline"));
    harness.device().serve_all();
    EXPECT_TRUE(harness.all_complete());
}

TEST_F(SchedulerTest, TheDefaultSchedulerIsWhatIoschedSaid) {
    EXPECT_STREQ(default_io_scheduler(), "noop");
    ASSERT_FALSE(set_default_io_scheduler("deadline").is_error());
    {
        SeekCostDevice device("fresh", 64);
        EXPECT_STREQ(device.queue().scheduler_name(), "deadline");
    }
    EXPECT_EQ(set_default_io_scheduler("anticipatory").error(), EINVAL);
    EXPECT_STREQ(default_io_scheduler(), "deadline");
    ASSERT_FALSE(set_default_io_scheduler("noop").is_error());
    ASSERT_EQ(io_scheduler_count(), 3u);
    EXPECT_STREQ(io_scheduler_name(0), "noop");
    EXPECT_STREQ(io_scheduler_name(1), "elevator");
    EXPECT_STREQ(io_scheduler_name(2), "deadline");
    EXPECT_EQ(io_scheduler_name(3), nullptr);
}

// ------------------------------------------------------------------ a RAM disk

// A RAM disk completes each request as it starts it, so its queue only
// ever holds requests while plugged: that is where its merges come from.
TEST_P(EverySchedulerTest, ARamDiskMergesPageRequestsSubmittedUnderAPlug) {
    std::vector<uint8_t> memory(1 << 20);
    RamDisk disk("ramx", memory.data(), memory.size(), false);
    ASSERT_FALSE(disk.queue().select_scheduler(GetParam()).is_error());
    std::vector<uint8_t> buffer(65536);
    Request requests[16];
    {
        QueuePlug plug(disk.queue());
        for (int i = 0; i < 16; ++i) {
            requests[i].direction = IoDirection::Read;
            requests[i].sector = 8 * uint64_t(i);
            requests[i].add_segment(buffer.data() + 4096 * i, 4096);
            ASSERT_FALSE(disk.queue().submit(requests[i]).is_error());
        }
        EXPECT_FALSE(requests[0].is_complete());
    }
    for (Request& request : requests) EXPECT_FALSE(request.wait().is_error());
    BlockDeviceStatistics statistics = disk.queue().statistics();
    EXPECT_EQ(statistics.reads_completed, 1u);
    EXPECT_EQ(statistics.reads_merged, 15u);
}

INSTANTIATE_TEST_SUITE_P(AllSchedulers, EverySchedulerTest, ::testing::Values("noop", "elevator", "deadline"),
                         [](const ::testing::TestParamInfo<const char*>& info) { return std::string(info.param); });

}  // namespace
