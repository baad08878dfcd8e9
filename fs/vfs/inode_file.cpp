// fs/vfs/inode_file.cpp -- regular files and directories, opened.
//
// Layer: virtual file system. See inode_file.h. Each operation takes the
// position lock (when it uses the position) and then the inode's lock, in
// that order, and calls the file system's Inode method.
#include "fs/vfs/inode_file.h"

#include "fs/vfs/device_table.h"

namespace {

// Advances the directory position past each entry the caller's visitor
// accepts, so the next getdents continues after the last entry returned.
class PositionTrackingVisitor final : public DirectoryEntryVisitor {
public:
    PositionTrackingVisitor(DirectoryEntryVisitor& inner, uint64_t& position)
        : inner_(inner), position_(position) {}

    bool visit(const char* name, size_t name_length, uint64_t inode_number, uint8_t type,
               uint64_t next_cookie) override {
        if (!inner_.visit(name, name_length, inode_number, type, next_cookie)) return false;
        position_ = next_cookie;
        return true;
    }

private:
    DirectoryEntryVisitor& inner_;
    uint64_t& position_;
};

}  // namespace

// --- RegularFile -------------------------------------------------------------------

Result<size_t> RegularFile::read_at(uint64_t offset, void* buffer, size_t size) {
    MutexLocker locker(inode()->lock());
    return inode()->read_at(offset, buffer, size);
}

Result<size_t> RegularFile::write_at(uint64_t offset, const void* buffer, size_t size) {
    if (offset + size < offset) return Error{EFBIG};
    MutexLocker locker(inode()->lock());
    return inode()->write_at(offset, buffer, size);
}

Result<size_t> RegularFile::write(const void* buffer, size_t size) {
    MutexLocker position_locker(position_lock_);
    MutexLocker inode_locker(inode()->lock());
    // With O_APPEND the end is read under the same lock as the write, so no
    // other writer can slip in between.
    uint64_t offset = is_append() ? inode()->size() : position_;
    if (offset + size < offset) return Error{EFBIG};
    size_t done = TRY(inode()->write_at(offset, buffer, size));
    position_ = offset + done;
    return done;
}

Result<uint64_t> RegularFile::seek(int64_t offset, int whence) {
    MutexLocker position_locker(position_lock_);
    uint64_t end;
    {
        MutexLocker inode_locker(inode()->lock());
        end = inode()->size();
    }
    return seek_locked(offset, whence, end);
}

Result<void> RegularFile::truncate(uint64_t size) {
    MutexLocker locker(inode()->lock());
    return inode()->truncate(size);
}

// --- DirectoryFile -------------------------------------------------------------------

Result<size_t> DirectoryFile::read_at(uint64_t /*offset*/, void* /*buffer*/, size_t /*size*/) {
    return Error{EISDIR};
}

Result<size_t> DirectoryFile::write_at(uint64_t /*offset*/, const void* /*buffer*/, size_t /*size*/) {
    return Error{EISDIR};
}

Result<uint64_t> DirectoryFile::seek(int64_t offset, int whence) {
    // A directory position is a cookie, not a byte count: there is no end
    // to seek from.
    if (whence == SEEK_END) return Error{EINVAL};
    MutexLocker position_locker(position_lock_);
    return seek_locked(offset, whence, 0);
}

Result<void> DirectoryFile::read_directory(DirectoryEntryVisitor& visitor) {
    MutexLocker position_locker(position_lock_);
    PositionTrackingVisitor tracking(visitor, position_);
    MutexLocker inode_locker(inode()->lock());
    return inode()->read_directory(position_, tracking);
}

// --- Inode::open_file: which File an inode gets --------------------------------------

Result<FileRef> Inode::open_file(Path&& path, uint32_t flags) {
    switch (file_type_of(mode_)) {
        case S_IFREG: return make_file<RegularFile>(static_cast<Path&&>(path), flags);
        case S_IFDIR: return make_file<DirectoryFile>(static_cast<Path&&>(path), flags);
        case S_IFCHR:
            return open_device_file(DeviceKind::Character, device_number_, static_cast<Path&&>(path), flags);
        case S_IFBLK:
            return open_device_file(DeviceKind::Block, device_number_, static_cast<Path&&>(path), flags);
        case S_IFLNK: return Error{ELOOP};  // lookup follows links; one left here is O_NOFOLLOW's
        default: return Error{ENXIO};       // FIFOs and sockets are not there yet
    }
}
