// tests/host/block_layer_test.cpp -- the request layer, seen from above and below.
//
// What is tested: RequestQueue::submit's checks, data round trips through a
// RamDisk and the RecordingDevice (tests/host/support/), completion of
// every request of a merged chain (data, errors, callbacks, waiters in other
// threads), the diskstats-like counters, scheduler selection and the device
// registry. The noop scheduler's order and merges: noop_scheduler_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "drivers/block/block_device_registry.h"
#include "drivers/block/ramdisk.h"
#include "drivers/block/request_merge.h"
#include "tests/host/support/block_test_helpers.h"
#include "tests/host/support/recording_device.h"

namespace {

using namespace block_test;

// ------------------------------------------------------------------ validation

TEST(Submit, RejectsARequestWithoutSegments) {
    RecordingDevice device("rec", DISK_SECTORS);
    Request request;
    request.sector = 0;
    Result<void> result = device.queue().submit(request);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error(), EINVAL);
    EXPECT_FALSE(request.is_complete());
    EXPECT_TRUE(device.started().empty());
}

TEST(Submit, RejectsSizesThatAreNotWholeLogicalBlocks) {
    RecordingDevice device("rec4k", DISK_SECTORS, limits_with(256, 32), 4096);
    std::vector<uint8_t> data(8192);
    Request half_block;
    build(half_block, IoDirection::Read, 0, data.data(), 2048);
    EXPECT_EQ(device.queue().submit(half_block).error(), EINVAL);
    Request misaligned_start;
    build(misaligned_start, IoDirection::Read, 1, data.data(), 4096);
    EXPECT_EQ(device.queue().submit(misaligned_start).error(), EINVAL);
    Request whole_blocks;
    build(whole_blocks, IoDirection::Read, 8, data.data(), 8192, 1024);
    EXPECT_FALSE(device.queue().submit(whole_blocks).is_error());
    EXPECT_TRUE(whole_blocks.is_complete());
}

TEST(Submit, RejectsRequestsBeyondTheDeviceLimits) {
    RecordingDevice device("rec", DISK_SECTORS, limits_with(8, 4, 1, 2048));
    std::vector<uint8_t> data(16 * SECTOR_SIZE);
    // Five sectors apart from each other: five pieces (adjacent ones would join).
    Request too_many_segments;
    too_many_segments.direction = IoDirection::Read;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(too_many_segments.add_segment(&data[2 * i * SECTOR_SIZE], SECTOR_SIZE));
    EXPECT_EQ(device.queue().submit(too_many_segments).error(), EINVAL);
    Request segment_too_long;
    build(segment_too_long, IoDirection::Read, 0, data.data(), 4096);
    EXPECT_EQ(device.queue().submit(segment_too_long).error(), EINVAL);
    Request too_many_sectors;
    build(too_many_sectors, IoDirection::Read, 0, data.data(), 9 * SECTOR_SIZE, 2048);
    EXPECT_EQ(device.queue().submit(too_many_sectors).error(), EINVAL);
    Request empty_segment;
    build(empty_segment, IoDirection::Read, 0, data.data(), SECTOR_SIZE);
    ASSERT_TRUE(empty_segment.add_segment(data.data(), 0));
    EXPECT_EQ(device.queue().submit(empty_segment).error(), EINVAL);
    EXPECT_TRUE(device.started().empty());
}

