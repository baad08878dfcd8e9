// fs/ext2/ext2_super.h -- an ext2 volume: its checked superblock and group
// descriptors, and block and inode-record reads through the buffer cache.
//
// Layer: concrete file system (ext2), the on-disk half (knows the format,
// nothing of the VFS; the VFS glue is ext2_vfs.h). Ext2Volume is to ext2
// what RomfsImage is to romfs: everything above it asks for "block 1234" or
// "the record of inode 57" and gets bytes that are inside the volume.
// (Linux: ext2_fill_super and ext2_check_descriptors in fs/ext2/super.c,
// ext2_get_inode in fs/ext2/inode.c.)
//
// Interface:
//   Ext2Volume* volume = TRY(Ext2Volume::open(cache, device));
//   BufferHandle block = TRY(volume->read_block(number));   block_size() bytes
//   Ext2InodeRecord record = TRY(volume->read_inode_record(57));
//   facts: block_size(), blocks_count(), group_count(), has_filetype(), ...
//
// What open() checks, so that nothing later can index out of bounds (the
// ext2 specification, sections Superblock and Block Group Descriptor Table):
//   - magic 0xEF53 (else EINVAL: no ext2 here), revision 0 or 1;
//   - block size 1, 2 or 4 KiB; fragment size equal to it;
//   - s_first_data_block is 1 for 1 KiB blocks and 0 otherwise;
//   - blocks_count fits the device; blocks and inodes per group are non-zero,
//     at most 8 * block size (one bitmap block), inodes per group fill whole
//     inode-table blocks; the group count from the blocks agrees with
//     inodes_count / inodes_per_group;
//   - revision 1: inode size a power of two in [128, block size], first
//     inode > root;
//   - features: an unknown INCOMPAT bit refuses the mount (EINVAL, naming the
//     bits); an unknown RO_COMPAT bit makes it read-only (requires_read_only());
//   - every group descriptor: bitmaps and the whole inode table inside the
//     volume and inside their own group's blocks.
// Errors: EINVAL (not ext2, or unsupported), EIO (damaged), ENOMEM; each
// refusal logs one line naming the device and the number that is wrong.
//
// The write side (read-write mounts): the in-memory superblock and group
// descriptors are the truth while mounted; they are copied into their
// cached blocks by write_superblock (at sync, unmount and remount) and
// reach the disk with the device's sync that follows. The superblock is read
// once as a 1 KiB block at byte 1024 (that works before the block size is
// known); on 2 and 4 KiB volumes that 1 KiB copy is dropped right after, and
// the superblock is written inside block 0 at the volume's own block size,
// because the buffer cache must never hold one byte range under two sizes.
//
// Locking: readers need none (the buffer cache locks itself).
// allocation_lock() guards the superblock's and descriptors' counts and the
// bitmaps (ext2_allocator.h); an inode's own record is written under that
// inode's lock, and records sharing an inode-table block touch disjoint bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/block_device.h"
#include "fs/cache/buffer_cache.h"
#include "fs/ext2/ext2_format.h"
#include "kernel/platform.h"

class Ext2Volume {
public:
    // Reads and checks the superblock and the group descriptor table.
    static Result<Ext2Volume*> open(BufferCache& cache, BlockDevice& device);
    ~Ext2Volume();
    Ext2Volume(const Ext2Volume&) = delete;
    Ext2Volume& operator=(const Ext2Volume&) = delete;

    BlockDevice& device() const { return device_; }
    const char* device_name() const { return device_.name(); }
    const Ext2SuperBlockRecord& superblock() const { return superblock_; }
    uint32_t block_size() const { return block_size_; }
    uint32_t blocks_count() const { return superblock_.blocks_count; }
    uint32_t inodes_count() const { return superblock_.inodes_count; }
    uint32_t group_count() const { return group_count_; }
    uint32_t inode_size() const { return inode_size_; }
    // Block numbers an indirect block holds (block size / 4).
    uint32_t pointers_per_block() const { return block_size_ / 4; }
    bool has_filetype() const { return (incompat_features() & EXT2_FEATURE_INCOMPAT_FILETYPE) != 0; }
    bool has_large_file() const {
        return (superblock_.feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE) != 0 &&
               superblock_.revision_level >= EXT2_DYNAMIC_REVISION;
    }
    // True when the disk has RO_COMPAT features we do not know: readable, not writable.
    bool requires_read_only() const { return requires_read_only_; }
    const Ext2GroupDescriptor& group(uint32_t index) const { return groups_[index]; }

