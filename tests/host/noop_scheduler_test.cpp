// tests/host/noop_scheduler_test.cpp -- the noop scheduler's order and merges.
//
// What is tested: FIFO dispatch, back and front merges while the device is
// busy or the queue plugged (nested plugs dispatch at the outermost unplug),
// merges that never pass the device's limits (sectors, segments), and what
// never merges: reads with writes, flushes, writes across a flush.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "drivers/block/block_device_registry.h"
#include "drivers/block/request_merge.h"
#include "tests/host/support/block_test_helpers.h"
#include "tests/host/support/recording_device.h"

namespace {

using namespace block_test;

TEST(NoopScheduler, DispatchesInArrivalOrder) {
    BusyDevice busy;
    std::vector<uint8_t> data(3 * SECTOR_SIZE);
    Request requests[3];
    const uint64_t sectors[3] = {700, 10, 300};
    for (int i = 0; i < 3; ++i) {
        build(requests[i], IoDirection::Read, sectors[i], data.data() + i * SECTOR_SIZE, SECTOR_SIZE);
        ASSERT_FALSE(busy.device.queue().submit(requests[i]).is_error());
    }
    EXPECT_EQ(busy.device.held_count(), 1u);  // queue depth 1
    busy.device.complete_all();
    std::vector<RecordingDevice::StartedRequest> started = busy.device.started();
    ASSERT_EQ(started.size(), 4u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(started[i + 1].sector, sectors[i]);
    EXPECT_EQ(busy.device.max_requests_at_driver(), 1u);
}

TEST(NoopScheduler, BackMergesWhileTheDeviceIsBusy) {
    BusyDevice busy;
    std::vector<uint8_t> data = pattern(24 * SECTOR_SIZE, 3);
    Request requests[3];
    for (int i = 0; i < 3; ++i) {
        build(requests[i], IoDirection::Write, 8 * i, data.data() + i * 8 * SECTOR_SIZE, 8 * SECTOR_SIZE);
        ASSERT_FALSE(busy.device.queue().submit(requests[i]).is_error());
    }
    EXPECT_EQ(requests[0].merged_next(), &requests[1]);
    EXPECT_EQ(requests[1].merged_next(), &requests[2]);
    busy.device.complete_all();
    std::vector<RecordingDevice::StartedRequest> started = busy.device.started();
    ASSERT_EQ(started.size(), 2u);
    EXPECT_EQ(started[1].sector, 0u);
    EXPECT_EQ(started[1].sector_count, 24u);
    EXPECT_EQ(started[1].request_count, 3u);
    for (Request& request : requests) EXPECT_FALSE(request.wait().is_error());
    EXPECT_EQ(std::memcmp(busy.device.storage().data(), data.data(), data.size()), 0);
    BlockDeviceStatistics statistics = busy.device.queue().statistics();
    EXPECT_EQ(statistics.writes_merged, 2u);
    EXPECT_EQ(statistics.writes_completed, 1u);
    EXPECT_EQ(statistics.sectors_written, 24u);
}

TEST(NoopScheduler, FrontMergesWhileTheDeviceIsBusy) {
    BusyDevice busy;
    std::vector<uint8_t> data = pattern(24 * SECTOR_SIZE, 4);
    Request requests[3];
    for (int i = 2; i >= 0; --i) {  // 16, then 8, then 0: each ends where the queued one starts
        build(requests[i], IoDirection::Write, 8 * i, data.data() + i * 8 * SECTOR_SIZE, 8 * SECTOR_SIZE);
        ASSERT_FALSE(busy.device.queue().submit(requests[i]).is_error());
    }
    EXPECT_EQ(requests[0].merged_next(), &requests[1]);
    busy.device.complete_all();
    std::vector<RecordingDevice::StartedRequest> started = busy.device.started();
    ASSERT_EQ(started.size(), 2u);
    EXPECT_EQ(started[1].sector, 0u);
    EXPECT_EQ(started[1].sector_count, 24u);
    EXPECT_EQ(started[1].request_count, 3u);
    EXPECT_EQ(std::memcmp(busy.device.storage().data(), data.data(), data.size()), 0);
    EXPECT_EQ(busy.device.queue().statistics().writes_merged, 2u);
}

TEST(NoopScheduler, AFrontMergedChainKeepsItsPlaceInLine) {
    BusyDevice busy;
    std::vector<uint8_t> data(32 * SECTOR_SIZE);
    Request first, second, joins_first;
    build(first, IoDirection::Read, 100, data.data(), 8 * SECTOR_SIZE);
    build(second, IoDirection::Read, 500, data.data() + 8 * SECTOR_SIZE, 8 * SECTOR_SIZE);
    build(joins_first, IoDirection::Read, 92, data.data() + 16 * SECTOR_SIZE, 8 * SECTOR_SIZE);
    for (Request* r : {&first, &second, &joins_first}) ASSERT_FALSE(busy.device.queue().submit(*r).is_error());
    busy.device.complete_all();
    std::vector<RecordingDevice::StartedRequest> started = busy.device.started();
    ASSERT_EQ(started.size(), 3u);
    EXPECT_EQ(started[1].sector, 92u);
    EXPECT_EQ(started[1].sector_count, 16u);
    EXPECT_EQ(started[2].sector, 500u);
}

TEST(NoopScheduler, MergesWhilePlugged) {
    RecordingDevice device("rec", DISK_SECTORS);
    std::vector<uint8_t> data = pattern(32 * SECTOR_SIZE, 5);
    Request requests[4];
    {
        QueuePlug plug(device.queue());
        for (int i = 0; i < 4; ++i) {
            build(requests[i], IoDirection::Write, 64 + 8 * i, data.data() + i * 8 * SECTOR_SIZE, 8 * SECTOR_SIZE);
            ASSERT_FALSE(device.queue().submit(requests[i]).is_error());
        }
        EXPECT_TRUE(device.started().empty());
        EXPECT_FALSE(requests[0].is_complete());
    }
    std::vector<RecordingDevice::StartedRequest> started = device.started();
    ASSERT_EQ(started.size(), 1u);
    EXPECT_EQ(started[0].sector, 64u);
    EXPECT_EQ(started[0].sector_count, 32u);
    EXPECT_EQ(started[0].request_count, 4u);
    for (Request& request : requests) EXPECT_TRUE(request.is_complete());
    EXPECT_EQ(std::memcmp(device.storage().data() + 64 * SECTOR_SIZE, data.data(), data.size()), 0);
}

TEST(NoopScheduler, NestedPlugsDispatchOnlyAtTheOutermostUnplug) {
    RecordingDevice device("rec", DISK_SECTORS);
    std::vector<uint8_t> data(SECTOR_SIZE);
    Request request;
    build(request, IoDirection::Read, 0, data.data(), SECTOR_SIZE);
    device.queue().plug();
    {
        QueuePlug inner(device.queue());
        ASSERT_FALSE(device.queue().submit(request).is_error());
    }
    EXPECT_FALSE(request.is_complete());
    device.queue().unplug();
    EXPECT_TRUE(request.is_complete());
}

TEST(NoopScheduler, MergesNeverExceedMaxSectorsPerRequest) {
    RecordingDevice device("rec", DISK_SECTORS, limits_with(16, 32));
    std::vector<uint8_t> data(40 * SECTOR_SIZE);
    Request requests[5];
    {
        QueuePlug plug(device.queue());
        for (int i = 0; i < 5; ++i) {
            build(requests[i], IoDirection::Read, 8 * i, data.data() + i * 8 * SECTOR_SIZE, 8 * SECTOR_SIZE);
            ASSERT_FALSE(device.queue().submit(requests[i]).is_error());
        }
    }
    std::vector<RecordingDevice::StartedRequest> started = device.started();
    ASSERT_EQ(started.size(), 3u);
    EXPECT_EQ(started[0].sector_count, 16u);
    EXPECT_EQ(started[1].sector_count, 16u);
    EXPECT_EQ(started[2].sector_count, 8u);
    EXPECT_EQ(device.queue().statistics().reads_merged, 2u);
}

TEST(NoopScheduler, MergesNeverExceedMaxSegments) {
    RecordingDevice device("rec", DISK_SECTORS, limits_with(256, 4));
    std::vector<uint8_t> data(24 * SECTOR_SIZE);
    Request requests[4];
    {
        QueuePlug plug(device.queue());
        for (int i = 0; i < 4; ++i) {  // 3 segments each, none adjacent: no two fit in 4
            requests[i].direction = IoDirection::Write;
            requests[i].sector = 3 * i;
            for (int j = 0; j < 3; ++j)
                ASSERT_TRUE(requests[i].add_segment(&data[(6 * i + 2 * j) * SECTOR_SIZE], SECTOR_SIZE));
            ASSERT_FALSE(device.queue().submit(requests[i]).is_error());
        }
    }
    std::vector<RecordingDevice::StartedRequest> started = device.started();
    ASSERT_EQ(started.size(), 4u);
    for (const auto& request : started) EXPECT_LE(request.segment_count, 4u);
    EXPECT_EQ(device.queue().statistics().writes_merged, 0u);
}

TEST(NoopScheduler, ReadsNeverMergeWithWrites) {
    RecordingDevice device("rec", DISK_SECTORS);
    std::vector<uint8_t> data(16 * SECTOR_SIZE);
    Request write, read;
    build(write, IoDirection::Write, 8, data.data(), 8 * SECTOR_SIZE);
    build(read, IoDirection::Read, 16, data.data() + 8 * SECTOR_SIZE, 8 * SECTOR_SIZE);
    {
        QueuePlug plug(device.queue());
        ASSERT_FALSE(device.queue().submit(write).is_error());
        ASSERT_FALSE(device.queue().submit(read).is_error());
    }
    std::vector<RecordingDevice::StartedRequest> started = device.started();
    ASSERT_EQ(started.size(), 2u);
    EXPECT_EQ(started[0].direction, IoDirection::Write);
    EXPECT_EQ(started[1].direction, IoDirection::Read);
    BlockDeviceLimits limits;
    EXPECT_FALSE(can_merge_back(write, read, limits));
    EXPECT_FALSE(merge_back(write, read, limits));
}

TEST(NoopScheduler, FlushesNeverMerge) {
    RecordingDevice device("rec", DISK_SECTORS);
    Request flushes[3];
    {
        QueuePlug plug(device.queue());
        for (Request& flush : flushes) {
            flush.direction = IoDirection::Flush;
            ASSERT_FALSE(device.queue().submit(flush).is_error());
        }
    }
    std::vector<RecordingDevice::StartedRequest> started = device.started();
    ASSERT_EQ(started.size(), 3u);
    for (const auto& request : started) {
        EXPECT_EQ(request.direction, IoDirection::Flush);
        EXPECT_EQ(request.request_count, 1u);
    }
    EXPECT_EQ(device.queue().statistics().flushes_completed, 3u);
}

TEST(NoopScheduler, WritesQueuedAroundAFlushStayInOrder) {
    BusyDevice busy;
    std::vector<uint8_t> data(16 * SECTOR_SIZE);
    Request before, flush, after;
    build(before, IoDirection::Write, 0, data.data(), 8 * SECTOR_SIZE);
    flush.direction = IoDirection::Flush;
    build(after, IoDirection::Write, 100, data.data() + 8 * SECTOR_SIZE, 8 * SECTOR_SIZE);
    for (Request* r : {&before, &flush, &after}) ASSERT_FALSE(busy.device.queue().submit(*r).is_error());
    busy.device.complete_all();
    std::vector<RecordingDevice::StartedRequest> started = busy.device.started();
    ASSERT_EQ(started.size(), 4u);
    EXPECT_EQ(started[1].direction, IoDirection::Write);
    EXPECT_EQ(started[2].direction, IoDirection::Flush);
    EXPECT_EQ(started[3].sector, 100u);
}

}  // namespace