TEST(Submit, RejectsSectorsBeyondTheEndWithEio) {
    RecordingDevice device("rec", DISK_SECTORS);
    std::vector<uint8_t> data(2 * SECTOR_SIZE);
    Request straddling_the_end;
    build(straddling_the_end, IoDirection::Read, DISK_SECTORS - 1, data.data(), 2 * SECTOR_SIZE);
    EXPECT_EQ(device.queue().submit(straddling_the_end).error(), EIO);
    Request past_the_end;
    build(past_the_end, IoDirection::Write, DISK_SECTORS, data.data(), SECTOR_SIZE);
    EXPECT_EQ(device.queue().submit(past_the_end).error(), EIO);
    Request wrapping_around;
    build(wrapping_around, IoDirection::Read, UINT64_MAX, data.data(), SECTOR_SIZE);
    EXPECT_EQ(device.queue().submit(wrapping_around).error(), EIO);
    Request last_sector;
    build(last_sector, IoDirection::Read, DISK_SECTORS - 1, data.data(), SECTOR_SIZE);
    EXPECT_FALSE(device.queue().submit(last_sector).is_error());
}

TEST(Submit, RejectsWritesToAReadOnlyDeviceWithErofs) {
    RecordingDevice device("rom", DISK_SECTORS, {}, SECTOR_SIZE, /*read_only=*/true);
    std::vector<uint8_t> data(SECTOR_SIZE);
    Request write;
    build(write, IoDirection::Write, 0, data.data(), SECTOR_SIZE);
    EXPECT_EQ(device.queue().submit(write).error(), EROFS);
    Request read;
    build(read, IoDirection::Read, 0, data.data(), SECTOR_SIZE);
    EXPECT_FALSE(device.queue().submit(read).is_error());
    EXPECT_FALSE(device.flush().is_error());
}

TEST(Submit, AcceptsAFlushWithoutSegmentsOnly) {
    RecordingDevice device("rec", DISK_SECTORS);
    Request flush;
    flush.direction = IoDirection::Flush;
    ASSERT_FALSE(device.queue().submit(flush).is_error());
    EXPECT_TRUE(flush.is_complete());
    EXPECT_FALSE(flush.wait().is_error());
    std::vector<uint8_t> data(SECTOR_SIZE);
    Request flush_with_data;
    build(flush_with_data, IoDirection::Flush, 0, data.data(), SECTOR_SIZE);
    EXPECT_EQ(device.queue().submit(flush_with_data).error(), EINVAL);
    ASSERT_EQ(device.started().size(), 1u);
    EXPECT_EQ(device.started()[0].direction, IoDirection::Flush);
    EXPECT_EQ(device.queue().statistics().flushes_completed, 1u);
}

TEST(Submit, RejectsARequestThatIsStillInFlight) {
    BusyDevice busy;
    std::vector<uint8_t> data(SECTOR_SIZE);
    Request request;
    build(request, IoDirection::Read, 0, data.data(), SECTOR_SIZE);
    ASSERT_FALSE(busy.device.queue().submit(request).is_error());
    EXPECT_EQ(busy.device.queue().submit(request).error(), EBUSY);
    busy.device.complete_all();
    EXPECT_TRUE(request.is_complete());
    // Once complete, the same request may go again (a retry).
    ASSERT_FALSE(busy.device.queue().submit(request).is_error());
    busy.device.complete_all();
    EXPECT_FALSE(request.wait().is_error());
}

// ------------------------------------------------------------------ round trips

TEST(RoundTrip, RamDiskReadsBackWhatWasWritten) {
    std::vector<uint8_t> memory(DISK_SECTORS * SECTOR_SIZE);
    RamDisk disk("ram0", memory.data(), memory.size() + 100, false);  // rounded down
    EXPECT_EQ(disk.capacity_sectors(), DISK_SECTORS);
    // 300 KiB: more than one request's worth (128 KiB), so it is split.
    std::vector<uint8_t> written = pattern(300 * 1024, 1);
    ASSERT_FALSE(disk.write(4096, written.data(), written.size()).is_error());
    EXPECT_EQ(std::memcmp(memory.data() + 4096, written.data(), written.size()), 0);
    std::vector<uint8_t> read_back(written.size());
    ASSERT_FALSE(disk.read(4096, read_back.data(), read_back.size()).is_error());
    EXPECT_EQ(read_back, written);
    BlockDeviceStatistics statistics = disk.queue().statistics();
    EXPECT_EQ(statistics.writes_completed, 3u);
    EXPECT_EQ(statistics.reads_completed, 3u);
    EXPECT_EQ(statistics.sectors_written, 600u);
    EXPECT_EQ(statistics.in_flight, 0u);
}

