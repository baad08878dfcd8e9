// fs/vfs/mount_namespace.h -- the table of mounts, and mount/umount.
//
// Layer: virtual file system. A MountNamespace is the whole tree of mounted
// file systems that path lookup walks: the root mount plus every mount below
// it. The kernel has one (created at boot, passed around explicitly); host
// tests make a fresh one per test. (Linux: struct mnt_namespace, the mount
// hash, namespace_sem; do_new_mount, do_umount, follow_mount.)
//
// Interface:
//   mount_root(type, device, flags, options)    the first mount, at boot;
//                                               EBUSY when there is one
//   mount(type, device, target, flags, options) attach a new super block at
//       the directory `target`. Errors: ENODEV (unknown type), ENOTBLK (type
//       needs a device, none given), ENOTDIR (target not a directory), EBUSY
//       (device already mounted), the file system's own mount errors.
//   umount(target)     target must be the root of a mount (EINVAL otherwise);
//       EBUSY while the mount has child mounts, is the namespace root, or is
//       referenced by anything but `target` (open files, working directories)
//   unmount_all()      every mount, children first (shutdown, tests)
//   root()             the Path of "/" (empty before mount_root)
//   follow_mounts_down(path)  if a mount sits on path, move to its root (and
//                             again while one sits there): lookup's crossing
//   for_each_mount(visit)     the listing of `mount`: MountInfo per mount, in
//                             mount order
//   sync_all()         SuperBlock::sync for every mount
//
// Stacking: a mount on a directory that already has a mount on it goes on
// top -- its parent is the upper mount and its mount point that mount's root
// -- so the latest mount shows, and unmounting it reveals the one below.
// Hence at most one mount sits directly on any (mount, dentry) pair.
//
// Read-only: a mount is read-only when mounted with MS_RDONLY, when its
// device is read-only, or when the file system made its super block so; the
// VFS then refuses every write-side operation with EROFS.
//
// Locking: lock_ (a sleeping Mutex) guards the list, the tree links, child
// counts and the mount_count_ of mount-point dentries. It is held across a
// file system's mount() and the teardown at umount (both may do I/O; mounting
// is rare). Lock order: lock_ before the dentry cache's and inode caches'
// locks; never taken while holding an inode's lock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/dentry_cache.h"
#include "fs/vfs/mount.h"
#include "fs/vfs/path.h"

class BlockDevice;

// One line of the mount listing ("hda on /mnt/ata type ext2 (rw)").
struct MountInfo {
    const char* device_name;  // "hda", "ram0"; the type name for device-less file systems
    const char* mount_point;  // absolute path
    const char* type_name;
    uint32_t flags;           // MS_*; MS_RDONLY also when only the super block is read-only
    uint32_t open_files;
};

class MountNamespace {
public:
    explicit MountNamespace(DentryCache& dentry_cache);
    ~MountNamespace();
    MountNamespace(const MountNamespace&) = delete;
    MountNamespace& operator=(const MountNamespace&) = delete;

    DentryCache& dentry_cache() const { return dentry_cache_; }

    Result<void> mount_root(const char* type_name, BlockDevice* device, uint32_t flags, const char* options);
    Result<void> mount(const char* type_name, BlockDevice* device, const Path& target, uint32_t flags,
                       const char* options);
    // Takes over the caller's reference in `target`: after a successful
    // umount nothing may refer to the mount any more, the caller included.
    Result<void> umount(Path&& target);
    Result<void> unmount_all();
    // mount -o remount: gives the mount at `target` (its root) the state
    // `flags` (MOUNT_STATE_FLAGS). Read-only is a property of the super
    // block: going read-only syncs it and fails with EBUSY while a file on
    // it is open for writing (unless `force`: shutdown); going read-write
    // fails with EROFS on a read-only device.
    Result<void> remount(const Path& target, uint32_t flags, bool force = false);
    // At power-off: every writable super block remounted read-only, so the
    // disks say "cleanly unmounted" even under open files (Linux: the
    // emergency remount). Returns the first error; tries them all.
    Result<void> remount_all_read_only();

    Path root() const;
    void follow_mounts_down(Path& path) const;
    Result<void> sync_all();
    size_t mount_count() const;
    // Calls visit(info, context) per mount, with the namespace locked: visit
    // must not mount or unmount. The strings live only during the call.
    void for_each_mount(void (*visit)(const MountInfo& info, void* context), void* context) const;

private:
    Result<void> remount_locked(Mount& mount, uint32_t flags, bool force);
    using MountList = klib::IntrusiveList<Mount, &Mount::namespace_link_>;

    Result<SuperBlock*> create_super_block_locked(const char* type_name, BlockDevice* device,
                                                  uint32_t& flags, const char* options);
    Result<Mount*> attach_locked(SuperBlock& super_block, Mount* parent, const DentryRef& mount_point,
                                 uint32_t flags, const char* device_name);
    void destroy_mount_locked(Mount& mount);
    Mount* find_child_locked(const Mount& parent, const Dentry& mount_point) const;
    void follow_mounts_down_locked(Path& path) const;
    bool device_in_use_locked(const BlockDevice* device) const;

    DentryCache& dentry_cache_;
    mutable Mutex lock_{"mount namespace"};
    MountList mounts_;
    Mount* root_mount_ = nullptr;
};
