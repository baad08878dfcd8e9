// fs/vfs/super_block.h -- one mounted instance of a file system.
//
// Layer: virtual file system. A SuperBlock is what FileSystemType::mount()
// builds for one device: the file system's global state (Ext2SuperBlock keeps
// the group descriptors, RomfsSuperBlock the image size) plus the VFS's part:
// the device, the read-only flag, the root inode and the inode cache. (Linux:
// struct super_block with its super_operations, and the inode hash of
// fs/inode.c: iget_locked, iput, evict.)
//
// Interface:
//   type(), device(), flags(), is_read_only(), device_number() (st_dev),
//   block_size() (st_blksize), root_inode()
//   get_inode(number)        the cached inode, or read_inode() on a miss
//   insert_new_inode(inode)  a file system's freshly created inode joins the cache
//   sync()                   write_inode for each dirty inode, then sync_fs
//   destroy_super_block(sb)  the end of a super block (Linux kill_super)
//   super_operations (virtual): read_inode (pure), statfs (pure), write_inode,
//   evict_inode, sync_fs, put_super -- the write side defaults to "nothing to
//   do", which is right for a read-only file system.
//   revalidate_dentry (virtual), revalidates_dentries(): for file systems
//   whose names come and go without the VFS seeing it (procfs: processes)
//
// Inode cache policy (one rule, easy to check): the cache holds exactly the
// inodes somebody references. get_inode() on a hit takes a reference; on a
// miss it calls read_inode() and inserts the result. When the last InodeRef
// goes away the inode leaves at once: write_inode() if dirty, evict_inode(),
// delete. Keeping recently used inodes in memory is the dentry cache's job:
// every cached dentry holds its inode, and the dentry cache has an LRU with a
// bound (dentry_cache.h). So "how many inodes are in memory" is bounded by
// "how many dentries are cached plus how many files are open".
//
// Locking: inode_cache_lock_ (a sleeping Mutex) guards the hash and every
// inode's reference count and dirty flag. It is held *across* read_inode,
// write_inode and evict_inode, so one inode number is never read twice at once
// and never re-read while its old copy is still being written out. Those three
// operations therefore must not call get_inode(), Inode::mark_dirty(), nor copy
// or drop an InodeRef (each would lock the cache again: the Mutex panics on a
// recursive lock). Lock order: an inode's lock() may be held when get_inode()
// is called (lookup does that), never the other way round.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/file_system_type.h"
#include "fs/vfs/inode.h"

// statfs results (Linux: struct kstatfs).
struct FileSystemStatistics {
    uint32_t magic = 0;  // f_type: EXT2_SUPER_MAGIC 0xEF53, ROMFS_MAGIC 0x7275 ...
    uint32_t block_size = 0;
    uint64_t total_blocks = 0, free_blocks = 0, available_blocks = 0;
    uint64_t total_inodes = 0, free_inodes = 0;
    uint32_t max_name_length = 255;
};

// The inode hash is keyed by inode number within one super block.
struct InodeHashTraits {
    using Key = uint64_t;
    static Key key_of(const Inode& inode) { return inode.number_; }
    static uint32_t hash(const Key& key) { return klib::hash_u64(key); }
};

class Dentry;

class SuperBlock {
public:
    // `flags` are MS_* (MS_RDONLY makes the super block read-only). The
    // device, when any, must outlive the super block.
    SuperBlock(FileSystemType& type, BlockDevice* device, uint32_t flags);
    virtual ~SuperBlock();
    SuperBlock(const SuperBlock&) = delete;
    SuperBlock& operator=(const SuperBlock&) = delete;

    FileSystemType& type() const { return type_; }
    BlockDevice* device() const { return device_; }
    uint32_t flags() const { return flags_; }
    bool is_read_only() const { return (flags_ & MS_RDONLY) != 0; }
    uint32_t device_number() const { return device_number_; }
    uint32_t block_size() const { return block_size_; }
    const InodeRef& root_inode() const { return root_inode_; }
    // Serialises renames within this file system, so the directory tree
    // cannot change shape while rename checks "is the target inside the
    // source?" (Linux: s_vfs_rename_mutex). Taken before any inode lock.
    Mutex& rename_lock() { return rename_lock_; }

