// fs/vfs/file_descriptor_table.cpp -- allocating, duplicating and closing
// file descriptors.
//
// Layer: virtual file system. See file_descriptor_table.h. One pattern
// repeats: a File leaving a slot is moved into a local FileRef declared
// *before* the MutexLocker, so it is released after the lock is dropped.
#include "fs/vfs/file_descriptor_table.h"

int FileDescriptorTable::lowest_free_locked(int minimum) const {
    for (int fd = minimum; fd < limit_; ++fd)
        if (!slots_[fd].file) return fd;
    return -1;
}

Result<int> FileDescriptorTable::allocate(FileRef file, bool close_on_exec) {
    if (!file) return Error{EBADF};
    MutexLocker locker(lock_);
    int fd = lowest_free_locked(0);
    if (fd < 0) return Error{EMFILE};
    slots_[fd].file = static_cast<FileRef&&>(file);
    slots_[fd].close_on_exec = close_on_exec;
    return fd;
}

Result<FileRef> FileDescriptorTable::get(int fd) const {
    if (!in_range(fd)) return Error{EBADF};
    MutexLocker locker(lock_);
    if (!slots_[fd].file) return Error{EBADF};
    return FileRef(slots_[fd].file);
}

Result<void> FileDescriptorTable::close(int fd) {
    if (!in_range(fd)) return Error{EBADF};
    FileRef closing;
    MutexLocker locker(lock_);
    if (!slots_[fd].file) return Error{EBADF};
    closing = static_cast<FileRef&&>(slots_[fd].file);
    slots_[fd].close_on_exec = false;
    return {};
}

Result<int> FileDescriptorTable::dup(int fd) { return dup_at_least(fd, 0, false); }

Result<int> FileDescriptorTable::dup_at_least(int fd, int minimum, bool close_on_exec) {
    if (!in_range(fd)) return Error{EBADF};
    if (minimum < 0 || minimum >= MAX_DESCRIPTORS) return Error{EINVAL};
    MutexLocker locker(lock_);
    if (minimum >= limit_) return Error{EINVAL};  // Linux: F_DUPFD at or above RLIMIT_NOFILE
    if (!slots_[fd].file) return Error{EBADF};
    int copy = lowest_free_locked(minimum);
    if (copy < 0) return Error{EMFILE};
    slots_[copy].file = slots_[fd].file;
    slots_[copy].close_on_exec = close_on_exec;
    return copy;
}

Result<int> FileDescriptorTable::dup2(int fd, int target, bool close_on_exec) {
    if (!in_range(fd) || !in_range(target)) return Error{EBADF};
    FileRef replaced;
    MutexLocker locker(lock_);
    if (!slots_[fd].file || target >= limit_) return Error{EBADF};
    if (fd == target) return target;  // POSIX: nothing to do, not even clear close-on-exec
    replaced = static_cast<FileRef&&>(slots_[target].file);
    slots_[target].file = slots_[fd].file;
    slots_[target].close_on_exec = close_on_exec;
    return target;
}

Result<bool> FileDescriptorTable::close_on_exec(int fd) const {
    if (!in_range(fd)) return Error{EBADF};
    MutexLocker locker(lock_);
    if (!slots_[fd].file) return Error{EBADF};
    return slots_[fd].close_on_exec;
}

Result<void> FileDescriptorTable::set_close_on_exec(int fd, bool close_on_exec) {
    if (!in_range(fd)) return Error{EBADF};
    MutexLocker locker(lock_);
    if (!slots_[fd].file) return Error{EBADF};
    slots_[fd].close_on_exec = close_on_exec;
    return {};
}

void FileDescriptorTable::close_all_marked_close_on_exec() {
    for (int fd = 0; fd < MAX_DESCRIPTORS; ++fd) {
        FileRef closing;
        MutexLocker locker(lock_);
        if (slots_[fd].file && slots_[fd].close_on_exec) {
            closing = static_cast<FileRef&&>(slots_[fd].file);
            slots_[fd].close_on_exec = false;
        }
    }
}

Result<FileDescriptorTable*> FileDescriptorTable::clone() const {
    FileDescriptorTable* copy = new (std::nothrow) FileDescriptorTable;
    if (copy == nullptr) return Error{ENOMEM};
    MutexLocker locker(lock_);
    copy->limit_ = limit_;
    for (int fd = 0; fd < MAX_DESCRIPTORS; ++fd) {
        copy->slots_[fd].file = slots_[fd].file;
        copy->slots_[fd].close_on_exec = slots_[fd].close_on_exec;
    }
    return copy;
}

void FileDescriptorTable::close_all() {
    for (int fd = 0; fd < MAX_DESCRIPTORS; ++fd) {
        FileRef closing;
        MutexLocker locker(lock_);
        closing = static_cast<FileRef&&>(slots_[fd].file);
        slots_[fd].close_on_exec = false;
    }
}

size_t FileDescriptorTable::open_count() const {
    MutexLocker locker(lock_);
    size_t count = 0;
    for (const Slot& slot : slots_)
        if (slot.file) ++count;
    return count;
}

void FileDescriptorTable::set_limit(uint64_t count) {
    MutexLocker locker(lock_);
    limit_ = count < uint64_t(MAX_DESCRIPTORS) ? int(count) : MAX_DESCRIPTORS;
}

int FileDescriptorTable::limit() const {
    MutexLocker locker(lock_);
    return limit_;
}
