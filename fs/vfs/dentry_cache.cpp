// fs/vfs/dentry_cache.cpp -- lookups, negative entries, LRU eviction.
//
// Layer: virtual file system. See dentry_cache.h for the policy and the lock
// rules. The one pattern to notice: every function that may free dentries
// collects them on a local `dead` list while holding lock_, and frees them
// (dropping their inode references, which may write an inode to disk) only
// after the lock is released.
#include "fs/vfs/dentry_cache.h"

#include "fs/vfs/super_block.h"
#include "kernel/lib/string.h"

uint32_t DentryHashTraits::hash(const Key& key) {
    uint32_t name_hash = 2166136261u;  // FNV-1a over the name's bytes
    for (size_t i = 0; i < key.length; ++i) {
        name_hash ^= static_cast<unsigned char>(key.name[i]);
        name_hash *= 16777619u;
    }
    return klib::hash_combine(klib::hash_u64(reinterpret_cast<uintptr_t>(key.parent)), name_hash);
}

bool DentryHashTraits::equal(const Key& left, const Key& right) {
    return left.parent == right.parent && left.length == right.length &&
           klib::memcmp(left.name, right.name, left.length) == 0;
}

DentryCache::DentryCache(size_t max_unused) : max_unused_(max_unused) {
    hash_.init(buckets_, HASH_BUCKETS);
}

DentryCache::~DentryCache() {
    shrink(0);
    MutexLocker locker(lock_);
    if (dentry_count_ != 0)
        log_error("vfs: dentry cache destroyed with %zu dentries still referenced", dentry_count_);
}

Result<DentryRef> DentryCache::make_root(const InodeRef& root_inode) {
    if (!root_inode) return Error{EINVAL};
    Dentry* root = TRY(Dentry::allocate(*this, root_inode->super_block(), "/", 1));
    root->inode_ = root_inode;
    MutexLocker locker(lock_);
    root->reference_count_ = 1;
    ++dentry_count_;
    ++root->super_block_.cached_dentries_;
    return DentryRef::adopt(root);
}

Dentry* DentryCache::find_locked(const Dentry& parent, const char* name, size_t length) {
    return hash_.find(DentryKey{&parent, name, length});
}

// The hit path: a found dentry may be unused (on the LRU); now it is not.
DentryRef DentryCache::adopt_found_locked(Dentry& found) {
    if (found.is_negative())
        ++negative_hits_;
    else
        ++hits_;
    if (found.reference_count_++ == 0) unused_.remove(found);
    return DentryRef::adopt(&found);
}

Result<DentryRef> DentryCache::lookup(Dentry& parent, const char* name, size_t length) {
    {
        MutexLocker locker(lock_);
        Dentry* found = find_locked(parent, name, length);
        // A name that must be revalidated is checked under the directory's
        // lock, on the slow path below.
        if (found != nullptr && !found->super_block_.revalidates_dentries()) return adopt_found_locked(*found);
    }
    Inode* directory = parent.inode();
    if (directory == nullptr) return Error{ENOENT};
    // Holding the directory's lock while asking the file system means two
    // threads missing on the same name cannot both add a dentry for it.
    MutexLocker directory_locker(directory->lock());
    return lookup_locked(parent, name, length);
}

// The cached dentry for the name, if the file system still agrees with it;
// an empty reference on a miss. A dentry the file system disowns is dropped
// here (its holders keep it, but lookups no longer find it). Caller holds the
// directory's lock.
DentryRef DentryCache::find_still_valid(Dentry& parent, const char* name, size_t length) {
    DentryRef candidate;
    {
        MutexLocker locker(lock_);
        Dentry* found = find_locked(parent, name, length);
        if (found == nullptr) return {};
        if (!found->super_block_.revalidates_dentries()) return adopt_found_locked(*found);
        if (found->reference_count_++ == 0) unused_.remove(*found);
        candidate = DentryRef::adopt(found);
    }
    // The file system is asked without the cache's lock (lock rules above).
    // A mount point is kept whatever it says: its mount must stay reachable
    // for umount (Linux detaches such mounts instead; we do not, yet).
    if (candidate->is_mount_point() || candidate->super_block_.revalidate_dentry(*candidate)) {
        MutexLocker locker(lock_);
        if (candidate->is_negative())
            ++negative_hits_;
        else
            ++hits_;
        return candidate;
    }
    drop(*candidate);
    return {};
}

