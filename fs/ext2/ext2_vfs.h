// fs/ext2/ext2_vfs.h -- ext2 behind the VFS: the file system type, the
// super block and the inode.
//
// Layer: concrete file system (ext2), VFS half. The on-disk half is
// Ext2Volume (ext2_super.h), Ext2InodeData (ext2_inode.h) and the directory
// walk (ext2_directory.h); this file puts them behind the VFS's ops classes:
//
//   Ext2FileSystemType  the FileSystemType "ext2" (needs a block device);
//                       mount() opens an Ext2Volume and builds an
//                       Ext2SuperBlock around it (Linux: ext2_fs_type,
//                       ext2_fill_super in fs/ext2/super.c)
//   Ext2SuperBlock      owns the volume; super_operations read_inode
//                       (ext2_iget), statfs (ext2_statfs), put_super
//   Ext2Inode           one inode: lookup (ext2_lookup), read_directory
//                       (ext2_readdir), read_at (the address space's
//                       read_folio via ext2_get_block), readlink
//
// Rules:
//   - Read-write unless mounted MS_RDONLY or the disk has RO_COMPAT
//     features we do not know (then read-only, with a warning). While
//     mounted read-write the superblock on disk says "not clean"
//     (s_state without EXT2_VALID_FS) and counts the mount; a proper
//     unmount puts back the state found at mount (Linux does the same), so
//     a disk that was not unmounted is checked by e2fsck at next boot.
//   - A bad volume is refused at mount with one log line naming the device
//     and the reason: EINVAL when it holds no (supported) ext2, EIO for
//     damage. Damage found later (a directory entry, an indirect block) is
//     EIO for that one call, with a warning, never a crash.
//   - Inode numbers are ext2's own, so st_ino is what `ls -i` shows on Linux.
//   - getdents cookies are byte positions in the directory (ext2_directory.h);
//     "." and ".." are stored entries, listed as stored.
//   - statfs reports the superblock's counts: blocks, free blocks, free
//     blocks minus the reserved ones (available), inodes, free inodes.
//   - Ext2Inode keeps the parsed inode (Ext2InodeData) as the truth and
//     copies it into the VFS's attribute fields after every change
//     (load_attributes); a change marks the inode dirty, and write_inode
//     encodes it into the inode table's cached block. Times are whole
//     seconds (ext2's 32-bit fields).
//   - Limits: EXT2_LINK_MAX links (EMLINK), 255-byte names (ENAMETOOLONG),
//     the block map's reach, and 2 GiB on a revision 0 volume (EFBIG); a
//     revision 1 volume gains the large_file feature when a file first
//     passes 2 GiB, as on Linux.
//   - A file whose last link and last reference are gone is freed by
//     evict_inode: its blocks, its extended-attribute block's reference,
//     its inode (dtime set).
//
// Ownership: the super block owns the volume from mount() to put_super(),
// which deletes it and drops the device's buffers from the cache. The type
// and its BufferCache outlive every super block.
//
// Locking: the VFS holds an inode's lock around its operations (and both
// directories' and files' locks for rename); the allocator has the volume's
// allocation lock; the buffer cache locks itself.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/cache/buffer_cache.h"
#include "fs/cache/page_cache.h"
#include "fs/ext2/ext2_allocator.h"
#include "fs/ext2/ext2_block_map.h"
#include "fs/ext2/ext2_inode.h"
#include "fs/ext2/ext2_super.h"
#include "fs/vfs/file_system_type.h"
#include "fs/vfs/super_block.h"

constexpr uint32_t EXT2_STATFS_MAGIC = EXT2_SUPER_MAGIC;

class Ext2FileSystemType final : public FileSystemType {
public:
    Ext2FileSystemType(BufferCache& cache, PageCache& page_cache)
        : FileSystemType("ext2", true), cache_(cache), page_cache_(page_cache) {}
    Result<SuperBlock*> mount(BlockDevice* device, uint32_t flags, const char* options) override;

private:
    BufferCache& cache_;
    PageCache& page_cache_;
};

class Ext2SuperBlock final : public SuperBlock {
public:
    // Takes over `volume`.
    Ext2SuperBlock(FileSystemType& type, BlockDevice& device, BufferCache& cache, PageCache& page_cache,
                   Ext2Volume* volume, uint32_t flags);
    ~Ext2SuperBlock() override;

