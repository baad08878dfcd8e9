// kernel/proc/mapped_regions.cpp -- the sorted list of regions. See
// mapped_regions.h.
//
// Invariant: head_ .. next is sorted by start, without overlaps; a node
// is owned by the list it is on (or, after remove(), by the caller).
#include "kernel/proc/mapped_regions.h"

#include <new>

#include "kernel/lib/errno.h"

namespace {

MappedRegion* copy_of(const MappedRegion& prototype) {
    auto* region = new (std::nothrow) MappedRegion;
    if (!region) return nullptr;
    region->start = prototype.start;
    region->end = prototype.end;
    region->protection = prototype.protection;
    region->shared = prototype.shared;
    region->file = prototype.file;
    region->file_offset = prototype.file_offset;
    return region;
}

}  // namespace

MappedRegions::~MappedRegions() { free_list(head_); }

void MappedRegions::free_list(MappedRegion* list) {
    while (list) {
        MappedRegion* next = list->next;
        delete list;
        list = next;
    }
}

MappedRegion* MappedRegions::find(uint32_t address) const {
    MappedRegion* region = first_ending_after(address);
    return region && region->start <= address ? region : nullptr;
}

MappedRegion* MappedRegions::first_ending_after(uint32_t address) const {
    MappedRegion* region = head_;
    while (region && region->end <= address) region = region->next;
    return region;
}

bool MappedRegions::is_free(uint32_t start, uint32_t end) const {
    MappedRegion* region = first_ending_after(start);
    return !region || region->start >= end;
}

bool MappedRegions::covers(uint32_t start, uint32_t end) const {
    uint32_t next = start;
    for (MappedRegion* region = first_ending_after(start); region && next < end; region = region->next) {
        if (region->start > next) return false;
        next = region->end;
    }
    return next >= end;
}

uint32_t MappedRegions::find_free_area(uint32_t size, uint32_t low, uint32_t high) const {
    uint32_t candidate = low;
    for (MappedRegion* region = first_ending_after(low); region; region = region->next) {
        if (region->start >= high) break;
        if (region->start >= candidate && region->start - candidate >= size) return candidate;
        if (region->end > candidate) candidate = region->end;
    }
    if (candidate < high && high - candidate >= size) return candidate;
    return 0;
}

bool MappedRegions::may_merge(const MappedRegion& low, const MappedRegion& high) {
    return low.end == high.start && !low.shared && !high.shared && !low.is_file() && !high.is_file() &&
           low.protection == high.protection;
}

void MappedRegions::merge_neighbours() {
    for (MappedRegion* region = head_; region && region->next;) {
        MappedRegion* next = region->next;
        if (!may_merge(*region, *next)) {
            region = next;
            continue;
        }
        region->end = next->end;
        region->next = next->next;
        delete next;
    }
}

Result<void> MappedRegions::insert(const MappedRegion& prototype) {
    MappedRegion* region = copy_of(prototype);
    if (!region) return Error(ENOMEM);
    link(region);
    return {};
}

void MappedRegions::link(MappedRegion* region) {
    MappedRegion** place = &head_;
    while (*place && (*place)->start < region->start) place = &(*place)->next;
    region->next = *place;
    *place = region;
    merge_neighbours();
}

Result<void> MappedRegions::split_at(uint32_t address) {
    MappedRegion* region = find(address);
    if (!region || region->start == address) return {};
    MappedRegion* upper = copy_of(*region);
    if (!upper) return Error(ENOMEM);
    upper->start = address;
    upper->file_offset = region->offset_of(address);
    region->end = address;
    upper->next = region->next;
    region->next = upper;
    return {};
}

MappedRegion* MappedRegions::remove(uint32_t start, uint32_t end) {
    MappedRegion** link = &head_;
    while (*link && (*link)->end <= start) link = &(*link)->next;
    MappedRegion* removed = nullptr;
    MappedRegion** removed_tail = &removed;
    while (*link && (*link)->start < end) {
        MappedRegion* region = *link;
        *link = region->next;
        region->next = nullptr;
        *removed_tail = region;
        removed_tail = &region->next;
    }
    return removed;
}

Result<void> MappedRegions::copy_from(const MappedRegions& other) {
    MappedRegion** tail = &head_;
    for (const MappedRegion* region = other.head_; region; region = region->next) {
        MappedRegion* copy = copy_of(*region);
        if (!copy) {
            free_list(head_);
            head_ = nullptr;
            return Error(ENOMEM);
        }
        *tail = copy;
        tail = &copy->next;
    }
    return {};
}
