// tests/host/support/seek_cost_device.cpp -- see seek_cost_device.h.
#include "tests/host/support/seek_cost_device.h"

#include <cstring>

SeekCostDevice::SeekCostDevice(const char* name, uint64_t capacity_sectors, const BlockDeviceLimits& limits)
    : BlockDevice(name, SECTOR_SIZE, capacity_sectors, limits, false), storage_(capacity_sectors * SECTOR_SIZE, 0) {}

void SeekCostDevice::start_request(Request& request) {
    InterruptGuard atomic;  // already held by the queue; taken for clarity
    held_.push_back(&request);
}

void SeekCostDevice::transfer(Request& leader) {
    ServedChain chain{leader.sector, leader.chain_sector_count(), leader.direction, 0, leader.chain_segment_count(), 0,
                      leader.chain_physical_segments().count};
    for (const Request* r = &leader; r; r = r->merged_next()) ++chain.request_count;
    if (leader.direction == IoDirection::Flush) {
        served_.push_back(chain);
        return;  // no data, no head movement
    }
    uint64_t distance = leader.sector > head_sector_ ? leader.sector - head_sector_ : head_sector_ - leader.sector;
    total_seek_cost_ += distance;
    uint64_t offset = leader.sector * SECTOR_SIZE;
    leader.for_each_segment([&](const MemorySegment& segment) {
        if (leader.direction == IoDirection::Read) {
            std::memcpy(segment.address, storage_.data() + offset, segment.length);
        } else {
            std::memcpy(storage_.data() + offset, segment.address, segment.length);
        }
        offset += segment.length;
        if (segment.length > chain.largest_segment_bytes) chain.largest_segment_bytes = segment.length;
    });
    head_sector_ = leader.sector + leader.chain_sector_count();
    served_.push_back(chain);
}

bool SeekCostDevice::serve_next() {
    InterruptGuard atomic;  // as an interrupt handler runs with interrupts off
    if (held_.empty()) return false;
    Request* leader = held_.front();
    held_.pop_front();
    transfer(*leader);
    queue().complete(*leader, 0);
    return true;
}

size_t SeekCostDevice::serve_all() {
    size_t served = 0;
    while (serve_next()) ++served;
    return served;
}

size_t SeekCostDevice::held_count() const {
    InterruptGuard atomic;
    return held_.size();
}

uint64_t SeekCostDevice::head_sector() const {
    InterruptGuard atomic;
    return head_sector_;
}

uint64_t SeekCostDevice::total_seek_cost() const {
    InterruptGuard atomic;
    return total_seek_cost_;
}

std::vector<SeekCostDevice::ServedChain> SeekCostDevice::served() const {
    InterruptGuard atomic;
    return served_;
}
