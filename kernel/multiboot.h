// kernel/multiboot.h -- what the boot loader tells the kernel.
//
// Layer: boot. The Multiboot 1 specification's information structure is
// read once, early, and copied into BootInfo: the memory map, the command
// line and the list of modules (the root file system image travels as a
// module). After that the loader's structures may be overwritten, so nothing
// else in the kernel reads them.
#pragma once

#include <cstddef>
#include <cstdint>

constexpr uint32_t MULTIBOOT_BOOTLOADER_MAGIC = 0x2BADB002;

struct MemoryRegion {
    uint64_t start;
    uint64_t length;
    bool usable;  // type 1, "available RAM"
};

struct BootModule {
    uint32_t start_physical;
    uint32_t end_physical;  // one past the last byte
    char name[64];          // the module's string from the loader (its path)
};

struct BootInfo {
    static constexpr size_t MAX_REGIONS = 32;
    static constexpr size_t MAX_MODULES = 8;
    static constexpr size_t MAX_COMMAND_LINE = 512;

    MemoryRegion regions[MAX_REGIONS];
    size_t region_count = 0;
    BootModule modules[MAX_MODULES];
    size_t module_count = 0;
    char command_line[MAX_COMMAND_LINE] = {};
    char boot_loader_name[64] = {};
    uint32_t lower_memory_kib = 0, upper_memory_kib = 0;
    // Highest physical address (exclusive) of usable RAM.
    uint64_t usable_memory_end() const;
    uint64_t usable_memory_bytes() const;
};

// Copies what the kernel needs out of the loader's structure. The info
// pointer is physical and must lie in memory mapped by the early page tables.
// Returns false (after logging why) when magic or structure is unusable.
bool parse_multiboot_info(uint32_t magic, uint32_t info_physical, BootInfo& out);
