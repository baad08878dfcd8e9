// kernel/proc/mapped_regions.h -- the regions of a program's address space.
//
// Layer: processes. What a program has mapped, region by region: each is a
// page-aligned range [start, end) with one protection and one kind of
// backing -- anonymous memory, private or shared, or a file's pages from
// an offset (Linux: struct vm_area_struct, the VMAs of an mm_struct).
// The page tables say which frame backs each page; the regions say what
// the program asked for, which is what mprotect, mremap, madvise, mincore
// and msync work on, and what a fault is measured against.
//
// A MappedRegions is a singly linked list sorted by address. Must stay
// true: regions never overlap, every region is at least one page long,
// and two neighbouring regions of private anonymous memory with the same
// protection are merged into one (as Linux's vma_merge), so the image, the
// heap and the stack stay one region each however they were built up.
// File and shared regions are never merged: each keeps its own file,
// offset and frames.
//
// Not locked by itself: its AddressSpace changes it only with interrupts
// masked (address_space.h). A region may hold a FileRef, and dropping the
// last reference to a file may sleep: so a region taken out of the list is
// handed back to the caller (remove()), who frees it once it may sleep.
#pragma once

#include <cstdint>

#include "fs/vfs/file.h"
#include "kernel/lib/result.h"

// Linux's protection bits (mmap's prot).
constexpr uint32_t PROTECTION_READ = 0x1, PROTECTION_WRITE = 0x2, PROTECTION_EXECUTE = 0x4;

struct MappedRegion {
    uint32_t start = 0, end = 0;  // page-aligned, start < end
    uint32_t protection = 0;      // PROTECTION_* as the program gave them
    bool shared = false;          // MAP_SHARED: its frames are never copied on write
    FileRef file;                 // a file mapping's file; none for anonymous memory
    uint64_t file_offset = 0;     // the file offset of `start`
    MappedRegion* next = nullptr;

    bool is_file() const { return bool(file); }
    bool is_writable() const { return protection & PROTECTION_WRITE; }
    bool is_shared_file() const { return shared && is_file(); }
    uint64_t offset_of(uint32_t address) const { return file_offset + (address - start); }
    uint32_t pages() const { return (end - start) / 4096; }
};

class MappedRegions {
public:
    MappedRegions() = default;
    ~MappedRegions();
    MappedRegions(const MappedRegions&) = delete;
    MappedRegions& operator=(const MappedRegions&) = delete;

    MappedRegion* first() const { return head_; }
    // The region holding `address`, or nullptr.
    MappedRegion* find(uint32_t address) const;
    // The first region that ends after `address` (it may start after it too).
    MappedRegion* first_ending_after(uint32_t address) const;
    // No region touches [start, end).
    bool is_free(uint32_t start, uint32_t end) const;
    // Every page of [start, end) is in some region.
    bool covers(uint32_t start, uint32_t end) const;
    // The lowest free range of `size` bytes inside [low, high), or 0 (so
    // `low` must be above 0).
    uint32_t find_free_area(uint32_t size, uint32_t low, uint32_t high) const;

    // Adds a copy of `prototype` (which must not overlap any region) and
    // merges it with its neighbours when it may. ENOMEM when no memory is
    // left for the node (nothing changed).
    Result<void> insert(const MappedRegion& prototype);
    // As insert, but links `region` itself (taking it over): never fails.
    void link(MappedRegion* region);
    // Makes `address` a boundary: the region holding it, if any, becomes
    // two. ENOMEM when no memory is left for the second one.
    Result<void> split_at(uint32_t address);
    // Unlinks the regions inside [start, end) -- boundaries must be there
    // (split_at) -- and gives them to the caller, as a list; free_list()
    // frees them (after the interrupts are on again, if one holds a file).
    MappedRegion* remove(uint32_t start, uint32_t end);
    static void free_list(MappedRegion* list);
    // Merges neighbouring private anonymous regions of equal protection.
    void merge_neighbours();
    // fork: this list becomes a copy of `other` (sharing its files). ENOMEM
    // leaves it empty.
    Result<void> copy_from(const MappedRegions& other);

private:
    static bool may_merge(const MappedRegion& low, const MappedRegion& high);
    MappedRegion* head_ = nullptr;
};