    Ext2Volume& volume() { return *volume_; }
    Ext2Allocator& allocator() { return allocator_; }
    PageCache& page_cache() { return page_cache_; }
    Result<void> load_root() { return load_root_inode(EXT2_ROOT_INODE); }
    // Read-write mounts: counts the mount and marks the disk "in use".
    Result<void> begin_writing();

    // --- super_operations ------------------------------------------------------
    Result<Inode*> read_inode(uint64_t number) override;
    Result<void> write_inode(Inode& inode) override;
    void evict_inode(Inode& inode) override;
    Result<FileSystemStatistics> statfs() override;
    Result<void> sync_fs() override;
    Result<void> remount(uint32_t flags) override;
    void put_super() override;

private:
    Result<void> free_inode_on_disk(class Ext2Inode& inode);

    BufferCache& cache_;
    PageCache& page_cache_;
    Ext2Volume* volume_;  // owned; nullptr after put_super()
    Ext2Allocator allocator_;
    uint16_t state_at_mount_ = EXT2_VALID_FS;
};

// A regular file's data live in the page cache (its FileMapping, made at
// the first read or write); Ext2Inode is the mapping's BlockMapper.
// Directories and symbolic links are metadata: buffer cache.
class Ext2Inode final : public Inode, public BlockMapper {
public:
    Ext2Inode(Ext2SuperBlock& super_block, const Ext2InodeData& data);
    ~Ext2Inode() override;

    Ext2InodeData& data() { return data_; }
    // Does i_block hold block numbers (not a fast link's text or a device number)?
    bool has_block_map() const;

    // --- inode_operations: reading (ext2_vfs.cpp) ---------------------------
    Result<InodeRef> lookup(const char* name) override;
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override;
    Result<size_t> readlink(char* buffer, size_t size) override;
    Result<size_t> read_at(uint64_t offset, void* buffer, size_t size) override;
    Result<size_t> read_pages(uint64_t offset, size_t size, PageConsumer& consumer) override;
    // --- file data and attributes (ext2_file.cpp) ----------------------------
    Result<size_t> write_at(uint64_t offset, const void* buffer, size_t size) override;
    Result<void> sync_data() override;
    Result<uint64_t> map_block(uint64_t file_block, bool allocate) override;  // BlockMapper
    // Before the inode leaves memory: a deleted file's pages dropped; any
    // other's mapping handed to the page cache as an orphan (page_cache.h).
    Result<void> release_pages(bool deleted);
    Result<void> truncate(uint64_t size) override;
    Result<void> setattr(const AttributeChange& change) override;
    // --- names (ext2_namei.cpp) ------------------------------------------------
    Result<InodeRef> create(const char* name, uint32_t mode, const Credentials& credentials) override;
    Result<InodeRef> mkdir(const char* name, uint32_t mode, const Credentials& credentials) override;
    Result<InodeRef> mknod(const char* name, uint32_t mode, uint32_t device_number,
                           const Credentials& credentials) override;
    Result<InodeRef> symlink(const char* name, const char* target, const Credentials& credentials) override;
    Result<void> link(const char* name, Inode& target) override;
    Result<void> unlink(const char* name, Inode& victim) override;
    Result<void> rmdir(const char* name, Inode& victim) override;
    Result<void> rename(const char* old_name, Inode& moved, Inode& new_directory, const char* new_name,
                        Inode* replaced) override;

private:
    static Ext2Inode& of(Inode& inode) { return static_cast<Ext2Inode&>(inode); }
    Ext2SuperBlock& ext2_super_block() const { return static_cast<Ext2SuperBlock&>(super_block()); }
    Ext2Volume& volume() const { return ext2_super_block().volume(); }
    Ext2BlockMap block_map() { return Ext2BlockMap(ext2_super_block().allocator(), data_); }
    uint8_t directory_entry_type_of(uint8_t ext2_file_type) const;
    // Copies data_ into the VFS's attribute fields.
    void load_attributes();
    // After a change: ctime (and mtime when the contents changed) now, the
    // VFS fields refreshed, the inode marked dirty.
    void changed(bool contents);
    uint64_t max_file_size() const;
    Result<void> allow_size(uint64_t size);
    Result<void> zero_tail_of_block(uint64_t size);
    Result<FileMapping*> mapping();
    Result<InodeRef> new_child(const char* name, uint32_t mode, uint32_t device_number, const char* target,
                               const Credentials& credentials);
    Result<void> fill_new_child(Ext2InodeData& child, const char* target);

    Ext2InodeData data_;
    FileMapping* mapping_ = nullptr;  // regular files, from the first read or write
};
