// fs/ext2/ext2_file.cpp -- ext2's file data and attributes: write_at,
// truncate, setattr.
//
// Layer: concrete file system (ext2), VFS half (Linux: fs/ext2/inode.c
// ext2_write_begin/ext2_get_block, ext2_setsize, ext2_setattr). The rules
// are in ext2_vfs.h; the block map's in ext2_block_map.h. A regular
// file's data move through its FileMapping (fs/cache/page_cache.h): the
// page cache reads and writes whole pages, asking map_block here which
// block holds what, and allocating on write. The VFS holds the inode's lock.
#include "fs/ext2/ext2_vfs.h"

#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

constexpr uint64_t TWO_GIB = uint64_t(1) << 31;

uint64_t smaller_of(uint64_t a, uint64_t b) { return a < b ? a : b; }

}  // namespace

uint64_t Ext2Inode::max_file_size() const {
    uint64_t mapped = ext2_max_mapped_size(volume().block_size());
    // Revision 0 has no i_size_high: 2 GiB - 1 is as far as it goes.
    if (volume().revision() < EXT2_DYNAMIC_REVISION) return smaller_of(mapped, TWO_GIB - 1);
    // i_blocks counts 512-byte units in 32 bits: that is 2 TiB of blocks.
    return smaller_of(mapped, (uint64_t(1) << 41) - volume().block_size());
}

// A size past 2 GiB needs the large_file feature; a revision 1 volume gains
// it (as on Linux: ext2_update_dynamic_rev and the RO_COMPAT bit).
Result<void> Ext2Inode::allow_size(uint64_t size) {
    if (size > max_file_size()) return Error{EFBIG};
    if (size < TWO_GIB || volume().has_large_file()) return {};
    Ext2SuperBlockRecord& record = volume().mutable_superblock();
    record.feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
    return volume().write_superblock();
}

Result<FileMapping*> Ext2Inode::mapping() {
    if (mapping_ != nullptr) return mapping_;
    mapping_ = new (std::nothrow) FileMapping(ext2_super_block().page_cache(), volume().device(),
                                              volume().block_size(), *this, number());
    if (mapping_ == nullptr) return Error{ENOMEM};
    return mapping_;
}

Result<uint64_t> Ext2Inode::map_block(uint64_t file_block, bool allocate) {
    Ext2BlockMap map = block_map();
    uint32_t block_number = TRY(map.map(file_block, allocate));
    return uint64_t(block_number);
}

Result<void> Ext2Inode::sync_data() {
    if (mapping_ == nullptr) return {};
    return mapping_->write_back(true);
}

// A deleted file's pages go at once (never written to its freed blocks);
// any other file's mapping becomes the page cache's orphan, written back
// with the others and adopted again if the file comes back into memory.
Result<void> Ext2Inode::release_pages(bool deleted) {
    if (mapping_ == nullptr) return {};
    if (deleted) {
        mapping_->discard();
        delete mapping_;
    } else {
        ext2_super_block().page_cache().orphan(mapping_);
    }
    mapping_ = nullptr;
    return {};
}

Result<size_t> Ext2Inode::write_at(uint64_t offset, const void* buffer, size_t size) {
    if (is_directory()) return Error{EISDIR};
    if (!is_regular_file()) return Inode::write_at(offset, buffer, size);
    if (size == 0) return size_t(0);
    if (offset >= max_file_size()) return Error{EFBIG};
    size = size_t(smaller_of(size, max_file_size() - offset));
    TRY(allow_size(offset + size));
    FileMapping* pages = TRY(mapping());
    uint64_t blocks_before = data_.record.blocks;
    Result<size_t> written = pages->write(offset, buffer, size, data_.size);
    size_t done = written.is_error() ? 0 : written.value();
    Error failure{written.is_error() ? written.error() : 0};
    if (done > 0 && offset + done > data_.size) data_.size = offset + done;
    if (done > 0 || data_.record.blocks != blocks_before) changed(done > 0);  // blocks may be taken even so
    volume().limit_dirty_buffers();
    if (done == 0) return failure;
    return done;  // a short write when space ran out part-way, as on Linux
}

// After shrinking to `size`, the rest of the last block must read as zeros
// if the file grows again: written as zeros through the page cache (the
// block's page may not be cached, so truncating the mapping is not enough).
Result<void> Ext2Inode::zero_tail_of_block(uint64_t size) {
    uint32_t block_size = volume().block_size();
    uint32_t in_block = uint32_t(size % block_size);
    if (in_block == 0) return {};
    Ext2BlockMap map = block_map();
    uint32_t block_number = TRY(map.map(size / block_size, false));
    if (block_number == 0) return {};
    static const uint8_t zeros[EXT2_MAX_BLOCK_SIZE] = {};
    FileMapping* pages = TRY(mapping());
    TRY(pages->write(size, zeros, block_size - in_block, size));
    return {};
}

Result<void> Ext2Inode::truncate(uint64_t size) {
    if (is_directory()) return Error{EISDIR};
    if (!is_regular_file()) return Error{EINVAL};
    TRY(allow_size(size));
    if (size < data_.size) {
        uint32_t block_size = volume().block_size();
        // The pages go before their blocks: no freed block is written later.
        if (mapping_ != nullptr) TRY(mapping_->truncate(size));
        Ext2BlockMap map = block_map();
        Result<void> freed = map.free_from((size + block_size - 1) / block_size);
        if (freed.is_error()) {
            changed(true);  // what was freed is freed: the map and count changed
            return freed;
        }
        TRY(zero_tail_of_block(size));
    }
    data_.size = size;
    changed(true);
    volume().limit_dirty_buffers();
    return {};
}

Result<void> Ext2Inode::setattr(const AttributeChange& change) {
    if (change.valid & AttributeChange::SIZE) TRY(truncate(change.size));
    if (change.valid & AttributeChange::MODE) data_.mode = (data_.mode & S_IFMT) | (change.mode & 07777);
    if (change.valid & AttributeChange::UID) data_.uid = change.uid;
    if (change.valid & AttributeChange::GID) data_.gid = change.gid;
    changed(false);
    if (change.valid & AttributeChange::ACCESS_TIME) data_.access_time = uint32_t(change.access_time.seconds);
    if (change.valid & AttributeChange::MODIFICATION_TIME)
        data_.modification_time = uint32_t(change.modification_time.seconds);
    if (change.valid & AttributeChange::CHANGE_TIME) data_.change_time = uint32_t(change.change_time.seconds);
    load_attributes();
    return {};
}
