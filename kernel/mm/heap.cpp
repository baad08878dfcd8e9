/*
 * kernel/mm/heap.cpp — the kernel heap (memory layer).
 *
 * Interface and invariants: see heap.h. This file adds the mechanics:
 *
 *   arena (page-aligned run of pages, >= 64 KiB)
 *   +-------+---------------+-------------+---------------------+-----
 *   | Arena | header|payload| header|     | header|payload      | ...  up to the
 *   +-------+---------------+-------------+---------------------+-----  arena's end
 *             in use          free          in use
 *
 *   - A block's size includes its header, so the next block is at block + size;
 *     walking an arena from first_block() by sizes must land exactly on its end.
 *   - A freed block keeps its header, with the free magic, even when the block in
 *     front of it swallows it. A second free() of the same pointer therefore sees the
 *     free magic and is reported as a double free instead of corrupting the list.
 *   - Arenas are separated by their Arena headers, so a block at the end of one arena
 *     is never address-adjacent to a block at the start of the next one, even when
 *     the PageSource hands out neighbouring pages: merging never crosses arenas.
 *   - Addresses are compared as uintptr_t, and "does it fit" checks are written as
 *     subtractions, so nothing overflows near the top of the 32-bit address space
 *     (the kernel lives at 0xC0000000 and up).
 */
#include "kernel/mm/heap.h"

#include <new>

namespace {

constexpr uint32_t kBlockInUseMagic = 0xA110C8EDu; // "allocated"
constexpr uint32_t kBlockFreeMagic = 0xF4EEB10Cu;  // "free block"
constexpr uint32_t kArenaMagic = 0xA4E4A000u;      // "arena"

// Requests larger than this fail at once; it keeps every size computation below far
// from overflowing, and no kernel object comes close.
constexpr size_t kMaxRequest = static_cast<size_t>(-1) / 4;

constexpr uintptr_t align_up(uintptr_t value, size_t alignment)
{
    return (value + alignment - 1) & ~(static_cast<uintptr_t>(alignment) - 1);
}

constexpr bool is_power_of_two(size_t value) { return value != 0 && (value & (value - 1)) == 0; }

uintptr_t address_of(const void* pointer) { return reinterpret_cast<uintptr_t>(pointer); }

[[noreturn]] void trap_on_heap_corruption(const char*, void*) { __builtin_trap(); }

void report_corruption(const char* what, void* where)
{
    if (heap_corruption_handler)
        heap_corruption_handler(what, where);
    else
        trap_on_heap_corruption(what, where); // someone cleared the handler
}

} // namespace

HeapCorruptionHandler heap_corruption_handler = trap_on_heap_corruption;

Heap::Heap(PageSource& page_source) : m_page_source(page_source)
{
    static_assert(kBlockHeaderSize % kGranule == 0 && kArenaHeaderSize % kGranule == 0);
}

// Shrinks free `block` to `first_size` bytes; the rest becomes a free block right
// after it, and right after it in the (address-ordered) free list.
void Heap::split_free_block(BlockHeader* block, size_t first_size)
{
    auto* rest = reinterpret_cast<BlockHeader*>(address_of(block) + first_size);
    rest->magic = kBlockFreeMagic;
    rest->size = block->size - first_size;
    rest->next_free = block->next_free;
    block->size = first_size;
    block->next_free = rest;
}

uintptr_t Heap::end_of(const BlockHeader* block) { return address_of(block) + block->size; }

Heap::BlockHeader* Heap::first_block(const Arena& arena)
{
    return reinterpret_cast<BlockHeader*>(address_of(&arena) + kArenaHeaderSize);
}

uintptr_t Heap::arena_end(const Arena& arena)
{
    return address_of(&arena) + arena.page_count * PageSource::kPageSize;
}

// A size that keeps the header's promises and does not run past `limit`.
bool Heap::is_plausible_size(const BlockHeader* block, uintptr_t limit)
{
    return block->size % kGranule == 0 && block->size >= kMinBlockSize &&
           block->size <= limit - address_of(block);
}

void* Heap::allocate(size_t size, size_t alignment)
{
    if (!is_power_of_two(alignment) || alignment > kMaxAlignment || size > kMaxRequest) {
        ++m_failed;
        return nullptr;
    }
    // Size 0 still gets a block of its own, so every successful call is unique.
    size_t payload_size = align_up(size == 0 ? 1 : size, kGranule);
    if (alignment < kGranule)
        alignment = kGranule; // every payload is 16-aligned anyway

    BlockHeader* block = take_from_free_list(payload_size, alignment);
    if (block == nullptr && grow(payload_size, alignment))
        block = take_from_free_list(payload_size, alignment);
    if (block == nullptr) {
        ++m_failed;
        return nullptr;
    }
    ++m_allocations;
    return reinterpret_cast<void*>(address_of(block) + kBlockHeaderSize);
}

