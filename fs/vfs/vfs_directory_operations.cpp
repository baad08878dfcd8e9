// fs/vfs/vfs_directory_operations.cpp -- mkdir, mknod, symlink, link,
// unlink, rmdir, rename.
//
// Layer: virtual file system, its top. See vfs.h. Every call here changes a
// directory, so each follows the same steps (Linux: filename_create,
// do_unlinkat, do_renameat2):
//   1. path_walk_parent: the directory and the last name;
//   2. lock the directory's inode, then look the name up under that lock --
//      nobody can add or remove that name until we are done;
//   3. check: exists or not, types, read-only mount (EROFS), write and
//      search permission on the directory (EACCES), the sticky bit (EPERM),
//      mount points (EBUSY);
//   4. call the file system's Inode operation;
//   5. update the dentry cache to match (instantiate, remove_name, move).
// Lock order: the super block's rename lock, then directories (an ancestor
// before its descendant, else by address), then the files inside them.
#include "fs/vfs/dentry_cache.h"
#include "fs/vfs/path_lookup.h"
#include "fs/vfs/super_block.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/string.h"

namespace {

// Linux's sticky-directory rule (may_delete): in a directory with S_ISVTX,
// like /tmp, only the owner of the entry or of the directory, or root, may
// remove or replace it.
Result<void> check_sticky_directory(const Inode& directory, const Inode& victim,
                                    const Credentials& credentials) {
    if (!(directory.mode() & S_ISVTX) || credentials.is_superuser()) return {};
    if (victim.uid() == credentials.uid || directory.uid() == credentials.uid) return {};
    return Error{EPERM};
}

// Steps 2-5 for the calls that add a name. make_inode(directory) asks the
// file system for the new inode (or, for link, adds the name and returns the
// existing inode).
template <typename MakeInode>
Result<void> create_entry(ParentLookup& parent, bool want_directory, const Credentials& credentials,
                          MakeInode make_inode) {
    if (parent.kind != LastComponent::Normal) return Error{EEXIST};
    Inode& directory = *parent.directory.inode();
    Dentry& directory_dentry = *parent.directory.dentry();
    DentryCache& cache = directory_dentry.cache();
    MutexLocker directory_locker(directory.lock());
    DentryRef child = TRY(cache.lookup_locked(directory_dentry, parent.last, parent.last_length));
    if (!child->is_negative()) return Error{EEXIST};
    if (parent.trailing_slash && !want_directory) return Error{ENOENT};
    if (directory.link_count() == 0) return Error{ENOENT};  // the directory was removed
    if (parent.directory.mount()->is_read_only()) return Error{EROFS};
    TRY(directory.check_permission(credentials, MAY_WRITE | MAY_EXEC));
    InodeRef inode = TRY(make_inode(directory));
    cache.instantiate(*child, static_cast<InodeRef&&>(inode));
    return {};
}

enum class RemovedType { File, Directory };

Result<void> remove_entry(const Path& cwd, const char* name, const Credentials& credentials,
                          RemovedType type) {
    ParentLookup parent;
    TRY(path_walk_parent(cwd, name, credentials, parent));
    if (parent.kind != LastComponent::Normal) {
        if (type == RemovedType::File) return Error{EISDIR};
        if (parent.kind == LastComponent::Root) return Error{EBUSY};
        return Error{parent.kind == LastComponent::Dot ? EINVAL : ENOTEMPTY};
    }
    Inode& directory = *parent.directory.inode();
    Dentry& directory_dentry = *parent.directory.dentry();
    DentryCache& cache = directory_dentry.cache();
    MutexLocker directory_locker(directory.lock());
    DentryRef victim_dentry = TRY(cache.lookup_locked(directory_dentry, parent.last, parent.last_length));
    if (victim_dentry->is_negative()) return Error{ENOENT};
    Inode& victim = *victim_dentry->inode();
    if (type == RemovedType::Directory && !victim.is_directory()) return Error{ENOTDIR};
    if (type == RemovedType::File && victim.is_directory()) return Error{EISDIR};
    if (type == RemovedType::File && parent.trailing_slash) return Error{ENOTDIR};
    if (parent.directory.mount()->is_read_only()) return Error{EROFS};
    TRY(directory.check_permission(credentials, MAY_WRITE | MAY_EXEC));
    TRY(check_sticky_directory(directory, victim, credentials));
    if (victim_dentry->is_mount_point()) return Error{EBUSY};
    {
        MutexLocker victim_locker(victim.lock());
        if (type == RemovedType::Directory)
            TRY(directory.rmdir(parent.last, victim));
        else
            TRY(directory.unlink(parent.last, victim));
    }
    cache.remove_name(*victim_dentry);
    return {};
}

// Holds the locks of up to two distinct inodes, taken in a fixed order.
class PairLock {
public:
    PairLock(Inode* first, Inode* second) : first_(first), second_(second == first ? nullptr : second) {
        if (first_) first_->lock().lock();
        if (second_) second_->lock().lock();
    }
    ~PairLock() {
        if (second_) second_->lock().unlock();
        if (first_) first_->lock().unlock();
    }
    PairLock(const PairLock&) = delete;
    PairLock& operator=(const PairLock&) = delete;

