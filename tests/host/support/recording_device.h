// tests/host/support/recording_device.h -- a fake disk that remembers.
//
// Layer: test support for the block layer and the caches (host only). A
// RecordingDevice is a BlockDevice whose "platter" is a std::vector<uint8_t>
// and which writes down every leader request the queue starts: where, how
// many sectors, which direction, how many segments, how many requests were
// merged into it. Tests then check what reached the "hardware".
//
// Modes:
//   CompleteImmediately  the transfer and queue().complete() happen inside
//                        start_request(), like a RAM disk
//   Hold                 started requests wait in a list until the test calls
//                        complete_next() / complete_all(), possibly from
//                        another std::thread; that plays the interrupt
//                        handler: copy the data, then queue().complete()
//                        under an InterruptGuard
// Failure injection: fail_sector(s) makes every request whose chain covers
// sector s complete with EIO (its data are not transferred).
//
// Locking: the device's own state is guarded by the big lock
// (InterruptGuard), which start_request() already holds when the queue
// calls it; every public method takes it, so tests may call them from any
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <set>
#include <vector>

#include "drivers/block/block_device.h"

class RecordingDevice final : public BlockDevice {
public:
    enum class Mode { CompleteImmediately, Hold };

    struct StartedRequest {
        uint64_t sector;
        uint32_t sector_count;   // of the whole chain
        IoDirection direction;
        uint32_t segment_count;  // of the whole chain
        uint32_t request_count;  // 1 + the requests merged behind the leader
    };

    RecordingDevice(const char* name, uint64_t capacity_sectors, const BlockDeviceLimits& limits = {},
                    uint32_t logical_block_size = SECTOR_SIZE, bool read_only = false);

    void start_request(Request& request) override;

    void set_mode(Mode mode);
    // Completes the oldest held request with `error` (or EIO if it covers a
    // failing sector). False when none is held.
    bool complete_next(int error = 0);
    // Completes every held request, including any the completions start.
    size_t complete_all();
    size_t held_count() const;
    // Polls until at least `count` requests are held; false on timeout.
    bool wait_for_held(size_t count, int timeout_ms = 5000) const;

    void fail_sector(uint64_t sector);
    void clear_failures();

    std::vector<StartedRequest> started() const;
    void clear_started();
    // The most requests the driver ever had at once.
    uint32_t max_requests_at_driver() const;

    // The backing store; touch it only while no request is being transferred.
    std::vector<uint8_t>& storage() { return storage_; }

private:
    // Copies the chain's data and completes it. Big lock held.
    void perform(Request& leader, int error);
    bool covers_failing_sector(const Request& leader) const;

    std::vector<uint8_t> storage_;
    Mode mode_ = Mode::CompleteImmediately;
    std::deque<Request*> held_;
    std::set<uint64_t> failing_sectors_;
    std::vector<StartedRequest> started_;
    uint32_t at_driver_ = 0;
    uint32_t max_at_driver_ = 0;
};