// First fit: the lowest-addressed free block that can hold an aligned payload.
Heap::BlockHeader* Heap::take_from_free_list(size_t payload_size, size_t alignment)
{
    BlockHeader* previous = nullptr;
    for (BlockHeader* block = m_first_free; block != nullptr; block = block->next_free) {
        uintptr_t payload_start = address_of(block) + kBlockHeaderSize;
        uintptr_t payload = align_up(payload_start, alignment);
        // Sliding the payload forward leaves a gap in front of its header; the gap
        // must be big enough to stand alone as a free block.
        while (payload != payload_start && payload - payload_start < kMinBlockSize)
            payload += alignment;
        if (payload <= end_of(block) && end_of(block) - payload >= payload_size)
            return carve(previous, block, payload, payload_size);
        previous = block;
    }
    return nullptr;
}

// Turns the part of free `block` that holds [payload_address, +payload_size) into an
// in-use block: the gap in front and a big enough tail stay free.
Heap::BlockHeader* Heap::carve(BlockHeader* previous_free, BlockHeader* block,
                               uintptr_t payload_address, size_t payload_size)
{
    uintptr_t header_address = payload_address - kBlockHeaderSize;
    if (header_address != address_of(block)) {
        split_free_block(block, header_address - address_of(block));
        previous_free = block;
        block = block->next_free;
    }
    size_t needed = kBlockHeaderSize + payload_size;
    if (block->size - needed >= kMinBlockSize)
        split_free_block(block, needed);

    if (previous_free != nullptr)
        previous_free->next_free = block->next_free;
    else
        m_first_free = block->next_free;
    block->next_free = nullptr;
    block->magic = kBlockInUseMagic;
    m_bytes_free -= block->size;
    m_bytes_in_use += block->size;

    Arena* arena = arena_containing(block);
    if (arena->blocks_in_use++ == 0)
        --m_empty_arenas;
    return block;
}

// Gets a new arena big enough for the request, however its payload has to be aligned.
bool Heap::grow(size_t payload_size, size_t alignment)
{
    size_t needed = kArenaHeaderSize + kBlockHeaderSize + payload_size;
    if (alignment > kGranule)
        needed += alignment + kMinBlockSize; // worst case slide, see take_from_free_list
    size_t bytes = align_up(needed, PageSource::kPageSize);
    if (bytes < kMinArenaBytes)
        bytes = kMinArenaBytes;

    size_t page_count = bytes / PageSource::kPageSize;
    void* pages = m_page_source.allocate_pages(page_count);
    if (pages == nullptr)
        return false;
    // The address arithmetic in this file assumes no arena reaches the top of the
    // address space (where it would wrap to 0). Page allocators never hand out those
    // pages in practice; this makes sure.
    if (address_of(pages) > UINTPTR_MAX - bytes - 2 * kMaxAlignment) {
        m_page_source.free_pages(pages, page_count);
        return false;
    }

    Arena* arena = new (pages) Arena{kArenaMagic, page_count, 0, {}};
    m_arenas.push_back(*arena);
    ++m_empty_arenas;
    m_bytes_from_pages += bytes;

    BlockHeader* block = first_block(*arena);
    block->magic = kBlockFreeMagic;
    block->size = bytes - kArenaHeaderSize;
    block->next_free = nullptr;
    m_bytes_free += block->size;
    insert_free_block(block);
    return true;
}

void Heap::free(void* pointer)
{
    if (pointer == nullptr)
        return;
    Arena* arena = nullptr;
    BlockHeader* block = checked_header(pointer, &arena);
    if (block == nullptr)
        return; // reported; leave the damaged memory alone

    block->magic = kBlockFreeMagic;
    m_bytes_in_use -= block->size;
    m_bytes_free += block->size;
    ++m_frees;
    BlockHeader* merged = insert_free_block(block);

    if (--arena->blocks_in_use == 0) {
        ++m_empty_arenas;
        release_arena_if_surplus(*arena, merged);
    }
}

size_t Heap::usable_size(void* pointer)
{
    Arena* arena = nullptr;
    BlockHeader* block = checked_header(pointer, &arena);
    return block ? block->size - kBlockHeaderSize : 0;
}

// The header of the live allocation at `pointer`, or nullptr after reporting why
// `pointer` is not one. Reads no memory outside the heap's own arenas.
Heap::BlockHeader* Heap::checked_header(void* pointer, Arena** arena_out) const
{
    uintptr_t address = reinterpret_cast<uintptr_t>(pointer);
    Arena* arena = arena_containing(pointer);
    if (arena == nullptr || address % kGranule != 0 ||
        address < address_of(first_block(*arena)) + kBlockHeaderSize) {
        report_corruption("heap: pointer was not allocated by this heap", pointer);
        return nullptr;
    }
    auto* block = reinterpret_cast<BlockHeader*>(address - kBlockHeaderSize);
    if (block->magic == kBlockFreeMagic) {
        report_corruption("heap: double free (block is already free)", pointer);
        return nullptr;
    }
    if (block->magic != kBlockInUseMagic || !is_plausible_size(block, arena_end(*arena))) {
        report_corruption("heap: corrupted block header or bad pointer", pointer);
        return nullptr;
    }
    *arena_out = arena;
    return block;
}

