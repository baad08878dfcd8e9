// fs/ext2/ext2_block_map.h -- changing one inode's block map: filling holes
// with new blocks, and freeing blocks from a file block on (truncate).
//
// Layer: concrete file system (ext2), on-disk half. Reading the map is
// Ext2InodeData::block_for_file_block (ext2_inode.h); this is its write side
// (Linux: ext2_get_blocks with create, ext2_alloc_branch, ext2_splice_branch;
// ext2_truncate_blocks, ext2_free_branches).
//
// The map (the ext2 specification, section Inode Table, i_block): file block
// n < 12 is i_block[n]; then i_block[12] is a block of block_size/4 numbers
// (single indirect), i_block[13] a block of such blocks (double), i_block[14]
// one more level (triple). 0 is a hole.
//
// What stays true:
//   - i_blocks (record.blocks, 512-byte units) counts every block the map
//     owns, data and indirect alike; it changes with each block given or
//     taken, so an error part-way leaves a map that e2fsck accepts.
//   - A new indirect block is zeroed before its number is stored, so it
//     never maps stale numbers; a new data block is not (the caller writes
//     it -- a hole read would have read zeros, the new block is written whole
//     or its unwritten part zeroed by the caller).
//   - free_from(n) leaves no block mapped at or past file block n and frees
//     the indirect blocks that no longer map anything; the others keep their
//     remaining entries. Freed blocks are forgotten by the buffer cache so a
//     stale dirty copy is never written over their next owner.
//   - Placement: a new block's goal is just after the file block before it,
//     when that is mapped, else the start of the inode's group
//     (Ext2Allocator finds the nearest free one); metadata -- an indirect
//     block, a directory's block -- goes to the end of that goal's group
//     instead: files' data grow from a group's start, metadata from its
//     end, so data stay in long runs and so do directory blocks, and each
//     kind reaches the disk in few, large requests.
// The caller holds the inode's lock and writes the inode record afterwards
// (the map lives in record.block).
#pragma once

#include <cstdint>

#include "fs/ext2/ext2_allocator.h"
#include "fs/ext2/ext2_inode.h"

class Ext2BlockMap {
public:
    Ext2BlockMap(Ext2Allocator& allocator, Ext2InodeData& inode)
        : allocator_(allocator), volume_(allocator.volume()), inode_(inode) {}

    Ext2Volume& volume() const { return volume_; }

    // The block holding file block `file_block`. A hole is 0, or, with
    // `allocate`, a newly allocated block (ENOSPC, EFBIG past the map, EIO);
    // *allocated_now then says whether it is new (its bytes are stale).
    Result<uint32_t> map(uint64_t file_block, bool allocate, bool* allocated_now = nullptr);
    // Frees every block that maps file block `first` or later.
    Result<void> free_from(uint64_t first);

private:
    struct Path {
        uint32_t levels = 0;           // indirect blocks on the way (0: direct)
        uint32_t top_slot = 0;         // index into i_block
        uint32_t indexes[3] = {};      // slot in each indirect block, top first
    };
    Result<Path> path_of(uint64_t file_block) const;
    uint32_t goal_for(uint64_t file_block);
    void remember_allocation(uint64_t file_block, uint32_t block, bool* allocated_now);
    // A new block at `goal`; indirect blocks come zeroed.
    Result<uint32_t> new_block(uint32_t goal, bool zeroed);
    Result<void> free_branch(uint32_t block, uint32_t levels, uint64_t base, uint64_t first, bool& whole);
    Result<void> release(uint32_t block);
    Result<void> flush_released();

    Ext2Allocator& allocator_;
    Ext2Volume& volume_;
    Ext2InodeData& inode_;
    // Blocks freed by free_from, gathered into runs of adjacent numbers.
    uint32_t run_first_ = 0, run_count_ = 0;
};
