// drivers/block/elevator_scheduler.cpp -- C-LOOK order with merges.
//
// Layer: basic I/O supervisor. See elevator_scheduler.h. The sector order
// and the merge rules are request_merge.cpp's (shared with the deadline
// scheduler); this file only keeps sorted_ sorted and moves the head.
#include "drivers/block/elevator_scheduler.h"

bool ElevatorScheduler::try_merge(Request& request, const BlockDeviceLimits& limits) {
    MergeCandidate candidate = find_merge_candidate(sorted_, request, limits);
    if (!candidate.leader) return false;
    if (!candidate.front) {
        // The chain keeps its first sector, so its place in sorted_ holds.
        merge_back(*candidate.leader, request, limits);
        return true;
    }
    // The chain now starts earlier: take it out and put it back by its new
    // first sector (another queued request may overlap those sectors).
    sorted_.remove(*candidate.leader);
    merge_front(request, *candidate.leader, limits);
    insert_by_sector(sorted_, request);
    return true;
}

void ElevatorScheduler::add(Request& request) {
    if (request.direction == IoDirection::Flush) {
        flushes_.push_back(request);
    } else {
        insert_by_sector(sorted_, request);
    }
}

Request* ElevatorScheduler::next(uint64_t /*now_ms*/) {
    if (Request* flush = flushes_.pop_front()) return flush;
    Request* leader = first_from_head(sorted_, head_sector_);
    if (!leader) return nullptr;
    sorted_.remove(*leader);
    head_sector_ = leader->sector + leader->chain_sector_count();
    return leader;
}
