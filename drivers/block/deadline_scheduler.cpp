// drivers/block/deadline_scheduler.cpp -- batches, directions and expiry.
//
// Layer: basic I/O supervisor. See deadline_scheduler.h. next() is the
// whole policy: go on with the running batch while it may; otherwise
// choose a direction (reads unless writes have waited long enough) and
// start a new batch, at the oldest request if it has expired, else where
// the head is.
#include "drivers/block/deadline_scheduler.h"

bool DeadlineScheduler::try_merge(Request& request, const BlockDeviceLimits& limits) {
    if (request.direction == IoDirection::Flush) return false;
    Direction direction = direction_of(request);
    MergeCandidate candidate = find_merge_candidate(sorted_[direction], request, limits);
    if (!candidate.leader) return false;
    if (!candidate.front) {
        // Same leader, same first sector: both lists stay as they are. The
        // chain's queued_at_ms stays the leader's, the older of the two.
        merge_back(*candidate.leader, request, limits);
        return true;
    }
    // The new request leads the chain: it takes the old leader's place in
    // arrival order (and, through merge_front, its older queued_at_ms) and
    // a new place in sector order.
    Request& old_leader = *candidate.leader;
    sorted_[direction].remove(old_leader);
    fifo_[direction].insert_before(old_leader, request);
    fifo_[direction].remove(old_leader);
    merge_front(request, old_leader, limits);
    insert_by_sector(sorted_[direction], request);
    return true;
}

void DeadlineScheduler::add(Request& request) {
    if (request.direction == IoDirection::Flush) {
        flushes_.push_back(request);
        return;
    }
    Direction direction = direction_of(request);
    insert_by_sector(sorted_[direction], request);
    insert_by_arrival(fifo_[direction], request);
}

void DeadlineScheduler::insert_by_arrival(ArrivalList& fifo, Request& leader) {
    // New submissions are the newest and go straight to the back; only
    // requests moved over from another scheduler (in that one's order) can
    // be older than some already here.
    Request* last = fifo.back();
    if (!last || last->queued_at_ms <= leader.queued_at_ms) {
        fifo.push_back(leader);
        return;
    }
    for (Request& queued : fifo) {
        if (queued.queued_at_ms > leader.queued_at_ms) {
            fifo.insert_before(queued, leader);
            return;
        }
    }
}

bool DeadlineScheduler::expired(Direction direction, uint64_t now_ms) const {
    const Request* oldest = fifo_[direction].empty() ? nullptr : &*fifo_[direction].begin();
    if (!oldest) return false;
    uint64_t expire_ms = direction == READS ? tunables_.read_expire_ms : tunables_.write_expire_ms;
    return now_ms >= oldest->queued_at_ms + expire_ms;
}

DeadlineScheduler::Direction DeadlineScheduler::choose_batch_direction() {
    bool reads_wait = !sorted_[READS].empty();
    bool writes_wait = !sorted_[WRITES].empty();
    if (reads_wait && (!writes_wait || writes_passed_over_ < tunables_.writes_starved)) {
        if (writes_wait) ++writes_passed_over_;
        return READS;
    }
    if (writes_wait) {
        writes_passed_over_ = 0;
        return WRITES;
    }
    return NO_DIRECTION;
}

Request* DeadlineScheduler::start_batch(Direction direction, uint64_t now_ms) {
    batch_direction_ = direction;
    batch_dispatched_ = 0;
    // An expired request resets the sweep to itself; the batch then goes on
    // upward from there.
    if (expired(direction, now_ms)) return take(direction, *fifo_[direction].front());
    return take(direction, *first_from_head(sorted_[direction], head_sector_));
}

Request* DeadlineScheduler::take(Direction direction, Request& leader) {
    sorted_[direction].remove(leader);
    fifo_[direction].remove(leader);
    head_sector_ = leader.sector + leader.chain_sector_count();
    ++batch_dispatched_;
    // A batch whose sweep has reached its end -- nothing of its direction
    // queued ahead of the head -- is over, even if a request arrives ahead
    // before the next dispatch: the next one is a fresh decision, with the
    // expiry check. (Linux: next_rq becomes NULL.)
    Request* ahead = first_from_head(sorted_[direction], head_sector_);
    if (!ahead || ahead->sector < head_sector_) batch_direction_ = NO_DIRECTION;
    return &leader;
}

Request* DeadlineScheduler::next(uint64_t now_ms) {
    if (Request* flush = flushes_.pop_front()) return flush;
    if (batch_direction_ != NO_DIRECTION && batch_dispatched_ < tunables_.fifo_batch) {
        // Go on with the batch while something of its direction lies ahead
        // of the head; a batch never wraps around.
        Request* ahead = first_from_head(sorted_[batch_direction_], head_sector_);
        if (ahead && ahead->sector >= head_sector_) return take(batch_direction_, *ahead);
    }
    Direction direction = choose_batch_direction();
    if (direction == NO_DIRECTION) {
        batch_direction_ = NO_DIRECTION;
        return nullptr;
    }
    return start_batch(direction, now_ms);
}
