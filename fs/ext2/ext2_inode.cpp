// fs/ext2/ext2_inode.cpp -- parsing an inode record, walking its block map,
// reading its data. See ext2_inode.h for the rules.
#include "fs/ext2/ext2_inode.h"

#include "fs/vfs/device_table.h"
#include "fs/vfs/file_mode.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

// Device numbers in i_block: the old 16-bit encoding (major << 8 | minor) in
// i_block[0], or, when that is 0, Linux's new 32-bit one in i_block[1].
uint32_t device_number_of(const Ext2InodeRecord& record) {
    if (record.block[0] != 0) return make_device_number((record.block[0] >> 8) & 0xff, record.block[0] & 0xff);
    uint32_t encoded = record.block[1];
    uint32_t major = (encoded >> 8) & 0xfff;
    uint32_t minor = (encoded & 0xff) | ((encoded >> 12) & 0xfff00);
    return make_device_number(major, minor);
}

uint64_t smaller_of(uint64_t a, uint64_t b) { return a < b ? a : b; }

}  // namespace

uint64_t ext2_max_mapped_size(uint32_t block_size) {
    uint64_t pointers = block_size / 4;
    uint64_t blocks = EXT2_DIRECT_BLOCKS + pointers + pointers * pointers + pointers * pointers * pointers;
    return blocks * block_size;
}

Result<Ext2InodeData> Ext2InodeData::read(Ext2Volume& volume, uint32_t number) {
    Ext2InodeData inode;
    inode.number = number;
    inode.record = TRY(volume.read_inode_record(number));
    const Ext2InodeRecord& record = inode.record;
    inode.mode = record.mode;
    inode.uid = uint32_t(record.uid) | uint32_t(record.uid_high) << 16;
    inode.gid = uint32_t(record.gid) | uint32_t(record.gid_high) << 16;
    inode.link_count = record.links_count;
    inode.size = record.size;
    if (::is_regular_file(inode.mode) && volume.has_large_file()) inode.size |= uint64_t(record.size_high) << 32;
    inode.access_time = record.access_time;
    inode.modification_time = record.modification_time;
    inode.change_time = record.change_time;
    inode.block_count = record.blocks;
    uint32_t type = inode.mode & S_IFMT;
    if (type == S_IFCHR || type == S_IFBLK) inode.device_number = device_number_of(record);
    TRY(inode.check(volume));
    return inode;
}

Result<void> Ext2InodeData::check(const Ext2Volume& volume) const {
    uint32_t type = mode & S_IFMT;
    bool known_type = type == S_IFREG || type == S_IFDIR || type == S_IFLNK || type == S_IFCHR ||
                      type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK;
    const char* problem = nullptr;
    if (!known_type) problem = "has no valid file type";
    else if (size > ext2_max_mapped_size(volume.block_size())) problem = "is larger than its block map can hold";
    else if (type == S_IFDIR && size % volume.block_size() != 0) problem = "is a directory of partial blocks";
    else if (type == S_IFLNK && is_fast_symbolic_link(volume) && size > EXT2_FAST_SYMLINK_CAPACITY)
        problem = "is a fast symbolic link longer than 60 bytes";
    else if (type == S_IFLNK && size >= volume.block_size()) problem = "is a symbolic link longer than a block";
    if (problem == nullptr) return {};
    log_warning("ext2 (%s): inode %u (mode %#o, size %llu) %s", volume.device_name(), number, mode,
                (unsigned long long)size, problem);
    return Error{EIO};
}

bool Ext2InodeData::is_fast_symbolic_link(const Ext2Volume& volume) const {
    uint32_t attribute_blocks = record.file_acl != 0 ? volume.block_size() / 512 : 0;
    return record.blocks <= attribute_blocks;
}

// Walks from i_block down the levels of indirection: `levels` indirect
// blocks are read, each picking one of its block_size/4 numbers with the
// digits of `index` in base block_size/4, most significant first.
Result<uint32_t> Ext2InodeData::block_for_file_block(Ext2Volume& volume, uint64_t file_block) const {
    if (file_block < EXT2_DIRECT_BLOCKS) return record.block[file_block];
    uint64_t pointers = volume.pointers_per_block();
    uint64_t index = file_block - EXT2_DIRECT_BLOCKS;
    uint32_t levels = 1;
    uint64_t span = pointers;  // file blocks covered at this level
    while (index >= span) {
        index -= span;
        if (++levels > 3) return Error{EFBIG};
        span *= pointers;
    }
    uint32_t block = record.block[EXT2_SINGLE_INDIRECT + levels - 1];
    for (uint64_t divisor = span / pointers; block != 0; divisor /= pointers) {
        BufferHandle indirect = TRY(volume.read_block(block));
        uint32_t slot = uint32_t((index / divisor) % pointers);
        klib::memcpy(&block, indirect.data() + slot * 4, 4);
        if (divisor == 1) break;
    }
    return block;
}

