// fs/ext2/ext2_block_map.cpp -- allocating along a block-map path and
// freeing branches of it. See ext2_block_map.h for the rules.
#include "fs/ext2/ext2_block_map.h"

#include "fs/vfs/file_mode.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

uint32_t slot_value(const BufferHandle& block, uint32_t slot) {
    uint32_t value;
    klib::memcpy(&value, block.data() + slot * 4, 4);
    return value;
}

void set_slot(BufferHandle& block, uint32_t slot, uint32_t value) {
    klib::memcpy(block.data() + slot * 4, &value, 4);
    block.mark_dirty();
}

}  // namespace

// The indirect blocks between i_block and file block `file_block`: how many,
// and which slot to take in each (the digits of the block's index within
// its level, in base block_size/4, most significant first).
Result<Ext2BlockMap::Path> Ext2BlockMap::path_of(uint64_t file_block) const {
    Path path;
    if (file_block < EXT2_DIRECT_BLOCKS) {
        path.top_slot = uint32_t(file_block);
        return path;
    }
    uint64_t pointers = volume_.pointers_per_block();
    uint64_t index = file_block - EXT2_DIRECT_BLOCKS;
    uint64_t span = pointers;
    path.levels = 1;
    while (index >= span) {
        index -= span;
        if (++path.levels > 3) return Error{EFBIG};
        span *= pointers;
    }
    path.top_slot = EXT2_SINGLE_INDIRECT + path.levels - 1;
    for (uint32_t level = path.levels; level-- > 0;) {
        path.indexes[level] = uint32_t(index % pointers);
        index /= pointers;
    }
    return path;
}

uint32_t Ext2BlockMap::goal_for(uint64_t file_block) {
    if (inode_.last_allocated_block != 0 && file_block == inode_.last_allocated_file_block + 1)
        return inode_.last_allocated_block + 1;
    if (file_block > 0) {
        Result<uint32_t> previous = map(file_block - 1, false);
        if (!previous.is_error() && previous.value() != 0) return previous.value() + 1;
    }
    const Ext2SuperBlockRecord& s = volume_.superblock();
    return s.first_data_block + volume_.group_of_inode(inode_.number) * s.blocks_per_group;
}

Result<uint32_t> Ext2BlockMap::new_block(uint32_t goal, bool zeroed) {
    // Metadata -- indirect blocks (the zeroed ones), directory blocks --
    // keep out of the way of files' data.
    bool metadata = zeroed || ::is_directory(inode_.mode);
    auto placement = metadata ? Ext2Allocator::Placement::EndOfGroup : Ext2Allocator::Placement::NearGoal;
    uint32_t block = TRY(allocator_.allocate_block(goal, placement));
    if (zeroed) {
        Result<BufferHandle> buffer = volume_.block_for_overwrite(block);
        if (buffer.is_error()) {
            (void)allocator_.free_blocks(block, 1);
            return Error{buffer.error()};
        }
        klib::memset(buffer.value().data(), 0, volume_.block_size());
        buffer.value().mark_dirty();
    }
    inode_.record.blocks += volume_.block_size() / 512;
    inode_.block_count = inode_.record.blocks;
    return block;
}

void Ext2BlockMap::remember_allocation(uint64_t file_block, uint32_t block, bool* allocated_now) {
    inode_.last_allocated_file_block = file_block;
    inode_.last_allocated_block = block;
    if (allocated_now != nullptr) *allocated_now = true;
}

Result<uint32_t> Ext2BlockMap::map(uint64_t file_block, bool allocate, bool* allocated_now) {
    if (allocated_now != nullptr) *allocated_now = false;
    Path path = TRY(path_of(file_block));
    uint32_t& top = inode_.record.block[path.top_slot];
    if (top == 0) {
        if (!allocate) return uint32_t(0);
        top = TRY(new_block(goal_for(file_block), path.levels > 0));
        if (path.levels == 0) remember_allocation(file_block, top, allocated_now);
    }
    uint32_t block = top;
    for (uint32_t level = 0; level < path.levels; ++level) {
        BufferHandle indirect = TRY(volume_.read_block(block));
        uint32_t next = slot_value(indirect, path.indexes[level]);
        if (next == 0) {
            if (!allocate) return uint32_t(0);
            bool data_block = level + 1 == path.levels;
            next = TRY(new_block(goal_for(file_block), !data_block));
            set_slot(indirect, path.indexes[level], next);
            if (data_block) remember_allocation(file_block, next, allocated_now);
        }
        block = next;
    }
    return block;
}

// --- freeing --------------------------------------------------------------------------

Result<void> Ext2BlockMap::flush_released() {
    if (run_count_ == 0) return {};
    Result<void> freed = allocator_.free_blocks(run_first_, run_count_);
    run_count_ = 0;
    return freed;
}

Result<void> Ext2BlockMap::release(uint32_t block) {
    if (run_count_ != 0 && block != run_first_ + run_count_) TRY(flush_released());
    if (run_count_ == 0) run_first_ = block;
    ++run_count_;
    inode_.record.blocks -= volume_.block_size() / 512;
    inode_.block_count = inode_.record.blocks;
    return {};
}

// Frees what `block` maps at or past file block `first`; `block` maps file
// blocks from `base` on through `levels` levels of indirection (0: it is a
// data block). Sets `whole` when `block` itself was freed, so the caller
// clears its pointer to it.
Result<void> Ext2BlockMap::free_branch(uint32_t block, uint32_t levels, uint64_t base, uint64_t first,
                                       bool& whole) {
    whole = false;
    uint64_t pointers = volume_.pointers_per_block();
    uint64_t span = 1;
    for (uint32_t i = 0; i < levels; ++i) span *= pointers;
    if (base + span <= first) return {};
    bool keeps_some = base < first;
    if (levels > 0) {
        BufferHandle indirect = TRY(volume_.read_block(block));
        uint64_t child_span = span / pointers;
        for (uint32_t slot = 0; slot < pointers; ++slot) {
            uint64_t child_base = base + slot * child_span;
            uint32_t child = slot_value(indirect, slot);
            if (child == 0 || child_base + child_span <= first) continue;
            bool child_whole = false;
            TRY(free_branch(child, levels - 1, child_base, first, child_whole));
            if (child_whole && keeps_some) set_slot(indirect, slot, 0);
        }
    }
    if (keeps_some) return {};
    TRY(release(block));
    whole = true;
    return {};
}

Result<void> Ext2BlockMap::free_from(uint64_t first) {
    uint64_t pointers = volume_.pointers_per_block();
    inode_.last_allocated_block = 0;  // it may be among the freed
    Result<void> result;
    for (uint32_t slot = 0; slot < EXT2_BLOCK_POINTERS && !result.is_error(); ++slot) {
        uint32_t& pointer = inode_.record.block[slot];
        if (pointer == 0) continue;
        uint32_t levels = slot < EXT2_DIRECT_BLOCKS ? 0 : slot - EXT2_SINGLE_INDIRECT + 1;
        // Direct slots map their own index; the indirect trees follow one
        // another: single from 12, double after the single's span, ...
        uint64_t base = levels == 0 ? slot : EXT2_DIRECT_BLOCKS;
        for (uint32_t level = 1; level < levels; ++level) {
            uint64_t span = 1;
            for (uint32_t i = 0; i < level; ++i) span *= pointers;
            base += span;
        }
        bool whole = false;
        result = free_branch(pointer, levels, base, first, whole);
        if (whole) pointer = 0;
    }
    Result<void> flushed = flush_released();
    return result.is_error() ? result : flushed;
}
