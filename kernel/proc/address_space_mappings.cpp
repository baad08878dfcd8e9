// kernel/proc/address_space_mappings.cpp -- mmap, munmap, mprotect, mremap
// and madvise on an address space's regions. See address_space.h.
//
// Layer: processes. Each call works in the same three steps: what may
// sleep first, outside the interrupt guard (frames filled from a file,
// shared file pages written back); then, with interrupts masked, the
// regions and the page tables changed together, every check that depends
// on them made again there, and nothing left half done on an error (page
// tables and region nodes are had before anything is changed); last,
// outside the guard again, what was taken out freed (regions may hold the
// last reference to a file). (Linux: mm/mmap.c, mm/mprotect.c,
// mm/mremap.c, mm/madvise.c, under the mmap lock.)
#include <new>

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/proc/address_space.h"

namespace {

using memory_layout::PAGE_SIZE;
// Placed mappings may go this low when nothing is free above the hint
// (Linux's mmap_min_addr).
constexpr uint32_t LOWEST_MAPPING = 0x10000;

uint32_t page_end(uint32_t start, uint32_t length) {
    uint64_t end = (uint64_t(start) + length + PAGE_SIZE - 1) & ~uint64_t(PAGE_SIZE - 1);
    return end > AddressSpace::USER_END ? AddressSpace::USER_END : uint32_t(end);
}

// A free range of `size` bytes followed by a free guard page, from `from`
// on or else from the bottom; 0 when none.
uint32_t find_room(const MappedRegions& regions, uint32_t size, uint32_t from, uint32_t area_end) {
    uint32_t with_gap = size + PAGE_SIZE;
    uint32_t found = regions.find_free_area(with_gap, from, area_end);
    return found ? found : regions.find_free_area(with_gap, LOWEST_MAPPING, area_end);
}

}  // namespace

bool AddressSpace::is_covered(uint32_t start, uint32_t end) const {
    InterruptGuard atomic;
    return regions_.covers(start, end);
}

bool AddressSpace::has_region_at(uint32_t address) const {
    InterruptGuard atomic;
    return regions_.find(address) != nullptr;
}

// Where a mapping of `size` bytes goes; interrupts masked.
Result<uint32_t> AddressSpace::place(const MappingRequest& request, uint32_t size) const {
    uint64_t wanted_end = uint64_t(request.address) + size;
    if (request.fixed) {
        if (!regions_.is_free(request.address, uint32_t(wanted_end))) {
            return Error(request.no_replace ? EEXIST : ENOMEM);
        }
        return request.address;
    }
    bool hint_fits = request.address >= LOWEST_MAPPING && wanted_end <= request.area_end;
    if (hint_fits && regions_.is_free(request.address, uint32_t(wanted_end))) return request.address;
    uint32_t found = find_room(regions_, size, request.search_from, request.area_end);
    if (!found) return Error(ENOMEM);
    return found;
}

Result<uint32_t> AddressSpace::map(const MappingRequest& request) {
    uint32_t size = page_end(0, request.length);
    MappedRegion like;
    like.protection = request.protection;
    like.shared = request.shared;
    like.file = request.file;
    like.file_offset = request.file_offset;
    // Pages come on first write, so a mapping could promise more memory
    // than there is. Like Linux's default overcommit heuristic, refuse only
    // the obvious case: more pages than are free in all.
    if (size / PAGE_SIZE > physical_allocator::statistics().free_pages) return Error(ENOMEM);
    if (request.fixed && !request.no_replace) TRY(unmap(request.address, size));
    uint32_t* frames = TRY(prepare_frames(like, 0, size / PAGE_SIZE));
    Result<uint32_t> placed = Error(ENOMEM);
    {
        InterruptGuard atomic;
        placed = place(request, size);
        if (!placed.is_error()) {
            like.start = placed.value();
            like.end = like.start + size;
            auto reserved = reserve_tables(like.start, like.end);
            if (!reserved.is_error()) reserved = regions_.insert(like);
            if (reserved.is_error()) placed = Error(reserved.error());
            else install_pages(like, like.start, like.end, frames);
        }
    }
    release_frames(frames, size / PAGE_SIZE);
    return placed;
}

Result<void> AddressSpace::map_anonymous(uint32_t start, uint32_t length, bool writable) {
    if (length == 0 || uint64_t(start) + length > USER_END) return Error(EINVAL);
    MappingRequest request;
    request.address = memory_layout::page_round_down(start);
    request.length = page_end(start, length) - request.address;
    request.protection = PROTECTION_READ | PROTECTION_EXECUTE | (writable ? PROTECTION_WRITE : 0);
    request.fixed = request.no_replace = true;
    auto mapped = map(request);
    if (mapped.is_error()) return Error(mapped.error() == EEXIST ? EINVAL : mapped.error());
    return {};
}

Result<void> AddressSpace::unmap(uint32_t start, uint32_t length) {
    uint32_t first = memory_layout::page_round_down(start);
    uint32_t end = page_end(start, length);
    if (first >= end) return {};
    // Linux's munmap does not report a failed write-back either: the
    // error stays with the file, for its next fsync.
    (void)write_back(first, end, false);
    MappedRegion* removed = nullptr;
    {
        InterruptGuard atomic;
        TRY(regions_.split_at(first));
        TRY(regions_.split_at(end));
        removed = regions_.remove(first, end);
        drop_pages(first, end);
    }
    MappedRegions::free_list(removed);
    return {};
}

Result<void> AddressSpace::check_protection_allowed(uint32_t start, uint32_t end, uint32_t protection) const {
    if (!(protection & PROTECTION_WRITE)) return {};
    for (MappedRegion* region = regions_.first_ending_after(start); region && region->start < end;
         region = region->next) {
        if (region->is_shared_file() && !region->file->can_write()) return Error(EACCES);
    }
    return {};
}

