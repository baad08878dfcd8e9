// kernel/syscall/syscall_mount.cpp -- mount and umount.
//
// Layer: system calls. mount(source, target, type, flags, data) attaches
// a file system of `type` on the directory `target`; for a type that needs
// a disk, `source` names a block device node (/dev/hda), which is looked
// up and must be one (ENOTBLK) of a disk that exists (ENXIO). Types without
// a disk (tmpfs, proc, devfs) ignore `source`, as Linux does. `data` is the
// option string (tmpfs's size=...). umount(target) and umount2(target,
// flags) detach; of umount2's flags only 0 is offered (MNT_FORCE,
// MNT_DETACH, MNT_EXPIRE: EINVAL). Only root may do either (EPERM, from
// the VFS). MS_REMOUNT gives the mount at `target` new flags (ro/rw and the
// rest of MOUNT_STATE_FLAGS); `source` and `type` are then ignored, as on
// Linux.
#include "drivers/block/block_device_registry.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/file_mode.h"
#include "fs/vfs/file_system_type.h"
#include "fs/vfs/vfs.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

constexpr size_t MAX_TYPE_NAME = 32;
constexpr size_t MAX_OPTIONS = 4096;
// The flags mount(2) takes here are the ones a mount keeps
// (MOUNT_STATE_FLAGS: ro, nosuid, nodev, noexec, sync, noatime,
// nodiratime), and MS_REMOUNT; others (bind, move, propagation...) are EINVAL. The
// top 16 bits may hold Linux's old magic number 0xC0ED, which means nothing.
constexpr uint32_t MS_MAGIC_MASK = 0xFFFF0000, MS_MAGIC_VALUE = 0xC0ED0000;

Result<BlockDevice*> block_device_named(const char* name) {
    Path path = TRY(path_walk(self().working_directory, name, LOOKUP_FOLLOW, self().credentials));
    Inode& inode = *path.inode();
    if (!S_ISBLK(inode.mode())) return Error(ENOTBLK);
    BlockDevice* device = find_block_device_by_number(device_major(inode.device_number()),
                                                      device_minor(inode.device_number()));
    if (!device) return Error(ENXIO);
    return device;
}

Result<void> mount_at(uint32_t user_source, uint32_t user_target, uint32_t user_type, uint32_t flags,
                      uint32_t user_data) {
    if ((flags & MS_MAGIC_MASK) == MS_MAGIC_VALUE) flags &= ~MS_MAGIC_MASK;
    if (flags & MS_REMOUNT) {
        if (flags & ~(MOUNT_STATE_FLAGS | MS_REMOUNT)) return Error(EINVAL);
        UserPath target_text;
        const char* target = TRY(target_text.copy(user_target));
        return vfs_remount(self().working_directory, target, flags & ~MS_REMOUNT, self().credentials);
    }
    if (flags & ~(MOUNT_STATE_FLAGS | MS_SILENT)) return Error(EINVAL);
    if (!user_type) return Error(EINVAL);
    char type[MAX_TYPE_NAME];
    TRY(copy_string_from_user(type, user_type, sizeof type));
    FileSystemType* file_system = find_filesystem(type);
    if (!file_system) return Error(ENODEV);
    UserPath target_text;
    const char* target = TRY(target_text.copy(user_target));
    BlockDevice* device = nullptr;
    if (file_system->requires_device()) {
        if (!user_source) return Error(EINVAL);
        UserPath source_text;
        const char* source = TRY(source_text.copy(user_source));
        device = TRY(block_device_named(source));
    }
    char* options = static_cast<char*>(kzalloc(MAX_OPTIONS));
    if (!options) return Error(ENOMEM);
    Result<size_t> copied = user_data ? copy_string_from_user(options, user_data, MAX_OPTIONS) : Result<size_t>(0);
    Result<void> mounted = copied.is_error()
                               ? Result<void>(Error(copied.error()))
                               : vfs_mount(self().working_directory, type, device, target, flags, options,
                                           self().credentials);
    kfree(options);
    return mounted;
}

int32_t sys_mount(const SyscallArguments& a) {
    auto mounted = mount_at(a.arg[0], a.arg[1], a.arg[2], a.arg[3], a.arg[4]);
    return mounted.is_error() ? -mounted.error() : 0;
}

int32_t unmount(uint32_t user_target, uint32_t flags) {
    if (flags != 0) return -EINVAL;
    UserPath target_text;
    auto target = target_text.copy(user_target);
    if (target.is_error()) return -target.error();
    auto unmounted = vfs_umount(self().working_directory, target.value(), self().credentials);
    return unmounted.is_error() ? -unmounted.error() : 0;
}
int32_t sys_umount(const SyscallArguments& a) { return unmount(a.arg[0], 0); }
int32_t sys_umount2(const SyscallArguments& a) { return unmount(a.arg[0], a.arg[1]); }

}  // namespace

void register_mount_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {21, {"mount", sys_mount}}, {22, {"umount", sys_umount}}, {52, {"umount2", sys_umount2}},
    };
    add_system_calls(table, size, calls);
}
