// tests/host/support/seek_cost_device.h -- a fake disk with a moving head.
//
// Layer: test support for the I/O schedulers (host only). A SeekCostDevice
// is a RAM-backed BlockDevice that models the one thing schedulers exist
// for: a head that must travel. Serving a chain costs the distance in
// sectors from where the head is to the chain's first sector; afterwards
// the head rests just past the chain's last sector. The head starts at 0.
//
// Every started leader is held until the test serves it (serve_next /
// serve_all), as a disk's interrupt would arrive later; meanwhile further
// submissions queue in the scheduler, which is what lets it sort and
// merge. Each served chain is written down (where, how much, how many
// requests and segments, the largest segment), in service order.
//
// Locking: like RecordingDevice, every public method takes the big lock
// (InterruptGuard), which start_request() already holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "drivers/block/block_device.h"

class SeekCostDevice final : public BlockDevice {
public:
    struct ServedChain {
        uint64_t sector;
        uint32_t sector_count;
        IoDirection direction;
        uint32_t request_count;
        uint32_t segment_count;           // the requests' own segments
        uint32_t largest_segment_bytes;
        uint32_t physical_segment_count;  // adjacent memory joined (physical_segments.h)
    };

    SeekCostDevice(const char* name, uint64_t capacity_sectors, const BlockDeviceLimits& limits = {});

    void start_request(Request& request) override;

    // Transfers the oldest held chain, moves the head, completes the chain
    // (which may start the next). False when nothing is held.
    bool serve_next();
    // Serves until nothing is held; returns how many chains were served.
    size_t serve_all();
    size_t held_count() const;

    uint64_t head_sector() const;
    uint64_t total_seek_cost() const;
    std::vector<ServedChain> served() const;
    std::vector<uint8_t>& storage() { return storage_; }

private:
    void transfer(Request& leader);

    std::vector<uint8_t> storage_;
    std::deque<Request*> held_;
    std::vector<ServedChain> served_;
    uint64_t head_sector_ = 0;
    uint64_t total_seek_cost_ = 0;
};
