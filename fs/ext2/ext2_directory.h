// fs/ext2/ext2_directory.h -- the entries of an ext2 directory: walking,
// checking, finding a name.
//
// Layer: concrete file system (ext2), on-disk half. A directory's data is
// a run of blocks, each a chain of variable-length entries (the ext2
// specification, section Directory; Linux: fs/ext2/dir.c, ext2_check_page,
// ext2_readdir, ext2_find_entry):
//     inode (u32), rec_len (u16), name_len (u8), file_type (u8), name
// rec_len leads to the next entry; the last entry of a block reaches the
// block's end, so no entry spans two blocks. inode 0 marks an unused entry.
// With the filetype feature, file_type is EXT2_FT_*; without it that byte is
// the high half of a 16-bit name_len (so always 0 for a valid name).
//
// Indexed directories (dir_index) hide their hash tree in what a linear
// reader sees as an unused entry covering the rest of block 0, so reading
// them linearly, as here, is correct.
//
// Checks on every entry before it is used (EIO and a warning otherwise):
//   rec_len a multiple of 4, at least 8 + name_len, and inside the block;
//   name_len 1..255; inode <= inodes_count; a directory has no holes.
//
// Positions: an entry's position is its byte offset in the directory (the
// getdents cookie). A walk may start at any position: it begins at the start
// of the block containing it (the only place where entries are known to
// begin) and skips entries before the position, so a stale or made-up
// cookie resumes at the next real entry, never in the middle of one.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/ext2/ext2_block_map.h"
#include "fs/ext2/ext2_inode.h"

struct Ext2DirectoryEntry {
    uint32_t inode = 0;
    uint8_t file_type = EXT2_FT_UNKNOWN;  // EXT2_FT_UNKNOWN without the filetype feature
    uint32_t name_length = 0;
    char name[EXT2_MAX_NAME_LENGTH + 1] = {};  // NUL-terminated copy
    uint64_t position = 0;                     // byte offset in the directory
    uint64_t next_position = 0;                // where the following entry starts
};

enum class Ext2Walk { Continue, Stop };

// Calls visit(entry) for each used entry from `start_position` on, in
// order, until it returns Ext2Walk::Stop. `directory` must be a directory.
template <typename Visitor>
Result<void> ext2_for_each_directory_entry(Ext2Volume& volume, const Ext2InodeData& directory,
                                           uint64_t start_position, Visitor visit);

// The entry named `name` (name_length bytes); ENOENT when there is none.
Result<Ext2DirectoryEntry> ext2_find_in_directory(Ext2Volume& volume, const Ext2InodeData& directory,
                                                  const char* name, size_t name_length);

// --- changing a directory (the caller holds its lock and writes its inode
// record afterwards: these change its size, its map and its flags). Any
// change clears EXT2_INDEX_FL: the hash index (dir_index) is not kept up,
// so the directory becomes a plain linear one, which every reader accepts
// (Linux's ext2 does the same). Entries are placed as Linux's ext2_add_link
// does: the first entry with room (an unused one, or the slack behind a used
// one's name), else a new block at the end.

// The ext2 file_type byte for a mode (0 without the filetype feature).
uint8_t ext2_file_type_of(const Ext2Volume& volume, uint32_t mode);
// Adds `name` -> `inode`; EEXIST when the name is there. `map` maps `directory`.
Result<void> ext2_add_directory_entry(Ext2BlockMap& map, Ext2InodeData& directory, const char* name,
                                      size_t name_length, uint32_t inode, uint8_t file_type);
// Removes `name` (its space joins the entry before it); returns its inode. ENOENT.
Result<uint32_t> ext2_remove_directory_entry(Ext2Volume& volume, Ext2InodeData& directory, const char* name,
                                             size_t name_length);
// Points the existing entry `name` at another inode (rename over a file, "..").
Result<void> ext2_retarget_directory_entry(Ext2Volume& volume, Ext2InodeData& directory, const char* name,
                                           size_t name_length, uint32_t inode, uint8_t file_type);
// True when the directory holds nothing but "." and "..".
Result<bool> ext2_directory_is_empty(Ext2Volume& volume, const Ext2InodeData& directory);
// Fills a new directory's first block: "." -> self, ".." -> parent.
void ext2_format_directory_block(const Ext2Volume& volume, uint8_t* block, uint32_t self, uint32_t parent);

// The step of ext2_for_each_directory_entry that is not a template: checks
// every entry of the directory's block `block_index` and calls
// callback(entry, context) for the used ones at or after `start_position`.
// Returns false when the callback stopped the walk.
using Ext2DirectoryEntryCallback = Ext2Walk (*)(const Ext2DirectoryEntry& entry, void* context);
Result<bool> ext2_walk_directory_block(Ext2Volume& volume, const Ext2InodeData& directory, uint64_t block_index,
                                       uint64_t start_position, Ext2DirectoryEntryCallback callback, void* context);

template <typename Visitor>
Result<void> ext2_for_each_directory_entry(Ext2Volume& volume, const Ext2InodeData& directory,
                                           uint64_t start_position, Visitor visit) {
    uint32_t block_size = volume.block_size();
    uint64_t block_count = (directory.size + block_size - 1) / block_size;
    auto trampoline = [](const Ext2DirectoryEntry& entry, void* context) {
        return (*static_cast<Visitor*>(context))(entry);
    };
    for (uint64_t block_index = start_position / block_size; block_index < block_count; ++block_index) {
        bool more = TRY(ext2_walk_directory_block(volume, directory, block_index, start_position, trampoline, &visit));
        if (!more) break;
    }
    return {};
}
