// kernel/mm/memory_pressure.h -- giving cached memory back when programs need it.
//
// Layer: memory management. Caches (the page cache of file data) fill free
// memory with pages that could be read again; when the physical allocator
// runs dry for a program's page, the allocator's callers ask here, and each
// registered reclaimer frees what it can (clean, unused pages) before the
// allocation is tried once more. (Linux: shrinkers and direct reclaim.)
//
//   memory_pressure::register_reclaimer(free_some_pages);
//   size_t freed = memory_pressure::reclaim(64);   // at most that many pages
//
// What must stay true: reclaimers never sleep on a lock (they try it and give
// up), because reclaim runs inside page faults and fork, where the caller
// may hold anything; and a reclaimer frees only memory nobody uses.
#pragma once

#include <cstddef>

namespace memory_pressure {

// Frees up to `pages` pages; returns how many it freed.
using Reclaimer = size_t (*)(size_t pages);

// At most a few (one per cache); extra registrations are refused with a log line.
void register_reclaimer(Reclaimer reclaimer);
// Asks every reclaimer in turn until `pages` pages are free again.
size_t reclaim(size_t pages);

}  // namespace memory_pressure
