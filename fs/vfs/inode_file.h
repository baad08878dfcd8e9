// fs/vfs/inode_file.h -- the open files of regular files and directories.
//
// Layer: virtual file system. These are the File subclasses every disk file
// system gets for free (Linux: generic_file_read_iter/write_iter with
// generic_file_llseek, and generic_read_dir + iterate_shared): they turn
// read/write/lseek/getdents on an open file into the inode's read_at,
// write_at and read_directory, under the inode's lock. Inode::open_file()
// (defined in inode_file.cpp) picks one by file type, or asks the device
// table for device nodes.
//
// Interface:
//   RegularFile     read_at/write_at/truncate -> Inode; write with O_APPEND
//                   writes at the end under the inode lock, so appends by
//                   several writers never overwrite each other; seek with
//                   SEEK_END uses the inode's size
//   DirectoryFile   read_directory from the position (a cookie the file
//                   system gave as d_off); seek: SEEK_SET to any cookie,
//                   SEEK_CUR relative, SEEK_END is EINVAL; read/write EISDIR
//
// The page cache sits behind RegularFile, not in it: a disk file system's
// Inode::read_at/write_at move file data through the inode's FileMapping
// (fs/cache/page_cache.h), which reads missing pages through the file
// system's block map; RegularFile itself never sees a page.
#pragma once

#include "fs/vfs/file.h"

class RegularFile : public File {
public:
    RegularFile(Path&& path, uint32_t flags) : File(static_cast<Path&&>(path), flags) {}

    Result<size_t> write(const void* buffer, size_t size) override;
    Result<size_t> read_at(uint64_t offset, void* buffer, size_t size) override;
    Result<size_t> write_at(uint64_t offset, const void* buffer, size_t size) override;
    Result<uint64_t> seek(int64_t offset, int whence) override;
    Result<void> truncate(uint64_t size) override;
};

class DirectoryFile : public File {
public:
    DirectoryFile(Path&& path, uint32_t flags) : File(static_cast<Path&&>(path), flags) {}

    Result<size_t> read_at(uint64_t offset, void* buffer, size_t size) override;
    Result<size_t> write_at(uint64_t offset, const void* buffer, size_t size) override;
    Result<uint64_t> seek(int64_t offset, int whence) override;
    Result<void> read_directory(DirectoryEntryVisitor& visitor) override;
};
