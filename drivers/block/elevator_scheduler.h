// drivers/block/elevator_scheduler.h -- C-LOOK: the disk head sweeps upward.
//
// Layer: basic I/O supervisor (an IoScheduler, see io_scheduler.h). Queued
// leaders are kept in order of their first sector. The next one to go is
// the first at or after the head -- the sector just past the chain
// dispatched last -- and when nothing lies ahead, the head jumps back to
// the lowest queued sector and sweeps up again (C-LOOK: "circular", so
// requests at both ends wait equally long, and "look", because it turns at
// the last request rather than the disk's edge). On a disk with a moving
// head this replaces many long seeks by one sweep. Requests still merge
// front and back within the device's limits (request_merge.h); a front
// merge moves the chain to its new first sector.
//
// Flushes do not have a sector: they go first, in arrival order. A flush
// only promises that writes completed before it was submitted are durable
// (as in Linux, whose flush machinery bypasses the scheduler), so letting
// it overtake queued writes loses nothing.
//
// What C-LOOK does not do: bound the wait. A stream of requests just ahead
// of the head keeps it from ever turning, and a request behind it waits
// until the stream stops. The deadline scheduler adds that bound.
//
// Invariants: sorted_ holds data leaders, ascending by sector (equal sectors
// in arrival order); flushes_ holds flushes, oldest first; nothing on
// either has been given to the driver. Guarded by the queue's lock.
#pragma once

#include "drivers/block/io_scheduler.h"
#include "drivers/block/request_merge.h"

class ElevatorScheduler final : public IoScheduler {
public:
    const char* name() const override { return "elevator"; }
    bool try_merge(Request& request, const BlockDeviceLimits& limits) override;
    void add(Request& request) override;
    Request* next(uint64_t now_ms) override;
    bool empty() const override { return sorted_.empty() && flushes_.empty(); }
    size_t queued_count() const override { return sorted_.size() + flushes_.size(); }

private:
    RequestList sorted_;
    RequestList flushes_;
    uint64_t head_sector_ = 0;  // where the last dispatched chain ended
};
