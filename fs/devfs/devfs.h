// fs/devfs/devfs.h -- the device file system mounted on /dev.
//
// Layer: concrete file system (a memory one: no disk, no block device).
// devfs shows one read-only directory of device nodes, made up on demand
// from what the kernel knows rather than stored anywhere:
//
//   name      type  mode  number (major:minor)   driver
//   console   char  0600  5:1                    console_device.cpp (kernel only)
//   null      char  0666  1:3                    memory_devices.cpp
//   zero      char  0666  1:5                    memory_devices.cpp
//   ram0 ...  block 0660  the block registry's   block_device_file.cpp
//   hda, vda  ...         (block_device_registry.h)
//
// in that order: the character devices, then every block device in the
// order it registered. The list of disks is asked of the registry at every
// lookup and readdir, so a disk registered after the mount appears at once.
// A node only names a device; opening it goes through the VFS device table
// (device_table.h) to the driver registered for its number -- exactly as a
// node made with mknod on ext2 would. (Linux: devtmpfs, which does the same
// job by creating nodes in a tmpfs; the old devfs of Linux 2.4 was a file
// system of its own like this one.)
//
// Inode numbers are stable: 1 the root, 2 console, 3 null, 4 zero, and
// 1000 + the registry index for a disk (registry indexes never change,
// devices are never unregistered). Owners are uid 0, gid 0; times are 0 (the
// epoch: the storage stack has no wall clock).
//
// The tree belongs to the drivers: create, mkdir, mknod, symlink, link,
// unlink, rmdir, rename and chmod/chown (setattr) all fail with EPERM --
// "not allowed", rather than EROFS, which would suggest that a read-write
// remount could help. Writing to the nodes is of course allowed: that is
// the driver's business.
//
// Interface:
//   DevfsFileSystemType       name "devfs", needs no device; mount options ignored
//   devfs_file_system_type()  the one instance (not registered by itself)
//   register_memory_devices() null and zero in the device table (host and kernel)
//   register_console_device() console in the device table (kernel only:
//                             console_device.cpp is not part of the host build)
//   register_block_device_files()  block_device_file.h
//   register_devfs_drivers()  all of the above that this build has
//   register_devfs()          register_filesystem(devfs) + register_devfs_drivers()
// Each registration fails with the device table's or registry's error
// (EBUSY/EEXIST when done twice).
//
// Known limit: a name looked up before its disk registered is remembered by
// the dentry cache as "does not exist" until that negative dentry is
// evicted; readdir shows the disk at once. (Linux devtmpfs avoids it by
// creating the node, which replaces the negative dentry.)
#pragma once

#include <cstdint>

#include "fs/vfs/file_system_type.h"

constexpr uint32_t DEVFS_SUPER_MAGIC = 0x1373;  // Linux 2.4's devfs (include/uapi/linux/magic.h)

constexpr uint64_t DEVFS_ROOT_INODE = 1;
constexpr uint64_t DEVFS_CONSOLE_INODE = 2;
constexpr uint64_t DEVFS_NULL_INODE = 3;
constexpr uint64_t DEVFS_ZERO_INODE = 4;
constexpr uint64_t DEVFS_FIRST_DISK_INODE = 1000;

// Character device numbers (Linux devices.txt).
constexpr uint32_t MEMORY_DEVICES_MAJOR = 1;  // "mem"
constexpr uint32_t NULL_MINOR = 3;
constexpr uint32_t ZERO_MINOR = 5;
constexpr uint32_t TTY_AUXILIARY_MAJOR = 5;   // /dev/tty, /dev/console ...
constexpr uint32_t CONSOLE_MINOR = 1;

class DevfsFileSystemType final : public FileSystemType {
public:
    DevfsFileSystemType() : FileSystemType("devfs", false) {}

    // `device` is nullptr (devfs needs none); `options` are ignored.
    Result<SuperBlock*> mount(BlockDevice* device, uint32_t flags, const char* options) override;
};

DevfsFileSystemType& devfs_file_system_type();

Result<void> register_memory_devices();
Result<void> register_console_device();
Result<void> register_devfs_drivers();
Result<void> register_devfs();
