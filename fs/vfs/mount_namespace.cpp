// fs/vfs/mount_namespace.cpp -- mounting, unmounting, crossing mount points.
//
// Layer: virtual file system. See mount_namespace.h for the rules (stacking,
// EBUSY, read-only). Mounts are few, so they live on one list in mount order
// and finding "the mount on this dentry" is a walk of that list; Linux uses a
// hash table keyed by (mount, dentry) for the same question.
#include "fs/vfs/mount_namespace.h"

#include "drivers/block/block_device.h"
#include "fs/vfs/super_block.h"
#include "kernel/lib/string.h"

namespace {
constexpr size_t MOUNT_POINT_PATH_SIZE = 4096;
}  // namespace

MountNamespace::MountNamespace(DentryCache& dentry_cache) : dentry_cache_(dentry_cache) {}

MountNamespace::~MountNamespace() {
    if (!mounts_.empty())
        log_error("vfs: mount namespace destroyed with %zu mounts (call unmount_all first)", mounts_.size());
}

Path MountNamespace::root() const {
    MutexLocker locker(lock_);
    if (root_mount_ == nullptr) return {};
    return Path(MountRef(root_mount_), root_mount_->root_);
}

size_t MountNamespace::mount_count() const {
    MutexLocker locker(lock_);
    return mounts_.size();
}

Mount* MountNamespace::find_child_locked(const Mount& parent, const Dentry& mount_point) const {
    for (const Mount& mount : mounts_)
        if (mount.parent_ == &parent && mount.mount_point_.get() == &mount_point)
            return const_cast<Mount*>(&mount);
    return nullptr;
}

void MountNamespace::follow_mounts_down_locked(Path& path) const {
    while (path.dentry()->mount_count_ != 0) {
        Mount* child = find_child_locked(*path.mount(), *path.dentry());
        if (child == nullptr) break;
        path = Path(MountRef(child), child->root_);
    }
}

void MountNamespace::follow_mounts_down(Path& path) const {
    // Most dentries are no mount point; the unlocked read is only a hint and
    // the locked walk decides.
    if (path.is_empty() || !path.dentry()->is_mount_point()) return;
    MutexLocker locker(lock_);
    follow_mounts_down_locked(path);
}

bool MountNamespace::device_in_use_locked(const BlockDevice* device) const {
    for (const Mount& mount : mounts_)
        if (mount.super_block_.device() == device) return true;
    return false;
}

// Finds the type and asks it for a super block. `flags` gains MS_RDONLY when
// the device cannot be written (Linux mounts such devices read-only too).
Result<SuperBlock*> MountNamespace::create_super_block_locked(const char* type_name, BlockDevice* device,
                                                              uint32_t& flags, const char* options) {
    FileSystemType* type = find_filesystem(type_name);
    if (type == nullptr) return Error{ENODEV};
    if (!type->requires_device()) {
        device = nullptr;  // the "source" of devfs or tmpfs is only a label
    } else {
        if (device == nullptr) return Error{ENOTBLK};
        if (device_in_use_locked(device)) return Error{EBUSY};
        if (device->is_read_only() && !(flags & MS_RDONLY)) {
            log_info("vfs: %s is write-protected, mounting read-only", device->name());
            flags |= MS_RDONLY;
        }
    }
    SuperBlock* super_block = TRY(type->mount(device, flags, options ? options : ""));
    if (super_block == nullptr || !super_block->root_inode()) {
        log_error("vfs: %s: mount returned no root directory", type->name());
        destroy_super_block(super_block);
        return Error{EINVAL};
    }
    return super_block;
}

// Gives the new super block its root dentry and its Mount. On failure the
// super block is destroyed, so the caller has nothing to undo.
Result<Mount*> MountNamespace::attach_locked(SuperBlock& super_block, Mount* parent,
                                             const DentryRef& mount_point, uint32_t flags,
                                             const char* device_name) {
    Result<DentryRef> root = dentry_cache_.make_root(super_block.root_inode());
    if (root.is_error()) {
        destroy_super_block(&super_block);
        return Error{root.error()};
    }
    Mount* mount = new (std::nothrow)
        Mount(*this, super_block, parent, mount_point, root.release_value(), flags, device_name);
    if (mount == nullptr) {
        destroy_super_block(&super_block);  // the root dentry died with `root`
        return Error{ENOMEM};
    }
    if (parent != nullptr) {
        ++parent->child_count_;
        ++mount->mount_point_->mount_count_;
    }
    mounts_.push_back(*mount);
    log_info("vfs: mounted %s (%s)%s", device_name, super_block.type().name(),
             mount->is_read_only() ? " read-only" : "");
    return mount;
}

Result<void> MountNamespace::mount_root(const char* type_name, BlockDevice* device, uint32_t flags,
                                        const char* options) {
    MutexLocker locker(lock_);
    if (root_mount_ != nullptr) return Error{EBUSY};
    SuperBlock* super_block = TRY(create_super_block_locked(type_name, device, flags, options));
    const char* device_name = device ? device->name() : super_block->type().name();
    root_mount_ = TRY(attach_locked(*super_block, nullptr, DentryRef(), flags & MOUNT_STATE_FLAGS, device_name));
    return {};
}

