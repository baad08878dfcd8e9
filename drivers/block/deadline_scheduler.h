// drivers/block/deadline_scheduler.h -- sector order, with a bound on every wait.
//
// Layer: basic I/O supervisor (an IoScheduler, see io_scheduler.h). The
// design of Linux's deadline scheduler (mq-deadline), simplified:
//
//   * Reads and writes queue apart, each twice: sorted by sector (for the
//     C-LOOK sweep of elevator_scheduler.h) and in arrival order (a FIFO).
//   * Every request has an expiry time: queued_at_ms + read_expire_ms
//     (reads, 500 ms) or + write_expire_ms (writes, 5 s). Reads are short:
//     a program usually waits for a read, while a write is often write-back
//     that nobody waits for.
//   * Requests leave in batches of up to fifo_batch (16) of one direction,
//     in sector order from the head. A batch ends early when nothing of its
//     direction lies ahead of the head (the end of a sweep).
//   * Each batch picks a direction: reads, unless writes have been passed
//     over writes_starved (2) times in a row -- so writes are never starved
//     by a stream of reads, however long.
//   * A batch starts at the oldest request of its direction if that one has
//     expired, else at the head's position in sector order. So an expired
//     request waits at most for the batch that is running (fifo_batch
//     dispatches) and one batch of the other direction.
//
// Flushes go first, in arrival order, as in the elevator (see there why
// that is safe).
//
// Invariants: every queued data leader of direction d is on sorted_[d]
// (through queue_node, ascending by sector) and on fifo_[d] (through
// fifo_node, ascending by queued_at_ms); flushes only on flushes_; nothing
// on them has been given to the driver. Guarded by the queue's lock.
#pragma once

#include "drivers/block/io_scheduler.h"
#include "drivers/block/request_merge.h"

struct DeadlineTunables {
    uint64_t read_expire_ms = 500;
    uint64_t write_expire_ms = 5000;
    uint32_t fifo_batch = 16;     // leaders per batch
    uint32_t writes_starved = 2;  // read batches that may pass waiting writes
};

class DeadlineScheduler final : public IoScheduler {
public:
    explicit DeadlineScheduler(const DeadlineTunables& tunables = {}) : tunables_(tunables) {}

    const char* name() const override { return "deadline"; }
    bool try_merge(Request& request, const BlockDeviceLimits& limits) override;
    void add(Request& request) override;
    Request* next(uint64_t now_ms) override;
    bool empty() const override { return queued_count() == 0; }
    size_t queued_count() const override {
        return sorted_[READS].size() + sorted_[WRITES].size() + flushes_.size();
    }

private:
    using ArrivalList = klib::IntrusiveList<Request, &Request::fifo_node>;
    enum Direction { READS = 0, WRITES = 1, NO_DIRECTION = 2 };

    static Direction direction_of(const Request& request) {
        return request.direction == IoDirection::Write ? WRITES : READS;
    }
    bool expired(Direction direction, uint64_t now_ms) const;
    Direction choose_batch_direction();
    Request* start_batch(Direction direction, uint64_t now_ms);
    Request* take(Direction direction, Request& leader);
    void insert_by_arrival(ArrivalList& fifo, Request& leader);

    DeadlineTunables tunables_;
    RequestList sorted_[2];
    ArrivalList fifo_[2];
    RequestList flushes_;
    uint64_t head_sector_ = 0;                 // where the last dispatched chain ended
    Direction batch_direction_ = NO_DIRECTION; // of the batch running, if any
    uint32_t batch_dispatched_ = 0;            // leaders of that batch so far
    uint32_t writes_passed_over_ = 0;          // read batches chosen while writes waited
};
