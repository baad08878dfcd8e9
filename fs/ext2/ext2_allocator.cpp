// fs/ext2/ext2_allocator.cpp -- block and inode bitmaps, free counts and
// placement. See ext2_allocator.h for the rules.
#include "fs/ext2/ext2_allocator.h"

#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

bool bit_is_set(const uint8_t* bitmap, uint32_t bit) { return (bitmap[bit / 8] >> (bit % 8)) & 1; }
void set_bit(uint8_t* bitmap, uint32_t bit) { bitmap[bit / 8] |= uint8_t(1u << (bit % 8)); }
void clear_bit(uint8_t* bitmap, uint32_t bit) { bitmap[bit / 8] &= uint8_t(~(1u << (bit % 8))); }

// The first clear bit in [from, limit), skipping full bytes; `limit` when none.
uint32_t find_clear_bit(const uint8_t* bitmap, uint32_t from, uint32_t limit) {
    uint32_t bit = from;
    while (bit < limit) {
        if (bit % 8 == 0 && limit - bit >= 8 && bitmap[bit / 8] == 0xff) {
            bit += 8;
            continue;
        }
        if (!bit_is_set(bitmap, bit)) return bit;
        ++bit;
    }
    return limit;
}

}  // namespace

uint32_t Ext2Allocator::group_first_block(uint32_t group) const {
    const Ext2SuperBlockRecord& s = volume_.superblock();
    return s.first_data_block + group * s.blocks_per_group;
}

uint32_t Ext2Allocator::blocks_in_group(uint32_t group) const {
    uint32_t first = group_first_block(group);
    uint32_t per_group = volume_.superblock().blocks_per_group;
    return volume_.blocks_count() - first < per_group ? volume_.blocks_count() - first : per_group;
}

// mke2fs lays a group out as [superblock and descriptor copies][bitmaps]
// [inode table][data]; everything up to the end of the inode table is
// metadata (check_group made sure those blocks lie inside the group).
bool Ext2Allocator::is_group_metadata(uint32_t group, uint32_t block) const {
    const Ext2GroupDescriptor& descriptor = volume_.group(group);
    uint32_t table_blocks = volume_.superblock().inodes_per_group * volume_.inode_size() / volume_.block_size();
    uint32_t metadata_end = descriptor.inode_table + table_blocks;
    if (descriptor.block_bitmap >= metadata_end) metadata_end = descriptor.block_bitmap + 1;
    if (descriptor.inode_bitmap >= metadata_end) metadata_end = descriptor.inode_bitmap + 1;
    return block < metadata_end || block == descriptor.block_bitmap || block == descriptor.inode_bitmap;
}

void Ext2Allocator::count_blocks(uint32_t group, int32_t delta) {
    volume_.mutable_group(group).free_blocks_count = uint16_t(volume_.group(group).free_blocks_count + delta);
    volume_.mutable_superblock().free_blocks_count += uint32_t(delta);
    volume_.mark_group_dirty(group);
}

void Ext2Allocator::count_inodes(uint32_t group, int32_t delta, bool directory) {
    Ext2GroupDescriptor& descriptor = volume_.mutable_group(group);
    descriptor.free_inodes_count = uint16_t(descriptor.free_inodes_count + delta);
    if (directory) descriptor.used_directories_count = uint16_t(descriptor.used_directories_count - delta);
    volume_.mutable_superblock().free_inodes_count += uint32_t(delta);
    volume_.mark_group_dirty(group);
}

// --- blocks -----------------------------------------------------------------------------

// Takes the first free block of `group` from bit `start_bit` on (wrapping to
// the group's start). false when the bitmap has no free bit.
Result<bool> Ext2Allocator::take_block_in_group(uint32_t group, uint32_t start_bit, uint32_t& block) {
    BufferHandle bitmap = TRY(volume_.read_block(volume_.group(group).block_bitmap));
    uint32_t bits = blocks_in_group(group);
    uint32_t first = group_first_block(group);
    for (int pass = 0; pass < 2; ++pass) {
        uint32_t from = pass == 0 ? start_bit : 0, limit = pass == 0 ? bits : start_bit;
        for (uint32_t bit = find_clear_bit(bitmap.data(), from, limit); bit < limit;
             bit = find_clear_bit(bitmap.data(), bit + 1, limit)) {
            set_bit(bitmap.data(), bit);
            bitmap.mark_dirty();
            if (!is_group_metadata(group, first + bit)) {
                block = first + bit;
                return true;
            }
            log_warning("ext2 (%s): block bitmap of group %u shows metadata block %u free; marked used",
                        volume_.device_name(), group, first + bit);
        }
    }
    return false;
}

