// kernel/mm/physical_allocator.cpp -- a bitmap of page frames. See the header.
//
// Invariant: free_count equals the number of clear bits; a bit is clear only
// for usable RAM below DIRECT_MAP_LIMIT_PHYSICAL that nobody owns.
#include "kernel/mm/physical_allocator.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/log.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"

extern "C" const uint8_t kernel_image_start_physical[], kernel_image_end_physical[];

namespace {

using memory_layout::PAGE_SIZE;
constexpr uint32_t FRAME_COUNT = memory_layout::DIRECT_MAP_LIMIT_PHYSICAL / PAGE_SIZE;
constexpr uint32_t BITS_PER_WORD = 32;

uint32_t frame_bitmap[FRAME_COUNT / BITS_PER_WORD];  // 24 KiB for 768 MiB
uint32_t frame_limit = 0;     // frames at or above this do not exist
uint32_t search_start = 0;    // next-fit: resume where the last search ended
size_t total_pages = 0, free_pages = 0, reserved_pages = 0, ignored_pages = 0;

bool is_used(uint32_t frame) { return frame_bitmap[frame / BITS_PER_WORD] & (1u << (frame % BITS_PER_WORD)); }
void set_used(uint32_t frame) { frame_bitmap[frame / BITS_PER_WORD] |= 1u << (frame % BITS_PER_WORD); }
void set_free(uint32_t frame) { frame_bitmap[frame / BITS_PER_WORD] &= ~(1u << (frame % BITS_PER_WORD)); }

void mark_range_free(uint64_t start, uint64_t end) {
    uint64_t first = (start + PAGE_SIZE - 1) / PAGE_SIZE;  // only whole pages
    uint64_t last = end / PAGE_SIZE;
    for (uint64_t frame = first; frame < last; ++frame) {
        if (frame >= FRAME_COUNT) {
            ++ignored_pages;
            continue;
        }
        if (is_used(uint32_t(frame))) {
            set_free(uint32_t(frame));
            ++free_pages;
            ++total_pages;
            if (frame + 1 > frame_limit) frame_limit = uint32_t(frame + 1);
        }
    }
}

void reserve_range(uint64_t start, uint64_t end, const char* what) {
    uint64_t first = start / PAGE_SIZE;
    uint64_t last = (end + PAGE_SIZE - 1) / PAGE_SIZE;
    size_t count = 0;
    for (uint64_t frame = first; frame < last && frame < FRAME_COUNT; ++frame) {
        if (!is_used(uint32_t(frame))) {
            set_used(uint32_t(frame));
            --free_pages;
            ++reserved_pages;
            ++count;
        }
    }
    log_debug("memory: reserved %u pages at %#llx for %s", unsigned(count), start, what);
}

bool run_is_free(uint32_t first, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        if (is_used(first + uint32_t(i))) return false;
    }
    return true;
}

}  // namespace

namespace physical_allocator {

void initialize(const BootInfo& boot_info) {
    // Start from "everything used" and free only what the map calls RAM.
    for (uint32_t& word : frame_bitmap) word = ~0u;
    for (size_t i = 0; i < boot_info.region_count; ++i) {
        const MemoryRegion& region = boot_info.regions[i];
        if (region.usable) mark_range_free(region.start, region.start + region.length);
    }
    // Then take back what is RAM but already spoken for. Overlapping
    // regions in a buggy memory map must not free reserved memory twice,
    // which is why reservations come last.
    reserve_range(0, 0x100000, "BIOS data, VGA and option ROMs");
    reserve_range(uint32_t(kernel_image_start_physical), uint32_t(kernel_image_end_physical), "the kernel image");
    for (size_t i = 0; i < boot_info.module_count; ++i) {
        reserve_range(boot_info.modules[i].start_physical, boot_info.modules[i].end_physical, "a boot module");
    }
    search_start = 0x100000 / PAGE_SIZE;
    if (ignored_pages) log_warning("memory: %u MiB above 768 MiB are not used", unsigned(ignored_pages / 256));
}

uint32_t allocate_page() { return allocate_contiguous(1, PAGE_SIZE); }

uint32_t allocate_contiguous(size_t count, uint32_t alignment) {
    if (count == 0 || alignment < PAGE_SIZE || (alignment & (alignment - 1))) return 0;
    InterruptGuard atomic;
    if (count > free_pages) return 0;
    uint32_t step = alignment / PAGE_SIZE;
    // Two passes of next-fit: from the last position to the end, then from
    // the start. Page 0 is reserved, so 0 can mean "none".
    for (int pass = 0; pass < 2; ++pass) {
        uint32_t begin = pass == 0 ? search_start : 0;
        uint32_t end = pass == 0 ? frame_limit : search_start + uint32_t(count);
        if (end > frame_limit) end = frame_limit;
        begin = (begin + step - 1) / step * step;
        for (uint32_t first = begin; first + count <= end; first += step) {
            if (step == 1 && is_used(first)) continue;
            if (!run_is_free(first, count)) continue;
            for (size_t i = 0; i < count; ++i) set_used(first + uint32_t(i));
            free_pages -= count;
            search_start = first + uint32_t(count);
            return first * PAGE_SIZE;
        }
    }
    return 0;
}

void free_contiguous(uint32_t physical, size_t count) {
    InterruptGuard atomic;
    uint32_t first = physical / PAGE_SIZE;
    for (size_t i = 0; i < count; ++i) {
        uint32_t frame = first + uint32_t(i);
        if (physical % PAGE_SIZE || frame >= frame_limit || !is_used(frame)) {
            panic("physical_allocator: freeing page %#x that is not allocated", frame * PAGE_SIZE);
        }
        set_free(frame);
    }
    free_pages += count;
}

void free_page(uint32_t physical) { free_contiguous(physical, 1); }

Statistics statistics() {
    InterruptGuard atomic;
    return {total_pages, free_pages, reserved_pages, ignored_pages};
}

}  // namespace physical_allocator
