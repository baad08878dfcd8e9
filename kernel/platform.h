// kernel/platform.h -- what the storage stack needs from its surroundings.
//
// Layer: the seam between the storage stack (drivers/block/, fs/) and the
// rest of the kernel. Those layers include only this header for kernel
// services, so that the very same source files also build on the host for
// unit tests, where tests/host/platform/ supplies the same names:
//
//   kmalloc, kzalloc, kfree              memory (nullptr when out of memory)
//   platform::allocate_page/free_page    one whole, aligned 4 KiB page (caches)
//   new (std::nothrow) T                 objects; always check for nullptr
//   InterruptGuard                       atomic with respect to interrupts
//   WaitQueue, Mutex, MutexLocker        sleeping and locking
//   log_error/warning/info/debug, panic, KASSERT
//   platform::now_ms()                   a monotonic millisecond clock
//   platform::realtime_ns()              the calendar: nanoseconds since 1970 (UTC)
//   platform::physical_address_of(p)     where kernel memory at p is in RAM
//                                        (0: not mapped); identity on the host
//   Result<T>, Error, TRY, errno values
#pragma once

#include <new>

#include "kernel/lib/errno.h"
#include "kernel/lib/result.h"

#ifdef KERNEL_HOST_BUILD
#include "tests/host/platform/host_platform.h"
#else
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/panic.h"
#include "kernel/sched/mutex.h"
#include "kernel/sched/wait_queue.h"
#include "kernel/time/monotonic_clock.h"
#include "kernel/time/wall_clock.h"

namespace platform {
constexpr size_t PAGE_BYTES = 4096;
// A page frame of the direct map, by its kernel address; nullptr when none is free.
inline void* allocate_page() {
    uint32_t physical = physical_allocator::allocate_page();
    return physical ? reinterpret_cast<void*>(memory_layout::physical_to_virtual(physical)) : nullptr;
}
inline void free_page(void* page) {
    physical_allocator::free_page(memory_layout::virtual_to_physical(reinterpret_cast<uintptr_t>(page)));
}
inline uint64_t now_ms() { return monotonic_clock::uptime_ms(); }
inline int64_t realtime_ns() {
    wall_clock::Time now = wall_clock::realtime();
    return now.seconds * 1000000000 + now.nanoseconds;
}
// The direct map is one addition; anything else (kernel stacks) is looked
// up in the page tables, page by page.
inline uint64_t physical_address_of(const void* address) {
    uintptr_t virtual_address = reinterpret_cast<uintptr_t>(address);
    uint32_t direct_map_end = memory_layout::KERNEL_VIRTUAL_BASE + memory_layout::DIRECT_MAP_LIMIT_PHYSICAL;
    if (virtual_address >= memory_layout::KERNEL_VIRTUAL_BASE && virtual_address < direct_map_end)
        return memory_layout::virtual_to_physical(virtual_address);
    if (virtual_address < memory_layout::KERNEL_VIRTUAL_BASE) return 0;
    return paging::physical_address_of(virtual_address);
}
}  // namespace platform
#endif