// Puts free `block` at its address-ordered place in the free list and merges it
// with the free blocks right before and after it. Returns the merged block.
Heap::BlockHeader* Heap::insert_free_block(BlockHeader* block)
{
    BlockHeader* previous = nullptr;
    BlockHeader* next = m_first_free;
    while (next != nullptr && address_of(next) < address_of(block)) {
        previous = next;
        next = next->next_free;
    }

    block->next_free = next;
    if (next != nullptr && end_of(block) == address_of(next)) {
        block->size += next->size; // swallow the following free block
        block->next_free = next->next_free;
    }
    if (previous != nullptr && end_of(previous) == address_of(block)) {
        previous->size += block->size; // be swallowed by the preceding free block
        previous->next_free = block->next_free;
        return previous;
    }
    if (previous != nullptr)
        previous->next_free = block;
    else
        m_first_free = block;
    return block;
}

void Heap::unlink_free_block(BlockHeader* block)
{
    BlockHeader** link = &m_first_free;
    while (*link != nullptr && *link != block)
        link = &(*link)->next_free;
    if (*link == block)
        *link = block->next_free;
}

// Called when `arena` has just become empty, i.e. one free block. Keeps it as the
// spare if there is none yet, otherwise gives its pages back.
void Heap::release_arena_if_surplus(Arena& arena, BlockHeader* whole_arena_block)
{
    if (m_empty_arenas <= 1)
        return;
    unlink_free_block(whole_arena_block);
    m_bytes_free -= whole_arena_block->size;
    m_bytes_from_pages -= arena.page_count * PageSource::kPageSize;
    --m_empty_arenas;
    m_arenas.remove(arena);
    arena.magic = 0; // a stale pointer into these pages must not look like an arena
    m_page_source.free_pages(&arena, arena.page_count);
}

Heap::Arena* Heap::arena_containing(const void* address) const
{
    uintptr_t value = reinterpret_cast<uintptr_t>(address);
    for (const Arena& arena : m_arenas) {
        if (value >= reinterpret_cast<uintptr_t>(&arena) && value < arena_end(arena))
            return const_cast<Arena*>(&arena);
    }
    return nullptr;
}

Heap::Stats Heap::stats() const
{
    return Stats{m_bytes_in_use, m_bytes_free, m_bytes_from_pages, m_allocations,
                 m_frees,        m_failed,     m_arenas.size()};
}

bool Heap::check_consistency() const
{
    size_t free_blocks = 0;
    size_t used_bytes = 0;
    size_t free_bytes = 0;
    size_t empty_arenas = 0;
    size_t arena_bytes = 0;
    for (const Arena& arena : m_arenas) {
        if (!check_arena(arena, free_blocks, used_bytes, free_bytes))
            return false;
        if (arena.blocks_in_use == 0)
            ++empty_arenas;
        arena_bytes += arena.page_count * PageSource::kPageSize;
    }
    size_t arena_headers = m_arenas.size() * kArenaHeaderSize;
    return check_free_list(free_blocks) && used_bytes == m_bytes_in_use &&
           free_bytes == m_bytes_free && arena_bytes == m_bytes_from_pages &&
           used_bytes + free_bytes + arena_headers == arena_bytes &&
           empty_arenas == m_empty_arenas && empty_arenas <= 1;
}

// Walks one arena block by block; adds what it finds to the running totals.
bool Heap::check_arena(const Arena& arena, size_t& free_blocks, size_t& used_bytes,
                       size_t& free_bytes) const
{
    if (arena.magic != kArenaMagic)
        return false;
    uintptr_t end = arena_end(arena);
    uintptr_t cursor = address_of(first_block(arena));
    size_t blocks_in_use = 0;
    bool previous_was_free = false;
    while (cursor < end) {
        auto* block = reinterpret_cast<const BlockHeader*>(cursor);
        if (!is_plausible_size(block, end))
            return false;
        if (block->magic == kBlockFreeMagic) {
            if (previous_was_free)
                return false; // two adjacent free blocks: a merge was missed
            previous_was_free = true;
            ++free_blocks;
            free_bytes += block->size;
        } else if (block->magic == kBlockInUseMagic) {
            previous_was_free = false;
            ++blocks_in_use;
            used_bytes += block->size;
        } else {
            return false;
        }
        cursor += block->size;
    }
    return cursor == end && blocks_in_use == arena.blocks_in_use;
}

// The free list must be strictly address-ordered (which also rules out cycles), hold
// only free blocks inside our arenas, and hold exactly the free blocks the walk found.
bool Heap::check_free_list(size_t expected_free_blocks) const
{
    size_t count = 0;
    uintptr_t previous_address = 0;
    for (const BlockHeader* block = m_first_free; block != nullptr; block = block->next_free) {
        if (address_of(block) <= previous_address || count == expected_free_blocks)
            return false;
        if (arena_containing(block) == nullptr || block->magic != kBlockFreeMagic)
            return false;
        previous_address = address_of(block);
        ++count;
    }
    return count == expected_free_blocks;
}
