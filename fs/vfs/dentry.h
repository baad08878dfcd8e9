// fs/vfs/dentry.h -- a name in a directory, remembered.
//
// Layer: virtual file system. A Dentry ("directory entry") connects a name in
// a parent directory to the inode it names -- or records that the name does
// not exist (a *negative* dentry, inode() == nullptr), so asking again costs
// no disk access either. Dentries form a tree per super block that mirrors
// the part of the directory tree somebody has looked at; its root is the
// file system's root directory. (Linux: struct dentry; the dentry cache of
// fs/dcache.c. The cache itself is in dentry_cache.h.)
//
// Interface:
//   name(), name_length(), parent() (nullptr for a file system's root),
//   inode() (nullptr when negative), is_negative(), is_mount_point(),
//   super_block(), cache()
//   DentryRef   a counted reference (RAII); copying it takes the cache lock
//
// Invariants (all guarded by the DentryCache's lock):
//   - reference_count_ counts DentryRefs *and* cached children: a child holds
//     its parent, so the tree is always connected and eviction goes leaf first.
//   - A dentry with reference_count_ == 0 is on the cache's LRU list of unused
//     dentries if it is hashed; an unhashed one is freed as soon as it is unused.
//   - A hashed dentry is in the hash under (parent, name) and on its parent's
//     children_ list. A root is never hashed (it has no parent to be found by).
//   - A positive dentry holds a reference to its inode, so the inode stays in
//     memory while the dentry is cached.
//   - The name and parent of a dentry change only by rename (DentryCache::move),
//     with the cache locked; readers who hold a reference may read name() and
//     parent() without the lock between renames (one CPU: a rename cannot run
//     in the middle of a read that does not sleep).
//   - mount_count_ is guarded by the mount namespace's lock; is_mount_point()
//     reads it without the lock as a hint, and the namespace re-checks it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/inode.h"
#include "kernel/lib/hash_table.h"
#include "kernel/lib/list.h"

class DentryCache;
class SuperBlock;

class Dentry {
public:
    Dentry(const Dentry&) = delete;
    Dentry& operator=(const Dentry&) = delete;

    const char* name() const { return name_; }
    size_t name_length() const { return name_length_; }
    Dentry* parent() const { return parent_; }
    Inode* inode() const { return inode_.get(); }
    // Copying this takes an inode reference of one's own.
    const InodeRef& inode_ref() const { return inode_; }
    bool is_negative() const { return !inode_; }
    bool is_root() const { return parent_ == nullptr; }
    bool is_mount_point() const { return mount_count_ != 0; }
    SuperBlock& super_block() const { return super_block_; }
    DentryCache& cache() const { return cache_; }

    // Dentries currently allocated, in all caches (a debugging count).
    static size_t live_count();

private:
    friend class DentryCache;
    friend class DentryRef;
    friend class MountNamespace;  // mount_count_
    friend struct DentryHashTraits;

    // Only the cache creates dentries: allocate() copies the name and fails
    // with ENOMEM or ENAMETOOLONG (names are at most 255 bytes).
    static Result<Dentry*> allocate(DentryCache& cache, SuperBlock& super_block, const char* name,
                                    size_t name_length);
    Dentry(DentryCache& cache, SuperBlock& super_block, char* name, size_t name_length);
    ~Dentry();

    DentryCache& cache_;
    SuperBlock& super_block_;
    char* name_;  // owned, NUL-terminated
    size_t name_length_;
    Dentry* parent_ = nullptr;  // counted: the parent's reference_count_ includes us
    InodeRef inode_;            // empty for a negative dentry
    uint32_t reference_count_ = 0;
    uint32_t mount_count_ = 0;  // mounts whose mount point this is
    bool hashed_ = false;
    klib::HashNode hash_node_;
    klib::ListNode lru_node_;    // on the unused list, or on a list of dead ones
    klib::ListNode child_node_;  // on parent_->children_
    klib::IntrusiveList<Dentry, &Dentry::child_node_> children_;
};

// A counted reference to a Dentry. The copy constructor and the destructor
// take the dentry cache's lock: never copy or drop one while holding it.
class DentryRef {
public:
    DentryRef() = default;
    // Takes over a reference already counted for the caller.
    static DentryRef adopt(Dentry* counted) { return DentryRef(counted); }
    DentryRef(const DentryRef& other);
    DentryRef(DentryRef&& other) noexcept : dentry_(other.dentry_) { other.dentry_ = nullptr; }
    DentryRef& operator=(const DentryRef& other);
    DentryRef& operator=(DentryRef&& other) noexcept;
    ~DentryRef() { reset(); }

    Dentry* get() const { return dentry_; }
    Dentry* operator->() const { return dentry_; }
    Dentry& operator*() const { return *dentry_; }
    explicit operator bool() const { return dentry_ != nullptr; }
    void reset();

private:
    explicit DentryRef(Dentry* counted) : dentry_(counted) {}
    Dentry* dentry_ = nullptr;
};
