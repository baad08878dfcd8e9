// fs/vfs/inode.cpp -- the generic half of every inode.
//
// Layer: virtual file system. See inode.h. Here: InodeRef's counting (which
// goes through the super block's inode cache), permission checks, and the
// default operations -- "not a directory" for the directory operations,
// "read-only / not supported" for the write side, "invalid" for readlink of
// something that is not a symbolic link (as Linux's readlink(2) answers).
#include "fs/vfs/inode.h"

#include "fs/vfs/super_block.h"

namespace {
size_t inodes_alive = 0;  // guarded by InterruptGuard
}  // namespace

// --- InodeRef ----------------------------------------------------------------

InodeRef::InodeRef(const InodeRef& other) : inode_(other.inode_) {
    if (inode_) inode_->super_block().acquire_inode(*inode_);
}

InodeRef& InodeRef::operator=(const InodeRef& other) {
    if (this != &other) {
        InodeRef copy(other);
        *this = static_cast<InodeRef&&>(copy);
    }
    return *this;
}

InodeRef& InodeRef::operator=(InodeRef&& other) noexcept {
    if (this != &other) {
        reset();
        inode_ = other.inode_;
        other.inode_ = nullptr;
    }
    return *this;
}

void InodeRef::reset() {
    Inode* inode = inode_;
    inode_ = nullptr;
    if (inode) inode->super_block().release_inode(*inode);
}

// --- Inode -----------------------------------------------------------------------

Inode::Inode(SuperBlock& super_block, uint64_t number) : super_block_(super_block), number_(number) {
    InterruptGuard atomic;
    ++inodes_alive;
}

Inode::~Inode() {
    InterruptGuard atomic;
    --inodes_alive;
}

size_t Inode::live_count() {
    InterruptGuard atomic;
    return inodes_alive;
}

void Inode::mark_dirty() {
    MutexLocker locker(super_block_.inode_cache_lock_);
    dirty_ = true;
}

bool Inode::is_dirty() const {
    MutexLocker locker(super_block_.inode_cache_lock_);
    return dirty_;
}

Result<void> Inode::check_permission(const Credentials& credentials, int may) const {
    if (!mode_permits(mode_, uid_, gid_, credentials, may)) return Error{EACCES};
    return {};
}

Error Inode::write_not_supported() const {
    return Error{super_block_.is_read_only() ? EROFS : ENOTSUP};
}

// --- default operations -------------------------------------------------------------
// Directory operations on a non-directory are ENOTDIR; a directory whose file
// system forgot to override lookup would be a bug, reported the same way.

Result<InodeRef> Inode::lookup(const char* /*name*/) { return Error{ENOTDIR}; }

Result<void> Inode::read_directory(uint64_t /*cookie*/, DirectoryEntryVisitor& /*visitor*/) {
    return Error{ENOTDIR};
}

Result<InodeRef> Inode::create(const char* /*name*/, uint32_t /*mode*/, const Credentials& /*credentials*/) {
    return write_not_supported();
}

Result<InodeRef> Inode::mkdir(const char* /*name*/, uint32_t /*mode*/, const Credentials& /*credentials*/) {
    return write_not_supported();
}

Result<InodeRef> Inode::mknod(const char* /*name*/, uint32_t /*mode*/, uint32_t /*device_number*/,
                              const Credentials& /*credentials*/) {
    return write_not_supported();
}

Result<InodeRef> Inode::symlink(const char* /*name*/, const char* /*target*/,
                                const Credentials& /*credentials*/) {
    return write_not_supported();
}

Result<void> Inode::link(const char* /*name*/, Inode& /*target*/) { return write_not_supported(); }

Result<void> Inode::unlink(const char* /*name*/, Inode& /*victim*/) { return write_not_supported(); }

Result<void> Inode::rmdir(const char* /*name*/, Inode& /*victim*/) { return write_not_supported(); }

Result<void> Inode::rename(const char* /*old_name*/, Inode& /*moved*/, Inode& /*new_directory*/,
                           const char* /*new_name*/, Inode* /*replaced*/) {
    return write_not_supported();
}

Result<size_t> Inode::readlink(char* /*buffer*/, size_t /*size*/) { return Error{EINVAL}; }

Result<size_t> Inode::read_at(uint64_t /*offset*/, void* /*buffer*/, size_t /*size*/) {
    return Error{is_directory() ? EISDIR : EINVAL};
}

Result<size_t> Inode::write_at(uint64_t /*offset*/, const void* /*buffer*/, size_t /*size*/) {
    if (is_directory()) return Error{EISDIR};
    return write_not_supported();
}

Result<void> Inode::truncate(uint64_t /*size*/) {
    if (is_directory()) return Error{EISDIR};
    return write_not_supported();
}

Timestamp current_time() {
    int64_t now = platform::realtime_ns();
    return Timestamp{now / 1000000000, uint32_t(now % 1000000000)};
}

Result<void> Inode::setattr(const AttributeChange& /*change*/) { return write_not_supported(); }

// open_file() is defined in inode_file.cpp, next to the files it creates.

bool emit_dot_entries(uint64_t& cookie, uint64_t self_number, uint64_t parent_number,
                      DirectoryEntryVisitor& visitor) {
    if (cookie == 0) {
        if (!visitor.visit(".", 1, self_number, DT_DIR, 1)) return false;
        cookie = 1;
    }
    if (cookie == 1) {
        if (!visitor.visit("..", 2, parent_number, DT_DIR, 2)) return false;
        cookie = 2;
    }
    return true;
}

Result<size_t> Inode::read_pages(uint64_t, size_t, PageConsumer&) { return Error{ENOTSUP}; }
