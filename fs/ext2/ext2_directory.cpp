// fs/ext2/ext2_directory.cpp -- checking and walking directory blocks.
// See ext2_directory.h for the entry format and the checks.
#include "fs/ext2/ext2_directory.h"

#include "fs/vfs/file_mode.h"
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

// --- changing a directory -------------------------------------------------------------

namespace {

constexpr uint32_t entry_length_for(uint32_t name_length) {
    return (EXT2_DIRECTORY_ENTRY_HEADER_SIZE + name_length + 3) & ~3u;
}

struct DirectoryBlock {
    BufferHandle buffer;
    uint64_t position = 0;  // of the block's first byte in the directory
};

Result<DirectoryBlock> read_directory_block(Ext2Volume& volume, const Ext2InodeData& directory, uint64_t index) {
    uint32_t block_number = TRY(directory.block_for_file_block(volume, index));
    if (block_number == 0) {
        log_warning("ext2 (%s): directory inode %u has a hole at block %llu", volume.device_name(),
                    directory.number, (unsigned long long)index);
        return Error{EIO};
    }
    DirectoryBlock block;
    block.buffer = TRY(volume.read_block(block_number));
    block.position = index * volume.block_size();
    return block;
}

void write_header(uint8_t* at, uint32_t inode, uint32_t record_length, uint32_t name_length, uint8_t file_type) {
    Ext2DirectoryEntryHeader header;
    header.inode = inode;
    header.record_length = uint16_t(record_length);
    header.name_length = uint8_t(name_length);
    header.file_type = file_type;
    klib::memcpy(at, &header, sizeof header);
}

void write_entry(uint8_t* at, uint32_t inode, uint32_t record_length, const char* name, uint32_t name_length,
                 uint8_t file_type) {
    write_header(at, inode, record_length, name_length, file_type);
    klib::memcpy(at + EXT2_DIRECTORY_ENTRY_HEADER_SIZE, name, name_length);
}

bool names_equal(const Ext2DirectoryEntry& entry, const char* name, size_t name_length) {
    return entry.inode != 0 && entry.name_length == name_length && klib::memcmp(entry.name, name, name_length) == 0;
}

uint64_t directory_block_count(const Ext2Volume& volume, const Ext2InodeData& directory) {
    return directory.size / volume.block_size();
}

// Calls visit(block, offset, entry) for every entry (used or not) of every
// block, until it returns true (found). Returns whether it did.
template <typename Visitor>
Result<bool> scan_directory(Ext2Volume& volume, const Ext2InodeData& directory, Visitor visit) {
    for (uint64_t index = 0; index < directory_block_count(volume, directory); ++index) {
        DirectoryBlock block = TRY(read_directory_block(volume, directory, index));
        Ext2DirectoryEntry entry;
        for (uint32_t offset = 0; offset < volume.block_size();) {
            TRY(decode_entry(volume, directory, block.buffer.data(), offset, block.position, entry));
            if (visit(block, offset, entry)) return true;
            offset = uint32_t(entry.next_position - block.position);
        }
    }
    return false;
}

}  // namespace

uint8_t ext2_file_type_of(const Ext2Volume& volume, uint32_t mode) {
    if (!volume.has_filetype()) return EXT2_FT_UNKNOWN;
    switch (mode & S_IFMT) {
    case S_IFREG: return EXT2_FT_REGULAR_FILE;
    case S_IFDIR: return EXT2_FT_DIRECTORY;
    case S_IFCHR: return EXT2_FT_CHARACTER_DEVICE;
    case S_IFBLK: return EXT2_FT_BLOCK_DEVICE;
    case S_IFIFO: return EXT2_FT_FIFO;
    case S_IFSOCK: return EXT2_FT_SOCKET;
    case S_IFLNK: return EXT2_FT_SYMBOLIC_LINK;
    default: return EXT2_FT_UNKNOWN;
    }
}

void ext2_format_directory_block(const Ext2Volume& volume, uint8_t* block, uint32_t self, uint32_t parent) {
    uint8_t type = ext2_file_type_of(volume, S_IFDIR);
    klib::memset(block, 0, volume.block_size());
    uint32_t dot_length = entry_length_for(1);
    write_entry(block, self, dot_length, ".", 1, type);
    write_entry(block + dot_length, parent, volume.block_size() - dot_length, "..", 2, type);
}

