// kernel/mm/page_references.cpp -- reference counts of user frames. See the header.
//
// Invariant: user_pages is the number of non-zero counts, shared_pages the
// number of counts above one; the zero frame's count stays 0.
#include "kernel/mm/page_references.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/string.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/memory_pressure.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/panic.h"

namespace {

// Out of memory for a program's page: ask the caches for this many back.
constexpr size_t RECLAIM_BATCH_PAGES = 64;

using memory_layout::PAGE_SIZE;
constexpr uint32_t FRAME_COUNT = memory_layout::DIRECT_MAP_LIMIT_PHYSICAL / PAGE_SIZE;
constexpr uint16_t MAX_COUNT = 0xFFFF;

uint16_t reference_counts[FRAME_COUNT];
uint32_t the_zero_frame = 0;
size_t user_pages = 0, shared_pages = 0;

uint16_t& count_of(uint32_t frame) {
    if (frame % PAGE_SIZE || frame / PAGE_SIZE >= FRAME_COUNT) {
        panic("page_references: %#x is not a frame of the direct map", frame);
    }
    return reference_counts[frame / PAGE_SIZE];
}

}  // namespace

namespace page_references {

void initialize() {
    the_zero_frame = physical_allocator::allocate_page();
    if (!the_zero_frame) panic("page_references: no memory for the zero page");
    uintptr_t zeros = memory_layout::physical_to_virtual(the_zero_frame);
    klib::memset(reinterpret_cast<void*>(zeros), 0, PAGE_SIZE);
    paging::map_kernel_page(zeros, the_zero_frame, 0);  // read-only from here on
}

uint32_t allocate_page() {
    uint32_t frame = physical_allocator::allocate_page();
    if (!frame && memory_pressure::reclaim(RECLAIM_BATCH_PAGES) != 0) frame = physical_allocator::allocate_page();
    if (!frame) return 0;
    InterruptGuard atomic;
    uint16_t& count = count_of(frame);
    if (count != 0) panic("page_references: new frame %#x already has %u references", frame, unsigned(count));
    count = 1;
    ++user_pages;
    return frame;
}

void add_reference(uint32_t frame) {
    if (frame == the_zero_frame) return;
    InterruptGuard atomic;
    uint16_t& count = count_of(frame);
    if (count == 0 || count == MAX_COUNT) {
        panic("page_references: sharing frame %#x with %u references", frame, unsigned(count));
    }
    if (++count == 2) ++shared_pages;
}

void drop_reference(uint32_t frame) {
    if (frame == the_zero_frame) return;
    {
        InterruptGuard atomic;
        uint16_t& count = count_of(frame);
        if (count == 0) panic("page_references: dropping a reference to unreferenced frame %#x", frame);
        if (--count == 1) --shared_pages;
        if (count > 0) return;
        --user_pages;
    }
    physical_allocator::free_page(frame);
}

bool is_shared(uint32_t frame) {
    if (frame == the_zero_frame) return true;
    InterruptGuard atomic;
    return count_of(frame) > 1;
}

uint32_t zero_frame() { return the_zero_frame; }

Statistics statistics() {
    InterruptGuard atomic;
    return {user_pages, shared_pages};
}

}  // namespace page_references
