// drivers/block/physical_segments.h -- how many pieces of physical memory a
// request (or a chain) needs once adjacent memory is joined.
//
// Layer: physical I/O. A driver describes a transfer to its hardware as a
// list of physically contiguous pieces: virtio descriptors, ATA PRD entries.
// A request's segments are kernel virtual memory, so one segment may be
// several pieces (a kernel stack is mapped page by page), and two segments
// may be one piece (two pages of one heap buffer, or page cache pages that
// happen to lie side by side). BlockDeviceLimits::max_segments bounds the
// pieces, not the segments: a chain of 256 one-page requests in one 1 MiB
// buffer needs 16 pieces of 64 KiB. (Linux: nr_phys_segments and
// blk_rq_merge_ok's segment checks.)
//
// The rules, applied in order, so a driver that joins greedily never needs
// more pieces than counted here:
//   - each page of a segment is translated on its own
//     (platform::physical_address_of); unmapped memory is a piece that
//     joins nothing
//   - a piece never crosses a multiple of limits.segment_boundary (ATA's
//     64 KiB rule) and is never longer than limits.max_segment_bytes
//   - a piece joins the one before when it starts where that one ends, the
//     join is not at a boundary, and together they stay within
//     max_segment_bytes
//
// What must stay true: a PhysicalSegments value describes the memory in
// order with pieces that each keep the rules, so its count is never below
// what a driver needs. Joining two descriptions (a merge) joins only at the
// seam, so where max_segment_bytes cuts a long run it may count a piece
// more than a fresh walk of the whole would; where pieces may be as long as
// the boundary window (ATA) the two agree exactly.
#pragma once

#include <cstdint>

class Request;
struct BlockDeviceLimits;

// The count, and the first and last piece (where a neighbour could join).
struct PhysicalSegments {
    static constexpr uint64_t NOT_MAPPED = ~uint64_t(0);

    uint32_t count = 0;
    uint64_t first_start = 0;
    uint32_t first_length = 0;
    uint64_t last_start = 0;
    uint32_t last_length = 0;
};

// The pieces of `request`'s own segments (not its merged followers).
PhysicalSegments describe_physical_segments(const Request& request, const BlockDeviceLimits& limits);
// The pieces of `front`'s memory followed by `back`'s.
PhysicalSegments join_physical_segments(const PhysicalSegments& front, const PhysicalSegments& back,
                                        const BlockDeviceLimits& limits);
