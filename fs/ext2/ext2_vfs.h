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
//   - Read-only for now: mount() adds MS_RDONLY whatever the caller asked,
//     so the VFS answers every write with EROFS before ext2 is asked.
//     (A disk with unknown RO_COMPAT features would be read-only anyway.)
//   - A bad volume is refused at mount with one log line naming the device
//     and the reason: EINVAL when it holds no (supported) ext2, EIO for
//     damage. Damage found later (a directory entry, an indirect block) is
//     EIO for that one call, with a warning, never a crash.
//   - Inode numbers are ext2's own, so st_ino is what `ls -i` shows on Linux.
//   - getdents cookies are byte positions in the directory (ext2_directory.h);
//     "." and ".." are stored entries, listed as stored.
//   - statfs reports the superblock's counts: blocks, free blocks, free
//     blocks minus the reserved ones (available), inodes, free inodes.
//
// Ownership: the super block owns the volume from mount() to put_super(),
// which deletes it and drops the device's buffers from the cache. The type
// and its BufferCache outlive every super block.
//
// Locking: none of its own. The volume never changes while mounted
// read-only; the VFS holds an inode's lock around its operations and the
// buffer cache locks itself.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/cache/buffer_cache.h"
#include "fs/ext2/ext2_inode.h"
#include "fs/ext2/ext2_super.h"
#include "fs/vfs/file_system_type.h"
#include "fs/vfs/super_block.h"

constexpr uint32_t EXT2_STATFS_MAGIC = EXT2_SUPER_MAGIC;

class Ext2FileSystemType final : public FileSystemType {
public:
    explicit Ext2FileSystemType(BufferCache& cache) : FileSystemType("ext2", true), cache_(cache) {}
    Result<SuperBlock*> mount(BlockDevice* device, uint32_t flags, const char* options) override;

private:
    BufferCache& cache_;
};

class Ext2SuperBlock final : public SuperBlock {
public:
    // Takes over `volume`.
    Ext2SuperBlock(FileSystemType& type, BlockDevice& device, BufferCache& cache, Ext2Volume* volume,
                   uint32_t flags);
    ~Ext2SuperBlock() override;

    Ext2Volume& volume() { return *volume_; }
    Result<void> load_root() { return load_root_inode(EXT2_ROOT_INODE); }

    // --- super_operations ------------------------------------------------------
    Result<Inode*> read_inode(uint64_t number) override;
    Result<FileSystemStatistics> statfs() override;
    void put_super() override;

private:
    BufferCache& cache_;
    Ext2Volume* volume_;  // owned; nullptr after put_super()
};

class Ext2Inode final : public Inode {
public:
    Ext2Inode(Ext2SuperBlock& super_block, const Ext2InodeData& data);

    // --- inode_operations (read side; the write side keeps Inode's EROFS) ---
    Result<InodeRef> lookup(const char* name) override;
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override;
    Result<size_t> readlink(char* buffer, size_t size) override;
    Result<size_t> read_at(uint64_t offset, void* buffer, size_t size) override;

private:
    Ext2SuperBlock& ext2_super_block() const { return static_cast<Ext2SuperBlock&>(super_block()); }
    Ext2Volume& volume() const { return ext2_super_block().volume(); }
    uint8_t directory_entry_type_of(uint8_t ext2_file_type) const;

    Ext2InodeData data_;
};
