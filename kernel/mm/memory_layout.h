// kernel/mm/memory_layout.h -- where things live in the virtual address space.
//
// Layer: memory management. Every address space has the same upper quarter:
//
//   0x00000000 - 0xBFFFFFFF  user space (per process; empty for kernel threads)
//   0xC0000000 - 0xEFFFFFFF  direct map: physical 0 .. 768 MiB, page by page,
//                            so physical_to_virtual() is one addition
//   0xF0000000 - 0xF7FFFFFF  kernel thread stacks, each below an unmapped guard page
//   0xF8000000 - 0xFFBFFFFF  mappings of device and firmware memory (MMIO, ACPI)
//
// The kernel's page tables for 0xC0000000 and up are created once at boot and
// shared by every address space; they never change after paging::initialize,
// only their entries do.
#pragma once

#include <cstdint>

namespace memory_layout {

constexpr uint32_t PAGE_SIZE = 4096;
constexpr uint32_t KERNEL_VIRTUAL_BASE = 0xC0000000;
constexpr uint32_t DIRECT_MAP_LIMIT_PHYSICAL = 0x30000000;  // 768 MiB
constexpr uint32_t KERNEL_STACKS_START = 0xF0000000;
constexpr uint32_t KERNEL_STACKS_END = 0xF8000000;
constexpr uint32_t DEVICE_MAPPINGS_START = 0xF8000000;
constexpr uint32_t DEVICE_MAPPINGS_END = 0xFFC00000;

inline uintptr_t physical_to_virtual(uint32_t physical) { return physical + KERNEL_VIRTUAL_BASE; }
inline uint32_t virtual_to_physical(uintptr_t virtual_address) {
    return uint32_t(virtual_address - KERNEL_VIRTUAL_BASE);  // direct map only
}
template <typename T>
T* physical_to_pointer(uint32_t physical) {
    return reinterpret_cast<T*>(physical_to_virtual(physical));
}

constexpr uint32_t page_round_down(uint32_t a) { return a & ~(PAGE_SIZE - 1); }
constexpr uint32_t page_round_up(uint32_t a) { return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }

}  // namespace memory_layout
