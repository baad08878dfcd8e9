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
// given (unless its protection forbids the access) -- but a page may exist
// as a shared frame, copied on the first write:
//   - private anonymous memory maps the shared zero page, read-only; the
//     first write to a page gives it a zeroed frame of its own (demand-zero);
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
//   WRITABLE        the frame is private (one reference), or SHARED_FRAME;
//                   written freely
//   COPY_ON_WRITE   writable for the program, but the frame is shared or the
//                   zero page: read-only in hardware until a write copies it
//   neither         read-only for the program; the frame may be shared
// Must stay true: WRITABLE only on a private or a SHARED_FRAME frame, never
// on the zero page; COPY_ON_WRITE never with SHARED_FRAME;
// write() goes through the direct map, so it makes a page private first.
//
// Regions (mapped_regions.h) say what the program mapped and how; every
// page of a region has an entry holding a frame (PRESENT, or INACCESSIBLE
// for PROT_NONE), and no entry lies outside the regions. Shared memory
// (MAP_SHARED) is frames marked SHARED_FRAME: written in place, shared by
// fork, never copied on write (Linux: shmem and the page cache). The
// mapping calls themselves -- map, unmap, protect, remap, advise -- are in
// address_space_mappings.cpp, the file pages' fill and write-back (sync)
// in mapped_file_pages.cpp, which says how a shared file mapping is a copy
// of the file's pages written back, not the page cache's frames.
//
// Locking (must stay true when threads share an address space): the page
// tables and the region list change only with interrupts masked
// (InterruptGuard), on one CPU the same guard the fault path runs under --
// so a fault in one thread never sees a half-done munmap of another. No
// code sleeps inside the guard: file reads and writes happen outside it,
// on frames the address space holds a reference to (prepared before they
// are mapped, or referenced again while written back), and regions that
// hold a file are freed only after it. Frames are shared between address
// spaces, but only their reference counts are changed by several
// processes, and page_references makes that atomic.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"
#include "kernel/proc/mapped_regions.h"

class AddressSpace {
public:
    static constexpr uint32_t USER_END = 0xC0000000;

    // ENOMEM when no page is left for the directory.
    static Result<AddressSpace*> create();
    // Frees every frame and page table; may run with interrupts off, so it
    // writes nothing back: its last user calls release_file_mappings first.
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

    // --- mappings (address_space_mappings.cpp) ---------------------------------
    // A mapping to make (mmap): where, how large, how protected, what backs it.
    struct MappingRequest {
        uint32_t address = 0;        // page-aligned; with `fixed` exactly there, else a hint
        uint32_t length = 0;         // bytes, rounded up to pages
        uint32_t protection = 0;     // PROTECTION_*
        bool shared = false;         // MAP_SHARED
        bool fixed = false;          // MAP_FIXED: replaces what was there
        bool no_replace = false;     // MAP_FIXED_NOREPLACE: EEXIST when something is there
        FileRef file;                // a file mapping: the file, opened as the caller checked
        uint64_t file_offset = 0;
        uint32_t search_from = 0;    // a placed mapping: the lowest address tried first
        uint32_t area_end = 0;       // a placed mapping ends at or below this
    };
    // Maps the request; returns its address. Anonymous private pages come
    // on first write; shared ones and file pages are frames from the start,
    // file pages filled with the file's bytes (zeros past its end).
    // ENOMEM when no room or memory, EEXIST (no_replace), or the file's read error.
    Result<uint32_t> map(const MappingRequest& request);
    // Maps zero-filled private pages over [start, start + length)
    // (page-rounded), readable and executable, writable or not (the loader,
    // brk, the stack). EINVAL outside user space or over an existing
    // region; ENOMEM (and nothing mapped) when a page table cannot be had or
    // the mapping is larger than all free memory.
    Result<void> map_anonymous(uint32_t start, uint32_t length, bool writable);
    // munmap: removes [start, start + length) from every region it cuts
    // (splitting them) and drops its frames; shared file pages are written
    // back first. Holes are skipped. ENOMEM when a region cannot be split.
    Result<void> unmap(uint32_t start, uint32_t length);
    // mprotect: gives [start, start + length) the protection, splitting
    // regions at its ends. ENOMEM when a page there is not mapped (or a
    // split finds no memory), EACCES for PROT_WRITE on a shared mapping of a
    // file not open for writing. A shared page made writable becomes
    // copy-on-write in a private region, never writable in place.
    Result<void> change_protection(uint32_t start, uint32_t length, uint32_t protection);
    // The loader's: read-only or writable (errors cannot happen there).
    void protect(uint32_t start, uint32_t length, bool writable);
    // mremap: the pages of one region's [old_address, + old_size) become
    // new_size long, in place or (may_move) elsewhere, their frames moved,
    // not copied. Sizes page-rounded, new_size > 0; the caller checked the
    // arguments' own EINVAL cases. EFAULT when the old range is not within
    // one region; ENOMEM when it cannot grow in place and may not move, or
    // no room is left.
    struct RemapRequest {
        uint32_t old_address = 0, old_size = 0, new_size = 0;
        bool may_move = false, fixed = false;
        uint32_t new_address = 0;    // with `fixed`
        uint32_t search_from = 0, area_end = 0;
    };
    Result<uint32_t> remap(const RemapRequest& request);
    // madvise(MADV_DONTNEED): private anonymous pages go back to zeros,
    // private file pages to the file's bytes; shared pages keep theirs.
    // ENOMEM when part of the range is not mapped (the rest is done).
    Result<void> discard_pages(uint32_t start, uint32_t length);
    // mincore (address_space.cpp): one byte per page of [start, start +
    // pages pages): 1 when a frame backs it (not the zero page), else 0.
    // ENOMEM when not all mapped.
    Result<void> residency(uint32_t start, uint32_t pages, uint8_t* out) const;
    // Every page of [start, end) in some region?
    bool is_covered(uint32_t start, uint32_t end) const;
    // Is there a region at `address` (mapped, maybe PROT_NONE)?
    bool has_region_at(uint32_t address) const;