TEST(RoundTrip, RamDiskRefusesUnalignedOutOfRangeAndReadOnlyTransfers) {
    std::vector<uint8_t> memory(16 * SECTOR_SIZE);
    RamDisk disk("ram1", memory.data(), memory.size(), false);
    std::vector<uint8_t> data(2 * SECTOR_SIZE);
    EXPECT_EQ(disk.read(100, data.data(), SECTOR_SIZE).error(), EINVAL);
    EXPECT_EQ(disk.read(0, data.data(), 100).error(), EINVAL);
    EXPECT_EQ(disk.read(15 * SECTOR_SIZE, data.data(), 2 * SECTOR_SIZE).error(), EIO);
    EXPECT_FALSE(disk.read(0, data.data(), 0).is_error());
    RamDisk read_only("ram2", memory.data(), memory.size(), true);
    EXPECT_EQ(read_only.write(0, data.data(), SECTOR_SIZE).error(), EROFS);
}

TEST(RoundTrip, ConvenienceTransfersAreCutToTheDeviceLimits) {
    RecordingDevice device("rec", DISK_SECTORS, limits_with(8, 3, 1, 1024));
    std::vector<uint8_t> written = pattern(10 * 1024, 2);
    ASSERT_FALSE(device.write(2 * SECTOR_SIZE, written.data(), written.size()).is_error());
    std::vector<RecordingDevice::StartedRequest> started = device.started();
    // 3 segments of 1 KiB = 6 sectors per request: 6 + 6 + 6 + 2 sectors.
    ASSERT_EQ(started.size(), 4u);
    uint64_t next_sector = 2;
    for (const auto& request : started) {
        EXPECT_EQ(request.sector, next_sector);
        EXPECT_LE(request.sector_count, 8u);
        EXPECT_LE(request.segment_count, 3u);
        next_sector += request.sector_count;
    }
    EXPECT_EQ(next_sector, 22u);
    EXPECT_EQ(std::memcmp(device.storage().data() + 2 * SECTOR_SIZE, written.data(), written.size()), 0);
    std::vector<uint8_t> read_back(written.size());
    ASSERT_FALSE(device.read(2 * SECTOR_SIZE, read_back.data(), read_back.size()).is_error());
    EXPECT_EQ(read_back, written);
}

// ------------------------------------------------------------------ completion

TEST(Completion, EveryRequestOfAScatterGatherChainGetsItsOwnBytes) {
    RecordingDevice device("rec", DISK_SECTORS);
    // Eight one-sector writes of four 128-byte segments each merge into one
    // chain of 32 segments, the most a request may carry.
    std::vector<uint8_t> written = pattern(8 * SECTOR_SIZE, 6);
    Request writes[8];
    {
        QueuePlug plug(device.queue());
        for (int i = 0; i < 8; ++i) {
            build(writes[i], IoDirection::Write, 40 + i, written.data() + i * SECTOR_SIZE, SECTOR_SIZE, 128);
            ASSERT_FALSE(device.queue().submit(writes[i]).is_error());
        }
    }
    ASSERT_EQ(device.started().size(), 1u);
    EXPECT_EQ(device.started()[0].segment_count, 32u);
    EXPECT_EQ(std::memcmp(device.storage().data() + 40 * SECTOR_SIZE, written.data(), written.size()), 0);

    // Read back through differently cut requests: two sectors in 64-byte pieces
    // (16 segments), then one sector whole, and so on, into separate buffers.
    std::vector<std::vector<uint8_t>> pieces;
    std::vector<std::unique_ptr<Request>> reads;
    {
        QueuePlug plug(device.queue());
        uint64_t sector = 40;
        for (uint32_t sectors : {2u, 1u, 2u, 3u}) {
            pieces.emplace_back(sectors * SECTOR_SIZE, 0xee);
            reads.push_back(std::make_unique<Request>());
            build(*reads.back(), IoDirection::Read, sector, pieces.back().data(), sectors * SECTOR_SIZE,
                  sectors == 2 ? 64 : SECTOR_SIZE);
            ASSERT_FALSE(device.queue().submit(*reads.back()).is_error());
            sector += sectors;
        }
    }
    std::vector<uint8_t> read_back;
    for (size_t i = 0; i < reads.size(); ++i) {
        EXPECT_FALSE(reads[i]->wait().is_error());
        read_back.insert(read_back.end(), pieces[i].begin(), pieces[i].end());
    }
    EXPECT_EQ(read_back, written);
    EXPECT_LT(device.started().size(), 1u + reads.size());  // some of them merged
}

