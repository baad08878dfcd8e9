// fs/ext2/ext2_inode.h -- one ext2 inode read from the inode table: its
// attributes, its block map, its data and its symbolic-link target.
//
// Layer: concrete file system (ext2), on-disk half. Ext2InodeData is the
// parsed, checked copy of one inode record; the VFS's Ext2Inode
// (ext2_vfs.h) keeps one and asks it for data. (Linux: ext2_iget and
// ext2_get_block / ext2_block_to_path in fs/ext2/inode.c, ext2_get_link.)
//
// Interface:
//   Ext2InodeData inode = TRY(Ext2InodeData::read(volume, number));
//   inode.mode, size, uid, gid, link_count, times, rdev, block_count
//   uint32_t block = TRY(inode.block_for_file_block(volume, n));   0 = hole
//   size_t got = TRY(inode.read(volume, offset, buffer, length));
//   size_t length = TRY(inode.read_link(volume, buffer, size));
//
// Rules (the ext2 specification, section Inode Table):
//   - size: i_size, plus i_size_high << 32 for regular files when the volume
//     has large_file (for directories that field is i_dir_acl: ignored).
//   - uid and gid: 16 low bits, 16 high bits from the Linux osd2 fields.
//   - The block map: file block n < 12 is i_block[n]; then i_block[12] points
//     to a block of block_size/4 numbers (single indirect), i_block[13] to a
//     block of such blocks (double), i_block[14] one level more (triple). A 0
//     anywhere on the path is a hole and reads as zeros. A number past the
//     volume is damage: EIO (read_block checks), never a read elsewhere.
//   - A symbolic link is "fast" when it owns no data block (i_blocks, minus
//     the extended-attribute block if there is one, is 0): its target is in
//     the 60 bytes of i_block. Otherwise the target is in its first block.
//   - A directory is whole blocks (its size a multiple of the block size),
//     so every entry position is below its size.
//   - read() reads at most up to the size (which the static read() checked
//     fits the map); runs of adjacent blocks are read ahead with one request each.
// Nothing here is cached between calls except by the buffer cache, and
// nothing changes the disk.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/ext2/ext2_format.h"
#include "fs/ext2/ext2_super.h"

struct Ext2InodeData {
    uint32_t number = 0;
    uint32_t mode = 0;  // type and permission bits, as Linux's S_IF* | 07777
    uint32_t uid = 0, gid = 0;
    uint32_t link_count = 0;
    uint64_t size = 0;
    uint32_t access_time = 0, modification_time = 0, change_time = 0;
    uint32_t device_number = 0;  // device nodes: kernel encoding (device_table.h)
    uint64_t block_count = 0;    // i_blocks: 512-byte units
    Ext2InodeRecord record{};
    // In memory only: the last data block the block map handed out, so the
    // next one of a sequential write goes right after it without a walk
    // (Linux: ext2_block_alloc_info's last_alloc_logical_block).
    uint64_t last_allocated_file_block = ~uint64_t(0);
    uint32_t last_allocated_block = 0;

    // Reads and checks inode `number`. EIO when the record is damaged (a
    // size the block map cannot hold, a symlink target that does not fit).
    static Result<Ext2InodeData> read(Ext2Volume& volume, uint32_t number);

    bool is_fast_symbolic_link(const Ext2Volume& volume) const;
    // The volume block that holds file block `file_block`; 0 for a hole.
    Result<uint32_t> block_for_file_block(Ext2Volume& volume, uint64_t file_block) const;
    // Copies file bytes [offset, offset + length) (cut at the size); holes are zeros.
    Result<size_t> read(Ext2Volume& volume, uint64_t offset, void* buffer, size_t length) const;
    // Copies at most `size` bytes of a symbolic link's target (no NUL).
    Result<size_t> read_link(Ext2Volume& volume, char* buffer, size_t size) const;

    // --- the write side: the fields above are the truth; encode() puts them
    // into `record` (which also keeps the block map and flags) for writing.
    void encode(const Ext2Volume& volume);
    // A new inode's data: type and permissions, owner, times now.
    static Ext2InodeData fresh(uint32_t number, uint32_t mode, uint32_t uid, uint32_t gid, uint32_t now);

private:
    // A multi-block read first asks for up to this many adjacent blocks with one request.
    static constexpr uint64_t READ_AHEAD_BLOCKS = 32;

    Result<void> check(const Ext2Volume& volume) const;
    uint64_t read_ahead_run(Ext2Volume& volume, uint64_t first, uint32_t physical, uint64_t blocks_wanted) const;
};

// The largest file size the block map can address with this block size.
uint64_t ext2_max_mapped_size(uint32_t block_size);
