// fs/ext2/ext2_namei.cpp -- ext2's name operations: create, mkdir, mknod,
// symlink, link, unlink, rmdir, rename.
//
// Layer: concrete file system (ext2), VFS half (Linux: fs/ext2/namei.c and
// ext2_new_inode in ialloc.c). The VFS has checked permissions, types and
// "does the name exist" and holds the directories' (and files') locks;
// these change the disk: inodes through the allocator, entries through
// ext2_directory.h, link counts as Linux keeps them:
//   a file: one per name; a directory: 2 (its name and its ".") plus one
//   per subdirectory (their ".."). EXT2_LINK_MAX bounds both (EMLINK).
// Order of changes, so that an error part-way leaves a consistent disk:
// allocate and write the new inode, then add its entry (undone if that
// fails); rename adds the new name before it removes the old one.
#include "fs/ext2/ext2_vfs.h"

#include "fs/ext2/ext2_directory.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

Result<size_t> checked_name_length(const char* name) {
    size_t length = klib::strlen(name);
    if (length == 0) return Error{ENOENT};
    if (length > EXT2_MAX_NAME_LENGTH) return Error{ENAMETOOLONG};
    return length;
}

}  // namespace

// A new directory's first block, a symbolic link's target.
Result<void> Ext2Inode::fill_new_child(Ext2InodeData& child, const char* target) {
    Ext2BlockMap map(ext2_super_block().allocator(), child);
    if (::is_directory(child.mode)) {
        uint32_t block_number = TRY(map.map(0, true));
        BufferHandle block = TRY(volume().block_for_overwrite(block_number));
        ext2_format_directory_block(volume(), block.data(), child.number, uint32_t(number()));
        block.mark_dirty();
        child.size = volume().block_size();
        child.link_count = 2;
        return {};
    }
    if (target == nullptr) return {};
    size_t length = klib::strlen(target);
    if (length >= volume().block_size()) return Error{ENAMETOOLONG};
    child.size = length;
    if (length < EXT2_FAST_SYMLINK_CAPACITY) {  // fast: the text lives in i_block
        klib::memcpy(child.record.block, target, length);
        return {};
    }
    uint32_t block_number = TRY(map.map(0, true));
    BufferHandle block = TRY(volume().block_for_overwrite(block_number));
    klib::memset(block.data(), 0, volume().block_size());
    klib::memcpy(block.data(), target, length);
    block.mark_dirty();
    return {};
}

Result<InodeRef> Ext2Inode::new_child(const char* name, uint32_t mode, uint32_t device_number, const char* target,
                                      const Credentials& credentials) {
    if (!is_directory()) return Error{ENOTDIR};
    size_t name_length = TRY(checked_name_length(name));
    bool directory = ::is_directory(mode);
    if (directory && data_.link_count >= EXT2_LINK_MAX) return Error{EMLINK};
    // A set-group-ID directory hands its group down (and the bit, to directories).
    uint32_t gid = credentials.gid;
    if (data_.mode & S_ISGID) {
        gid = data_.gid;
        if (directory) mode |= S_ISGID;
    }
    Ext2Allocator& allocator = ext2_super_block().allocator();
    uint32_t child_number = TRY(allocator.allocate_inode(uint32_t(number()), directory));
    Ext2InodeData child =
        Ext2InodeData::fresh(child_number, mode, credentials.uid, gid, uint32_t(current_time().seconds));
    child.device_number = device_number;
    Result<void> made = volume().clear_inode_record(child_number);
    if (!made.is_error()) made = fill_new_child(child, target);
    if (!made.is_error()) {
        child.encode(volume());
        made = volume().write_inode_record(child_number, child.record);
    }
    if (!made.is_error()) {
        Ext2BlockMap map = block_map();
        made = ext2_add_directory_entry(map, data_, name, name_length, child_number,
                                        ext2_file_type_of(volume(), mode));
    }
    if (made.is_error()) {  // give back what was taken; the entry was not added
        if (child.record.blocks != 0) (void)Ext2BlockMap(allocator, child).free_from(0);  // never a fast link's text
        (void)allocator.free_inode(child_number, directory);
        changed(false);
        return Error{made.error()};
    }
    if (directory) ++data_.link_count;
    changed(true);
    auto* inode = new (std::nothrow) Ext2Inode(ext2_super_block(), child);
    if (inode == nullptr) return Error{ENOMEM};  // the file exists; the next lookup finds it
    return super_block().insert_new_inode(inode);
}

Result<InodeRef> Ext2Inode::create(const char* name, uint32_t mode, const Credentials& credentials) {
    return new_child(name, S_IFREG | (mode & 07777), 0, nullptr, credentials);
}

