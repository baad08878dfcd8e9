// fs/ext2/ext2_super.cpp -- reading and checking the superblock and the
// group descriptors. See ext2_super.h for the list of checks and why each
// one is there: after open() every later index (group, inode, block) is
// checked against numbers that were themselves checked here.
#include "fs/ext2/ext2_super.h"

#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

constexpr uint32_t SUPERBLOCK_PROBE_BLOCK_SIZE = 1024;  // the superblock's own block, at any block size

bool is_power_of_two(uint32_t value) { return value != 0 && (value & (value - 1)) == 0; }

uint32_t divide_rounding_up(uint64_t value, uint32_t divisor) { return uint32_t((value + divisor - 1) / divisor); }

}  // namespace

Ext2Volume::Ext2Volume(BufferCache& cache, BlockDevice& device) : cache_(cache), device_(device) {}

Ext2Volume::~Ext2Volume() { kfree(groups_); }

Result<Ext2Volume*> Ext2Volume::open(BufferCache& cache, BlockDevice& device) {
    auto* volume = new (std::nothrow) Ext2Volume(cache, device);
    if (volume == nullptr) return Error{ENOMEM};
    Result<void> checked = volume->read_superblock();
    if (!checked.is_error()) checked = volume->check_superblock();
    if (!checked.is_error()) checked = volume->check_features();
    if (!checked.is_error()) checked = volume->read_group_descriptors();
    if (checked.is_error()) {
        delete volume;
        return Error{checked.error()};
    }
    return volume;
}

Result<void> Ext2Volume::read_superblock() {
    if (device_.capacity_bytes() < EXT2_SUPERBLOCK_OFFSET + EXT2_SUPERBLOCK_SIZE) {
        log_debug("ext2 (%s): the device is too small to hold a superblock", device_name());
        return Error{EINVAL};
    }
    BufferHandle block = TRY(cache_.read_block(device_, EXT2_SUPERBLOCK_OFFSET / SUPERBLOCK_PROBE_BLOCK_SIZE,
                                               SUPERBLOCK_PROBE_BLOCK_SIZE));
    klib::memcpy(&superblock_, block.data(), sizeof superblock_);
    block.release();
    if (superblock_.magic != EXT2_SUPER_MAGIC) {
        log_debug("ext2 (%s): bad magic %#x (expected 0xef53)", device_name(), superblock_.magic);
        return Error{EINVAL};
    }
    // On 2 and 4 KiB volumes the superblock is written inside block 0 at the
    // volume's block size later: drop the 1 KiB copy (see ext2_super.h).
    if (superblock_.log_block_size != 0) (void)cache_.invalidate_device(device_);
    return {};
}

Result<void> Ext2Volume::check_superblock() {
    const Ext2SuperBlockRecord& s = superblock_;
    if (s.revision_level > EXT2_DYNAMIC_REVISION) {
        log_warning("ext2 (%s): unknown revision %u", device_name(), s.revision_level);
        return Error{EINVAL};
    }
    if (s.log_block_size > 2 || s.log_fragment_size != s.log_block_size) {
        log_warning("ext2 (%s): unsupported block size (log %u, fragment log %u); 1, 2 and 4 KiB are",
                    device_name(), s.log_block_size, s.log_fragment_size);
        return Error{EINVAL};
    }
    block_size_ = EXT2_MIN_BLOCK_SIZE << s.log_block_size;
    uint32_t expected_first_data_block = block_size_ == 1024 ? 1 : 0;
    if (s.first_data_block != expected_first_data_block) {
        log_warning("ext2 (%s): first data block %u, expected %u", device_name(), s.first_data_block,
                    expected_first_data_block);
        return Error{EIO};
    }
    if (uint64_t(s.blocks_count) * block_size_ > device_.capacity_bytes() || s.blocks_count <= s.first_data_block) {
        log_warning("ext2 (%s): %u blocks of %u bytes do not fit the device (%llu bytes)", device_name(),
                    s.blocks_count, block_size_, (unsigned long long)device_.capacity_bytes());
        return Error{EIO};
    }
    if (s.revision_level >= EXT2_DYNAMIC_REVISION) {
        inode_size_ = s.inode_size;
        if (!is_power_of_two(inode_size_) || inode_size_ < EXT2_GOOD_OLD_INODE_SIZE || inode_size_ > block_size_ ||
            s.first_inode <= EXT2_ROOT_INODE) {
            log_warning("ext2 (%s): bad inode size %u or first inode %u", device_name(), inode_size_, s.first_inode);
            return Error{EIO};
        }
    }
    uint32_t bits_per_bitmap = block_size_ * 8;
    if (s.blocks_per_group == 0 || s.blocks_per_group > bits_per_bitmap || s.inodes_per_group == 0 ||
        s.inodes_per_group > bits_per_bitmap || (s.inodes_per_group * inode_size_) % block_size_ != 0) {
        log_warning("ext2 (%s): bad group geometry: %u blocks, %u inodes per group", device_name(),
                    s.blocks_per_group, s.inodes_per_group);
        return Error{EIO};
    }
    inode_table_blocks_ = s.inodes_per_group * inode_size_ / block_size_;
    group_count_ = divide_rounding_up(s.blocks_count - s.first_data_block, s.blocks_per_group);
    if (uint64_t(group_count_) * s.inodes_per_group != s.inodes_count) {
        log_warning("ext2 (%s): %u groups of %u inodes disagree with the inode count %u", device_name(),
                    group_count_, s.inodes_per_group, s.inodes_count);
        return Error{EIO};
    }
    return {};
}