Result<void> AddressSpace::change_protection(uint32_t start, uint32_t length, uint32_t protection) {
    uint32_t end = page_end(start, length);
    InterruptGuard atomic;
    if (!regions_.covers(start, end)) return Error(ENOMEM);
    TRY(check_protection_allowed(start, end, protection));
    TRY(regions_.split_at(start));
    TRY(regions_.split_at(end));
    for (MappedRegion* region = regions_.first_ending_after(start); region && region->start < end;
         region = region->next) {
        region->protection = protection;
        reprotect_pages(*region);
    }
    regions_.merge_neighbours();
    return {};
}

void AddressSpace::protect(uint32_t start, uint32_t length, bool writable) {
    uint32_t protection = PROTECTION_READ | PROTECTION_EXECUTE | (writable ? PROTECTION_WRITE : 0);
    (void)change_protection(start, length, protection);
}

// Grows `region`, which ends where the old range does, over the free pages
// after it. False when they are not free; interrupts masked.
Result<bool> AddressSpace::grow_in_place(const RemapRequest& request, MappedRegion& region, uint32_t* frames) {
    uint64_t new_end = uint64_t(request.old_address) + request.new_size;
    if (request.old_address + request.old_size != region.end || new_end > request.area_end ||
        !regions_.is_free(region.end, uint32_t(new_end))) {
        return false;
    }
    TRY(reserve_tables(region.end, uint32_t(new_end)));
    install_pages(region, region.end, uint32_t(new_end), frames);
    region.end = uint32_t(new_end);
    regions_.merge_neighbours();
    return true;
}

// Moves the old range, as a region of its own, to a free place (or the
// fixed one, unmapped already) and grows it there; interrupts masked.
Result<uint32_t> AddressSpace::move_region(const RemapRequest& request, uint32_t* frames) {
    uint32_t target = request.fixed ? request.new_address
                                    : find_room(regions_, request.new_size, request.search_from, request.area_end);
    if (!target || !regions_.is_free(target, target + request.new_size)) return Error(ENOMEM);
    TRY(reserve_tables(target, target + request.new_size));
    uint32_t old_end = request.old_address + request.old_size;
    TRY(regions_.split_at(request.old_address));
    TRY(regions_.split_at(old_end));
    MappedRegion* moved = regions_.remove(request.old_address, old_end);  // exactly one: the caller checked
    move_pages(request.old_address, target, request.old_size);
    moved->start = target;
    moved->end = target + request.new_size;
    install_pages(*moved, target + request.old_size, moved->end, frames);
    regions_.link(moved);
    return target;
}

Result<uint32_t> AddressSpace::remap(const RemapRequest& asked) {
    RemapRequest request = asked;
    if (request.fixed) {
        TRY(unmap(request.new_address, request.new_size));
        if (request.old_size > request.new_size) {
            TRY(unmap(request.old_address + request.new_size, request.old_size - request.new_size));
            request.old_size = request.new_size;
        }
    } else if (request.old_size >= request.new_size) {
        TRY(unmap(request.old_address + request.new_size, request.old_size - request.new_size));
        return request.old_address;
    }
    MappedRegion like;
    {
        InterruptGuard atomic;
        MappedRegion* region = regions_.find(request.old_address);
        if (!region || request.old_address + request.old_size > region->end) return Error(EFAULT);
        like.protection = region->protection;
        like.shared = region->shared;
        like.file = region->file;
        like.start = region->start;
        like.file_offset = region->file_offset;
    }
    uint32_t added_pages = (request.new_size - request.old_size) / PAGE_SIZE;
    uint32_t* frames = TRY(prepare_frames(like, request.old_address + request.old_size, added_pages));
    Result<uint32_t> result = Error(ENOMEM);
    {
        InterruptGuard atomic;
        MappedRegion* region = regions_.find(request.old_address);
        if (!region || request.old_address + request.old_size > region->end || region->file.get() != like.file.get()) {
            result = Error(EFAULT);  // changed meanwhile by another thread
        } else {
            Result<bool> grown = false;
            if (!request.fixed) grown = grow_in_place(request, *region, frames);
            if (grown.is_error()) result = Error(grown.error());
            else if (grown.value()) result = request.old_address;
            else if (request.may_move) result = move_region(request, frames);
        }
    }
    release_frames(frames, added_pages);
    return result;
}

Result<void> AddressSpace::discard_pages(uint32_t start, uint32_t length) {
    uint32_t end = page_end(start, length);
    bool all_mapped = true;
    for (uint32_t address = start; address < end;) {
        MappedRegion like;
        uint32_t piece_end;
        {
            InterruptGuard atomic;
            MappedRegion* region = regions_.first_ending_after(address);
            if (!region || region->start >= end) {
                all_mapped = false;
                break;
            }
            if (region->start > address) all_mapped = false, address = region->start;
            piece_end = region->end < end ? region->end : end;
            like.shared = region->shared;
            like.file = region->file;
            like.start = region->start;
            like.file_offset = region->file_offset;
        }
        if (!like.shared) {
            // Private pages go back to what backs them: zeros, or the file.
            uint32_t pages = (piece_end - address) / PAGE_SIZE;
            uint32_t* frames = TRY(prepare_frames(like, address, pages));
            {
                InterruptGuard atomic;
                MappedRegion* region = regions_.find(address);
                if (region && region->file.get() == like.file.get() && region->end >= piece_end &&
                    region->offset_of(address) == like.offset_of(address)) {
                    drop_pages(address, piece_end);
                    install_pages(*region, address, piece_end, frames);
                }
            }
            release_frames(frames, pages);
        }
        address = piece_end;
    }
    return all_mapped ? Result<void>() : Result<void>(Error(ENOMEM));
}
