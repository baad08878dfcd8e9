// drivers/block/request_merge.h -- the rules for joining two requests.
//
// Layer: basic I/O supervisor. Shared by every scheduler, so that "may these
// two become one transfer?" has one answer. Two requests merge when they go
// the same direction (flushes never merge), the second's first sector is
// the first's end, and the merged chain stays within the device's limits on
// sectors and segments.
#pragma once

#include "drivers/block/block_device.h"

// Could `follower` be appended behind the chain led by `leader`?
bool can_merge_back(const Request& leader, const Request& follower, const BlockDeviceLimits& limits);
// Appends follower's chain behind leader's chain. Returns false (and
// changes nothing) when the two differ in direction, are flushes, or are
// not adjacent. The device's limits are not known here: check them first
// with can_merge_back.
bool merge_back(Request& leader, Request& follower);
// Makes new_leader (which ends where old_leader starts) the head of a chain
// of both; the caller replaces old_leader by new_leader in its queue.
// Precondition: can_merge_back(new_leader, old_leader, limits).
void merge_front(Request& new_leader, Request& old_leader);
