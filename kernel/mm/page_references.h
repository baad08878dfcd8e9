// kernel/mm/page_references.h -- how many address spaces map each user frame.
//
// Layer: memory management, just above the physical page allocator. Since
// fork shares pages copy-on-write, a frame of user memory may be mapped by
// several address spaces at once, and it is free only when the last of them
// lets go. This file keeps that count: one uint16_t per frame of the direct
// map (384 KiB for 768 MiB), zero for frames that are not user pages.
// (Linux: the _refcount and _mapcount of struct page.)
//
// It also owns the zero frame: one page of zeros, mapped read-only wherever
// an anonymous page has been mapped but not yet written (demand-zero, as
// Linux's ZERO_PAGE). Counting ignores it -- every process maps it many
// times -- and it always counts as shared, so a write to it gets a copy.
// Its direct-map entry is read-only too: a stray kernel write faults loudly.
//
// Must stay true: a frame's count equals the number of page-table entries
// of address spaces that map it. An address space maps a frame at most
// once, and every address space belongs to a process with a kernel stack
// (two of them for a moment during exec), of which there are a few
// thousand: so the count stays far below the uint16_t limit.
// All functions mask interrupts internally and may be called from any context.
#pragma once

#include <cstddef>
#include <cstdint>

namespace page_references {

// Allocates the zero frame; after paging::initialize (it needs the direct map).
void initialize();

// A frame for one mapping (count 1), contents undefined; 0 when memory is out.
uint32_t allocate_page();
// One more mapping of `frame` (fork sharing a page).
void add_reference(uint32_t frame);
// One mapping fewer; the last one frees the frame.
void drop_reference(uint32_t frame);
// Mapped by more than one entry (or the zero frame): a write needs a copy first.
bool is_shared(uint32_t frame);

uint32_t zero_frame();

struct Statistics {
    size_t user_pages;    // frames mapped by at least one address space
    size_t shared_pages;  // of those, mapped by more than one
};
Statistics statistics();

}  // namespace page_references
