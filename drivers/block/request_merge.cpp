// drivers/block/request_merge.cpp -- joining adjacent requests into chains.
//
// Layer: basic I/O supervisor. See request_merge.h. A chain is a singly
// linked list through merged_next_, starting at the leader; only the leader
// knows the tail (merged_tail_, nullptr while the leader is alone), so an
// append costs O(1) and a follower never carries stale leader state.
#include "drivers/block/request_merge.h"

namespace {

uint64_t chain_end_sector(const Request& leader) { return leader.sector + leader.chain_sector_count(); }

// The conditions that do not depend on the device: same direction, data
// (never a flush), and `follower` starts exactly where the leader's chain ends.
bool continues_chain(const Request& leader, const Request& follower) {
    return leader.direction == follower.direction && leader.direction != IoDirection::Flush &&
           chain_end_sector(leader) == follower.sector;
}

}  // namespace

bool can_merge_back(const Request& leader, const Request& follower, const BlockDeviceLimits& limits) {
    if (&leader == &follower || !continues_chain(leader, follower)) return false;
    uint64_t sectors = uint64_t(leader.chain_sector_count()) + follower.chain_sector_count();
    if (sectors > limits.max_sectors_per_request) return false;
    PhysicalSegments joined =
        join_physical_segments(leader.chain_physical_segments(), follower.chain_physical_segments(), limits);
    return joined.count <= limits.max_segments;
}

bool merge_back(Request& leader, Request& follower, const BlockDeviceLimits& limits) {
    if (&leader == &follower || !continues_chain(leader, follower)) return false;
    uint64_t chain_bytes = leader.chain_byte_count() + follower.chain_byte_count();  // before relinking
    Request* old_tail = leader.merged_tail_ ? leader.merged_tail_ : &leader;
    old_tail->merged_next_ = &follower;
    leader.merged_tail_ = follower.merged_tail_ ? follower.merged_tail_ : &follower;
    follower.merged_tail_ = nullptr;  // no longer a leader
    leader.chain_bytes_ = chain_bytes;
    leader.chain_physical_ = join_physical_segments(leader.chain_physical_, follower.chain_physical_, limits);
    // The chain has waited since its oldest member was queued.
    if (follower.queued_at_ms < leader.queued_at_ms) leader.queued_at_ms = follower.queued_at_ms;
    return true;
}

void merge_front(Request& new_leader, Request& old_leader, const BlockDeviceLimits& limits) {
    // Appending old_leader's chain behind new_leader is exactly a back merge
    // seen from the other side; only the caller's queue bookkeeping differs.
    bool merged = merge_back(new_leader, old_leader, limits);
    KASSERT(merged);
}

MergeCandidate find_merge_candidate(RequestList& leaders, const Request& request, const BlockDeviceLimits& limits) {
    // A linear scan: a queue holds at most a few dozen leaders, and a
    // student can see every candidate in gdb.
    for (Request& leader : leaders) {
        if (can_merge_back(leader, request, limits)) return {&leader, false};
    }
    for (Request& leader : leaders) {
        if (can_merge_back(request, leader, limits)) return {&leader, true};
    }
    return {};
}

void insert_by_sector(RequestList& sorted, Request& leader) {
    for (Request& queued : sorted) {
        if (queued.sector > leader.sector) {
            sorted.insert_before(queued, leader);
            return;
        }
    }
    sorted.push_back(leader);
}

Request* first_from_head(RequestList& sorted, uint64_t head_sector) {
    for (Request& queued : sorted) {
        if (queued.sector >= head_sector) return &queued;
    }
    return sorted.front();  // nothing ahead: wrap to the lowest sector
}
