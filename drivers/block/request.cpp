// drivers/block/request.cpp -- building a Request and waiting for it.
//
// Layer: physical I/O. See request.h. The queue-side half of a Request's
// life (merging, completion) lives in request_merge.cpp and
// request_queue.cpp; this file is what a submitter calls.
#include "drivers/block/request.h"

bool Request::add_segment(void* address, uint32_t length) {
    if (segment_count_ == MAX_SEGMENTS) return false;
    segments_[segment_count_++] = MemorySegment{address, length};
    byte_count_ += length;
    return true;
}

bool Request::add_or_extend_segment(void* address, uint32_t length, uint32_t max_segment_bytes) {
    if (segment_count_ > 0) {
        MemorySegment& last = segments_[segment_count_ - 1];
        bool continues = static_cast<uint8_t*>(last.address) + last.length == address;
        if (continues && uint64_t(last.length) + length <= max_segment_bytes) {
            last.length += length;
            byte_count_ += length;
            return true;
        }
    }
    return add_segment(address, length);
}

void Request::clear_segments() {
    KASSERT(!in_flight_);
    segment_count_ = 0;
    byte_count_ = 0;
}

uint32_t Request::chain_segment_count() const {
    uint32_t segments = 0;
    for (const Request* r = this; r; r = r->merged_next_) segments += r->segment_count_;
    return segments;
}

Result<void> Request::wait() {
    // complete_ is set with interrupts off (the big lock on the host), and
    // wait_until checks it with them off too, so the wakeup cannot slip in
    // between the check and the sleep.
    waiters_.wait_until([this] { return complete_; });
    if (error_ != 0) return Error{error_};
    return {};
}