    // The inode numbered `number`, with a reference. Errors are read_inode's
    // (ENOENT/EIO/EUCLEAN for a bad number or a corrupt disk, ENOMEM).
    Result<InodeRef> get_inode(uint64_t number);
    // For create/mkdir/...: adds an inode the file system has just allocated
    // (reference count 0, not yet cached) and returns the first reference.
    // EEXIST if that number is cached already (a file system bug).
    Result<InodeRef> insert_new_inode(Inode* inode);
    // Writes every dirty inode (write_inode), then calls sync_fs().
    Result<void> sync();

    size_t cached_inode_count() const;
    // Dentries of this super block in the dentry cache (guarded by its lock).
    size_t cached_dentry_count() const { return cached_dentries_; }
    // True when the dentry cache must ask revalidate_dentry() before it
    // trusts a cached name of this super block. Fixed at construction.
    bool revalidates_dentries() const { return revalidates_dentries_; }

    // --- super_operations ----------------------------------------------------
    // Allocates the file system's Inode subclass for `number` and fills it
    // from the disk (Linux: alloc_inode + ext2_iget). Runs with the inode
    // cache locked (see the locking note above).
    virtual Result<Inode*> read_inode(uint64_t number) = 0;
    // Writes the inode's attributes back to the disk (cache locked).
    virtual Result<void> write_inode(Inode& /*inode*/) { return {}; }
    // The last reference to the inode is gone and it is about to be deleted.
    // When link_count() is 0 the file is gone from every directory: free its
    // data and its inode on disk (cache locked; Linux: evict_inode).
    virtual void evict_inode(Inode& /*inode*/) {}
    virtual Result<FileSystemStatistics> statfs() = 0;
    // Writes the file system's own dirty state (bitmaps, super block) and the
    // device's dirty buffers.
    virtual Result<void> sync_fs() { return {}; }
    // The last mount is gone: release what mount() acquired. Everything has
    // been synced and every inode evicted before this call.
    virtual void put_super() {}
    // mount -o remount: `flags` (MS_*) are the new state. Going read-only,
    // the VFS has synced and checked that nobody writes; the file system
    // records a clean state. The default changes the read-only flag only
    // (Linux: remount_fs, here always as one call with the whole state).
    virtual Result<void> remount(uint32_t flags);

    // --- dentry_operations (Linux: d_revalidate) ---------------------------------
    // Is the cached answer `dentry` (positive or negative) still true? Called
    // only when revalidates_dentries(), with the parent directory's lock held
    // and not the dentry cache's; never for a mount point, which stays.
    // false makes the cache forget the name and ask the directory's lookup()
    // again. A disk file system changes names only through the VFS, which
    // keeps the cache right: it never needs this.
    virtual bool revalidate_dentry(const Dentry& /*dentry*/) { return true; }

    // Super blocks currently in memory (a debugging count).
    static size_t live_count();

protected:
    // For FileSystemType::mount(): loads the root directory's inode.
    // ENOTDIR if it is not a directory (a corrupt image).
    Result<void> load_root_inode(uint64_t number);
    void set_device_number(uint32_t number) { device_number_ = number; }
    void set_read_only(bool read_only) { flags_ = read_only ? flags_ | MS_RDONLY : flags_ & ~MS_RDONLY; }
    uint32_t block_size_ = 1024;
    bool revalidates_dentries_ = false;  // set by the constructor of a subclass

private:
    friend class Inode;        // mark_dirty takes inode_cache_lock_
    friend class InodeRef;
    friend class DentryCache;  // counts cached_dentries_
    friend void destroy_super_block(SuperBlock* super_block);
    static constexpr size_t INODE_HASH_BUCKETS = 64;

    void acquire_inode(Inode& inode);
    void release_inode(Inode& inode);

    FileSystemType& type_;
    BlockDevice* device_;
    uint32_t flags_;
    uint32_t device_number_;
    InodeRef root_inode_;
    Mutex rename_lock_{"rename"};

    mutable Mutex inode_cache_lock_{"inode cache"};
    klib::IntrusiveHashTable<Inode, &Inode::hash_node_, InodeHashTraits> inode_hash_;
    klib::HashNode* inode_buckets_[INODE_HASH_BUCKETS];
    size_t cached_dentries_ = 0;  // guarded by the dentry cache's lock
};

// Ends a super block whose mounts are all gone and whose dentries have been
// dropped: releases the root inode, syncs, calls put_super(), deletes it. Also
// the way out for a FileSystemType::mount() that fails after constructing its
// super block. (Linux: kill_block_super / generic_shutdown_super.)
void destroy_super_block(SuperBlock* super_block);
