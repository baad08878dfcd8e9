// drivers/block/request_queue.cpp -- submit, dispatch, complete.
//
// Layer: basic I/O supervisor. See request_queue.h. A request's way through
// this file:
//
//   submit()    validate, timestamp, merge into a queued chain or queue it
//   dispatch()  while the device has room: scheduler's next leader ->
//               BlockDevice::start_request()
//   complete()  from the driver: account, complete every request of the
//               chain, dispatch more
//
// Locking: every member is touched only with interrupts off. The driver may
// call complete() from inside start_request() (a RAM disk does), which would
// re-enter dispatch(); dispatching_ turns that into "the outer loop carries
// on", so the stack never grows with the length of the queue.
#include "drivers/block/request_queue.h"

#include "drivers/block/block_device.h"

RequestQueue::RequestQueue(BlockDevice& device)
    : device_(device), scheduler_(create_io_scheduler(default_io_scheduler())) {
    // No panic when this fails: submit() tries again and reports ENOMEM.
}

RequestQueue::~RequestQueue() {
    if (scheduler_ && !scheduler_->empty())
        log_warning("block: queue destroyed with %u requests queued", unsigned(scheduler_->queued_count()));
    delete scheduler_;
}

Result<void> RequestQueue::validate(const Request& request, PhysicalSegments& pieces) const {
    const BlockDeviceLimits& limits = device_.limits();
    if (request.direction == IoDirection::Flush) {
        // A flush carries no data: it asks the device to make earlier
        // completed writes durable. Its sector is ignored.
        if (request.segment_count() != 0) return Error{EINVAL};
        return {};
    }
    if (request.direction != IoDirection::Read && request.direction != IoDirection::Write) return Error{EINVAL};
    if (request.segment_count() == 0) return Error{EINVAL};
    for (uint32_t i = 0; i < request.segment_count(); ++i) {
        const MemorySegment& segment = request.segment(i);
        if (!segment.address || segment.length == 0 || segment.length > limits.max_segment_bytes)
            return Error{EINVAL};
    }
    uint32_t sectors_per_block = device_.logical_block_size() / SECTOR_SIZE;
    if (request.byte_count() % device_.logical_block_size() != 0 || request.sector % sectors_per_block != 0)
        return Error{EINVAL};
    uint64_t sector_count = request.byte_count() / SECTOR_SIZE;
    if (sector_count > limits.max_sectors_per_request) return Error{EINVAL};
    pieces = describe_physical_segments(request, limits);
    if (pieces.count > limits.max_segments) return Error{EINVAL};
    if (request.direction == IoDirection::Write && device_.is_read_only()) return Error{EROFS};
    uint64_t capacity = device_.capacity_sectors();
    if (request.sector > capacity || sector_count > capacity - request.sector) return Error{EIO};
    return {};
}

Result<void> RequestQueue::submit(Request& request) {
    InterruptGuard atomic;
    if (request.in_flight_) return Error{EBUSY};
    PhysicalSegments pieces;
    TRY(validate(request, pieces));
    if (!scheduler_) {
        scheduler_ = create_io_scheduler(default_io_scheduler());
        if (!scheduler_) return Error{ENOMEM};
    }
    uint64_t now = clock_();
    request.complete_ = false;
    request.error_ = 0;
    request.merged_next_ = nullptr;
    request.merged_tail_ = nullptr;
    request.chain_physical_ = pieces;
    request.queued_at_ms = now;
    request.started_at_ms = 0;
    request.in_flight_ = true;

    if (scheduler_->try_merge(request, device_.limits())) {
        account_merge(request);
    } else {
        scheduler_->add(request);
        if (statistics_.in_flight++ == 0) busy_since_ms_ = now;
    }
    dispatch();
    return {};
}

void RequestQueue::account_merge(const Request& request) {
    if (request.direction == IoDirection::Read) ++statistics_.reads_merged;
    if (request.direction == IoDirection::Write) ++statistics_.writes_merged;
}

