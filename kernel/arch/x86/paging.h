// kernel/arch/x86/paging.h -- the kernel's page tables.
//
// Layer: architecture / memory management. Two-level x86 paging with 4 KiB
// pages. initialize() replaces the boot code's temporary 4 MiB mappings
// with the layout of kernel/mm/memory_layout.h: the direct map of RAM, and
// page tables (still empty) for the kernel stack and device regions. Those
// kernel page tables are allocated once, here, and shared by every future
// address space, so a kernel mapping made later is seen everywhere at once.
//
// The page fault handler lives here too: it offers each fault to the hook
// of the process layer (copy-on-write, faults of programs, bad user
// pointers); any other fault is a kernel bug and panics with the address
// and the decoded cause.
#pragma once

#include <cstddef>
#include <cstdint>

struct InterruptFrame;

namespace paging {

enum PageFlags : uint32_t {
    PRESENT = 1 << 0,
    WRITABLE = 1 << 1,
    USER = 1 << 2,
    WRITE_THROUGH = 1 << 3,
    CACHE_DISABLE = 1 << 4,
    DIRTY = 1 << 6,  // set by the MMU on a write through the entry
    // Bits 9-11 are ignored by the MMU and left to the operating system.
    // Bit 9 marks a user page that is writable for the program but mapped
    // read-only because its frame is shared (fork) or is the zero page: the
    // first write faults and gets a private copy (proc/address_space.h).
    COPY_ON_WRITE = 1 << 9,
    // Bit 10: the frame is shared on purpose (MAP_SHARED): writes go to it
    // in place, in every address space that maps it, and fork shares it.
    SHARED_FRAME = 1 << 10,
    // Bit 11: a page of a PROT_NONE region. The entry is not PRESENT (every
    // access faults, also the kernel's on the program's behalf) but still
    // holds its frame, which comes back with the page's next protection.
    INACCESSIBLE = 1 << 11,
};

// `ram_end` is the end of usable RAM from the memory map.
void initialize(uint64_t ram_end);

// Maps one kernel page (virtual at or above 0xC0000000). Returns false when
// the address has no kernel page table (outside the prepared regions).
bool map_kernel_page(uintptr_t virtual_address, uint32_t physical, uint32_t flags);
void unmap_kernel_page(uintptr_t virtual_address);

// Maps physical device or firmware memory into the device region; returns
// the virtual address of `physical` itself, or 0 when the region is full.
uintptr_t map_device_memory(uint32_t physical, size_t size);

bool is_kernel_address_mapped(uintptr_t virtual_address);
// The frame a kernel page maps to, or 0 when it is not mapped.
uint32_t physical_address_of(uintptr_t virtual_address);
bool is_guard_page(uintptr_t virtual_address);

uint32_t kernel_page_directory_physical();

// A handler the process layer installs: it resolves faults it understands
// (a write to a copy-on-write page, a user program's own fault, a system
// call's access to a bad user pointer) and returns true; anything else is
// a kernel bug and panics.
using PageFaultHook = bool (*)(InterruptFrame& frame, uint32_t address);
void set_page_fault_hook(PageFaultHook hook);

}  // namespace paging