    // --- shared file pages (mapped_file_pages.cpp) -----------------------------
    // msync: the written pages of shared file mappings in [start, end) are
    // copied into the file (its page cache, so read() sees them); with
    // `wait` the file is synced to its disk too; with `invalidate` pages not
    // written since are refreshed from the file. ENOMEM when part of the
    // range is not mapped (the rest is done); the file's write error.
    Result<void> sync(uint32_t start, uint32_t end, bool wait, bool invalidate);
    // Writes back every shared file page and lets go of the files (their
    // regions stay, as anonymous memory). For exit and execve, before the
    // address space is released under the interrupt guard, where nothing
    // may sleep; idempotent. Sleeps. Does nothing unless the caller is its
    // last user (users() == 1): a vfork parent still needs the mappings.
    void release_file_mappings();

    // fork: a new address space sharing every user page with this one; the
    // writable pages of both private regions become copy-on-write, shared
    // pages stay shared. ENOMEM when page tables or regions for the copy
    // cannot be had (this one stays valid).
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

    // Is the user page holding `address` in a region (and writable for the
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
    // --- page tables (address_space.cpp); interrupts masked --------------------
    uint32_t* table_for(uint32_t address, bool create);
    uint32_t* entry_for(uint32_t address, bool create);
    const uint32_t* entry_for(uint32_t address) const;
    Result<void> reserve_tables(uint32_t start, uint32_t end);
    uint32_t entry_for_frame(const MappedRegion& region, uint32_t frame) const;
    void install_pages(const MappedRegion& region, uint32_t start, uint32_t end, uint32_t* frames);
    void drop_pages(uint32_t start, uint32_t end);
    void reprotect_pages(const MappedRegion& region);
    void move_pages(uint32_t from, uint32_t to, uint32_t size);
    Result<void> share_pages_with(AddressSpace& copy);
    Result<void> make_private(uint32_t page, uint32_t& entry);
    void drop_page(uint32_t page, uint32_t& entry);
    void flush_page(uint32_t page) const;

    // --- mappings (address_space_mappings.cpp) ----------------------------------
    Result<uint32_t> place(const MappingRequest& request, uint32_t size) const;
    Result<uint32_t> move_region(const RemapRequest& request, uint32_t* frames);
    Result<bool> grow_in_place(const RemapRequest& request, MappedRegion& region, uint32_t* frames);
    Result<void> check_protection_allowed(uint32_t start, uint32_t end, uint32_t protection) const;

    // --- file pages (mapped_file_pages.cpp) -------------------------------------
    // Frames for `pages` pages of a region like `like` from `address` on,
    // each with one reference: zeros, or the file's bytes. nullptr when
    // the region needs none (private anonymous: the zero page). Sleeps.
    static Result<uint32_t*> prepare_frames(const MappedRegion& like, uint32_t address, uint32_t pages);
    // Drops the frames prepare_frames gave that were not used (not 0).
    static void release_frames(uint32_t* frames, uint32_t pages);
    Result<void> write_back(uint32_t start, uint32_t end, bool wait);
    Result<void> refresh_from_files(uint32_t start, uint32_t end);
    FileRef take_one_file();

    uint32_t users_ = 1;
    uint32_t directory_physical_ = 0;
    uint32_t* directory_ = nullptr;  // through the direct map
    MappedRegions regions_;
    uint32_t mapped_pages_ = 0;
    uint32_t virtual_pages_ = 0;
    uint32_t stack_lowest_ = USER_END;  // no stack region until execve sets one
    uint32_t stack_bottom_ = USER_END;
};
