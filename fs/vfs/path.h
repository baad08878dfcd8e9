// fs/vfs/path.h -- a location in the tree of mounted file systems.
//
// Layer: virtual file system. A dentry alone does not say where a file is: the
// same ext2 directory could be mounted in two places, and the dentry of a
// mount point is hidden by the mount on it. A Path is the pair (mount,
// dentry) that does say it -- what lookup returns, what a process's working
// directory is, what an open file remembers. (Linux: struct path, path_get,
// path_put, d_path.)
//
// Interface:
//   Path(MountRef, DentryRef)  takes over both references
//   mount(), dentry(), inode(), is_empty(), operator==
//   d_path(path, buffer, size)   "/mnt/ata/dir": the path from the namespace's
//                                root, crossing mount points upward; ERANGE
//                                when it does not fit (with its NUL)
//
// Invariants: a non-empty Path holds one reference to its mount and one to its
// dentry, and the dentry belongs to that mount's super block. Copies take new
// references; a moved-from Path is empty.
#pragma once

#include <cstddef>

#include "fs/vfs/dentry.h"
#include "fs/vfs/mount.h"
#include "kernel/platform.h"

class Path {
public:
    Path() = default;
    Path(MountRef mount, DentryRef dentry)
        : mount_(static_cast<MountRef&&>(mount)), dentry_(static_cast<DentryRef&&>(dentry)) {}

    Mount* mount() const { return mount_.get(); }
    Dentry* dentry() const { return dentry_.get(); }
    Inode* inode() const { return dentry_ ? dentry_->inode() : nullptr; }
    bool is_empty() const { return !dentry_; }
    bool operator==(const Path& other) const {
        return mount() == other.mount() && dentry() == other.dentry();
    }

    const MountRef& mount_ref() const { return mount_; }
    const DentryRef& dentry_ref() const { return dentry_; }
    void reset() {
        dentry_.reset();
        mount_.reset();
    }

private:
    MountRef mount_;
    DentryRef dentry_;
};

// Writes the absolute path of `path` into buffer (NUL-terminated) and returns
// its length. ERANGE when size is too small, EINVAL for an empty path.
Result<size_t> d_path(const Path& path, char* buffer, size_t size);
