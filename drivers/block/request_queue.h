// drivers/block/request_queue.h -- the per-device queue between the caches
// and the driver.
//
// Layer: basic I/O supervisor. submit() checks a request against the device
// (inside its capacity, sizes that are whole logical blocks, no writes to a
// read-only device, segment limits), timestamps it, offers it to the I/O
// scheduler for merging, and dispatches: while the device has room
// (limits().queue_depth requests in flight) the scheduler's next leader goes
// to BlockDevice::start_request(). When the driver calls complete(), every
// request of the chain completes, the statistics are updated, and the next
// requests are dispatched.
//
// Plugging: between plug() and unplug() submitted requests only queue, so a
// burst of small adjacent requests (a multi-block read, a write-back pass)
// reaches the scheduler whole and can merge before the first dispatch.
// QueuePlug does this for one scope. (Linux: blk_start_plug.)
//
// Scheduler: each queue starts with default_io_scheduler() (iosched= at
// boot) and may switch at any time (select_scheduler; the BLKIOSCHED_SET
// ioctl on the device file).
//
// Locking: all state is guarded by interrupt masking (InterruptGuard), since
// complete() runs in interrupt handlers. submit() never sleeps.
#pragma once

#include <cstdint>

#include "drivers/block/io_scheduler.h"
#include "drivers/block/request.h"

class BlockDevice;

// Counters in the spirit of Linux's /proc/diskstats (times in ms). As there,
// "completed" counts requests as the driver saw them: a chain of merged
// requests completes once, and each request that joined a chain counts once
// in *_merged. Sectors count only transfers that succeeded; errors counts
// chains that failed. Times run from submit (the chain's oldest member) to
// completion.
struct BlockDeviceStatistics {
    uint64_t reads_completed = 0, reads_merged = 0, sectors_read = 0, read_time_ms = 0;
    uint64_t writes_completed = 0, writes_merged = 0, sectors_written = 0, write_time_ms = 0;
    uint64_t flushes_completed = 0, flush_time_ms = 0;
    uint32_t in_flight = 0;            // chains (leaders) queued or at the driver
    uint64_t busy_time_ms = 0;         // time with at least one request in flight
    uint64_t weighted_time_ms = 0;     // sum over requests of their time in flight
    uint64_t queue_time_ms = 0;        // sum of times from submit to dispatch
    uint64_t service_time_ms = 0;      // sum of times from dispatch to completion
    uint64_t errors = 0;
};

class RequestQueue {
public:
    explicit RequestQueue(BlockDevice& device);
    ~RequestQueue();
    RequestQueue(const RequestQueue&) = delete;
    RequestQueue& operator=(const RequestQueue&) = delete;

    // Errors (the request is then not queued and not completed):
    //   EINVAL  no segments (or, for a flush, any segment), an empty segment,
    //           a size or first sector that is not whole logical blocks,
    //           more physical pieces (adjacent memory joined), segment
    //           bytes or sectors than the limits allow
    //   EIO     sectors beyond the end of the device
    //   EROFS   a write to a read-only device
    //   EBUSY   the request is still in flight
    //   ENOMEM  no scheduler could be allocated
    Result<void> submit(Request& request);

    // From the driver: the leader's chain is done (error 0 or an errno).
    void complete(Request& leader, int error);

    void plug();
    void unplug();

    // Replaces the scheduler; requests already queued move over, chains
    // intact, in the old scheduler's dispatch order, under the queue's lock
    // (so it is safe at any time, with requests queued and in flight).
    // EINVAL for an unknown name, ENOMEM when it cannot be created.
    Result<void> select_scheduler(const char* name);
    const char* scheduler_name() const;

    BlockDeviceStatistics statistics() const;

    // The clock of timestamps, statistics and deadlines: platform::now_ms
    // unless a test sets a fake one (to step time without sleeping).
    using Clock = uint64_t (*)();
    void set_clock(Clock clock) { clock_ = clock ? clock : platform::now_ms; }
    BlockDevice& device() { return device_; }

private:
    // Also describes the request's physical pieces (for a data request).
    Result<void> validate(const Request& request, PhysicalSegments& pieces) const;
    void dispatch();  // interrupts off
    void account_merge(const Request& request);
    void account_completion(const Request& leader, int error, uint64_t now_ms);
    static void finish(Request& request, int error);

    BlockDevice& device_;
    IoScheduler* scheduler_ = nullptr;  // nullptr only if none could be allocated yet
    int plug_depth_ = 0;
    uint32_t at_driver_ = 0;   // leaders started and not yet completed
    bool dispatching_ = false; // a dispatch() loop is running further up the stack
    uint64_t busy_since_ms_ = 0;
    BlockDeviceStatistics statistics_;
    Clock clock_ = platform::now_ms;
};

class QueuePlug {
public:
    explicit QueuePlug(RequestQueue& queue) : queue_(queue) { queue_.plug(); }
    ~QueuePlug() { queue_.unplug(); }
    QueuePlug(const QueuePlug&) = delete;
    QueuePlug& operator=(const QueuePlug&) = delete;

private:
    RequestQueue& queue_;
};
