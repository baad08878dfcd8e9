// drivers/block/request_merge.h -- the rules for joining two requests, and
// the sector order the sorting schedulers share.
//
// Layer: basic I/O supervisor. Shared by every scheduler, so that "may these
// two become one transfer?" and "which request is next in sector order?"
// each have one answer. Two requests merge when they go the same direction
// (flushes never merge), the second's first sector is the first's end, and
// the merged chain stays within the device's limits on sectors and on
// physical pieces (physical_segments.h: memory that continues across the
// two requests is one piece, within max_segment_bytes and the
// segment_boundary). The requests' own segments are left as they are; the
// driver joins adjacent memory when it builds its scatter-gather list.
#pragma once

#include "drivers/block/block_device.h"
#include "kernel/lib/list.h"

// Leaders linked through queue_node: a FIFO (noop) or a list kept in
// ascending order of first sector (elevator, deadline).
using RequestList = klib::IntrusiveList<Request, &Request::queue_node>;

// Could `follower` be appended behind the chain led by `leader`?
bool can_merge_back(const Request& leader, const Request& follower, const BlockDeviceLimits& limits);
// Appends follower's chain behind leader's chain. Returns false (and
// changes nothing) when the two differ in direction, are flushes, or are
// not adjacent. The limits are not checked here (do that first with
// can_merge_back); they say how the chain's physical pieces join.
bool merge_back(Request& leader, Request& follower, const BlockDeviceLimits& limits);
// Makes new_leader (which ends where old_leader starts) the head of a chain
// of both; the caller replaces old_leader by new_leader in its queue.
// Precondition: can_merge_back(new_leader, old_leader, limits).
void merge_front(Request& new_leader, Request& old_leader, const BlockDeviceLimits& limits);

// Where a new request could join a queued chain: behind `leader`'s chain
// (a back merge) or in front of it (a front merge, `leader` then stops
// being one). leader is nullptr when no queued chain fits. Back merges are
// looked for first: they keep the older leader, and with it its place.
struct MergeCandidate {
    Request* leader = nullptr;
    bool front = false;
};
MergeCandidate find_merge_candidate(RequestList& leaders, const Request& request, const BlockDeviceLimits& limits);

// Inserts `leader` into a list kept ascending by first sector; among equal
// sectors, after the ones already there (so equal sectors keep arrival order).
void insert_by_sector(RequestList& sorted, Request& leader);
// C-LOOK's choice: the first leader starting at or after `head_sector`, or,
// when none does, the lowest (the head sweeps up, then jumps back to the
// start). nullptr when the list is empty. The leader stays on the list.
Request* first_from_head(RequestList& sorted, uint64_t head_sector);
