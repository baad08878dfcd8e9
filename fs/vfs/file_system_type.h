// fs/vfs/file_system_type.h -- the kinds of file system the kernel knows.
//
// Layer: virtual file system. Each concrete file system (romfs, ext2, devfs,
// tmpfs, and the tests' "testfs") is one FileSystemType object that registers
// itself by name at boot. mount(2) finds the type by the name user space gives
// ("ext2") and asks it to build a SuperBlock for a device. (Linux: struct
// file_system_type, register_filesystem, get_fs_type, /proc/filesystems.)
//
// Interface:
//   class FileSystemType        name, requires_device(), mount() -> SuperBlock*
//   register_filesystem(type)   EEXIST when the name is taken, EINVAL when empty
//   unregister_filesystem(type) EBUSY while one of its super blocks exists
//   find_filesystem(name)       nullptr when unknown
//   for_each_filesystem(visit)  registration order (for /proc/filesystems)
//   MS_* flags                  mount(2) flags, Linux values
//
// Invariants:
//   - The registry links the FileSystemType objects themselves (an intrusive
//     list), so registering never allocates; types are usually static objects.
//   - A type outlives its super blocks: active_super_blocks() counts them (the
//     SuperBlock constructor and destructor keep it), and unregistering a type
//     in use fails instead of leaving super blocks with a dangling type.
//
// Locking: one registry mutex guards the list; never held while a type's
// mount() runs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel/lib/list.h"
#include "kernel/platform.h"

#ifdef KERNEL_HOST_BUILD
#include <sys/mount.h>  // glibc's MS_* first, so ours below only check them
#endif

class BlockDevice;
class SuperBlock;

// mount(2) flags (Linux include/uapi/linux/mount.h). MS_RDONLY doubles as the
// super block's read-only flag (Linux SB_RDONLY has the same value).
#ifndef MS_RDONLY
#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SYNCHRONOUS 16
#define MS_REMOUNT 32
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_SILENT 32768
#endif
// The flags a mount remembers and shows in the mount listing; MS_REMOUNT and
// friends are requests, not states. MS_SILENT (a program probing types in
// turn, as `mount` without -t does) asks a file system to say "not mine"
// only in the kernel log's debug level, not on the console.
constexpr uint32_t MOUNT_STATE_FLAGS =
    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_NOATIME | MS_NODIRATIME;

class FileSystemType {
public:
    FileSystemType(const char* name, bool requires_device)
        : name_(name), requires_device_(requires_device) {}
    virtual ~FileSystemType() = default;
    FileSystemType(const FileSystemType&) = delete;
    FileSystemType& operator=(const FileSystemType&) = delete;

    const char* name() const { return name_; }
    // True for disk formats (ext2, romfs): mount needs a BlockDevice. False
    // for file systems that live in memory (devfs, tmpfs, procfs).
    bool requires_device() const { return requires_device_; }
    size_t active_super_blocks() const;

    // Reads the device's super block (if any), checks it, and returns a new
    // SuperBlock whose root inode is loaded (SuperBlock::load_root_inode).
    // `device` is nullptr exactly when !requires_device(). `flags` are MS_*
    // (MS_RDONLY: the file system must not write); `options` is the data
    // string of mount(2) ("" when none), never nullptr. Errors: EINVAL for a
    // device that does not hold this format (wrong magic), EIO, ENOMEM.
    // The caller takes ownership; it ends with destroy_super_block().
    // (Linux: file_system_type::mount / fill_super.)
    virtual Result<SuperBlock*> mount(BlockDevice* device, uint32_t flags, const char* options) = 0;

private:
    friend class SuperBlock;           // counts itself in active_super_blocks_
    friend class FileSystemRegistry;   // file_system_type.cpp: links registry_link_

    const char* name_;
    bool requires_device_;
    size_t active_super_blocks_ = 0;  // guarded by InterruptGuard (changed by SuperBlock)
    klib::ListNode registry_link_;    // guarded by the registry mutex
};

Result<void> register_filesystem(FileSystemType& type);
Result<void> unregister_filesystem(FileSystemType& type);
FileSystemType* find_filesystem(const char* name);
// Calls visit(type, context) for each registered type, in registration order,
// with the registry locked: visit must not register or unregister.
void for_each_filesystem(void (*visit)(FileSystemType& type, void* context), void* context);

static_assert(MS_RDONLY == 1 && MS_NOSUID == 2 && MS_NODEV == 4 && MS_NOEXEC == 8);
static_assert(MS_SYNCHRONOUS == 16 && MS_REMOUNT == 32 && MS_NOATIME == 1024);
static_assert(MS_NODIRATIME == 2048);