Result<void> MountNamespace::mount(const char* type_name, BlockDevice* device, const Path& target,
                                   uint32_t flags, const char* options) {
    if (target.is_empty() || target.inode() == nullptr) return Error{ENOENT};
    if (!target.inode()->is_directory()) return Error{ENOTDIR};
    MutexLocker locker(lock_);
    if (root_mount_ == nullptr) return Error{EINVAL};
    if (&target.mount()->namespace_ != this) return Error{EINVAL};
    // The caller may hold a path to a directory that something has been
    // mounted on since; stack on the topmost mount there.
    Path top = target;
    follow_mounts_down_locked(top);
    SuperBlock* super_block = TRY(create_super_block_locked(type_name, device, flags, options));
    const char* device_name = device ? device->name() : super_block->type().name();
    TRY(attach_locked(*super_block, top.mount(), top.dentry_ref(), flags & MOUNT_STATE_FLAGS, device_name));
    return {};
}

Result<void> MountNamespace::remount(const Path& target, uint32_t flags, bool force) {
    if (target.is_empty()) return Error{EINVAL};
    MutexLocker locker(lock_);
    Mount* mount = target.mount();
    if (&mount->namespace_ != this || target.dentry() != mount->root()) return Error{EINVAL};
    return remount_locked(*mount, flags & MOUNT_STATE_FLAGS, force);
}

Result<void> MountNamespace::remount_locked(Mount& mount, uint32_t flags, bool force) {
    SuperBlock& super_block = mount.super_block_;
    bool read_only = (flags & MS_RDONLY) != 0;
    if (read_only != super_block.is_read_only()) {
        if (!read_only && super_block.device() != nullptr && super_block.device()->is_read_only())
            return Error{EROFS};
        if (read_only) {
            for (const Mount& other : mounts_)
                if (&other.super_block_ == &super_block && other.writer_count() != 0 && !force) return Error{EBUSY};
            TRY(super_block.sync());
        }
        TRY(super_block.remount(flags));
    }
    mount.flags_ = flags;
    return {};
}

Result<void> MountNamespace::remount_all_read_only() {
    MutexLocker locker(lock_);
    Result<void> first;
    for (Mount& mount : mounts_) {
        if (mount.super_block_.is_read_only()) continue;
        Result<void> done = remount_locked(mount, mount.flags_ | MS_RDONLY, true);
        if (done.is_error() && !first.is_error()) first = done;
    }
    return first;
}

Result<void> MountNamespace::umount(Path&& target) {
    Path victim_path = static_cast<Path&&>(target);
    if (victim_path.is_empty()) return Error{EINVAL};
    MutexLocker locker(lock_);
    Mount* victim = victim_path.mount();
    if (&victim->namespace_ != this) return Error{EINVAL};
    if (victim_path.dentry() != victim->root()) return Error{EINVAL};  // not a mount point
    if (victim == root_mount_) return Error{EBUSY};
    if (victim->child_count_ != 0) return Error{EBUSY};
    // victim_path is one reference; any other is a user of the file system.
    if (victim->reference_count() > 1) {
        log_info("vfs: umount %s: busy (%u open files, %u references)", victim->device_name(),
                 victim->open_file_count(), victim->reference_count() - 1);
        return Error{EBUSY};
    }
    victim_path.reset();
    destroy_mount_locked(*victim);
    return {};
}

// Unlinks the mount, drops its dentries and, with its last mount gone, the
// super block: sync, put_super, delete.
void MountNamespace::destroy_mount_locked(Mount& mount) {
    mounts_.remove(mount);
    if (mount.parent_ != nullptr) {
        --mount.parent_->child_count_;
        --mount.mount_point_->mount_count_;
    }
    if (&mount == root_mount_) root_mount_ = nullptr;
    SuperBlock& super_block = mount.super_block_;
    delete &mount;  // releases its root dentry and its mount-point dentry
    for (const Mount& other : mounts_)
        if (&other.super_block_ == &super_block) return;  // still mounted elsewhere
    dentry_cache_.shrink_super_block(super_block);
    if (super_block.cached_dentry_count() != 0)
        log_error("vfs: %s: %zu dentries still referenced after umount", super_block.type().name(),
                  super_block.cached_dentry_count());
    destroy_super_block(&super_block);
}

Result<void> MountNamespace::unmount_all() {
    MutexLocker locker(lock_);
    // Children were mounted after their parents, so the newest mount is
    // always a leaf of the tree.
    while (Mount* newest = mounts_.back()) {
        if (newest->reference_count() != 0 || newest->child_count_ != 0) return Error{EBUSY};
        destroy_mount_locked(*newest);
    }
    return {};
}

Result<void> MountNamespace::sync_all() {
    MutexLocker locker(lock_);
    Result<void> first_error;
    for (Mount& mount : mounts_) {
        Result<void> synced = mount.super_block_.sync();
        if (synced.is_error() && !first_error.is_error()) first_error = synced;
    }
    return first_error;
}

void MountNamespace::for_each_mount(void (*visit)(const MountInfo& info, void* context),
                                    void* context) const {
    MutexLocker locker(lock_);
    char* mount_point = new (std::nothrow) char[MOUNT_POINT_PATH_SIZE];
    for (const Mount& mount : mounts_) {
        MountInfo info;
        info.device_name = mount.device_name_;
        info.type_name = mount.super_block_.type().name();
        info.flags = mount.flags_ | (mount.is_read_only() ? MS_RDONLY : 0);
        info.open_files = mount.open_file_count();
        info.mount_point = "/";
        if (mount_point != nullptr && mount.parent_ != nullptr) {
            Path location(MountRef(mount.parent_), mount.mount_point_);
            Result<size_t> written = d_path(location, mount_point, MOUNT_POINT_PATH_SIZE);
            info.mount_point = written.is_error() ? "?" : mount_point;
        } else if (mount_point == nullptr) {
            info.mount_point = "?";  // out of memory: still list the mount
        }
        visit(info, context);
    }
    delete[] mount_point;
}
