// fs/vfs/super_block.cpp -- the inode cache and the life of a super block.
//
// Layer: virtual file system. See super_block.h for the cache policy ("the
// cache holds exactly the referenced inodes") and why the cache lock is held
// across read_inode/write_inode/evict_inode.
#include "fs/vfs/super_block.h"

#include "fs/vfs/device_table.h"

namespace {
// Both guarded by InterruptGuard.
size_t super_blocks_alive = 0;
// File systems without a device get an anonymous device number (major 0,
// Linux's "unnamed" major), so st_dev still tells two mounts apart.
uint32_t next_anonymous_minor = 1;
}  // namespace

SuperBlock::SuperBlock(FileSystemType& type, BlockDevice* device, uint32_t flags)
    : type_(type), device_(device), flags_(flags & MOUNT_STATE_FLAGS) {
    inode_hash_.init(inode_buckets_, INODE_HASH_BUCKETS);
    InterruptGuard atomic;
    ++type_.active_super_blocks_;
    ++super_blocks_alive;
    device_number_ = make_device_number(0, next_anonymous_minor++);
}

SuperBlock::~SuperBlock() {
    // destroy_super_block() has released the root and checked that no inode
    // is left; an inode still cached here would point at freed memory.
    KASSERT(!root_inode_);
    KASSERT(inode_hash_.size() == 0);
    InterruptGuard atomic;
    --type_.active_super_blocks_;
    --super_blocks_alive;
}

size_t SuperBlock::live_count() {
    InterruptGuard atomic;
    return super_blocks_alive;
}

size_t SuperBlock::cached_inode_count() const {
    MutexLocker locker(inode_cache_lock_);
    return inode_hash_.size();
}

Result<InodeRef> SuperBlock::get_inode(uint64_t number) {
    MutexLocker locker(inode_cache_lock_);
    if (Inode* cached = inode_hash_.find(number)) {
        ++cached->reference_count_;
        return InodeRef::adopt(cached);
    }
    Inode* fresh = TRY(read_inode(number));
    // A file system that returns someone else's inode is broken, not the disk.
    KASSERT(fresh != nullptr && &fresh->super_block() == this && fresh->number() == number);
    fresh->reference_count_ = 1;
    inode_hash_.insert(*fresh);
    return InodeRef::adopt(fresh);
}

Result<InodeRef> SuperBlock::insert_new_inode(Inode* inode) {
    KASSERT(inode != nullptr && &inode->super_block() == this);
    MutexLocker locker(inode_cache_lock_);
    if (inode_hash_.find(inode->number()) != nullptr) {
        log_error("vfs: %s: new inode %llu is already cached", type_.name(),
                  static_cast<unsigned long long>(inode->number()));
        return Error{EEXIST};
    }
    inode->reference_count_ = 1;
    inode_hash_.insert(*inode);
    return InodeRef::adopt(inode);
}

void SuperBlock::acquire_inode(Inode& inode) {
    MutexLocker locker(inode_cache_lock_);
    KASSERT(inode.reference_count_ > 0);  // copies come from a live reference
    ++inode.reference_count_;
}

// The last reference leaves: write back, evict, and delete outside the lock
// (a file system's Inode destructor may do anything an ordinary function may).
void SuperBlock::release_inode(Inode& inode) {
    {
        MutexLocker locker(inode_cache_lock_);
        KASSERT(inode.reference_count_ > 0);
        if (--inode.reference_count_ > 0) return;
        if (inode.dirty_ && inode.link_count() > 0) {
            Result<void> written = write_inode(inode);
            if (written.is_error())
                log_error("vfs: %s: writing inode %llu back failed: %s", type_.name(),
                          static_cast<unsigned long long>(inode.number()), errno_name(written.error()));
        }
        inode.dirty_ = false;
        evict_inode(inode);
        inode_hash_.remove(inode);
    }
    delete &inode;
}

Result<void> SuperBlock::sync() {
    Result<void> first_error;
    {
        MutexLocker locker(inode_cache_lock_);
        inode_hash_.for_each([&](Inode& inode) {
            if (!inode.dirty_) return;
            Result<void> written = write_inode(inode);
            if (written.is_error()) {
                if (!first_error.is_error()) first_error = written;
                return;  // stays dirty: the next sync tries again
            }
            inode.dirty_ = false;
        });
    }
    Result<void> synced = sync_fs();
    if (first_error.is_error()) return first_error;
    return synced;
}

Result<void> SuperBlock::load_root_inode(uint64_t number) {
    InodeRef root = TRY(get_inode(number));
    if (!root->is_directory()) {
        log_error("vfs: %s: root inode %llu is not a directory", type_.name(),
                  static_cast<unsigned long long>(number));
        return Error{ENOTDIR};
    }
    root_inode_ = static_cast<InodeRef&&>(root);
    return {};
}

void destroy_super_block(SuperBlock* super_block) {
    if (super_block == nullptr) return;
    super_block->root_inode_.reset();
    Result<void> synced = super_block->sync();
    if (synced.is_error())
        log_warning("vfs: %s: sync at unmount failed: %s", super_block->type().name(),
                    errno_name(synced.error()));
    super_block->put_super();
    size_t left = super_block->cached_inode_count();
    if (left != 0) {
        // Somebody still holds an inode (a kernel bug). Deleting the super
        // block would leave that inode pointing at freed memory; leaking it
        // keeps the kernel running and the message says where to look.
        log_error("vfs: %s: %zu inodes still referenced at unmount; super block leaked",
                  super_block->type().name(), left);
        return;
    }
    delete super_block;
}

Result<void> SuperBlock::remount(uint32_t flags) {
    set_read_only((flags & MS_RDONLY) != 0);
    return {};
}