// Brings the run of physically adjacent blocks that starts at file block
// `first` (volume block `physical`) into the cache with one request, so a
// large file is not read one block per request. Returns the run's length in
// file blocks (at least 1); a hint only: errors show up in the copy itself.
uint64_t Ext2InodeData::read_ahead_run(Ext2Volume& volume, uint64_t first, uint32_t physical,
                                       uint64_t blocks_wanted) const {
    uint64_t limit = smaller_of(blocks_wanted, READ_AHEAD_BLOCKS);
    uint64_t run = 1;
    while (run < limit) {
        Result<uint32_t> next = block_for_file_block(volume, first + run);
        if (next.is_error() || next.value() != physical + run) break;
        ++run;
    }
    if (run > 1) volume.read_ahead(physical, uint32_t(run));
    return run;
}

Result<size_t> Ext2InodeData::read(Ext2Volume& volume, uint64_t offset, void* buffer, size_t length) const {
    if (offset >= size) return size_t(0);
    length = size_t(smaller_of(length, size - offset));
    auto* destination = static_cast<uint8_t*>(buffer);
    uint32_t block_size = volume.block_size();
    uint64_t last_file_block = (offset + length - 1) / block_size;
    uint64_t read_ahead_until = 0;  // file blocks before this one are in the cache or asked for
    size_t copied = 0;
    while (copied < length) {
        uint64_t position = offset + copied;
        uint64_t file_block = position / block_size;
        uint32_t in_block = uint32_t(position % block_size);
        size_t count = size_t(smaller_of(block_size - in_block, length - copied));
        uint32_t block = TRY(block_for_file_block(volume, file_block));
        if (block == 0) {
            klib::memset(destination + copied, 0, count);
        } else {
            if (file_block >= read_ahead_until)
                read_ahead_until = file_block + read_ahead_run(volume, file_block, block, last_file_block - file_block + 1);
            BufferHandle data = TRY(volume.read_block(block));
            klib::memcpy(destination + copied, data.data() + in_block, count);
        }
        copied += count;
    }
    return copied;
}

Result<size_t> Ext2InodeData::read_link(Ext2Volume& volume, char* buffer, size_t buffer_size) const {
    if (!::is_symbolic_link(mode)) return Error{EINVAL};
    size_t length = size_t(smaller_of(size, buffer_size));
    if (!is_fast_symbolic_link(volume)) return read(volume, 0, buffer, length);
    klib::memcpy(buffer, record.block, length);
    return length;
}

// --- the write side ---------------------------------------------------------------------

void Ext2InodeData::encode(const Ext2Volume& volume) {
    record.mode = uint16_t(mode);
    record.uid = uint16_t(uid);
    record.uid_high = uint16_t(uid >> 16);
    record.gid = uint16_t(gid);
    record.gid_high = uint16_t(gid >> 16);
    record.links_count = uint16_t(link_count);
    record.size = uint32_t(size);
    if (::is_regular_file(mode) && volume.has_large_file()) record.size_high = uint32_t(size >> 32);
    record.access_time = access_time;
    record.modification_time = modification_time;
    record.change_time = change_time;
    record.blocks = uint32_t(block_count);
    uint32_t type = mode & S_IFMT;
    if (type == S_IFCHR || type == S_IFBLK) {
        // The old 16-bit encoding when it fits (as Linux writes), else the new one.
        uint32_t major = device_major(device_number), minor = device_minor(device_number);
        record.block[0] = record.block[1] = 0;
        if (major < 256 && minor < 256)
            record.block[0] = major << 8 | minor;
        else
            record.block[1] = (minor & 0xff) | (major & 0xfff) << 8 | (minor & ~0xffu) << 12;
    }
}

Ext2InodeData Ext2InodeData::fresh(uint32_t number, uint32_t mode, uint32_t uid, uint32_t gid, uint32_t now) {
    Ext2InodeData inode;
    inode.number = number;
    inode.mode = mode;
    inode.uid = uid;
    inode.gid = gid;
    inode.link_count = 1;
    inode.access_time = inode.modification_time = inode.change_time = now;
    inode.record.generation = number * 2654435761u + now;  // for NFS-style handles; any value will do
    return inode;
}