Result<DentryRef> DentryCache::lookup_locked(Dentry& parent, const char* name, size_t length) {
    if (DentryRef cached = find_still_valid(parent, name, length)) return cached;
    {
        MutexLocker locker(lock_);
        ++misses_;
    }
    Inode* directory = parent.inode();
    if (directory == nullptr) return Error{ENOENT};
    InodeRef child;
    Result<InodeRef> looked_up = directory->lookup(name);
    if (looked_up.is_error()) {
        if (looked_up.error() != ENOENT) return Error{looked_up.error()};
    } else {
        child = looked_up.release_value();
    }
    Dentry* fresh = TRY(Dentry::allocate(*this, parent.super_block_, name, length));
    fresh->inode_ = static_cast<InodeRef&&>(child);
    MutexLocker locker(lock_);
    attach_locked(*fresh, parent);
    fresh->reference_count_ = 1;
    return DentryRef::adopt(fresh);
}

void DentryCache::attach_locked(Dentry& child, Dentry& parent) {
    if (parent.reference_count_++ == 0 && parent.lru_node_.is_linked()) unused_.remove(parent);
    child.parent_ = &parent;
    parent.children_.push_back(child);
    hash_.insert(child);
    child.hashed_ = true;
    ++dentry_count_;
    ++child.super_block_.cached_dentries_;
}

DentryRef DentryCache::parent_of(const Dentry& dentry) {
    MutexLocker locker(lock_);
    Dentry* parent = dentry.parent_;
    if (parent == nullptr) return {};
    ++parent->reference_count_;  // >= 1 already: dentry holds it
    return DentryRef::adopt(parent);
}

void DentryCache::instantiate(Dentry& negative, InodeRef inode) {
    MutexLocker locker(lock_);
    KASSERT(negative.is_negative());
    negative.inode_ = static_cast<InodeRef&&>(inode);
}

void DentryCache::remove_name(Dentry& dentry) {
    InodeRef dropped;  // released after the lock (declared before the locker)
    DentryList dead;
    {
        MutexLocker locker(lock_);
        // A removed directory was empty: its cached children are unused
        // negative names, each holding a reference to it. Forget them, so
        // only real users keep the directory's inode (and its disk space).
        for (Dentry& child : dentry.children_) {  // the iterator survives removal
            if (child.reference_count_ != 0) continue;
            if (child.lru_node_.is_linked()) unused_.remove(child);
            detach_locked(child, dead);
        }
        if (dentry.reference_count_ == 1 && dentry.hashed_) {
            // Only the caller holds it: keep the name as a negative entry, so the
            // next lookup of the removed name needs no disk access.
            dropped = static_cast<InodeRef&&>(dentry.inode_);
        } else {
            // Others hold it (an open file, a cwd): they keep the inode; the name
            // leaves the hash so new lookups go to the file system.
            unhash_locked(dentry);
        }
    }
    free_dead(dead);
}

void DentryCache::drop(Dentry& dentry) {
    DentryList dead;
    {
        MutexLocker locker(lock_);
        unhash_locked(dentry);
        if (dentry.reference_count_ == 0) {
            if (dentry.lru_node_.is_linked()) unused_.remove(dentry);
            detach_locked(dentry, dead);
        }
    }
    free_dead(dead);
}

Result<void> DentryCache::move(Dentry& dentry, Dentry& new_parent, const char* new_name, size_t length) {
    if (length > 255) return Error{ENAMETOOLONG};
    char* copy = new (std::nothrow) char[length + 1];
    if (copy == nullptr) return Error{ENOMEM};
    klib::memcpy(copy, new_name, length);
    copy[length] = '\0';
    char* old_name;
    DentryList dead;
    {
        MutexLocker locker(lock_);
        KASSERT(dentry.parent_ != nullptr);  // the VFS never renames a root
        unhash_locked(dentry);
        Dentry* old_parent = dentry.parent_;
        old_name = dentry.name_;
        dentry.name_ = copy;
        dentry.name_length_ = length;
        ++new_parent.reference_count_;  // the caller holds new_parent: never 0 here
        dentry.parent_ = &new_parent;
        new_parent.children_.push_back(dentry);
        hash_.insert(dentry);
        dentry.hashed_ = true;
        if (--old_parent->reference_count_ == 0) park_unused_locked(*old_parent, dead);
    }
    delete[] old_name;
    free_dead(dead);
    return {};
}

