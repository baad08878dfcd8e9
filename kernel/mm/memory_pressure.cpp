// kernel/mm/memory_pressure.cpp -- the list of reclaimers. See memory_pressure.h.
#include "kernel/mm/memory_pressure.h"

#include "kernel/log.h"

namespace memory_pressure {

namespace {

constexpr size_t MAX_RECLAIMERS = 4;
Reclaimer reclaimers[MAX_RECLAIMERS];
size_t reclaimer_count = 0;

}  // namespace

void register_reclaimer(Reclaimer reclaimer) {
    if (reclaimer_count == MAX_RECLAIMERS) {
        log_error("memory_pressure: no room for another reclaimer");
        return;
    }
    reclaimers[reclaimer_count++] = reclaimer;
}

size_t reclaim(size_t pages) {
    size_t freed = 0;
    for (size_t i = 0; i < reclaimer_count && freed < pages; ++i) freed += reclaimers[i](pages - freed);
    return freed;
}

}  // namespace memory_pressure
