/*
 * kernel/mm/heap.h — the kernel heap: variable-sized allocations (memory layer).
 *
 * Sits on top of a page allocator (the PageSource) and below everything that says
 * `new`: the kernel's operator new/delete and kmalloc-style helpers call into one
 * Heap. The same code runs in host unit tests with a PageSource backed by the host
 * allocator.
 *
 * Interface:
 *   class PageSource          where arenas come from: allocate_pages(n) gives n
 *                             4096-byte, 4096-aligned pages (nullptr when out of
 *                             memory); free_pages(p, n) takes exactly such a run back.
 *   Heap heap(page_source);
 *   heap.allocate(size, alignment = 16)   nullptr when out of memory (counted in
 *                                         stats().failed, never a panic) or when
 *                                         alignment is not a power of two <= 4096.
 *                                         allocate(0) gives a unique minimal block.
 *   heap.free(p)                          p from allocate(), or nullptr (ignored)
 *   heap.usable_size(p)                   bytes usable at p (>= the size asked for)
 *   heap.stats(), heap.check_consistency()
 *   heap_corruption_handler               called on a double free, a pointer the heap
 *                                         never gave out, or an overwritten block
 *                                         header. The kernel points it at panic;
 *                                         tests record the report. The default traps.
 *
 * Design, in one paragraph: the heap owns arenas (runs of pages, at least 64 KiB).
 * Each arena is tiled by blocks; each block starts with a header that holds its size,
 * whether it is in use, and a magic number. Free blocks are also on one free list
 * kept in address order. Allocation is first fit on that list (splitting the block
 * when the rest is big enough to be a block); freeing inserts the block at its place
 * in the list and merges it with the free blocks directly before and after it. So
 * two free blocks are never adjacent, and an arena that becomes entirely free is one
 * free block — then it is returned to the PageSource, except that one empty arena is
 * kept as a spare so an allocate/free pair at the boundary does not thrash pages.
 *
 * Invariants (check_consistency() verifies all of them):
 *   - The blocks of an arena exactly tile the space after its header.
 *   - Every header has a valid magic, a size that is a multiple of 16 and at least
 *     a minimal block; in-use and free blocks have different magics.
 *   - The free list holds exactly the free blocks, in strictly increasing address
 *     order, and no two free blocks are adjacent.
 *   - Each arena's count of in-use blocks is right, at most one arena is empty, and
 *     the byte counters in Stats add up.
 *
 * Concurrency: a Heap has no lock of its own. The kernel wraps every call in an
 * interrupt-disabling guard (one CPU, and interrupt handlers may allocate), so the
 * heap is never re-entered.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel/lib/list.h"

class PageSource {
public:
    static constexpr size_t kPageSize = 4096;

    // `count` contiguous pages, 4096-aligned, or nullptr when there is no memory.
    virtual void* allocate_pages(size_t count) = 0;
    // Gives back a run obtained from allocate_pages with the same count.
    virtual void free_pages(void* pages, size_t count) = 0;

protected:
    // Not virtual: nobody deletes a PageSource through this interface, and a virtual
    // destructor would make the freestanding kernel need operator delete here.
    ~PageSource() = default;
};

// Called with a short description and the offending address. If it returns (tests),
// the heap leaves the damaged block alone and the call that detected it does nothing.
using HeapCorruptionHandler = void (*)(const char* what, void* where);
extern HeapCorruptionHandler heap_corruption_handler;

class Heap {
public:
    struct Stats {
        size_t bytes_in_use;     // sum of in-use blocks, headers included
        size_t bytes_free;       // sum of free blocks, headers included
        size_t bytes_from_pages; // all arena memory: in use + free + arena headers
        size_t allocations;      // successful allocate() calls since construction
        size_t frees;            // successful free() calls (not counting nullptr)
        size_t failed;           // allocate() calls that returned nullptr
        size_t arenas;           // arenas currently held
    };

    static constexpr size_t kDefaultAlignment = 16;
    static constexpr size_t kMaxAlignment = PageSource::kPageSize;
    static constexpr size_t kMinArenaBytes = 64 * 1024;

    explicit Heap(PageSource& page_source);
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    void* allocate(size_t size, size_t alignment = kDefaultAlignment);
    void free(void* pointer);
    // Bytes usable from `pointer` on (>= the size asked for). For a pointer that is
    // not a live allocation: reports corruption, then returns 0.
    size_t usable_size(void* pointer);

    Stats stats() const;
    bool check_consistency() const;

private:
    // Precedes every block, free or in use. Its size is a multiple of 16, so a
    // payload right after it is 16-aligned.
    struct alignas(16) BlockHeader {
        uint32_t magic;         // kBlockInUseMagic or kBlockFreeMagic
        size_t size;            // the whole block, this header included
        BlockHeader* next_free; // next free block by address; only while free
    };

    // Lives at the start of each run of pages; the blocks follow it.
    struct alignas(16) Arena {
        uint32_t magic;        // kArenaMagic
        size_t page_count;     // as passed to allocate_pages
        size_t blocks_in_use;  // 0 means the arena is one free block
        klib::ListNode link;   // on m_arenas
    };

    // alignas(16) makes both sizes multiples of 16, so payloads stay 16-aligned.
    static constexpr size_t kGranule = 16; // sizes and payload addresses are multiples
    static constexpr size_t kBlockHeaderSize = sizeof(BlockHeader);
    static constexpr size_t kArenaHeaderSize = sizeof(Arena);
    // The smallest block worth having: a header plus one granule of payload.
    static constexpr size_t kMinBlockSize = kBlockHeaderSize + kGranule;

    BlockHeader* take_from_free_list(size_t payload_size, size_t alignment);
    BlockHeader* carve(BlockHeader* previous_free, BlockHeader* block,
                       uintptr_t payload_address, size_t payload_size);
    bool grow(size_t payload_size, size_t alignment);
    BlockHeader* insert_free_block(BlockHeader* block);
    void unlink_free_block(BlockHeader* block);
    void release_arena_if_surplus(Arena& arena, BlockHeader* whole_arena_block);
    Arena* arena_containing(const void* address) const;
    BlockHeader* checked_header(void* pointer, Arena** arena_out) const;
    bool check_arena(const Arena& arena, size_t& free_blocks, size_t& used_bytes,
                     size_t& free_bytes) const;
    bool check_free_list(size_t expected_free_blocks) const;

    static void split_free_block(BlockHeader* block, size_t first_size);
    static uintptr_t end_of(const BlockHeader* block);
    static BlockHeader* first_block(const Arena& arena);
    static uintptr_t arena_end(const Arena& arena);
    static bool is_plausible_size(const BlockHeader* block, uintptr_t limit);

    PageSource& m_page_source;
    klib::IntrusiveList<Arena, &Arena::link> m_arenas;
    BlockHeader* m_first_free = nullptr; // lowest-addressed free block
    size_t m_empty_arenas = 0;           // arenas with blocks_in_use == 0; at most 1
    size_t m_bytes_in_use = 0;
    size_t m_bytes_free = 0;
    size_t m_bytes_from_pages = 0;
    size_t m_allocations = 0;
    size_t m_frees = 0;
    size_t m_failed = 0;
};