// The highest free block of `group`; false when there is none.
Result<bool> Ext2Allocator::take_last_block_in_group(uint32_t group, uint32_t& block) {
    if (volume_.group(group).free_blocks_count == 0) return false;
    BufferHandle bitmap = TRY(volume_.read_block(volume_.group(group).block_bitmap));
    uint32_t first = group_first_block(group);
    for (uint32_t bit = blocks_in_group(group); bit-- > 0;) {
        if (bit % 8 == 7 && bitmap.data()[bit / 8] == 0xff) {
            bit -= 7;  // a full byte: the loop's decrement then moves below it
            continue;
        }
        if (bit_is_set(bitmap.data(), bit) || is_group_metadata(group, first + bit)) continue;
        set_bit(bitmap.data(), bit);
        bitmap.mark_dirty();
        block = first + bit;
        return true;
    }
    return false;
}

Result<uint32_t> Ext2Allocator::allocate_block(uint32_t goal, Placement placement) {
    MutexLocker locker(volume_.allocation_lock());
    const Ext2SuperBlockRecord& s = volume_.superblock();
    if (s.free_blocks_count == 0) return Error{ENOSPC};
    if (goal < s.first_data_block || goal >= volume_.blocks_count()) goal = s.first_data_block;
    uint32_t goal_group = volume_.group_of_block(goal);
    if (placement == Placement::EndOfGroup) {
        uint32_t block = 0;
        if (TRY(take_last_block_in_group(goal_group, block))) {
            count_blocks(goal_group, -1);
            return block;
        }
    }
    for (uint32_t i = 0; i < volume_.group_count(); ++i) {
        uint32_t group = (goal_group + i) % volume_.group_count();
        if (volume_.group(group).free_blocks_count == 0) continue;
        uint32_t start_bit = i == 0 ? goal - group_first_block(group) : 0;
        uint32_t block = 0;
        if (TRY(take_block_in_group(group, start_bit, block))) {
            count_blocks(group, -1);
            return block;
        }
        log_warning("ext2 (%s): group %u counts %u free blocks but its bitmap has none", volume_.device_name(),
                    group, volume_.group(group).free_blocks_count);
    }
    return Error{ENOSPC};
}

Result<void> Ext2Allocator::free_blocks(uint32_t first, uint32_t count) {
    MutexLocker locker(volume_.allocation_lock());
    const Ext2SuperBlockRecord& s = volume_.superblock();
    if (first <= s.first_data_block || count > volume_.blocks_count() - first) {
        log_warning("ext2 (%s): refusing to free blocks %u..%u outside the volume", volume_.device_name(), first,
                    first + count - 1);
        return Error{EIO};
    }
    while (count > 0) {
        uint32_t group = volume_.group_of_block(first);
        uint32_t bit = first - group_first_block(group);
        uint32_t here = blocks_in_group(group) - bit < count ? blocks_in_group(group) - bit : count;
        BufferHandle bitmap = TRY(volume_.read_block(volume_.group(group).block_bitmap));
        int32_t freed = 0;
        for (uint32_t i = 0; i < here; ++i) {
            if (is_group_metadata(group, first + i) || !bit_is_set(bitmap.data(), bit + i)) {
                log_warning("ext2 (%s): block %u is metadata or already free; not freed", volume_.device_name(),
                            first + i);
                continue;
            }
            clear_bit(bitmap.data(), bit + i);
            volume_.cache().forget_block(volume_.device(), first + i, volume_.block_size());
            ++freed;
        }
        bitmap.mark_dirty();
        count_blocks(group, freed);
        first += here;
        count -= here;
    }
    return {};
}

