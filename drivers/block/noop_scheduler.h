// drivers/block/noop_scheduler.h -- first come, first served.
//
// Layer: basic I/O supervisor (an IoScheduler, see io_scheduler.h). The
// simplest policy: leaders leave in the order they arrived. It still merges,
// because merging costs nothing and saves whole device round trips: a
// request that continues a queued chain joins its tail (back merge), one
// that ends where a queued leader starts becomes that chain's new leader
// and takes its place in the line (front merge). Flushes keep their place
// in the line like everything else. (Linux: the "none" scheduler, whose
// merging is done by the block core.)
//
// Invariants: fifo_ holds leaders only, oldest first; a leader on it has
// not been given to the driver. Guarded by the queue's lock (interrupts off).
#pragma once

#include "drivers/block/io_scheduler.h"
#include "drivers/block/request_merge.h"

class NoopScheduler final : public IoScheduler {
public:
    const char* name() const override { return "noop"; }
    bool try_merge(Request& request, const BlockDeviceLimits& limits) override;
    void add(Request& request) override { fifo_.push_back(request); }
    Request* next(uint64_t /*now_ms*/) override { return fifo_.pop_front(); }
    bool empty() const override { return fifo_.empty(); }
    size_t queued_count() const override { return fifo_.size(); }

private:
    RequestList fifo_;
};