Result<void> ext2_add_directory_entry(Ext2BlockMap& map, Ext2InodeData& directory, const char* name,
                                      size_t name_length, uint32_t inode, uint8_t file_type) {
    Ext2Volume& volume = map.volume();
    uint32_t needed = entry_length_for(uint32_t(name_length));
    bool exists = false, found_room = false;
    uint64_t room_block = 0;
    uint32_t room_offset = 0, room_used = 0;
    TRY(scan_directory(volume, directory, [&](DirectoryBlock& block, uint32_t offset, const Ext2DirectoryEntry& entry) {
        if (names_equal(entry, name, name_length)) return exists = true;
        uint32_t used = entry.inode != 0 ? entry_length_for(entry.name_length) : 0;
        uint32_t record_length = uint32_t(entry.next_position - entry.position);
        if (!found_room && record_length - used >= needed) {
            found_room = true;
            room_block = block.position / volume.block_size();
            room_offset = offset;
            room_used = used;
        }
        return false;
    }));
    if (exists) return Error{EEXIST};
    directory.record.flags &= ~EXT2_INDEX_FL;
    if (found_room) {
        DirectoryBlock block = TRY(read_directory_block(volume, directory, room_block));
        uint8_t* at = block.buffer.data() + room_offset;
        Ext2DirectoryEntryHeader header;
        klib::memcpy(&header, at, sizeof header);
        uint32_t record_length = header.record_length;
        if (room_used != 0) {  // split: the old entry keeps its name's length
            write_header(at, header.inode, room_used, header.name_length, header.file_type);
            at += room_used;
        }
        write_entry(at, inode, record_length - room_used, name, uint32_t(name_length), file_type);
        block.buffer.mark_dirty();
        return {};
    }
    uint64_t index = directory_block_count(volume, directory);
    uint32_t block_number = TRY(map.map(index, true));
    BufferHandle block = TRY(volume.block_for_overwrite(block_number));
    klib::memset(block.data(), 0, volume.block_size());
    write_entry(block.data(), inode, volume.block_size(), name, uint32_t(name_length), file_type);
    block.mark_dirty();
    directory.size += volume.block_size();
    return {};
}

Result<uint32_t> ext2_remove_directory_entry(Ext2Volume& volume, Ext2InodeData& directory, const char* name,
                                             size_t name_length) {
    uint32_t removed = 0;
    uint32_t previous_offset = 0;
    bool has_previous = false;
    uint64_t current_block = ~uint64_t(0);
    bool found = TRY(scan_directory(volume, directory, [&](DirectoryBlock& block, uint32_t offset,
                                                           const Ext2DirectoryEntry& entry) {
        if (block.position != current_block) {  // a new block: no entry before this one
            current_block = block.position;
            has_previous = false;
        }
        if (!names_equal(entry, name, name_length)) {
            previous_offset = offset;
            has_previous = true;
            return false;
        }
        removed = entry.inode;
        uint8_t* bytes = block.buffer.data();
        if (has_previous) {  // the previous entry's record swallows this one
            Ext2DirectoryEntryHeader previous;
            klib::memcpy(&previous, bytes + previous_offset, sizeof previous);
            previous.record_length = uint16_t(previous.record_length + (entry.next_position - entry.position));
            klib::memcpy(bytes + previous_offset, &previous, sizeof previous);
        } else {  // the first entry of a block stays, unused
            uint32_t unused = 0;
            klib::memcpy(bytes + offset, &unused, sizeof unused);
        }
        block.buffer.mark_dirty();
        return true;
    }));
    if (!found) return Error{ENOENT};
    directory.record.flags &= ~EXT2_INDEX_FL;
    return removed;
}

Result<void> ext2_retarget_directory_entry(Ext2Volume& volume, Ext2InodeData& directory, const char* name,
                                           size_t name_length, uint32_t inode, uint8_t file_type) {
    bool found = TRY(scan_directory(volume, directory, [&](DirectoryBlock& block, uint32_t offset,
                                                           const Ext2DirectoryEntry& entry) {
        if (!names_equal(entry, name, name_length)) return false;
        uint8_t* at = block.buffer.data() + offset;
        Ext2DirectoryEntryHeader header;
        klib::memcpy(&header, at, sizeof header);
        header.inode = inode;
        if (volume.has_filetype()) header.file_type = file_type;
        klib::memcpy(at, &header, sizeof header);
        block.buffer.mark_dirty();
        return true;
    }));
    if (!found) return Error{ENOENT};
    directory.record.flags &= ~EXT2_INDEX_FL;
    return {};
}

Result<bool> ext2_directory_is_empty(Ext2Volume& volume, const Ext2InodeData& directory) {
    bool other = TRY(scan_directory(volume, directory, [&](DirectoryBlock&, uint32_t, const Ext2DirectoryEntry& entry) {
        if (entry.inode == 0) return false;
        bool dot = entry.name_length == 1 && entry.name[0] == '.';
        bool dot_dot = entry.name_length == 2 && entry.name[0] == '.' && entry.name[1] == '.';
        return !dot && !dot_dot;
    }));
    return !other;
}
