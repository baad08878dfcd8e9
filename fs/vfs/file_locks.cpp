// fs/vfs/file_locks.cpp -- flock(2)'s locks. See file_locks.h.
#include "fs/vfs/file_locks.h"

#include "fs/vfs/file.h"
#include "kernel/platform.h"

namespace {

struct FileLock {
    const void* target;  // the Inode locked (or the File itself, for a file without one)
    const File* holder;
    FileLockKind kind;
    FileLock* next;
};

// Guarded by InterruptGuard.
FileLock* locks = nullptr;
WaitQueue unlocked;

const void* target_of(const File& file) {
    return file.inode() != nullptr ? static_cast<const void*>(file.inode()) : static_cast<const void*>(&file);
}

bool conflicts(const void* target, const File& file, FileLockKind kind) {
    for (FileLock* lock = locks; lock != nullptr; lock = lock->next) {
        if (lock->target != target || lock->holder == &file) continue;
        if (kind == FileLockKind::Exclusive || lock->kind == FileLockKind::Exclusive) return true;
    }
    return false;
}

FileLock* lock_of(const File& file) {
    for (FileLock* lock = locks; lock != nullptr; lock = lock->next)
        if (lock->holder == &file) return lock;
    return nullptr;
}

// Takes `lock` off the list. Interrupts off.
void unlink_lock(FileLock* lock) {
    for (FileLock** link = &locks; *link != nullptr; link = &(*link)->next) {
        if (*link == lock) {
            *link = lock->next;
            return;
        }
    }
}

}  // namespace

Result<void> file_lock(File& file, FileLockKind kind, bool wait) {
    auto* fresh = new (std::nothrow) FileLock{target_of(file), &file, kind, nullptr};
    if (fresh == nullptr) return Error{ENOLCK};
    InterruptGuard atomic;
    if (FileLock* held = lock_of(file)) {
        if (held->kind == kind) {
            delete fresh;
            return {};
        }
        unlink_lock(held);  // a conversion drops the old lock first, as Linux
        delete held;
        unlocked.wake_all();
    }
    while (conflicts(fresh->target, file, kind)) {
        if (!wait || WaitQueue::signal_pending()) {
            delete fresh;
            return Error{wait ? EINTR : EWOULDBLOCK};
        }
        unlocked.sleep();
    }
    fresh->next = locks;
    locks = fresh;
    return {};
}

void file_unlock(File& file) {
    InterruptGuard atomic;
    FileLock* held = lock_of(file);
    if (held == nullptr) return;
    unlink_lock(held);
    delete held;
    unlocked.wake_all();
}