Result<InodeRef> Ext2Inode::mkdir(const char* name, uint32_t mode, const Credentials& credentials) {
    return new_child(name, S_IFDIR | (mode & 07777), 0, nullptr, credentials);
}

Result<InodeRef> Ext2Inode::mknod(const char* name, uint32_t mode, uint32_t device_number,
                                  const Credentials& credentials) {
    return new_child(name, mode, device_number, nullptr, credentials);
}

Result<InodeRef> Ext2Inode::symlink(const char* name, const char* target, const Credentials& credentials) {
    return new_child(name, S_IFLNK | 0777, 0, target, credentials);
}

Result<void> Ext2Inode::link(const char* name, Inode& target) {
    size_t name_length = TRY(checked_name_length(name));
    Ext2Inode& file = of(target);
    if (file.data_.link_count >= EXT2_LINK_MAX) return Error{EMLINK};
    Ext2BlockMap map = block_map();
    Result<void> added = ext2_add_directory_entry(map, data_, name, name_length, uint32_t(file.number()),
                                                  ext2_file_type_of(volume(), file.data_.mode));
    changed(!added.is_error());  // a failed add may still have grown the map
    TRY(added);
    ++file.data_.link_count;
    file.changed(false);
    return {};
}

Result<void> Ext2Inode::unlink(const char* name, Inode& victim) {
    size_t name_length = TRY(checked_name_length(name));
    uint32_t removed = TRY(ext2_remove_directory_entry(volume(), data_, name, name_length));
    if (removed != victim.number())
        log_warning("ext2 (%s): entry %s named inode %u, expected %llu", volume().device_name(), name, removed,
                    (unsigned long long)victim.number());
    Ext2Inode& file = of(victim);
    if (file.data_.link_count > 0) --file.data_.link_count;  // evict_inode frees it at 0
    file.changed(false);
    changed(true);
    return {};
}

Result<void> Ext2Inode::rmdir(const char* name, Inode& victim) {
    size_t name_length = TRY(checked_name_length(name));
    Ext2Inode& directory = of(victim);
    if (!TRY(ext2_directory_is_empty(volume(), directory.data_))) return Error{ENOTEMPTY};
    TRY(ext2_remove_directory_entry(volume(), data_, name, name_length));
    directory.data_.link_count = 0;
    directory.changed(false);
    if (data_.link_count > 0) --data_.link_count;  // its ".."
    changed(true);
    return {};
}

Result<void> Ext2Inode::rename(const char* old_name, Inode& moved, Inode& new_directory, const char* new_name,
                               Inode* replaced) {
    size_t old_length = TRY(checked_name_length(old_name));
    size_t new_length = TRY(checked_name_length(new_name));
    Ext2Inode& destination = of(new_directory);
    Ext2Inode& file = of(moved);
    bool moving_directory = moved.is_directory();
    bool across = &destination != this;
    uint8_t type = ext2_file_type_of(volume(), file.data_.mode);
    if (replaced != nullptr) {
        Ext2Inode& old_target = of(*replaced);
        if (replaced->is_directory() && !TRY(ext2_directory_is_empty(volume(), old_target.data_)))
            return Error{ENOTEMPTY};
        TRY(ext2_retarget_directory_entry(volume(), destination.data_, new_name, new_length,
                                          uint32_t(moved.number()), type));
        if (replaced->is_directory()) {
            old_target.data_.link_count = 0;
            if (destination.data_.link_count > 0) --destination.data_.link_count;  // its ".." is gone
        } else if (old_target.data_.link_count > 0) {
            --old_target.data_.link_count;
        }
        old_target.changed(false);
    } else {
        if (moving_directory && across && destination.data_.link_count >= EXT2_LINK_MAX) return Error{EMLINK};
        Ext2BlockMap map = destination.block_map();
        Result<void> added = ext2_add_directory_entry(map, destination.data_, new_name, new_length,
                                                      uint32_t(moved.number()), type);
        destination.changed(!added.is_error());
        TRY(added);
    }
    TRY(ext2_remove_directory_entry(volume(), data_, old_name, old_length));
    if (moving_directory && across) {
        TRY(ext2_retarget_directory_entry(volume(), file.data_, "..", 2, uint32_t(destination.number()),
                                          ext2_file_type_of(volume(), S_IFDIR)));
        if (data_.link_count > 0) --data_.link_count;
        ++destination.data_.link_count;
    }
    file.changed(false);
    changed(true);
    destination.changed(true);
    return {};
}
