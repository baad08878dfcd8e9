// kernel/multiboot.cpp -- copying the Multiboot 1 information. See multiboot.h.
#include "kernel/multiboot.h"

#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/memory_layout.h"

namespace {

// The layout fixed by the Multiboot 1 specification, section 3.3.
struct [[gnu::packed]] MultibootInfo {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
};

struct [[gnu::packed]] MultibootModule {
    uint32_t mod_start, mod_end, string, reserved;
};

// Each entry is preceded by its size, which does not count the size field.
struct [[gnu::packed]] MultibootMemoryMapEntry {
    uint32_t size;
    uint64_t base_addr, length;
    uint32_t type;
};

enum InfoFlag : uint32_t {
    HAS_MEMORY_BOUNDS = 1 << 0,
    HAS_COMMAND_LINE = 1 << 2,
    HAS_MODULES = 1 << 3,
    HAS_MEMORY_MAP = 1 << 6,
    HAS_BOOT_LOADER_NAME = 1 << 9,
};

constexpr uint32_t MEMORY_AVAILABLE = 1;

template <typename T>
const T* from_physical(uint32_t physical) {
    return memory_layout::physical_to_pointer<const T>(physical);
}

void copy_string(char* destination, size_t size, uint32_t physical) {
    if (physical == 0) return;
    klib::strlcpy(destination, from_physical<char>(physical), size);
}

void copy_memory_map(const MultibootInfo& info, BootInfo& out) {
    uint32_t offset = 0;
    while (offset + sizeof(MultibootMemoryMapEntry) <= info.mmap_length && out.region_count < BootInfo::MAX_REGIONS) {
        auto* entry = from_physical<MultibootMemoryMapEntry>(info.mmap_addr + offset);
        out.regions[out.region_count++] = {entry->base_addr, entry->length, entry->type == MEMORY_AVAILABLE};
        offset += entry->size + sizeof(entry->size);
    }
}

void copy_modules(const MultibootInfo& info, BootInfo& out) {
    auto* modules = from_physical<MultibootModule>(info.mods_addr);
    for (uint32_t i = 0; i < info.mods_count && i < BootInfo::MAX_MODULES; ++i) {
        BootModule& module = out.modules[out.module_count++];
        module.start_physical = modules[i].mod_start;
        module.end_physical = modules[i].mod_end;
        copy_string(module.name, sizeof module.name, modules[i].string);
    }
}

}  // namespace

uint64_t BootInfo::usable_memory_end() const {
    uint64_t end = 0;
    for (size_t i = 0; i < region_count; ++i) {
        if (regions[i].usable && regions[i].start + regions[i].length > end) end = regions[i].start + regions[i].length;
    }
    return end;
}

uint64_t BootInfo::usable_memory_bytes() const {
    uint64_t total = 0;
    for (size_t i = 0; i < region_count; ++i) {
        if (regions[i].usable) total += regions[i].length;
    }
    return total;
}

bool parse_multiboot_info(uint32_t magic, uint32_t info_physical, BootInfo& out) {
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
        log_error("multiboot: bad magic %#x (not started by a Multiboot loader?)", magic);
        return false;
    }
    const MultibootInfo& info = *from_physical<MultibootInfo>(info_physical);
    if (info.flags & HAS_COMMAND_LINE) copy_string(out.command_line, sizeof out.command_line, info.cmdline);
    if (info.flags & HAS_BOOT_LOADER_NAME) copy_string(out.boot_loader_name, sizeof out.boot_loader_name, info.boot_loader_name);
    if (info.flags & HAS_MEMORY_BOUNDS) {
        out.lower_memory_kib = info.mem_lower;
        out.upper_memory_kib = info.mem_upper;
    }
    if (info.flags & HAS_MODULES) copy_modules(info, out);
    if (info.flags & HAS_MEMORY_MAP) {
        copy_memory_map(info, out);
    } else if (info.flags & HAS_MEMORY_BOUNDS) {
        // No map: fall back to "upper memory starts at 1 MiB".
        out.regions[0] = {0, uint64_t(info.mem_lower) * 1024, true};
        out.regions[1] = {0x100000, uint64_t(info.mem_upper) * 1024, true};
        out.region_count = 2;
    }
    if (out.region_count == 0) {
        log_error("multiboot: the boot loader gave no memory information");
        return false;
    }
    return true;
}