void RequestQueue::dispatch() {
    if (dispatching_) return;  // the loop further up the stack carries on
    dispatching_ = true;
    uint32_t depth = device_.limits().queue_depth ? device_.limits().queue_depth : 1;
    while (plug_depth_ == 0 && at_driver_ < depth && scheduler_ && !scheduler_->empty()) {
        uint64_t now = clock_();
        Request* leader = scheduler_->next(now);
        if (!leader) break;  // a scheduler that is not empty always has one
        leader->started_at_ms = now;
        statistics_.queue_time_ms += now - leader->queued_at_ms;
        ++at_driver_;
        device_.start_request(*leader);
    }
    dispatching_ = false;
}

void RequestQueue::complete(Request& leader, int error) {
    InterruptGuard atomic;
    // Completing something that was never started is a driver bug, and
    // continuing would corrupt the in-flight counts.
    KASSERT(at_driver_ > 0 && leader.in_flight_);
    --at_driver_;
    account_completion(leader, error, clock_());
    Request* request = &leader;
    while (request) {
        Request* next = request->merged_next_;  // read first: finish() may free it
        finish(*request, error);
        request = next;
    }
    dispatch();
}

void RequestQueue::finish(Request& request, int error) {
    request.merged_next_ = nullptr;
    request.merged_tail_ = nullptr;
    request.error_ = error;
    request.in_flight_ = false;
    request.complete_ = true;
    request.waiters_.wake_all();
    // Last, because the callback may free the request.
    if (request.on_complete) request.on_complete(request, request.completion_context);
}

void RequestQueue::account_completion(const Request& leader, int error, uint64_t now_ms) {
    uint64_t total_ms = now_ms - leader.queued_at_ms;
    uint64_t sectors = error ? 0 : leader.chain_sector_count();
    switch (leader.direction) {
    case IoDirection::Read:
        ++statistics_.reads_completed;
        statistics_.sectors_read += sectors;
        statistics_.read_time_ms += total_ms;
        break;
    case IoDirection::Write:
        ++statistics_.writes_completed;
        statistics_.sectors_written += sectors;
        statistics_.write_time_ms += total_ms;
        break;
    case IoDirection::Flush:
        ++statistics_.flushes_completed;
        statistics_.flush_time_ms += total_ms;
        break;
    }
    if (error) ++statistics_.errors;
    statistics_.service_time_ms += now_ms - leader.started_at_ms;
    statistics_.weighted_time_ms += total_ms;
    if (--statistics_.in_flight == 0) statistics_.busy_time_ms += now_ms - busy_since_ms_;
}

void RequestQueue::plug() {
    InterruptGuard atomic;
    ++plug_depth_;
}

void RequestQueue::unplug() {
    InterruptGuard atomic;
    KASSERT(plug_depth_ > 0);  // unbalanced unplug: a kernel bug
    if (--plug_depth_ == 0) dispatch();
}

Result<void> RequestQueue::select_scheduler(const char* name) {
    if (!io_scheduler_exists(name)) return Error{EINVAL};
    // Allocated before the lock is taken: a failure then leaves everything
    // as it was, and interrupts stay off only for the move itself.
    IoScheduler* replacement = create_io_scheduler(name);
    if (!replacement) return Error{ENOMEM};
    IoScheduler* previous;
    {
        // Under the queue's lock nothing is submitted, merged, dispatched or
        // completed meanwhile: every queued chain moves over whole (leader
        // and followers) with its queued_at_ms, so deadlines carry over.
        // Chains already at the driver are not the scheduler's business.
        InterruptGuard atomic;
        previous = scheduler_;
        if (previous) {
            uint64_t now = clock_();
            while (Request* leader = previous->next(now)) replacement->add(*leader);
        }
        scheduler_ = replacement;
    }
    delete previous;
    return {};
}

const char* RequestQueue::scheduler_name() const {
    InterruptGuard atomic;
    return scheduler_ ? scheduler_->name() : "none";
}

BlockDeviceStatistics RequestQueue::statistics() const {
    InterruptGuard atomic;
    BlockDeviceStatistics snapshot = statistics_;
    // Include the busy period still running, so the figure is current.
    if (snapshot.in_flight > 0) snapshot.busy_time_ms += clock_() - busy_since_ms_;
    return snapshot;
}