Result<void> Ext2Volume::check_features() {
    uint32_t unknown_incompat = incompat_features() & ~EXT2_SUPPORTED_INCOMPAT;
    if (unknown_incompat != 0) {
        log_error("ext2 (%s): cannot mount: unsupported INCOMPAT features %#x", device_name(), unknown_incompat);
        return Error{EINVAL};
    }
    if (superblock_.revision_level >= EXT2_DYNAMIC_REVISION) {
        uint32_t unknown_ro_compat = superblock_.feature_ro_compat & ~EXT2_SUPPORTED_RO_COMPAT;
        if (unknown_ro_compat != 0) {
            log_warning("ext2 (%s): unsupported RO_COMPAT features %#x: read-only", device_name(), unknown_ro_compat);
            requires_read_only_ = true;
        }
    }
    return {};
}

Result<void> Ext2Volume::read_group_descriptors() {
    groups_ = static_cast<Ext2GroupDescriptor*>(kmalloc(sizeof(Ext2GroupDescriptor) * group_count_));
    if (groups_ == nullptr) return Error{ENOMEM};
    uint32_t per_block = block_size_ / sizeof(Ext2GroupDescriptor);
    uint32_t table_blocks = divide_rounding_up(group_count_, per_block);
    uint32_t first_table_block = superblock_.first_data_block + 1;
    if (uint64_t(first_table_block) + table_blocks > blocks_count()) {
        log_warning("ext2 (%s): the group descriptor table (%u blocks) runs past the volume", device_name(),
                    table_blocks);
        return Error{EIO};
    }
    for (uint32_t i = 0; i < table_blocks; ++i) {
        BufferHandle block = TRY(read_block(first_table_block + i));
        uint32_t first_group = i * per_block;
        uint32_t groups_here = group_count_ - first_group < per_block ? group_count_ - first_group : per_block;
        klib::memcpy(groups_ + first_group, block.data(), groups_here * sizeof(Ext2GroupDescriptor));
    }
    for (uint32_t index = 0; index < group_count_; ++index) TRY(check_group(index));
    return {};
}

bool Ext2Volume::block_range_in_group(uint32_t index, uint32_t first, uint32_t count) const {
    uint64_t group_start = superblock_.first_data_block + uint64_t(index) * superblock_.blocks_per_group;
    uint64_t group_end = group_start + superblock_.blocks_per_group;
    if (group_end > blocks_count()) group_end = blocks_count();
    return first >= group_start && uint64_t(first) + count <= group_end;
}

// Linux's mke2fs may place a group's bitmaps and inode table in another
// group (flex_bg, ext4 only); ext2 keeps them at home, which is what we check.
Result<void> Ext2Volume::check_group(uint32_t index) const {
    const Ext2GroupDescriptor& group = groups_[index];
    if (block_range_in_group(index, group.block_bitmap, 1) && block_range_in_group(index, group.inode_bitmap, 1) &&
        block_range_in_group(index, group.inode_table, inode_table_blocks_))
        return {};
    log_warning("ext2 (%s): group %u: bitmaps (%u, %u) or inode table (%u, %u blocks) outside the group",
                device_name(), index, group.block_bitmap, group.inode_bitmap, group.inode_table,
                inode_table_blocks_);
    return Error{EIO};
}

Result<BufferHandle> Ext2Volume::read_block(uint32_t block_number) {
    if (block_number == 0 || block_number >= blocks_count()) {
        log_warning("ext2 (%s): block %u is outside the volume (%u blocks)", device_name(), block_number,
                    blocks_count());
        return Error{EIO};
    }
    Result<BufferHandle> block = cache_.read_block(device_, block_number, block_size_);
    if (block.is_error())
        log_warning("ext2 (%s): reading block %u failed: %s", device_name(), block_number, errno_name(block.error()));
    return block;
}

// Block 0 holds the superblock on 2 and 4 KiB volumes (read_block refuses 0:
// it is never a file's block).
Result<BufferHandle> Ext2Volume::read_block_even_zero(uint32_t block_number) {
    if (block_number != 0) return read_block(block_number);
    return cache_.read_block(device_, 0, block_size_);
}

