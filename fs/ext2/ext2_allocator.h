// fs/ext2/ext2_allocator.h -- handing out and taking back blocks and inodes:
// the bitmaps and the free counts.
//
// Layer: concrete file system (ext2), on-disk half. (Linux: fs/ext2/balloc.c
// ext2_new_blocks/ext2_free_blocks, fs/ext2/ialloc.c ext2_new_inode with
// find_group_dir/find_group_other, ext2_free_inode.)
//
// The ext2 specification, sections Block Bitmap and Inode Bitmap: each group
// has one block whose bit i says whether block (group start + i) is in use,
// and one whose bit i says whether inode (group * inodes_per_group + i + 1)
// is. The group descriptor counts the group's free blocks, free inodes and
// directories; the superblock counts free blocks and inodes of the volume.
//
// What stays true after every call, under the volume's allocation lock:
//   - a bit is set exactly when its block or inode is in use;
//   - every group descriptor's free_blocks/free_inodes/used_directories and
//     the superblock's free counts agree with the bitmaps (e2fsck checks
//     all of them), so an allocation that fails changes nothing;
//   - metadata is never handed out: even a damaged bitmap that shows a
//     group's bitmaps, inode table or descriptor blocks as free cannot make
//     them a file's block (the bit is set and the block skipped, with a
//     warning).
// Changed bitmaps are marked dirty in the buffer cache; the descriptors'
// and the superblock's counts reach their blocks at the next
// write_superblock (sync, unmount, remount).
//
// Placement (what keeps files fast to read):
//   - a block near `goal`: goal's group first, from goal on, then the
//     following groups; callers pass "just after the file's previous block",
//     so sequential writes get adjacent blocks;
//   - metadata (indirect and directory blocks) from the end of goal's
//     group (its highest free block), so that it does not sit between
//     files' data blocks: data stay in runs, which the page cache writes
//     back in large requests (inline indirect blocks cut a file into 256 KiB
//     pieces at 1 KiB blocks). When the group has none, as a data block;
//   - a directory made in the root directory: its inode in a group with at
//     least the average number of free inodes and the most free blocks
//     (top-level trees spread over the disk); a directory deeper down stays
//     in its parent's group while that has free inodes and a quarter of its
//     blocks free, so a tree's files stay close (Linux's Orlov allocator,
//     simplified);
//   - any other inode in its parent directory's group when that has free
//     inodes and blocks, else the next group that has a free inode.
// Errors: ENOSPC when nothing is free, EIO when a bitmap cannot be read.
#pragma once

#include <cstdint>

#include "fs/ext2/ext2_super.h"

class Ext2Allocator {
public:
    explicit Ext2Allocator(Ext2Volume& volume) : volume_(volume) {}

    Ext2Volume& volume() const { return volume_; }

    enum class Placement { NearGoal, EndOfGroup };
    // One free block, as near `goal` as possible (or, for EndOfGroup, the
    // highest free one of goal's group); marked in use.
    Result<uint32_t> allocate_block(uint32_t goal, Placement placement = Placement::NearGoal);
    // Marks blocks [first, first + count) free. Freeing a block that is
    // already free is damage: logged, counted once, never twice.
    Result<void> free_blocks(uint32_t first, uint32_t count);
    // A free inode number for a new file whose parent directory is
    // `parent_number`; marked in use (a directory is counted as one).
    Result<uint32_t> allocate_inode(uint32_t parent_number, bool directory);
    Result<void> free_inode(uint32_t number, bool directory);

private:
    uint32_t group_first_block(uint32_t group) const;
    uint32_t blocks_in_group(uint32_t group) const;
    bool is_group_metadata(uint32_t group, uint32_t block) const;
    Result<bool> take_block_in_group(uint32_t group, uint32_t start_bit, uint32_t& block);
    Result<bool> take_last_block_in_group(uint32_t group, uint32_t& block);
    Result<bool> take_inode_in_group(uint32_t group, bool directory, uint32_t& number);
    uint32_t group_for_directory(uint32_t parent_number) const;
    void count_blocks(uint32_t group, int32_t delta);
    void count_inodes(uint32_t group, int32_t delta, bool directory);

    Ext2Volume& volume_;
};
