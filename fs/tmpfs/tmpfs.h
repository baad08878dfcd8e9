// fs/tmpfs/tmpfs.h -- tmpfs, the file system in kernel memory mounted on /tmp.
//
// Layer: concrete file system without a disk (Linux: mm/shmem.c, "shmem" /
// "tmpfs"). Every mount starts as one empty root directory (mode 01777, like
// /tmp) and holds whatever is written to it until it is unmounted; then it is
// all freed. There is no backing store and no way to fill it in advance.
//
// What lives where (see tmpfs_inode.h):
//   TmpfsNode      one file's record, the "disk inode": attributes, and the
//                  data -- page-sized kmalloc'ed chunks for a regular file
//                  (Linux: the shmem page cache), a list of entries for a
//                  directory, the target for a symbolic link
//   TmpfsInode     the VFS's in-memory Inode for a node (Linux: shmem_inode_info
//                  embedding struct inode); made by read_inode, gone with the
//                  last reference, while the node stays as long as a name does
//   TmpfsSuperBlock  the nodes of one mount and its space limit
//
// Interface:
//   TmpfsFileSystemType       name "tmpfs", needs no device
//   tmpfs_file_system_type()  the one instance (not registered by itself)
//   mount options             "size=N": at most N KiB of file data (default
//                             16 MiB); writing beyond fails with ENOSPC
//                             (Linux shmem_parse_options takes "size=" in
//                             bytes with k/m/g suffixes: here KiB only)
//   statfs                    f_type TMPFS_MAGIC, 4096-byte blocks, the limit
//
// Owners come from the creator's credentials. Times come from the calendar
// clock (current_time): all three at creation; a change sets ctime, and
// mtime too when data or a directory's names changed; setattr (utimensat)
// sets them as asked. Access times are not kept up on reads.
#pragma once

#include <cstdint>

#include "fs/vfs/file_system_type.h"

constexpr uint32_t TMPFS_MAGIC = 0x01021994;  // include/uapi/linux/magic.h
constexpr uint64_t TMPFS_DEFAULT_SIZE_KIB = 16 * 1024;

class TmpfsFileSystemType final : public FileSystemType {
public:
    TmpfsFileSystemType() : FileSystemType("tmpfs", false) {}

    // `device` is nullptr. EINVAL for an unknown option or a bad size.
    Result<SuperBlock*> mount(BlockDevice* device, uint32_t flags, const char* options) override;
};

TmpfsFileSystemType& tmpfs_file_system_type();