// --- inodes -----------------------------------------------------------------------------

// Directories of the root go where there is room to grow: a group with at
// least the average number of free inodes, and of those the one with most
// free blocks. Deeper ones stay with their parent while it has room.
uint32_t Ext2Allocator::group_for_directory(uint32_t parent_number) const {
    uint32_t parent_group = volume_.group_of_inode(parent_number);
    const Ext2GroupDescriptor& home = volume_.group(parent_group);
    if (parent_number != EXT2_ROOT_INODE && home.free_inodes_count != 0 &&
        home.free_blocks_count >= volume_.superblock().blocks_per_group / 4)
        return parent_group;
    uint32_t groups = volume_.group_count();
    uint32_t average_free_inodes = volume_.superblock().free_inodes_count / groups;
    uint32_t best = groups;
    for (uint32_t group = 0; group < groups; ++group) {
        const Ext2GroupDescriptor& descriptor = volume_.group(group);
        if (descriptor.free_inodes_count == 0 || descriptor.free_inodes_count < average_free_inodes) continue;
        if (best == groups || descriptor.free_blocks_count > volume_.group(best).free_blocks_count) best = group;
    }
    return best == groups ? 0 : best;
}

Result<bool> Ext2Allocator::take_inode_in_group(uint32_t group, bool directory, uint32_t& number) {
    BufferHandle bitmap = TRY(volume_.read_block(volume_.group(group).inode_bitmap));
    uint32_t per_group = volume_.superblock().inodes_per_group;
    for (uint32_t bit = find_clear_bit(bitmap.data(), 0, per_group); bit < per_group;
         bit = find_clear_bit(bitmap.data(), bit + 1, per_group)) {
        set_bit(bitmap.data(), bit);
        bitmap.mark_dirty();
        uint32_t candidate = group * per_group + bit + 1;
        if (candidate >= volume_.first_inode()) {
            count_inodes(group, -1, directory);
            number = candidate;
            return true;
        }
        log_warning("ext2 (%s): inode bitmap shows reserved inode %u free; marked used", volume_.device_name(),
                    candidate);
    }
    return false;
}

Result<uint32_t> Ext2Allocator::allocate_inode(uint32_t parent_number, bool directory) {
    MutexLocker locker(volume_.allocation_lock());
    if (volume_.superblock().free_inodes_count == 0) return Error{ENOSPC};
    uint32_t start = directory ? group_for_directory(parent_number) : volume_.group_of_inode(parent_number);
    // A file first looks for a group that also has free blocks for its data.
    for (int pass = directory ? 1 : 0; pass < 2; ++pass) {
        for (uint32_t i = 0; i < volume_.group_count(); ++i) {
            uint32_t group = (start + i) % volume_.group_count();
            const Ext2GroupDescriptor& descriptor = volume_.group(group);
            if (descriptor.free_inodes_count == 0 || (pass == 0 && descriptor.free_blocks_count == 0)) continue;
            uint32_t number = 0;
            if (TRY(take_inode_in_group(group, directory, number))) return number;
            log_warning("ext2 (%s): group %u counts free inodes but its bitmap has none", volume_.device_name(),
                        group);
        }
    }
    return Error{ENOSPC};
}

Result<void> Ext2Allocator::free_inode(uint32_t number, bool directory) {
    MutexLocker locker(volume_.allocation_lock());
    if (number < volume_.first_inode() || number > volume_.inodes_count()) {
        log_warning("ext2 (%s): refusing to free inode %u", volume_.device_name(), number);
        return Error{EIO};
    }
    uint32_t group = volume_.group_of_inode(number);
    uint32_t bit = (number - 1) % volume_.superblock().inodes_per_group;
    BufferHandle bitmap = TRY(volume_.read_block(volume_.group(group).inode_bitmap));
    if (!bit_is_set(bitmap.data(), bit)) {
        log_warning("ext2 (%s): inode %u is already free", volume_.device_name(), number);
        return {};
    }
    clear_bit(bitmap.data(), bit);
    bitmap.mark_dirty();
    count_inodes(group, 1, directory);
    return {};
}