    // Unrelated inodes (no ancestry between them): by address.
    static PairLock by_address(Inode* a, Inode* b) {
        if (a == nullptr || (b != nullptr && b < a)) return PairLock(b, a);
        return PairLock(a, b);
    }

private:
    Inode* first_;
    Inode* second_;
};

// The rename checks of Linux vfs_rename / may_delete, with both directories
// locked. Returns EEXIST for "nothing to do" (same file), which the caller
// turns into success.
Result<void> check_rename(const ParentLookup& from, const ParentLookup& to, Dentry& old_dentry,
                          Dentry& new_dentry, const Credentials& credentials) {
    DentryCache& cache = old_dentry.cache();
    Inode& old_directory = *from.directory.inode();
    Inode& new_directory = *to.directory.inode();
    Inode& moved = *old_dentry.inode();
    Inode* replaced = new_dentry.inode();
    if (&old_dentry == &new_dentry || replaced == &moved) return Error{EEXIST};
    TRY(old_directory.check_permission(credentials, MAY_WRITE | MAY_EXEC));
    TRY(new_directory.check_permission(credentials, MAY_WRITE | MAY_EXEC));
    TRY(check_sticky_directory(old_directory, moved, credentials));
    if (replaced) TRY(check_sticky_directory(new_directory, *replaced, credentials));
    if (moved.is_directory()) {
        if (replaced && !replaced->is_directory()) return Error{ENOTDIR};
        if (cache.is_ancestor(old_dentry, *to.directory.dentry())) return Error{EINVAL};  // into itself
        // Its ".." entry changes: that is a write to the moved directory.
        if (&old_directory != &new_directory) TRY(moved.check_permission(credentials, MAY_WRITE));
    } else {
        if (replaced && replaced->is_directory()) return Error{EISDIR};
        if (from.trailing_slash || to.trailing_slash) return Error{ENOTDIR};
    }
    if (replaced && cache.is_ancestor(new_dentry, *from.directory.dentry())) return Error{ENOTEMPTY};
    if (old_dentry.is_mount_point() || new_dentry.is_mount_point()) return Error{EBUSY};
    if (new_directory.link_count() == 0) return Error{ENOENT};
    return {};
}

// With the rename lock and both directory locks held.
Result<void> rename_locked(const ParentLookup& from, const ParentLookup& to, const Credentials& credentials) {
    Dentry& old_parent = *from.directory.dentry();
    Dentry& new_parent = *to.directory.dentry();
    DentryCache& cache = old_parent.cache();
    DentryRef old_dentry = TRY(cache.lookup_locked(old_parent, from.last, from.last_length));
    if (old_dentry->is_negative()) return Error{ENOENT};
    DentryRef new_dentry = TRY(cache.lookup_locked(new_parent, to.last, to.last_length));
    Result<void> allowed = check_rename(from, to, *old_dentry, *new_dentry, credentials);
    if (allowed.is_error()) {
        if (allowed.error() == EEXIST) return {};  // renaming a file onto itself
        return allowed;
    }
    Inode& moved = *old_dentry->inode();
    {
        PairLock file_locks = PairLock::by_address(&moved, new_dentry->inode());
        Inode& old_directory = *from.directory.inode();
        TRY(old_directory.rename(from.last, moved, *to.directory.inode(), to.last, new_dentry->inode()));
    }
    cache.drop(*new_dentry);
    // If the cache cannot follow (no memory for the new name), it forgets the
    // entry instead: the next lookup asks the file system, which is right.
    if (cache.move(*old_dentry, new_parent, to.last, to.last_length).is_error()) cache.drop(*old_dentry);
    return {};
}

}  // namespace

Result<void> vfs_mkdir(const Path& cwd, const char* name, uint32_t mode, const Credentials& credentials) {
    ParentLookup parent;
    TRY(path_walk_parent(cwd, name, credentials, parent));
    return create_entry(parent, true, credentials, [&](Inode& directory) {
        return directory.mkdir(parent.last, S_IFDIR | (mode & MODE_PERMISSION_BITS), credentials);
    });
}