    // The block's bytes (block_size() of them). EIO for block 0 (never data:
    // callers treat 0 as a hole before asking) or a block past the volume.
    Result<BufferHandle> read_block(uint32_t block_number);
    // Reads ahead `count` blocks from `first` (a hint; errors are ignored).
    void read_ahead(uint32_t first, uint32_t count);
    // The on-disk record of inode `number` (the first 128 bytes of it).
    // EIO for 0 or a number past inodes_count.
    Result<Ext2InodeRecord> read_inode_record(uint32_t number);

    // --- the write side ----------------------------------------------------
    BufferCache& cache() { return cache_; }
    Mutex& allocation_lock() { return allocation_lock_; }
    Ext2SuperBlockRecord& mutable_superblock() { return superblock_; }
    Ext2GroupDescriptor& mutable_group(uint32_t index) { return groups_[index]; }
    uint32_t revision() const { return superblock_.revision_level; }
    // The first usable inode (11 on revision 0).
    uint32_t first_inode() const {
        return revision() >= EXT2_DYNAMIC_REVISION ? superblock_.first_inode : EXT2_GOOD_OLD_FIRST_INODE;
    }
    // The group holding block `block_number` / inode `number`.
    uint32_t group_of_block(uint32_t block_number) const {
        return (block_number - superblock_.first_data_block) / superblock_.blocks_per_group;
    }
    uint32_t group_of_inode(uint32_t number) const { return (number - 1) / superblock_.inodes_per_group; }
    // A cached block about to be overwritten entirely: not read, zeroed when
    // it was not cached. The caller fills it and marks it dirty.
    Result<BufferHandle> block_for_overwrite(uint32_t block_number);
    // The allocator changed descriptor `index`: it is copied into its block
    // at the next write_superblock (one copy per sync, not per block).
    void mark_group_dirty(uint32_t index) { groups_dirty_ = true; (void)index; }
    // Copies the in-memory superblock and the changed descriptors into
    // their cached blocks and marks those dirty (sync, unmount, remount).
    Result<void> write_superblock();
    // Writes the first 128 bytes of inode `number`'s on-disk record; the rest
    // of a larger record is kept. clear_inode_record zeroes the whole record
    // (a newly allocated inode starts from nothing).
    Result<void> write_inode_record(uint32_t number, const Ext2InodeRecord& record);
    Result<void> clear_inode_record(uint32_t number);
    // Revision 0 -> 1, the fields it adds set to revision 0's fixed values
    // (first inode 11, 128-byte inodes), so feature bits can be set. Logged:
    // older tools may not read the volume any more. Nothing on revision 1.
    Result<void> upgrade_to_dynamic_revision();
    // Writes every dirty buffer of the device and flushes the disk's cache.
    Result<void> sync();
    // Keeps dirty metadata from filling the buffer cache (its limit_dirty);
    // a failed write is logged, and the next sync reports it.
    void limit_dirty_buffers();

private:
    Ext2Volume(BufferCache& cache, BlockDevice& device);
    uint32_t incompat_features() const {
        return superblock_.revision_level >= EXT2_DYNAMIC_REVISION ? superblock_.feature_incompat : 0;
    }
    Result<void> read_superblock();
    // Where the superblock's 1024 bytes live at this block size.
    uint32_t superblock_block() const { return EXT2_SUPERBLOCK_OFFSET / block_size_; }
    uint32_t superblock_offset_in_block() const { return EXT2_SUPERBLOCK_OFFSET % block_size_; }
    static constexpr uint32_t INODE_TABLE_READ_AHEAD = 16;  // blocks
    Result<BufferHandle> inode_record_block(uint32_t number, uint32_t& offset_in_block);
    Result<BufferHandle> read_block_even_zero(uint32_t block_number);
    Result<void> check_superblock();
    Result<void> check_features();
    Result<void> read_group_descriptors();
    Result<void> check_group(uint32_t index) const;
    bool block_range_in_group(uint32_t index, uint32_t first, uint32_t count) const;

    BufferCache& cache_;
    BlockDevice& device_;
    Ext2SuperBlockRecord superblock_{};
    uint32_t block_size_ = 0;
    uint32_t inode_size_ = EXT2_GOOD_OLD_INODE_SIZE;
    uint32_t group_count_ = 0;
    uint32_t inode_table_blocks_ = 0;  // per group
    bool requires_read_only_ = false;
    Ext2GroupDescriptor* groups_ = nullptr;  // kmalloc'd, group_count_ of them
    Mutex allocation_lock_{"ext2 allocation"};
    bool groups_dirty_ = false;  // under allocation_lock_
    Result<void> write_group_descriptors();
};
