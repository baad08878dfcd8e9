// tests/host/support/recording_device.cpp -- see recording_device.h.
#include "tests/host/support/recording_device.h"

#include <chrono>
#include <cstring>
#include <thread>

RecordingDevice::RecordingDevice(const char* name, uint64_t capacity_sectors, const BlockDeviceLimits& limits,
                                 uint32_t logical_block_size, bool read_only)
    : BlockDevice(name, logical_block_size, capacity_sectors, limits, read_only),
      storage_(capacity_sectors * SECTOR_SIZE, 0) {}

void RecordingDevice::start_request(Request& request) {
    InterruptGuard atomic;  // already held by the queue; taken for clarity
    uint32_t chained = 0;
    for (const Request* r = &request; r; r = r->merged_next()) ++chained;
    started_.push_back({request.sector, request.chain_sector_count(), request.direction,
                        request.chain_segment_count(), chained});
    if (++at_driver_ > max_at_driver_) max_at_driver_ = at_driver_;
    if (mode_ == Mode::Hold) {
        held_.push_back(&request);
        return;
    }
    perform(request, 0);
}

void RecordingDevice::perform(Request& leader, int error) {
    if (covers_failing_sector(leader)) error = EIO;
    if (error == 0 && leader.direction != IoDirection::Flush) {
        uint64_t offset = leader.sector * SECTOR_SIZE;
        leader.for_each_segment([&](const MemorySegment& segment) {
            if (leader.direction == IoDirection::Read) {
                std::memcpy(segment.address, storage_.data() + offset, segment.length);
            } else {
                std::memcpy(storage_.data() + offset, segment.address, segment.length);
            }
            offset += segment.length;
        });
    }
    --at_driver_;
    queue().complete(leader, error);
}

bool RecordingDevice::covers_failing_sector(const Request& leader) const {
    if (leader.direction == IoDirection::Flush) return false;
    uint64_t end = leader.sector + leader.chain_sector_count();
    auto first = failing_sectors_.lower_bound(leader.sector);
    return first != failing_sectors_.end() && *first < end;
}

void RecordingDevice::set_mode(Mode mode) {
    InterruptGuard atomic;
    mode_ = mode;
}

bool RecordingDevice::complete_next(int error) {
    InterruptGuard atomic;  // as an interrupt handler runs with interrupts off
    if (held_.empty()) return false;
    Request* leader = held_.front();
    held_.pop_front();
    perform(*leader, error);
    return true;
}

size_t RecordingDevice::complete_all() {
    InterruptGuard atomic;
    size_t completed = 0;
    while (complete_next()) ++completed;
    return completed;
}

size_t RecordingDevice::held_count() const {
    InterruptGuard atomic;
    return held_.size();
}

bool RecordingDevice::wait_for_held(size_t count, int timeout_ms) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (held_count() < count) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

void RecordingDevice::fail_sector(uint64_t sector) {
    InterruptGuard atomic;
    failing_sectors_.insert(sector);
}

void RecordingDevice::clear_failures() {
    InterruptGuard atomic;
    failing_sectors_.clear();
}

std::vector<RecordingDevice::StartedRequest> RecordingDevice::started() const {
    InterruptGuard atomic;
    return started_;
}

void RecordingDevice::clear_started() {
    InterruptGuard atomic;
    started_.clear();
}

uint32_t RecordingDevice::max_requests_at_driver() const {
    InterruptGuard atomic;
    return max_at_driver_;
}
