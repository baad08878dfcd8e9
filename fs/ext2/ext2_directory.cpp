// fs/ext2/ext2_directory.cpp -- checking and walking directory blocks.
// See ext2_directory.h for the entry format and the checks.
#include "fs/ext2/ext2_directory.h"

#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

// Decodes and checks the entry at `offset_in_block`; EIO with a warning
// when it breaks a rule.
Result<void> decode_entry(Ext2Volume& volume, const Ext2InodeData& directory, const uint8_t* block,
                          uint32_t offset_in_block, uint64_t block_position, Ext2DirectoryEntry& entry) {
    uint32_t block_size = volume.block_size();
    Ext2DirectoryEntryHeader header;
    const char* problem = nullptr;
    uint32_t name_length = 0;
    if (block_size - offset_in_block < EXT2_DIRECTORY_ENTRY_HEADER_SIZE) {
        problem = "header crosses the block's end";
    } else {
        klib::memcpy(&header, block + offset_in_block, sizeof header);
        name_length = header.name_length;
        if (!volume.has_filetype()) name_length |= uint32_t(header.file_type) << 8;
        if (header.record_length % 4 != 0) problem = "rec_len is not a multiple of 4";
        else if (header.record_length < EXT2_DIRECTORY_ENTRY_HEADER_SIZE + name_length) problem = "rec_len too small";
        else if (header.record_length > block_size - offset_in_block) problem = "rec_len runs past the block";
        else if (header.inode != 0 && (name_length == 0 || name_length > EXT2_MAX_NAME_LENGTH))
            problem = "bad name_len";
        else if (header.inode > volume.inodes_count()) problem = "inode number out of range";
    }
    if (problem != nullptr) {
        log_warning("ext2 (%s): directory inode %u, entry at byte %llu: %s", volume.device_name(), directory.number,
                    (unsigned long long)(block_position + offset_in_block), problem);
        return Error{EIO};
    }
    entry.inode = header.inode;
    entry.file_type = volume.has_filetype() ? header.file_type : uint8_t(EXT2_FT_UNKNOWN);
    entry.name_length = name_length;
    klib::memcpy(entry.name, block + offset_in_block + EXT2_DIRECTORY_ENTRY_HEADER_SIZE, name_length);
    entry.name[name_length] = '\0';
    entry.position = block_position + offset_in_block;
    entry.next_position = entry.position + header.record_length;
    return {};
}

}  // namespace

Result<bool> ext2_walk_directory_block(Ext2Volume& volume, const Ext2InodeData& directory, uint64_t block_index,
                                       uint64_t start_position, Ext2DirectoryEntryCallback callback, void* context) {
    uint32_t block_size = volume.block_size();
    uint32_t block_number = TRY(directory.block_for_file_block(volume, block_index));
    if (block_number == 0) {
        log_warning("ext2 (%s): directory inode %u has a hole at block %llu", volume.device_name(),
                    directory.number, (unsigned long long)block_index);
        return Error{EIO};
    }
    BufferHandle block = TRY(volume.read_block(block_number));
    uint64_t block_position = block_index * block_size;
    Ext2DirectoryEntry entry;
    for (uint32_t offset = 0; offset < block_size;) {
        TRY(decode_entry(volume, directory, block.data(), offset, block_position, entry));
        offset = uint32_t(entry.next_position - block_position);
        if (entry.inode == 0 || entry.position < start_position) continue;
        if (callback(entry, context) == Ext2Walk::Stop) return false;
    }
    return true;
}

Result<Ext2DirectoryEntry> ext2_find_in_directory(Ext2Volume& volume, const Ext2InodeData& directory,
                                                  const char* name, size_t name_length) {
    Ext2DirectoryEntry found;
    bool was_found = false;
    TRY(ext2_for_each_directory_entry(volume, directory, 0, [&](const Ext2DirectoryEntry& entry) {
        if (entry.name_length != name_length || klib::memcmp(entry.name, name, name_length) != 0)
            return Ext2Walk::Continue;
        found = entry;
        was_found = true;
        return Ext2Walk::Stop;
    }));
    if (!was_found) return Error{ENOENT};
    return found;
}
