// fs/vfs/mount.h -- one place where a file system is attached to the tree.
//
// Layer: virtual file system. A Mount says "the tree of this super block
// appears at that directory of that other mount": mounting ext2 from /dev/hda
// on /mnt/ata makes a Mount whose parent is the root mount, whose mount point
// is the dentry of /mnt/ata in the root file system, and whose root is the
// ext2 root directory's dentry. Path lookup crosses from the mount point into
// the root and, for "..", back. (Linux: struct vfsmount inside struct mount;
// MNT_READONLY.) The mounts themselves are kept by MountNamespace
// (mount_namespace.h).
//
// Interface:
//   super_block(), parent() (nullptr for the root mount), mount_point(),
//   root(), flags() (MS_*), is_read_only(), device_name(),
//   open_file_count(), reference_count(), mount_namespace()
//   MountRef   a counted reference (RAII)
//
// Reference counting: reference_count_ counts every MountRef -- in practice
// every Path: an open file's, a process's working directory, a lookup in
// progress. umount refuses (EBUSY) while anything but the caller's own path
// refers to the mount, so a busy file system can never be unmounted under a
// user. The count is changed under InterruptGuard (one CPU: atomic), since
// reaching zero needs no action: only umount frees a Mount, and it checks the
// count under the namespace lock, where new references from lookups are made.
// open_file_count_ counts the open files among those references (for the
// listing and the EBUSY message).
//
// Invariants: parent_, mount_point_, root_ and the super block never change
// while the mount exists; a mount with child mounts is never unmounted, so a
// mount's parent chain stays valid as long as one holds a reference to it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/dentry.h"
#include "fs/vfs/file_system_type.h"
#include "kernel/lib/list.h"

class MountNamespace;
class SuperBlock;

class Mount {
public:
    Mount(const Mount&) = delete;
    Mount& operator=(const Mount&) = delete;

    SuperBlock& super_block() const { return super_block_; }
    Mount* parent() const { return parent_; }
    Dentry* mount_point() const { return mount_point_.get(); }
    Dentry* root() const { return root_.get(); }
    // For building Paths: copying these takes a reference of one's own.
    const DentryRef& mount_point_ref() const { return mount_point_; }
    const DentryRef& root_ref() const { return root_; }
    uint32_t flags() const { return flags_; }
    bool is_read_only() const;  // the mount's MS_RDONLY or the super block's
    const char* device_name() const { return device_name_; }
    MountNamespace& mount_namespace() const { return namespace_; }
    uint32_t open_file_count() const;
    uint32_t reference_count() const;

    // Files open for writing (O_WRONLY or O_RDWR): remounting read-only
    // waits for none (EBUSY otherwise).
    uint32_t writer_count() const;

    // Called by File's constructor and destructor.
    void note_file_opened(bool for_writing);
    void note_file_closed(bool for_writing);

    // Mounts currently in memory (a debugging count).
    static size_t live_count();

private:
    friend class MountNamespace;
    friend class MountRef;

    Mount(MountNamespace& mount_namespace, SuperBlock& super_block, Mount* parent, DentryRef mount_point,
          DentryRef root, uint32_t flags, const char* device_name);
    ~Mount();
    void acquire();
    void release();

    MountNamespace& namespace_;
    SuperBlock& super_block_;
    Mount* parent_;
    DentryRef mount_point_;  // in parent_'s tree; empty for the root mount
    DentryRef root_;
    uint32_t flags_;                 // changed only by remount, under the namespace lock
    char device_name_[32] = {};
    uint32_t reference_count_ = 0;   // guarded by InterruptGuard
    uint32_t open_file_count_ = 0;   // guarded by InterruptGuard
    uint32_t writer_count_ = 0;      // guarded by InterruptGuard
    uint32_t child_count_ = 0;       // guarded by the namespace lock
    klib::ListNode namespace_link_;  // on the namespace's list, in mount order
};

class MountRef {
public:
    MountRef() = default;
    // Takes a new reference to `mount` (which the caller knows is alive:
    // it holds another reference, or the namespace lock).
    explicit MountRef(Mount* mount) : mount_(mount) {
        if (mount_) mount_->acquire();
    }
    MountRef(const MountRef& other) : MountRef(other.mount_) {}
    MountRef(MountRef&& other) noexcept : mount_(other.mount_) { other.mount_ = nullptr; }
    MountRef& operator=(const MountRef& other) {
        if (this != &other) *this = MountRef(other);
        return *this;
    }
    MountRef& operator=(MountRef&& other) noexcept {
        if (this != &other) {
            reset();
            mount_ = other.mount_;
            other.mount_ = nullptr;
        }
        return *this;
    }
    ~MountRef() { reset(); }

    Mount* get() const { return mount_; }
    Mount* operator->() const { return mount_; }
    explicit operator bool() const { return mount_ != nullptr; }
    void reset() {
        if (mount_) mount_->release();
        mount_ = nullptr;
    }

private:
    Mount* mount_ = nullptr;
};
