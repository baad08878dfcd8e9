// kernel/arch/x86/paging.cpp -- building and changing kernel page tables.
// See paging.h and kernel/mm/memory_layout.h.
#include "kernel/arch/x86/paging.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/kernel_stacks.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/panic.h"

extern "C" const uint8_t kernel_text_start[], kernel_read_only_end[];

namespace {

using namespace memory_layout;
using paging::PRESENT;
using paging::WRITABLE;
constexpr uint32_t ENTRIES_PER_TABLE = 1024;
constexpr uint32_t ADDRESS_MASK = 0xFFFFF000;
constexpr uint32_t BYTES_PER_TABLE = ENTRIES_PER_TABLE * PAGE_SIZE;  // 4 MiB

alignas(4096) uint32_t kernel_page_directory[ENTRIES_PER_TABLE];
uintptr_t next_device_mapping = DEVICE_MAPPINGS_START;

uint32_t directory_index(uintptr_t va) { return va >> 22; }
uint32_t table_index(uintptr_t va) { return (va >> 12) & 0x3FF; }

uint32_t* table_for(uintptr_t va) {
    uint32_t entry = kernel_page_directory[directory_index(va)];
    if (!(entry & PRESENT)) return nullptr;
    return physical_to_pointer<uint32_t>(entry & ADDRESS_MASK);
}

// Page tables come from the page allocator, reached through the direct map
// -- which is why the direct map's own tables are made first, while the
// boot code's 64 MiB mapping still covers everything they touch.
void create_table(uint32_t directory_entry_index) {
    uint32_t physical = physical_allocator::allocate_page();
    if (!physical) panic("paging: out of memory for kernel page tables");
    klib::memset(physical_to_pointer<void>(physical), 0, PAGE_SIZE);
    kernel_page_directory[directory_entry_index] = physical | PRESENT | WRITABLE;
}

void create_tables_for(uintptr_t start, uintptr_t end) {
    for (uintptr_t va = start; va < end && va >= start; va += BYTES_PER_TABLE) {
        if (!(kernel_page_directory[directory_index(va)] & PRESENT)) create_table(directory_index(va));
    }
}

bool is_read_only_kernel_page(uintptr_t va) {
    return va >= uintptr_t(kernel_text_start) && va < uintptr_t(kernel_read_only_end);
}

void build_direct_map(uint32_t mapped_bytes) {
    create_tables_for(KERNEL_VIRTUAL_BASE, KERNEL_VIRTUAL_BASE + mapped_bytes);
    for (uint32_t physical = 0; physical < mapped_bytes; physical += PAGE_SIZE) {
        uintptr_t va = physical_to_virtual(physical);
        // Code and read-only data are mapped read-only (CR0.WP makes the
        // kernel honour that too), so a stray write into them faults loudly.
        uint32_t flags = is_read_only_kernel_page(va) ? PRESENT : PRESENT | WRITABLE;
        table_for(va)[table_index(va)] = physical | flags;
    }
}

const char* describe_page_fault(uint32_t error_code) {
    // Bit 0: protection violation (else not present); bit 1: write; bit 2: user.
    static const char* const causes[8] = {
        "kernel read of a non-present page", "kernel read, protection violation",
        "kernel write to a non-present page", "kernel write to a read-only page",
        "user read of a non-present page", "user read, protection violation",
        "user write to a non-present page", "user write to a read-only page",
    };
    return causes[error_code & 7];
}

paging::PageFaultHook page_fault_hook = nullptr;

bool on_page_fault(InterruptFrame& frame) {
    uint32_t address = cpu::read_cr2();
    if (page_fault_hook && page_fault_hook(frame, address)) return true;
    if (paging::is_guard_page(address)) {
        panic_with_frame(frame, "kernel stack overflow: page fault in the guard page at %#x", address);
    }
    panic_with_frame(frame, "page fault at address %#x: %s", address, describe_page_fault(frame.error_code));
}

}  // namespace

namespace paging {

void initialize(uint64_t ram_end) {
    uint32_t mapped = ram_end < DIRECT_MAP_LIMIT_PHYSICAL ? uint32_t(page_round_up(uint32_t(ram_end)))
                                                          : DIRECT_MAP_LIMIT_PHYSICAL;
    // The BIOS area and VGA memory sit below 1 MiB, always mapped.
    if (mapped < 0x100000) mapped = 0x100000;
    build_direct_map(mapped);
    create_tables_for(KERNEL_STACKS_START, KERNEL_STACKS_END);
    create_tables_for(DEVICE_MAPPINGS_START, DEVICE_MAPPINGS_END);
    // Switching CR3 drops the boot code's identity mapping of low memory:
    // from here on a null pointer dereference faults, as it should.
    cpu::write_cr3(kernel_page_directory_physical());
    gdt::set_double_fault_page_directory(kernel_page_directory_physical());
    interrupts::register_exception_handler(14, on_page_fault);
    log_info("paging: direct map of %u MiB at %#x", mapped >> 20, KERNEL_VIRTUAL_BASE);
}

bool map_kernel_page(uintptr_t virtual_address, uint32_t physical, uint32_t flags) {
    uint32_t* table = table_for(virtual_address);
    if (!table || virtual_address < KERNEL_VIRTUAL_BASE) return false;
    table[table_index(virtual_address)] = (physical & ADDRESS_MASK) | flags | PRESENT;
    cpu::invalidate_page(virtual_address);
    return true;
}

void unmap_kernel_page(uintptr_t virtual_address) {
    if (uint32_t* table = table_for(virtual_address)) {
        table[table_index(virtual_address)] = 0;
        cpu::invalidate_page(virtual_address);
    }
}

uintptr_t map_device_memory(uint32_t physical, size_t size) {
    InterruptGuard atomic;
    uint32_t first = page_round_down(physical);
    uint32_t bytes = page_round_up(uint32_t(physical - first + size));
    if (next_device_mapping + bytes > DEVICE_MAPPINGS_END || next_device_mapping + bytes < next_device_mapping) return 0;
    uintptr_t base = next_device_mapping;
    for (uint32_t offset = 0; offset < bytes; offset += PAGE_SIZE) {
        map_kernel_page(base + offset, first + offset, WRITABLE | CACHE_DISABLE);
    }
    next_device_mapping += bytes + PAGE_SIZE;  // an unmapped page between mappings
    return base + (physical - first);
}

bool is_kernel_address_mapped(uintptr_t virtual_address) {
    uint32_t* table = table_for(virtual_address);
    return table && (table[table_index(virtual_address)] & PRESENT);
}

uint32_t physical_address_of(uintptr_t virtual_address) {
    uint32_t* table = table_for(virtual_address);
    if (!table || !(table[table_index(virtual_address)] & PRESENT)) return 0;
    return (table[table_index(virtual_address)] & ADDRESS_MASK) | (virtual_address & (PAGE_SIZE - 1));
}

bool is_guard_page(uintptr_t virtual_address) { return kernel_stacks::is_guard_page(virtual_address); }

void set_page_fault_hook(PageFaultHook hook) { page_fault_hook = hook; }

uint32_t kernel_page_directory_physical() { return virtual_to_physical(uintptr_t(kernel_page_directory)); }

}  // namespace paging
