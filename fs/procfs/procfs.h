// fs/procfs/procfs.h -- the process file system mounted on /proc.
//
// Layer: concrete file system without a disk (Linux: fs/proc/). Nothing is
// stored: every directory is made up from the process table when it is
// listed, and every file's text is written when it is read. So `cat
// /proc/1/status` is the kernel describing process 1 at that moment, in the
// formats of Linux's proc(5), which tools such as ps parse.
//
//   /proc/self           symbolic link to the reader's own /proc/<pid>
//   /proc/mounts         "source target type options 0 0" per mount
//   /proc/filesystems    "nodev\tproc" per registered type
//   /proc/meminfo        "MemTotal:  N kB" ...
//   /proc/uptime         "seconds idle-seconds"
//   /proc/diskstats      Linux's 20 columns per block device
//   /proc/version        one line naming the kernel and its compiler
//   /proc/<pid>/         one directory per process, zombies included:
//       stat             the one-line record (52 fields, Linux's order)
//       status           "Name:\tsh" ... in Linux's field names
//       cmdline          argv, NUL-separated (empty for a zombie)
//       comm             the process name and a newline
//       exe              symbolic link to the program it runs
//
// Rules the user sees, as on Linux:
//   - Sizes are 0 (st_size cannot know the length of text not yet made);
//     read until read() returns 0. lseek SEEK_SET/SEEK_CUR work, SEEK_END
//     is EINVAL. A read at offset 0 makes the text afresh; later reads
//     continue the same text, so a reader in small pieces sees one snapshot.
//   - Read-only: opening a file for writing or truncating it, and creating
//     a file, are EACCES; mkdir, unlink, rename, links and chmod are EPERM.
//     (Linux lets root open some of these files for writing and fails the
//     write; here the open itself fails, as it does for everyone else there.)
//   - A process that ends takes its directory with it: names under it are
//     ENOENT to new lookups, and a file already open reads ESRCH.
//
// Interface:
//   ProcfsFileSystemType       name "proc", needs no device; options ignored
//   procfs_file_system_type()  the one instance (not registered by itself)
//   PROC_SUPER_MAGIC           statfs's f_type
// The numbers it shows come through procfs_sources.h.
#pragma once

#include <cstdint>

#include "fs/vfs/file_system_type.h"

constexpr uint32_t PROC_SUPER_MAGIC = 0x9fa0;  // include/uapi/linux/magic.h

class ProcfsFileSystemType final : public FileSystemType {
public:
    ProcfsFileSystemType() : FileSystemType("proc", false) {}

    // `device` is nullptr; `options` are ignored.
    Result<SuperBlock*> mount(BlockDevice* device, uint32_t flags, const char* options) override;
};

ProcfsFileSystemType& procfs_file_system_type();
