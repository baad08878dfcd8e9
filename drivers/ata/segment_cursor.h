// drivers/ata/segment_cursor.h -- walking the bytes of a request chain.
//
// Layer: device driver (ATA, PIO). A PIO transfer moves whole sectors
// through the data port, but a request's memory is a list of segments,
// and a merged chain is several requests' lists one after another
// (request.h). SegmentCursor walks those bytes in order: contiguous()
// offers the next sector in place when one segment holds all of it, and
// copy_to/copy_from cross segment (and request) boundaries for a sector
// that is split. Header-only, so host unit tests walk hand-made chains.
//
// Must stay true: the cursor only reads the chain (segments and links),
// never changes it; the caller moves no more bytes than the chain has.
#pragma once

#include <cstdint>

#include "drivers/block/request.h"
#include "kernel/lib/string.h"

namespace ata {

class SegmentCursor {
public:
    explicit SegmentCursor(const Request& leader) : request_(&leader) { skip_empty(); }

    bool at_end() const { return request_ == nullptr; }

    // The next `length` bytes when they lie in one segment, else nullptr.
    uint8_t* contiguous(uint32_t length) const {
        if (!request_) return nullptr;
        const MemorySegment& segment = request_->segment(index_);
        if (segment.length - offset_ < length) return nullptr;
        return static_cast<uint8_t*>(segment.address) + offset_;
    }
    // copy_to: the next `length` bytes into `buffer`; copy_from: `buffer`
    // into the next `length` bytes. Both cross segments and advance.
    void copy_to(void* buffer, uint32_t length) { copy(static_cast<uint8_t*>(buffer), length, false); }
    void copy_from(const void* buffer, uint32_t length) {
        copy(static_cast<uint8_t*>(const_cast<void*>(buffer)), length, true);
    }
    void advance(uint32_t length) {
        while (length > 0 && request_) {
            uint32_t piece = request_->segment(index_).length - offset_;
            if (piece > length) piece = length;
            offset_ += piece;
            length -= piece;
            skip_empty();
        }
    }

private:
    void copy(uint8_t* buffer, uint32_t length, bool into_segments) {
        while (length > 0 && request_) {
            const MemorySegment& segment = request_->segment(index_);
            uint32_t piece = segment.length - offset_;
            if (piece > length) piece = length;
            uint8_t* memory = static_cast<uint8_t*>(segment.address) + offset_;
            if (into_segments) klib::memcpy(memory, buffer, piece);
            else klib::memcpy(buffer, memory, piece);
            buffer += piece;
            length -= piece;
            advance(piece);
        }
    }
    // Moves past finished segments (and requests) to the next byte.
    void skip_empty() {
        while (request_ && (index_ >= request_->segment_count() || offset_ == request_->segment(index_).length)) {
            offset_ = 0;
            if (++index_ >= request_->segment_count()) {
                request_ = request_->merged_next();
                index_ = 0;
            }
        }
    }

    const Request* request_;
    uint32_t index_ = 0;
    uint32_t offset_ = 0;
};

}  // namespace ata