bool DentryCache::is_ancestor(const Dentry& ancestor, const Dentry& dentry) {
    MutexLocker locker(lock_);
    for (const Dentry* walk = &dentry; walk != nullptr; walk = walk->parent_)
        if (walk == &ancestor) return true;
    return false;
}

void DentryCache::acquire(Dentry& dentry) {
    MutexLocker locker(lock_);
    KASSERT(dentry.reference_count_ > 0);  // copies come from a live reference
    ++dentry.reference_count_;
}

void DentryCache::release(Dentry& dentry) {
    DentryList dead;
    {
        MutexLocker locker(lock_);
        KASSERT(dentry.reference_count_ > 0);
        if (--dentry.reference_count_ == 0) {
            park_unused_locked(dentry, dead);
            trim_locked(max_unused_, dead);
        }
    }
    free_dead(dead);
}

void DentryCache::unhash_locked(Dentry& dentry) {
    if (!dentry.hashed_) return;
    hash_.remove(dentry);
    dentry.hashed_ = false;
    if (dentry.child_node_.is_linked()) dentry.parent_->children_.remove(dentry);
}

// A dentry just became unused: cache it if it can still be found by name,
// free it otherwise (a root, or a name that was removed).
void DentryCache::park_unused_locked(Dentry& dentry, DentryList& dead) {
    if (dentry.hashed_)
        unused_.push_back(dentry);
    else
        detach_locked(dentry, dead);
}

// Takes an unused dentry out of the tree onto `dead`. Its parent loses a
// reference and may become unused in turn -- cached again if hashed, or
// detached as well (the loop, instead of recursion, keeps the stack flat).
void DentryCache::detach_locked(Dentry& dentry, DentryList& dead) {
    Dentry* current = &dentry;
    while (current != nullptr) {
        KASSERT(current->reference_count_ == 0 && current->children_.empty());
        unhash_locked(*current);
        Dentry* parent = current->parent_;
        current->parent_ = nullptr;
        dead.push_back(*current);
        --dentry_count_;
        --current->super_block_.cached_dentries_;
        current = nullptr;
        if (parent != nullptr && --parent->reference_count_ == 0) {
            if (parent->hashed_)
                unused_.push_back(*parent);
            else
                current = parent;
        }
    }
}

void DentryCache::trim_locked(size_t keep_unused, DentryList& dead) {
    while (unused_.size() > keep_unused) {
        Dentry* victim = unused_.pop_front();
        ++evictions_;
        detach_locked(*victim, dead);
    }
}

void DentryCache::free_dead(DentryList& dead) {
    while (Dentry* dentry = dead.pop_front()) {
        dentry->inode_.reset();
        delete dentry;
    }
}

void DentryCache::shrink_super_block(SuperBlock& super_block) {
    DentryList dead;
    {
        MutexLocker locker(lock_);
        // Evicting a leaf can make its parent unused (pushed at the back), so
        // repeat until a pass finds nothing of this super block.
        bool evicted_some = true;
        while (evicted_some) {
            evicted_some = false;
            for (Dentry& dentry : unused_) {
                if (&dentry.super_block_ != &super_block) continue;
                unused_.remove(dentry);
                detach_locked(dentry, dead);
                evicted_some = true;
            }
        }
    }
    free_dead(dead);
}

void DentryCache::shrink(size_t keep_unused) {
    DentryList dead;
    {
        MutexLocker locker(lock_);
        trim_locked(keep_unused, dead);
    }
    free_dead(dead);
}

void DentryCache::set_max_unused(size_t max_unused) {
    DentryList dead;
    {
        MutexLocker locker(lock_);
        max_unused_ = max_unused;
        trim_locked(max_unused_, dead);
    }
    free_dead(dead);
}

DentryCacheStatistics DentryCache::statistics() const {
    MutexLocker locker(lock_);
    DentryCacheStatistics statistics;
    statistics.hits = hits_;
    statistics.negative_hits = negative_hits_;
    statistics.misses = misses_;
    statistics.evictions = evictions_;
    statistics.dentries = dentry_count_;
    statistics.unused = unused_.size();
    statistics.max_unused = max_unused_;
    return statistics;
}
