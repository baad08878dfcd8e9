// drivers/block/physical_segments.cpp -- counting physical pieces. See the header.
#include "drivers/block/physical_segments.h"

#include "drivers/block/block_device.h"
#include "drivers/block/request.h"

namespace {

constexpr uint32_t PAGE_BYTES = 4096;

bool pieces_join(const PhysicalSegments& front, const PhysicalSegments& back, const BlockDeviceLimits& limits) {
    if (front.count == 0 || back.count == 0) return false;
    if (front.last_start == PhysicalSegments::NOT_MAPPED || back.first_start == PhysicalSegments::NOT_MAPPED)
        return false;
    if (front.last_start + front.last_length != back.first_start) return false;
    if (limits.segment_boundary != 0 && back.first_start % limits.segment_boundary == 0) return false;
    return uint64_t(front.last_length) + back.first_length <= limits.max_segment_bytes;
}

PhysicalSegments one_piece(uint64_t start, uint32_t length) { return {1, start, length, start, length}; }

// The longest first piece of [physical, +length) the limits allow.
uint32_t piece_length(uint64_t physical, uint32_t length, const BlockDeviceLimits& limits) {
    uint32_t piece = length;
    if (limits.max_segment_bytes != 0 && piece > limits.max_segment_bytes) piece = limits.max_segment_bytes;
    if (limits.segment_boundary != 0) {
        uint64_t to_boundary = limits.segment_boundary - physical % limits.segment_boundary;
        if (piece > to_boundary) piece = uint32_t(to_boundary);
    }
    return piece;
}

}  // namespace

PhysicalSegments join_physical_segments(const PhysicalSegments& front, const PhysicalSegments& back,
                                        const BlockDeviceLimits& limits) {
    if (front.count == 0) return back;
    if (back.count == 0) return front;
    PhysicalSegments joined = {front.count + back.count, front.first_start, front.first_length, back.last_start,
                               back.last_length};
    if (!pieces_join(front, back, limits)) return joined;
    // The last piece of `front` and the first of `back` become one; if
    // either side was a single piece, that piece is also the chain's end.
    joined.count -= 1;
    uint32_t merged_length = front.last_length + back.first_length;
    if (front.count == 1) joined.first_length = merged_length;
    if (back.count == 1) {
        joined.last_start = front.last_start;
        joined.last_length = merged_length;
    }
    return joined;
}

PhysicalSegments describe_physical_segments(const Request& request, const BlockDeviceLimits& limits) {
    PhysicalSegments description;
    for (uint32_t i = 0; i < request.segment_count(); ++i) {
        const MemorySegment& segment = request.segment(i);
        uintptr_t address = reinterpret_cast<uintptr_t>(segment.address);
        uint32_t left = segment.length;
        while (left > 0) {
            // Page by page: only within a page does physical memory surely
            // follow virtual memory.
            uint32_t in_page = PAGE_BYTES - uint32_t(address % PAGE_BYTES);
            uint32_t page_piece = left < in_page ? left : in_page;
            uint64_t physical = platform::physical_address_of(reinterpret_cast<const void*>(address));
            if (physical == 0) {
                description = join_physical_segments(description, one_piece(PhysicalSegments::NOT_MAPPED, page_piece),
                                                     limits);
            } else {
                for (uint32_t done = 0; done < page_piece;) {
                    uint32_t piece = piece_length(physical + done, page_piece - done, limits);
                    description = join_physical_segments(description, one_piece(physical + done, piece), limits);
                    done += piece;
                }
            }
            address += page_piece;
            left -= page_piece;
        }
    }
    return description;
}
