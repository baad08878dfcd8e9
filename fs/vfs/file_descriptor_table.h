// fs/vfs/file_descriptor_table.h -- a process's numbers for its open files.
//
// Layer: virtual file system, just below the system calls. A file descriptor
// is an index into this table; each slot holds a reference to a File and the
// descriptor's one flag, close-on-exec. Two descriptors may refer to one File
// (dup, or inherited through fork) and then share its position. (Linux:
// struct files_struct and struct fdtable; alloc_fd, fd_install, close_fd,
// dup2, do_close_on_exec, dup_fd.)
//
// Interface (errors are Linux's):
//   allocate(file, close_on_exec)   the lowest free descriptor; EMFILE when
//                                   all below limit() are in use
//   set_limit(count) / limit()      RLIMIT_NOFILE: descriptors from `count`
//                                   up are not handed out (at most
//                                   MAX_DESCRIPTORS; those open stay open)
//   get(fd)                         a reference to the File; EBADF
//   close(fd)                       EBADF; the File is released when its
//                                   last descriptor closes
//   dup(fd)                         lowest free descriptor, same File,
//                                   close-on-exec cleared
//   dup_at_least(fd, minimum, close_on_exec)   fcntl F_DUPFD(_CLOEXEC)
//   dup2(fd, target)                target closed first if open; fd == target
//                                   only checks fd; EBADF for a target at or
//                                   above limit()
//   close_on_exec(fd) / set_close_on_exec(fd, on)   fcntl F_GETFD/F_SETFD
//   close_all_marked_close_on_exec()   execve
//   clone()                         fork: a new table sharing every File
//   close_all()                     exit
//   open_count()
//
// Locking: lock_ guards the slots. Files are released only after the lock is
// dropped (release() of a device or a file system may sleep), and get()
// hands out a reference of its own, so a concurrent close cannot free a File
// another thread is reading.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/file.h"

class FileDescriptorTable {
public:
    static constexpr int MAX_DESCRIPTORS = 256;

    FileDescriptorTable() = default;
    ~FileDescriptorTable() { close_all(); }
    FileDescriptorTable(const FileDescriptorTable&) = delete;
    FileDescriptorTable& operator=(const FileDescriptorTable&) = delete;

    Result<int> allocate(FileRef file, bool close_on_exec);
    Result<FileRef> get(int fd) const;
    Result<void> close(int fd);
    Result<int> dup(int fd);
    Result<int> dup_at_least(int fd, int minimum, bool close_on_exec);
    Result<int> dup2(int fd, int target, bool close_on_exec = false);  // dup3 sets it
    Result<bool> close_on_exec(int fd) const;
    Result<void> set_close_on_exec(int fd, bool close_on_exec);
    void close_all_marked_close_on_exec();
    Result<FileDescriptorTable*> clone() const;
    void close_all();
    size_t open_count() const;
    void set_limit(uint64_t count);
    int limit() const;

private:
    struct Slot {
        FileRef file;
        bool close_on_exec = false;
    };

    static bool in_range(int fd) { return fd >= 0 && fd < MAX_DESCRIPTORS; }
    int lowest_free_locked(int minimum) const;

    mutable Mutex lock_{"file descriptors"};
    Slot slots_[MAX_DESCRIPTORS];
    int limit_ = MAX_DESCRIPTORS;  // guarded by lock_
};
