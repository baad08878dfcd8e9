// kernel/system_info.cpp -- see system_info.h.
#include "kernel/system_info.h"

namespace {
BootInfo the_boot_info;
uint64_t boot_completed_at_ms = 0;
}  // namespace

namespace system_info {

BootInfo& boot_info() { return the_boot_info; }

uint64_t installed_memory_mib() {
    uint64_t end = 0;
    for (size_t i = 0; i < the_boot_info.region_count; ++i) {
        const MemoryRegion& region = the_boot_info.regions[i];
        uint64_t region_end = region.start + region.length;
        if (region.usable && region_end <= 0x100000000ull && region_end > end) end = region_end;
    }
    return (end + (1 << 20) - 1) >> 20;
}

uint64_t boot_completed_ms() { return boot_completed_at_ms; }
void mark_boot_completed(uint64_t ms) { boot_completed_at_ms = ms; }

}  // namespace system_info
