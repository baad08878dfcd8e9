// kernel/syscall/syscall_support.h -- what every system-call file needs.
//
// Layer: system calls. The calling process, a descriptor's open file, a
// path name copied in from user space, and the start directory of the
// *at() calls -- the plumbing between raw argument words and the VFS.
// Must stay true: these run in a process's thread (current_process() is
// never null inside a system call).
#pragma once

#include <cstdint>

#include "fs/vfs/file.h"
#include "fs/vfs/path_lookup.h"
#include "kernel/lib/errno.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"

// The dirfd value meaning "relative to the working directory".
constexpr uint32_t AT_FDCWD_VALUE = uint32_t(-100);

inline Process& self() { return *current_process(); }

inline Result<FileRef> file_of(uint32_t fd) { return self().files->get(int(fd)); }

// The directory a *at() call's relative names start from.
inline Result<Path> start_directory(uint32_t dirfd) {
    if (dirfd == AT_FDCWD_VALUE) return self().working_directory;
    FileRef directory = TRY(file_of(dirfd));
    return directory->path();
}

// The old i386 calls take 16-bit user and group ids, where 0xFFFF is -1
// ("leave this id").
inline uint32_t widen_old_id(uint32_t id) { return (id & 0xFFFF) == 0xFFFF ? uint32_t(-1) : id & 0xFFFF; }

// A path name from user space, in a kernel buffer of its own (one name
// per UserPath).
class UserPath {
public:
    UserPath() = default;
    UserPath(const UserPath&) = delete;
    UserPath& operator=(const UserPath&) = delete;
    ~UserPath() { kfree(text_); }

    Result<const char*> copy(uint32_t user_address) {
        if (!text_) text_ = static_cast<char*>(kmalloc(MAX_PATH_LENGTH));
        if (!text_) return Error(ENOMEM);
        TRY(copy_string_from_user(text_, user_address, MAX_PATH_LENGTH));
        return static_cast<const char*>(text_);
    }

private:
    char* text_ = nullptr;
};
