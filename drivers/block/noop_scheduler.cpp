// drivers/block/noop_scheduler.cpp -- FIFO order with back and front merges.
//
// Layer: basic I/O supervisor. See noop_scheduler.h. The merge rules
// themselves (direction, adjacency, limits) are request_merge.cpp's; this
// file only keeps the FIFO intact when a merge changes a chain's leader.
#include "drivers/block/noop_scheduler.h"

bool NoopScheduler::try_merge(Request& request, const BlockDeviceLimits& limits) {
    // Merging only ever joins the new request to one chain; two queued
    // chains that become adjacent through it stay separate (they are still
    // dispatched back to back).
    MergeCandidate candidate = find_merge_candidate(fifo_, request, limits);
    if (!candidate.leader) return false;
    if (!candidate.front) {
        merge_back(*candidate.leader, request, limits);
        return true;
    }
    // The new request leads now; it inherits the old leader's place in
    // line, so FIFO order among chains is unchanged.
    fifo_.insert_before(*candidate.leader, request);
    fifo_.remove(*candidate.leader);
    merge_front(request, *candidate.leader, limits);
    return true;
}
