// kernel/proc/address_space.h -- one process's view of memory.
//
// Layer: processes. An AddressSpace is a page directory whose lower three
// quarters (0 .. 0xBFFFFFFF) belong to one program and whose top quarter is
// the kernel's, shared: its directory entries are copied from the kernel's
// page directory, which never changes them after boot (memory_layout.h).
// User pages are ordinary physical pages from the page allocator, owned by
// the address space and freed with it.
//
// Mapping is eager: map_anonymous() allocates and zeroes every page at once,
// so a program touches only memory that exists. (Demand paging and
// copy-on-write fork are later refinements; clone() copies every page.)
//
// Not thread-safe by itself: a process has one thread, and the kernel
// changes an address space only from that thread or before it runs.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

class AddressSpace {
public:
    static constexpr uint32_t USER_END = 0xC0000000;

    // ENOMEM when no page is left for the directory.
    static Result<AddressSpace*> create();
    ~AddressSpace();
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    // Maps fresh zeroed pages over [start, start + length) (page-rounded),
    // user-accessible, writable or not. EINVAL outside user space or
    // overlapping an existing page; ENOMEM (and nothing mapped) when memory
    // runs out.
    Result<void> map_anonymous(uint32_t start, uint32_t length, bool writable);
    // Unmaps and frees the pages of [start, start + length); absent pages are skipped.
    void unmap(uint32_t start, uint32_t length);
    // Changes the writable bit of mapped pages.
    void protect(uint32_t start, uint32_t length, bool writable);
    // A copy of every user page (for fork).
    Result<AddressSpace*> clone() const;

    // Is the user page holding `address` mapped (and writable, if asked)?
    bool is_mapped(uint32_t address, bool need_writable) const;
    // Copies into this address space's pages through the direct map, so it
    // works whichever address space is active (used while loading a program).
    Result<void> write(uint32_t address, const void* data, uint32_t length);
    Result<void> zero(uint32_t address, uint32_t length);

    uint32_t page_directory_physical() const { return directory_physical_; }
    uint32_t mapped_pages() const { return mapped_pages_; }

    // Makes this the CPU's address space (loads CR3).
    void activate() const;

private:
    AddressSpace() = default;
    uint32_t* table_for(uint32_t address, bool create);
    uint32_t* entry_for(uint32_t address, bool create);
    const uint32_t* entry_for(uint32_t address) const;

    uint32_t directory_physical_ = 0;
    uint32_t* directory_ = nullptr;  // through the direct map
    uint32_t mapped_pages_ = 0;
};
