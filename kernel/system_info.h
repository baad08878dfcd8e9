// kernel/system_info.h -- facts about this boot, for whoever asks.
//
// Layer: kernel interfaces (tools/check-layers). The boot information copied from the loader and a few
// numbers derived from it. Written once by kernel_main, read-only after.
#pragma once

#include <cstdint>

#include "kernel/multiboot.h"

namespace system_info {

BootInfo& boot_info();
// RAM as the user asked for it (-m): the end of usable memory below 4 GiB,
// rounded up to a whole MiB (firmware keeps the last few KiB for itself).
uint64_t installed_memory_mib();
// When kernel_main started and when the first prompt appeared, in ms.
uint64_t boot_completed_ms();
void mark_boot_completed(uint64_t ms);

}  // namespace system_info