Result<void> vfs_mknod(const Path& cwd, const char* name, uint32_t mode, uint32_t device_number,
                       const Credentials& credentials) {
    uint32_t type = file_type_of(mode) == 0 ? S_IFREG : file_type_of(mode);
    if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO && type != S_IFSOCK)
        return Error{EINVAL};
    if (is_device(type) && !credentials.is_superuser()) return Error{EPERM};
    uint32_t full_mode = type | (mode & MODE_PERMISSION_BITS);
    ParentLookup parent;
    TRY(path_walk_parent(cwd, name, credentials, parent));
    return create_entry(parent, false, credentials, [&](Inode& directory) {
        if (type == S_IFREG) return directory.create(parent.last, full_mode, credentials);
        return directory.mknod(parent.last, full_mode, is_device(type) ? device_number : 0, credentials);
    });
}

Result<void> vfs_symlink(const char* target, const Path& cwd, const char* link_name,
                         const Credentials& credentials) {
    if (target == nullptr) return Error{EFAULT};
    size_t target_length = klib::strnlen(target, MAX_PATH_LENGTH);
    if (target_length == 0) return Error{ENOENT};
    if (target_length == MAX_PATH_LENGTH) return Error{ENAMETOOLONG};
    ParentLookup parent;
    TRY(path_walk_parent(cwd, link_name, credentials, parent));
    return create_entry(parent, false, credentials, [&](Inode& directory) {
        return directory.symlink(parent.last, target, credentials);
    });
}

Result<void> vfs_link(const Path& cwd, const char* existing_name, const char* new_name,
                      const Credentials& credentials) {
    return vfs_link(cwd, existing_name, cwd, new_name, credentials);
}

Result<void> vfs_link(const Path& existing_start, const char* existing_name, const Path& new_start,
                      const char* new_name, const Credentials& credentials) {
    Path existing = TRY(path_walk(existing_start, existing_name, 0, credentials));
    if (existing.inode()->is_directory()) return Error{EPERM};  // no hard links to directories
    ParentLookup parent;
    TRY(path_walk_parent(new_start, new_name, credentials, parent));
    if (existing.mount() != parent.directory.mount()) return Error{EXDEV};
    return create_entry(parent, false, credentials, [&](Inode& directory) -> Result<InodeRef> {
        Inode& target = *existing.inode();
        MutexLocker target_locker(target.lock());
        if (target.link_count() == 0) return Error{ENOENT};  // removed meanwhile
        TRY(directory.link(parent.last, target));
        return existing.dentry()->inode_ref();
    });
}

Result<void> vfs_unlink(const Path& cwd, const char* name, const Credentials& credentials) {
    return remove_entry(cwd, name, credentials, RemovedType::File);
}

Result<void> vfs_rmdir(const Path& cwd, const char* name, const Credentials& credentials) {
    return remove_entry(cwd, name, credentials, RemovedType::Directory);
}

Result<void> vfs_rename(const Path& cwd, const char* old_name, const char* new_name,
                        const Credentials& credentials) {
    return vfs_rename(cwd, old_name, cwd, new_name, credentials);
}

Result<void> vfs_rename(const Path& old_start, const char* old_name, const Path& new_start, const char* new_name,
                        const Credentials& credentials) {
    ParentLookup from;
    ParentLookup to;
    TRY(path_walk_parent(old_start, old_name, credentials, from));
    TRY(path_walk_parent(new_start, new_name, credentials, to));
    if (from.kind != LastComponent::Normal || to.kind != LastComponent::Normal) return Error{EBUSY};
    if (from.directory.mount() != to.directory.mount()) return Error{EXDEV};
    if (from.directory.mount()->is_read_only()) return Error{EROFS};
    SuperBlock& super_block = from.directory.inode()->super_block();
    MutexLocker rename_locker(super_block.rename_lock());
    // Under the rename lock the tree's shape is fixed, so "ancestor first"
    // is a stable order for the two directory locks.
    Dentry& old_parent = *from.directory.dentry();
    Dentry& new_parent = *to.directory.dentry();
    DentryCache& cache = old_parent.cache();
    Inode* old_directory = old_parent.inode();
    Inode* new_directory = new_parent.inode();
    bool old_first = cache.is_ancestor(old_parent, new_parent) ||
                     (!cache.is_ancestor(new_parent, old_parent) && old_directory < new_directory);
    PairLock directory_locks = old_first ? PairLock(old_directory, new_directory)
                                         : PairLock(new_directory, old_directory);
    return rename_locked(from, to, credentials);
}