struct CallbackLog {
    std::vector<Request*> completed;
    std::vector<int> errors;
    static void record(Request& request, void* context) {
        auto* log = static_cast<CallbackLog*>(context);
        EXPECT_TRUE(request.is_complete());
        log->completed.push_back(&request);
        log->errors.push_back(request.error());
    }
};

TEST(Completion, OnCompleteRunsOnceForEveryRequestOfTheChain) {
    BusyDevice busy;
    CallbackLog log;
    std::vector<uint8_t> data(4 * SECTOR_SIZE);
    Request requests[4];
    for (int i = 0; i < 4; ++i) {
        build(requests[i], IoDirection::Read, 10 + i, data.data() + i * SECTOR_SIZE, SECTOR_SIZE);
        requests[i].on_complete = CallbackLog::record;
        requests[i].completion_context = &log;
        ASSERT_FALSE(busy.device.queue().submit(requests[i]).is_error());
    }
    EXPECT_TRUE(log.completed.empty());
    busy.device.complete_all();
    ASSERT_EQ(log.completed.size(), 4u);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(log.completed[i], &requests[i]);
        EXPECT_EQ(log.errors[i], 0);
    }
}

TEST(Completion, AnErrorReachesEveryRequestOfTheChain) {
    RecordingDevice device("rec", DISK_SECTORS);
    device.fail_sector(20);
    std::vector<uint8_t> data(24 * SECTOR_SIZE, 0xab);
    CallbackLog log;
    Request requests[3];
    {
        QueuePlug plug(device.queue());
        for (int i = 0; i < 3; ++i) {
            build(requests[i], IoDirection::Write, 8 * i, data.data() + 8 * i * SECTOR_SIZE, 8 * SECTOR_SIZE);
            requests[i].on_complete = CallbackLog::record;
            requests[i].completion_context = &log;
            ASSERT_FALSE(device.queue().submit(requests[i]).is_error());
        }
    }
    ASSERT_EQ(device.started().size(), 1u);
    for (Request& request : requests) {
        Result<void> result = request.wait();
        ASSERT_TRUE(result.is_error());
        EXPECT_EQ(result.error(), EIO);
        EXPECT_EQ(request.error(), EIO);
    }
    EXPECT_EQ(log.errors, std::vector<int>(3, EIO));
    EXPECT_EQ(device.storage()[0], 0);  // nothing was written
    BlockDeviceStatistics statistics = device.queue().statistics();
    EXPECT_EQ(statistics.errors, 1u);
    EXPECT_EQ(statistics.sectors_written, 0u);
    EXPECT_EQ(statistics.in_flight, 0u);

    // The failure was the device's, not the request's: a retry can succeed.
    device.clear_failures();
    ASSERT_FALSE(device.queue().submit(requests[1]).is_error());
    EXPECT_FALSE(requests[1].wait().is_error());
    EXPECT_EQ(device.storage()[8 * SECTOR_SIZE], 0xab);
}

