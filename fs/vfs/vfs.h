// fs/vfs/vfs.h -- the VFS as the system calls see it.
//
// Layer: virtual file system, its top. Each function here is one Linux
// system call minus the user-space plumbing (copying names in and structs
// out, file descriptor numbers, -errno): the syscall layer and the kernel
// monitor call these, and these call path lookup, the dentry cache, the
// mounts and the file system's Inode and File operations. (Linux: the
// do_sys_open / vfs_read / vfs_getdents / vfs_statx / do_mkdirat ... family.)
//
// Conventions:
//   cwd          the caller's working directory: relative names start there,
//                and its mount tells which namespace absolute names are in
//   credentials  whose permissions count (uid 0 passes mode checks)
//   mode         for creating calls, the final mode: the caller has applied
//                its umask already
//   errors       Linux's errno values for the same situation (see each call
//                and path_lookup.h for the lookup errors every call can return)
//   memory       names and buffers are kernel memory: the syscall layer copies
//                them from and to user space (getdents64 and read fill their
//                buffer while the inode lock is held, so no page fault there)
//
// Interface:
//   vfs_open(cwd, name, O_* flags, mode, credentials)  -> FileRef
//       O_CREAT (with O_EXCL: EEXIST if it exists), O_TRUNC, O_DIRECTORY
//       (ENOTDIR), O_NOFOLLOW (ELOOP on a final symbolic link); EISDIR when
//       opening a directory for writing, EROFS for writing on a read-only
//       mount, EACCES from the mode bits, EINVAL for unknown flags
//   vfs_read/vfs_write(file, buffer, size)       EBADF if not opened for it
//   vfs_pread/vfs_pwrite(file, ..., offset)      EINVAL for a negative offset
//   vfs_lseek(file, offset, whence)              -> the new position
//   vfs_getdents64(file, buffer, size)           linux_dirent64 records; 0 at
//                                                the end; EINVAL if not even
//                                                one record fits
//   vfs_stat(cwd, name, follow, credentials, out) / vfs_fstat(file, out)
//   vfs_readlink(cwd, name, buffer, size, credentials)  EINVAL: not a link
//   vfs_statfs(cwd, name, credentials, out) / vfs_fstatfs(file, out)
//   vfs_access(cwd, name, MAY_* mask, credentials)
//   vfs_resolve_directory(cwd, name, credentials)  -> Path for chdir
//   vfs_truncate(cwd, name, length, credentials) / vfs_ftruncate(file, length)
//   vfs_fsync(file)
//   vfs_chmod, vfs_chown, vfs_utimens (and f- forms)  vfs_attributes.cpp
//   vfs_mkdir, vfs_mknod, vfs_symlink, vfs_link, vfs_unlink, vfs_rmdir,
//   vfs_rename                                  (vfs_directory_operations.cpp)
//   vfs_mount(cwd, type, device, target, flags, options, credentials),
//   vfs_umount(cwd, target, credentials)        EPERM unless uid 0
//   vfs_remount(cwd, target, flags, credentials) the same, for MS_REMOUNT
//   vfs_object_counts()                          what is alive, for tests and
//                                                the monitor's leak check
// Also part of the API, from their own headers: d_path (getcwd, mount
// listing), MountNamespace::for_each_mount (the `mount` listing),
// for_each_filesystem (/proc/filesystems), FileDescriptorTable.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/file.h"
#include "fs/vfs/linux_abi.h"
#include "fs/vfs/path.h"

class BlockDevice;

// --- open files ------------------------------------------------------------------
Result<FileRef> vfs_open(const Path& cwd, const char* name, uint32_t flags, uint32_t mode,
                         const Credentials& credentials);
Result<size_t> vfs_read(File& file, void* buffer, size_t size);
Result<size_t> vfs_write(File& file, const void* buffer, size_t size);
Result<size_t> vfs_pread(File& file, void* buffer, size_t size, int64_t offset);
// sendfile's zero-copy path: up to `size` bytes of the regular file `in`
// from `offset`, written to `out` straight from the page cache. ENOTSUP
// when `in` has no page cache or `out` is not a character device (the
// caller copies through a buffer then: writing to a file or a pipe while
// `in` is locked could wait on `in` itself or on a slow reader).
Result<size_t> vfs_send_pages(File& out, File& in, uint64_t offset, size_t size);
Result<size_t> vfs_pwrite(File& file, const void* buffer, size_t size, int64_t offset);
Result<int64_t> vfs_lseek(File& file, int64_t offset, int whence);
Result<size_t> vfs_getdents64(File& file, void* buffer, size_t size);
Result<void> vfs_ftruncate(File& file, int64_t length);
Result<void> vfs_fsync(File& file);

