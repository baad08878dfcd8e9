// kernel/mm/physical_allocator.h -- who owns each 4 KiB page of RAM.
//
// Layer: memory management, the bottom of it. One bit per page frame of the
// direct-mapped range (physical 0 .. 768 MiB): set = in use or not RAM.
// Built from the boot loader's memory map; the first MiB (BIOS, VGA), the
// kernel image and the boot modules are marked used before anything is
// handed out. Frames above 768 MiB are not used yet (they would need
// temporary mappings, "highmem" in Linux's terms) and are reported as such.
//
// Allocation never panics: out of memory returns 0, which is never a valid
// frame because the first MiB is always reserved.
// All functions mask interrupts internally and may be called from any context.
#pragma once

#include <cstddef>
#include <cstdint>

struct BootInfo;

namespace physical_allocator {

void initialize(const BootInfo& boot_info);

// One frame; returns its physical address, or 0 when memory is exhausted.
uint32_t allocate_page();
// `count` consecutive frames, the first aligned to `alignment` bytes (a
// power of two, at least 4096). Returns 0 when no such run exists.
uint32_t allocate_contiguous(size_t count, uint32_t alignment = 4096);
void free_page(uint32_t physical);
void free_contiguous(uint32_t physical, size_t count);

struct Statistics {
    size_t total_pages;      // usable RAM the allocator manages
    size_t free_pages;
    size_t reserved_pages;   // kernel image, modules, boot data among the total
    size_t ignored_pages;    // usable RAM above the direct-map limit
};
Statistics statistics();

}  // namespace physical_allocator