TEST(Completion, AWaiterIsWokenByACompletionFromAnotherThread) {
    RecordingDevice device("rec", DISK_SECTORS);
    device.set_mode(Mode::Hold);
    device.storage()[5 * SECTOR_SIZE] = 0x42;
    std::vector<uint8_t> data(SECTOR_SIZE);
    Request request;
    build(request, IoDirection::Read, 5, data.data(), SECTOR_SIZE);
    std::atomic<bool> waiter_done{false};
    std::atomic<int> waiter_error{-1};
    std::thread waiter([&] {
        ASSERT_FALSE(device.queue().submit(request).is_error());
        Result<void> result = request.wait();
        waiter_error = result.is_error() ? result.error() : 0;
        waiter_done = true;
    });
    ASSERT_TRUE(device.wait_for_held(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(waiter_done.load());
    std::thread interrupt([&] { EXPECT_TRUE(device.complete_next()); });
    interrupt.join();
    waiter.join();
    EXPECT_TRUE(waiter_done.load());
    EXPECT_EQ(waiter_error.load(), 0);
    EXPECT_EQ(data[0], 0x42);
}

TEST(Completion, TheQueueNeverGivesTheDriverMoreThanItsQueueDepth) {
    RecordingDevice device("rec", DISK_SECTORS, limits_with(256, 32, /*queue_depth=*/2));
    device.set_mode(Mode::Hold);
    std::vector<uint8_t> data(5 * SECTOR_SIZE);
    Request requests[5];
    for (int i = 0; i < 5; ++i) {
        build(requests[i], IoDirection::Read, 100 * i, data.data() + i * SECTOR_SIZE, SECTOR_SIZE);
        ASSERT_FALSE(device.queue().submit(requests[i]).is_error());
    }
    EXPECT_EQ(device.held_count(), 2u);
    EXPECT_EQ(device.queue().statistics().in_flight, 5u);
    EXPECT_EQ(device.complete_all(), 5u);
    EXPECT_EQ(device.max_requests_at_driver(), 2u);
    for (Request& request : requests) EXPECT_TRUE(request.is_complete());
}

// ------------------------------------------------------------------ statistics

TEST(Statistics, CountLikeDiskstatsAndReturnToIdle) {
    BusyDevice busy;
    std::vector<uint8_t> data(32 * SECTOR_SIZE);
    Request reads[3], write;
    for (int i = 0; i < 3; ++i) {
        build(reads[i], IoDirection::Read, 4 * i, data.data() + 4 * i * SECTOR_SIZE, 4 * SECTOR_SIZE);
        ASSERT_FALSE(busy.device.queue().submit(reads[i]).is_error());
    }
    build(write, IoDirection::Write, 200, data.data() + 16 * SECTOR_SIZE, 16 * SECTOR_SIZE);
    ASSERT_FALSE(busy.device.queue().submit(write).is_error());

    BlockDeviceStatistics during = busy.device.queue().statistics();
    EXPECT_EQ(during.in_flight, 3u);  // the blocker, the merged reads, the write
    EXPECT_EQ(during.reads_merged, 2u);
    EXPECT_EQ(during.reads_completed, 0u);

    busy.device.complete_all();
    BlockDeviceStatistics after = busy.device.queue().statistics();
    EXPECT_EQ(after.reads_completed, 2u);  // the blocker and the chain of three
    EXPECT_EQ(after.sectors_read, 1u + 12u);
    EXPECT_EQ(after.writes_completed, 1u);
    EXPECT_EQ(after.writes_merged, 0u);
    EXPECT_EQ(after.sectors_written, 16u);
    EXPECT_EQ(after.errors, 0u);
    EXPECT_EQ(after.in_flight, 0u);
    EXPECT_GE(after.weighted_time_ms, after.service_time_ms);
    EXPECT_GE(after.weighted_time_ms, after.busy_time_ms);
    // Idle now: busy time no longer grows.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(busy.device.queue().statistics().busy_time_ms, after.busy_time_ms);
}

// ------------------------------------------------------------------ schedulers

TEST(SchedulerSelection, NoopIsTheDefaultAndUnknownNamesAreRefused) {
    RecordingDevice device("rec", DISK_SECTORS);
    EXPECT_STREQ(device.queue().scheduler_name(), "noop");
    EXPECT_FALSE(device.queue().select_scheduler("noop").is_error());
    EXPECT_STREQ(device.queue().scheduler_name(), "noop");
    EXPECT_EQ(device.queue().select_scheduler("bogus").error(), EINVAL);
    EXPECT_EQ(device.queue().select_scheduler(nullptr).error(), EINVAL);
    EXPECT_STREQ(device.queue().scheduler_name(), "noop");
    EXPECT_TRUE(io_scheduler_exists("noop"));
    EXPECT_FALSE(io_scheduler_exists("bogus"));
    EXPECT_EQ(create_io_scheduler("bogus"), nullptr);
}

TEST(SchedulerSelection, QueuedRequestsMoveToTheNewScheduler) {
    BusyDevice busy;
    std::vector<uint8_t> data(3 * SECTOR_SIZE);
    Request requests[3];
    for (int i = 0; i < 3; ++i) {
        build(requests[i], IoDirection::Read, 50 * (3 - i), data.data() + i * SECTOR_SIZE, SECTOR_SIZE);
        ASSERT_FALSE(busy.device.queue().submit(requests[i]).is_error());
    }
    ASSERT_FALSE(busy.device.queue().select_scheduler("noop").is_error());
    busy.device.complete_all();
    std::vector<RecordingDevice::StartedRequest> started = busy.device.started();
    ASSERT_EQ(started.size(), 4u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(started[i + 1].sector, uint64_t(50 * (3 - i)));
}

// ------------------------------------------------------------------ registry

TEST(Registry, FindsDevicesByNameInRegistrationOrder) {
    reset_block_device_registry();
    RecordingDevice hda("hda", 16), vda("vda", 16), duplicate("hda", 16);
    ASSERT_FALSE(register_block_device(hda).is_error());
    ASSERT_FALSE(register_block_device(vda).is_error());
    EXPECT_EQ(register_block_device(duplicate).error(), EEXIST);
    EXPECT_EQ(find_block_device("hda"), &hda);
    EXPECT_EQ(find_block_device("vda"), &vda);
    EXPECT_EQ(find_block_device("hdb"), nullptr);
    EXPECT_EQ(find_block_device(nullptr), nullptr);
    std::vector<std::string> names;
    for_each_block_device(
        [](BlockDevice& device, void* context) { static_cast<std::vector<std::string>*>(context)->push_back(device.name()); },
        &names);
    EXPECT_EQ(names, (std::vector<std::string>{"hda", "vda"}));
    reset_block_device_registry();
    EXPECT_EQ(find_block_device("hda"), nullptr);
}

TEST(Registry, TheTableHoldsThirtyTwoDevices) {
    reset_block_device_registry();
    std::vector<std::unique_ptr<RecordingDevice>> devices;
    for (int i = 0; i < 33; ++i) {
        devices.push_back(std::make_unique<RecordingDevice>(("disk" + std::to_string(i)).c_str(), 8));
        Result<void> result = register_block_device(*devices.back());
        if (i < 32) {
            EXPECT_FALSE(result.is_error()) << i;
        } else {
            ASSERT_TRUE(result.is_error());
            EXPECT_EQ(result.error(), ENOSPC);
        }
    }
    EXPECT_EQ(find_block_device("disk31"), devices[31].get());
    reset_block_device_registry();
}

TEST(Registry, LongNamesAreCutToFit) {
    RecordingDevice device("a-very-long-device-name", 8);
    EXPECT_EQ(std::string(device.name()), "a-very-long-dev");
}

}  // namespace