// --- attributes and names -----------------------------------------------------
Result<void> vfs_stat(const Path& cwd, const char* name, bool follow, const Credentials& credentials,
                      linux_abi::stat64* out);
Result<void> vfs_fstat(File& file, linux_abi::stat64* out);
// Fills `out` from the inode, under its lock (for fstatat and friends).
void vfs_fill_stat64(Inode& inode, linux_abi::stat64* out);
Result<size_t> vfs_readlink(const Path& cwd, const char* name, char* buffer, size_t size,
                            const Credentials& credentials);
Result<void> vfs_statfs(const Path& cwd, const char* name, const Credentials& credentials,
                        linux_abi::statfs64* out);
Result<void> vfs_fstatfs(File& file, linux_abi::statfs64* out);
Result<void> vfs_access(const Path& cwd, const char* name, int may, const Credentials& credentials);
Result<Path> vfs_resolve_directory(const Path& cwd, const char* name, const Credentials& credentials);
Result<void> vfs_truncate(const Path& cwd, const char* name, int64_t length, const Credentials& credentials);

// --- attributes (vfs_attributes.cpp) ------------------------------------------------
// chmod/fchmod (mode: permission bits), chown/fchown (0xFFFFFFFF: leave
// as it is; `follow` false for lchown), utimensat/futimens. EPERM, EACCES
// and EROFS as Linux gives them (see the file for the rules).
struct UtimensRequest {
    enum What : uint8_t { Set, Now, Omit };
    What access = Now, modification = Now;
    Timestamp access_time, modification_time;  // for Set
};
Result<void> vfs_chmod(const Path& start, const char* name, uint32_t mode, const Credentials& credentials);
Result<void> vfs_fchmod(File& file, uint32_t mode, const Credentials& credentials);
Result<void> vfs_chown(const Path& start, const char* name, uint32_t uid, uint32_t gid, bool follow,
                       const Credentials& credentials);
Result<void> vfs_fchown(File& file, uint32_t uid, uint32_t gid, const Credentials& credentials);
Result<void> vfs_utimens(const Path& start, const char* name, const UtimensRequest& request, bool follow,
                         const Credentials& credentials);
Result<void> vfs_futimens(File& file, const UtimensRequest& request, const Credentials& credentials);

// --- directory changes (vfs_directory_operations.cpp) ----------------------------
Result<void> vfs_mkdir(const Path& cwd, const char* name, uint32_t mode, const Credentials& credentials);
// `mode` holds the file type (S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFREG or
// 0 for regular); device nodes need uid 0 (EPERM). `device_number` is the
// kernel encoding (make_device_number).
Result<void> vfs_mknod(const Path& cwd, const char* name, uint32_t mode, uint32_t device_number,
                       const Credentials& credentials);
Result<void> vfs_symlink(const char* target, const Path& cwd, const char* link_name,
                         const Credentials& credentials);
Result<void> vfs_link(const Path& cwd, const char* existing_name, const char* new_name,
                      const Credentials& credentials);
// linkat/renameat: each name relative to its own start directory.
Result<void> vfs_link(const Path& existing_start, const char* existing_name, const Path& new_start,
                      const char* new_name, const Credentials& credentials);
Result<void> vfs_unlink(const Path& cwd, const char* name, const Credentials& credentials);
Result<void> vfs_rmdir(const Path& cwd, const char* name, const Credentials& credentials);
Result<void> vfs_rename(const Path& cwd, const char* old_name, const char* new_name,
                        const Credentials& credentials);
Result<void> vfs_rename(const Path& old_start, const char* old_name, const Path& new_start, const char* new_name,
                        const Credentials& credentials);

// --- mounts -------------------------------------------------------------------------
Result<void> vfs_mount(const Path& cwd, const char* type_name, BlockDevice* device, const char* target,
                       uint32_t flags, const char* options, const Credentials& credentials);
Result<void> vfs_umount(const Path& cwd, const char* target, const Credentials& credentials);
// mount(2) with MS_REMOUNT: new MOUNT_STATE_FLAGS for the mount at `target`.
Result<void> vfs_remount(const Path& cwd, const char* target, uint32_t flags, const Credentials& credentials);

// --- debugging --------------------------------------------------------------------
struct VfsObjectCounts {
    size_t super_blocks, mounts, dentries, inodes, files;
};
VfsObjectCounts vfs_object_counts();
