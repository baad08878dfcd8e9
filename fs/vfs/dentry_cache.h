// fs/vfs/dentry_cache.h -- the cache of names looked up, found or not found.
//
// Layer: virtual file system. Path lookup asks the DentryCache, not the file
// system, for "name X in directory D": a hit costs a hash probe, a miss calls
// the directory's Inode::lookup once and remembers the answer -- the inode, or
// ENOENT as a negative dentry. (Linux: fs/dcache.c -- d_lookup, d_alloc +
// ->lookup + d_add, d_instantiate, d_delete, d_drop, d_move, dput, the
// dentry LRU and shrink_dcache_sb.)
//
// Interface:
//   make_root(inode)           the root dentry of a super block's tree
//   lookup(parent, name)       the child dentry (maybe negative); locks the
//                              parent directory's inode around a miss
//   lookup_locked(...)         the same for callers already holding that lock
//   parent_of(dentry)          a reference to the parent (empty for a root)
//   instantiate(dentry, inode) a negative dentry becomes positive (after create)
//   remove_name(dentry)        after unlink/rmdir: negative if nobody else holds
//                              it, else unhashed (holders keep the old inode)
//   drop(dentry)               unhash (the name no longer leads here)
//   move(dentry, parent, name) after rename
//   is_ancestor(a, d)          is `a` d or above d (rename's loop check)
//   shrink_super_block(sb)     evict every unused dentry of sb (umount)
//   shrink(keep)               evict unused dentries down to `keep`
//   statistics()               hits, negative hits, misses, evictions, sizes
//
// Cache policy: every dentry nobody references (no DentryRef, no cached
// child) sits on one LRU list, most recently released last. Whenever that list
// grows beyond max_unused, the oldest unused dentries are evicted; evicting a
// leaf may leave its parent unused, which then joins the list in turn. So the
// memory held by the cache is bounded by max_unused plus what is in use.
// Referenced dentries are never evicted.
//
// Revalidation: a super block with revalidates_dentries() (procfs, whose
// names are processes that come and go without the VFS seeing it) is asked
// revalidate_dentry() before a cached name of it is used, positive or
// negative; a name it disowns is dropped and looked up afresh. (Linux:
// d_revalidate and d_invalidate.) Those lookups always take the slow path,
// with the directory's lock.
//
// Locking: lock_ (a sleeping Mutex) guards the hash, the LRU list and every
// dentry's reference count, parent, name, children and hashed flag. It is
// never held while calling a file system or while dropping an inode
// reference: evicted dentries are collected on a private list and freed after
// the lock is released. Lock order: a directory inode's lock(), then lock_;
// the mount namespace's lock, then lock_.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/dentry.h"

class Path;

struct DentryCacheStatistics {
    uint64_t hits = 0;           // positive answers from the cache
    uint64_t negative_hits = 0;  // ENOENT answered by a negative dentry
    uint64_t misses = 0;         // answers that needed Inode::lookup
    uint64_t evictions = 0;      // unused dentries evicted because of the bound
    size_t dentries = 0;         // allocated now (roots and unhashed ones too)
    size_t unused = 0;           // on the LRU list now
    size_t max_unused = 0;
};

// The hash key: the parent dentry's address and the name.
struct DentryKey {
    const Dentry* parent;
    const char* name;
    size_t length;
};

struct DentryHashTraits {
    using Key = DentryKey;
    static Key key_of(const Dentry& dentry) { return {dentry.parent_, dentry.name_, dentry.name_length_}; }
    static uint32_t hash(const Key& key);
    static bool equal(const Key& left, const Key& right);
};

class DentryCache {
public:
    static constexpr size_t DEFAULT_MAX_UNUSED = 1024;

    explicit DentryCache(size_t max_unused = DEFAULT_MAX_UNUSED);
    ~DentryCache();
    DentryCache(const DentryCache&) = delete;
    DentryCache& operator=(const DentryCache&) = delete;

    Result<DentryRef> make_root(const InodeRef& root_inode);

    // `parent` must be a positive directory dentry the caller holds, and name
    // a single component (not "." or ".."). Errors: the file system's lookup
    // errors other than ENOENT (which becomes a negative dentry), ENOMEM.
    Result<DentryRef> lookup(Dentry& parent, const char* name, size_t length);
    Result<DentryRef> lookup_locked(Dentry& parent, const char* name, size_t length);

    DentryRef parent_of(const Dentry& dentry);

    // The caller holds the parent directory's inode lock for these four.
    void instantiate(Dentry& negative, InodeRef inode);
    void remove_name(Dentry& dentry);
    void drop(Dentry& dentry);
    // ENOMEM when the new name cannot be allocated (nothing has changed then).
    Result<void> move(Dentry& dentry, Dentry& new_parent, const char* new_name, size_t length);

    bool is_ancestor(const Dentry& ancestor, const Dentry& dentry);

    void shrink_super_block(SuperBlock& super_block);
    void shrink(size_t keep_unused);
    void set_max_unused(size_t max_unused);
    DentryCacheStatistics statistics() const;

private:
    friend class DentryRef;
    friend Result<size_t> d_path(const Path& path, char* buffer, size_t size);
    using DentryList = klib::IntrusiveList<Dentry, &Dentry::lru_node_>;
    static constexpr size_t HASH_BUCKETS = 256;

    void acquire(Dentry& dentry);
    void release(Dentry& dentry);
    Dentry* find_locked(const Dentry& parent, const char* name, size_t length);
    DentryRef find_still_valid(Dentry& parent, const char* name, size_t length);
    DentryRef adopt_found_locked(Dentry& found);
    void attach_locked(Dentry& child, Dentry& parent);
    void unhash_locked(Dentry& dentry);
    void detach_unused_children_locked(Dentry& dentry, DentryList& dead);
    void park_unused_locked(Dentry& dentry, DentryList& dead);
    void detach_locked(Dentry& dentry, DentryList& dead);
    void trim_locked(size_t keep_unused, DentryList& dead);
    static void free_dead(DentryList& dead);

    mutable Mutex lock_{"dentry cache"};
    klib::IntrusiveHashTable<Dentry, &Dentry::hash_node_, DentryHashTraits> hash_;
    klib::HashNode* buckets_[HASH_BUCKETS];
    DentryList unused_;  // LRU: front is the least recently released
    size_t max_unused_;
    size_t dentry_count_ = 0;
    uint64_t hits_ = 0, negative_hits_ = 0, misses_ = 0, evictions_ = 0;
};