void Ext2Volume::read_ahead(uint32_t first, uint32_t count) {
    if (first == 0 || first >= blocks_count() || count < 2) return;
    if (count > blocks_count() - first) count = blocks_count() - first;
    (void)cache_.read_blocks(device_, first, count, block_size_);
}

Result<BufferHandle> Ext2Volume::inode_record_block(uint32_t number, uint32_t& offset_in_block) {
    if (number == 0 || number > inodes_count()) {
        log_warning("ext2 (%s): inode %u does not exist (%u inodes)", device_name(), number, inodes_count());
        return Error{EIO};
    }
    uint32_t group_index = group_of_inode(number);
    uint64_t byte_in_table = uint64_t((number - 1) % superblock_.inodes_per_group) * inode_size_;
    uint32_t block_in_table = uint32_t(byte_in_table / block_size_);
    uint32_t block_number = groups_[group_index].inode_table + block_in_table;
    offset_in_block = uint32_t(byte_in_table % block_size_);
    // Inodes are mostly met in order (a directory listed, a tree created):
    // at the first inode of every INODE_TABLE_READ_AHEAD blocks, ask for
    // those blocks in one request rather than one request per block.
    if (offset_in_block == 0 && block_in_table % INODE_TABLE_READ_AHEAD == 0) {
        uint32_t left = inode_table_blocks_ - block_in_table;
        read_ahead(block_number, left < INODE_TABLE_READ_AHEAD ? left : INODE_TABLE_READ_AHEAD);
    }
    return read_block(block_number);
}

Result<Ext2InodeRecord> Ext2Volume::read_inode_record(uint32_t number) {
    uint32_t offset = 0;
    BufferHandle block = TRY(inode_record_block(number, offset));
    Ext2InodeRecord record;
    klib::memcpy(&record, block.data() + offset, sizeof record);
    return record;
}

// --- the write side -------------------------------------------------------------------

Result<void> Ext2Volume::write_inode_record(uint32_t number, const Ext2InodeRecord& record) {
    uint32_t offset = 0;
    BufferHandle block = TRY(inode_record_block(number, offset));
    klib::memcpy(block.data() + offset, &record, sizeof record);
    block.mark_dirty();
    return {};
}

Result<void> Ext2Volume::clear_inode_record(uint32_t number) {
    uint32_t offset = 0;
    BufferHandle block = TRY(inode_record_block(number, offset));
    klib::memset(block.data() + offset, 0, inode_size_);
    block.mark_dirty();
    return {};
}

Result<BufferHandle> Ext2Volume::block_for_overwrite(uint32_t block_number) {
    if (block_number <= superblock_.first_data_block || block_number >= blocks_count()) {
        log_warning("ext2 (%s): refusing to overwrite block %u", device_name(), block_number);
        return Error{EIO};
    }
    return cache_.get_block_for_overwrite(device_, block_number, block_size_);
}

Result<void> Ext2Volume::write_superblock() {
    {
        MutexLocker locker(allocation_lock_);
        if (groups_dirty_) TRY(write_group_descriptors());
        groups_dirty_ = false;
    }
    BufferHandle block = TRY(read_block_even_zero(superblock_block()));
    klib::memcpy(block.data() + superblock_offset_in_block(), &superblock_, sizeof superblock_);
    block.mark_dirty();
    return {};
}

// Each block of the descriptor table gets the in-memory descriptors it holds.
Result<void> Ext2Volume::write_group_descriptors() {
    uint32_t per_block = block_size_ / sizeof(Ext2GroupDescriptor);
    for (uint32_t first = 0; first < group_count_; first += per_block) {
        BufferHandle block = TRY(read_block(superblock_.first_data_block + 1 + first / per_block));
        uint32_t here = group_count_ - first < per_block ? group_count_ - first : per_block;
        klib::memcpy(block.data(), groups_ + first, here * sizeof(Ext2GroupDescriptor));
        block.mark_dirty();
    }
    return {};
}

Result<void> Ext2Volume::sync() { return cache_.sync_device(device_); }

Result<void> Ext2Volume::upgrade_to_dynamic_revision() {
    if (superblock_.revision_level >= EXT2_DYNAMIC_REVISION) return {};
    log_warning("ext2 (%s): updating to revision 1 for a new feature; run e2fsck", device_name());
    superblock_.revision_level = EXT2_DYNAMIC_REVISION;
    superblock_.first_inode = EXT2_GOOD_OLD_FIRST_INODE;
    superblock_.inode_size = EXT2_GOOD_OLD_INODE_SIZE;
    superblock_.block_group_number = 0;
    superblock_.feature_compat = superblock_.feature_incompat = superblock_.feature_ro_compat = 0;
    return write_superblock();
}

void Ext2Volume::limit_dirty_buffers() {
    Result<void> written = cache_.limit_dirty(device_);
    if (written.is_error())
        log_warning("ext2 (%s): writing back metadata failed: %s", device_name(), errno_name(written.error()));
}
