// kernel/proc/address_space.h -- one process's view of memory.
//
// Layer: processes. An AddressSpace is a page directory whose lower three
// quarters (0 .. 0xBFFFFFFF) belong to one program and whose top quarter is
// the kernel's, shared: its directory entries are copied from the kernel's
// page directory, which never changes them after boot (memory_layout.h).
// User pages are frames counted by mm/page_references.h: an address space
// holds one reference for each page it maps, and a frame shared by several
// address spaces is freed when the last of them lets go.
//
// Every mapped page exists, so a program never faults on a page it was
// given -- but a page may exist as a shared frame, copied on the first write:
//   - map_anonymous() maps the shared zero page, read-only; the first write
//     to a page gives it a zeroed frame of its own (demand-zero);
//   - clone() (fork) shares every page with the copy: writable pages become
//     read-only in both address spaces, and the first write to one, by the
//     program or by the kernel on its behalf, copies it (copy-on-write).
// (Linux: do_anonymous_page and do_wp_page in mm/memory.c.)
//
// One exception: the user stack grows. execve maps its top pages and
// reserves the region below, down to the RLIMIT_STACK it was started with;
// a fault in that region maps zero pages from the faulting one up to the
// stack (grow_stack; Linux's expand_stack). mmap places nothing in the
// region nor in the guard gap below it (mapping_area_end).
//
// A mapped user page-table entry is in one of three states (paging.h):
//   WRITABLE        the frame is private (one reference); written freely
//   COPY_ON_WRITE   writable for the program, but the frame is shared or the
//                   zero page: read-only in hardware until a write copies it
//   neither         read-only for the program; the frame may be shared
// Must stay true: WRITABLE only on a private frame, never on the zero page;
// write() goes through the direct map, so it makes a page private first.
//
// Not thread-safe by itself: the threads sharing it change it only with
// interrupts off or from system calls that do so inside (the kernel runs
// on one CPU); a page fault and a munmap never interleave. Frames
// are shared between address spaces, but only their reference counts are
// changed by several processes, and page_references makes that atomic.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

class AddressSpace {
public:
    static constexpr uint32_t USER_END = 0xC0000000;

    // ENOMEM when no page is left for the directory.
    static Result<AddressSpace*> create();
    ~AddressSpace();
    // The processes using it: one, or more after clone(CLONE_VM) without
    // CLONE_THREAD (vfork, posix_spawn); the threads of one process count
    // once. release() frees it with its last user. Interrupts off.
    void hold() { ++users_; }
    uint32_t users() const { return users_; }
    static void release(AddressSpace* space) {
        if (space && --space->users_ == 0) delete space;
    }
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    // Maps zero-filled pages over [start, start + length) (page-rounded),
    // user-accessible, writable or not; each gets a frame of its own when
    // first written. EINVAL outside user space or overlapping an existing
    // page; ENOMEM (and nothing mapped) when a page table cannot be had or
    // the mapping is larger than all free memory.
    Result<void> map_anonymous(uint32_t start, uint32_t length, bool writable);
    // Unmaps [start, start + length) and drops its frames; absent pages are skipped.
    void unmap(uint32_t start, uint32_t length);
    // Lets the program write mapped pages, or not. A shared page made
    // writable becomes copy-on-write, never writable in place.
    void protect(uint32_t start, uint32_t length, bool writable);
    // fork: a new address space sharing every user page with this one; the
    // writable pages of both become copy-on-write. ENOMEM when page tables
    // for the copy cannot be had (this one stays valid).
    Result<AddressSpace*> clone();
    // A write fault at `address` on a present page: a copy-on-write page
    // gets a frame of its own (a copy, unless no one else maps it any more)
    // and its write access back. EFAULT when the page is not copy-on-write
    // (the write is not allowed), ENOMEM when no frame is left for the copy.
    Result<void> resolve_write_fault(uint32_t address);

    // The stack: [lowest, bottom) may become stack; [bottom, USER_END) is mapped.
    void set_stack_region(uint32_t lowest, uint32_t bottom);
    // A fault at `address` in the stack's region: maps the pages from it to
    // the stack's bottom. EFAULT outside the region, EINVAL when a page there
    // is mapped already (MAP_FIXED), ENOMEM when no memory is left.
    Result<void> grow_stack(uint32_t address);
    uint32_t stack_bottom() const { return stack_bottom_; }
    // Where mappings placed by mmap must end: below the stack's region and
    // Linux's stack_guard_gap (256 pages) under it.
    uint32_t mapping_area_end() const;
    static constexpr uint32_t STACK_GUARD_GAP = 256 * 4096;
    static constexpr uint32_t MAPPING_AREA_MOST_END = 0xB0000000;

    // Is the user page holding `address` mapped (and writable for the
    // program, if asked -- copy-on-write pages are)?
    bool is_mapped(uint32_t address, bool need_writable) const;
    // Would an access by the kernel right now fault? False when the page is
    // present (and, with `store`, writable in hardware: not copy-on-write
    // nor the zero page).
    bool is_present(uint32_t address, bool store) const;
    // Copies into this address space's pages through the direct map, so it
    // works whichever address space is active (used while loading a
    // program, also into pages it will later make read-only). ENOMEM when a
    // shared page cannot be copied first.
    Result<void> write(uint32_t address, const void* data, uint32_t length);
    Result<void> zero(uint32_t address, uint32_t length);

    uint32_t page_directory_physical() const { return directory_physical_; }
    // Pages backed by a frame, private or shared (Linux's resident set);
    // pages still on the zero page are mapped but not counted.
    uint32_t mapped_pages() const { return mapped_pages_; }
    // Every mapped page, on the zero page or not (what RLIMIT_AS bounds).
    uint32_t virtual_pages() const { return virtual_pages_; }

    // Makes this the CPU's address space (loads CR3).
    void activate() const;

private:
    AddressSpace() = default;
    uint32_t* table_for(uint32_t address, bool create);
    uint32_t* entry_for(uint32_t address, bool create);
    const uint32_t* entry_for(uint32_t address) const;
    Result<void> share_pages_with(AddressSpace& copy);
    Result<void> make_private(uint32_t page, uint32_t& entry);
    void drop_page(uint32_t page, uint32_t& entry);
    void flush_page(uint32_t page) const;

    uint32_t users_ = 1;
    uint32_t directory_physical_ = 0;
    uint32_t* directory_ = nullptr;  // through the direct map
    uint32_t mapped_pages_ = 0;
    uint32_t virtual_pages_ = 0;
    uint32_t stack_lowest_ = USER_END;  // no stack region until execve sets one
    uint32_t stack_bottom_ = USER_END;
};
