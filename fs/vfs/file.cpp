// fs/vfs/file.cpp -- the generic half of every open file.
//
// Layer: virtual file system. See file.h. Here: the reference counting, the
// bookkeeping that keeps a mount busy while files on it are open, the default
// operations, and lseek's arithmetic shared by every seekable file.
#include "fs/vfs/file.h"

#include "fs/vfs/file_locks.h"
#include "fs/vfs/vfs.h"

namespace {
size_t files_alive = 0;  // guarded by InterruptGuard
}  // namespace

void File::set_status_flags(uint32_t flags) {
    constexpr uint32_t CHANGEABLE = O_APPEND | O_NONBLOCK;
    flags_ = (flags_ & ~CHANGEABLE) | (flags & CHANGEABLE);  // one aligned store: readers see old or new
}

Result<void> File::status(linux_abi::stat64* out) {
    if (inode() == nullptr) return Error{EBADF};
    vfs_fill_stat64(*inode(), out);
    return {};
}

File::File(Path&& path, uint32_t flags)
    : path_(static_cast<Path&&>(path)), flags_(flags & ~OPEN_TIME_ONLY_FLAGS) {
    if (path_.mount()) path_.mount()->note_file_opened((flags_ & O_ACCMODE) != O_RDONLY);
    InterruptGuard atomic;
    ++files_alive;
}

File::~File() {
    file_unlock(*this);  // flock's lock ends with the last reference (file_locks.h)
    if (path_.mount()) path_.mount()->note_file_closed((flags_ & O_ACCMODE) != O_RDONLY);
    InterruptGuard atomic;
    --files_alive;
}

size_t File::live_count() {
    InterruptGuard atomic;
    return files_alive;
}

uint64_t File::position() const {
    MutexLocker locker(position_lock_);
    return position_;
}

Result<size_t> File::read(void* buffer, size_t size) {
    MutexLocker locker(position_lock_);
    size_t done = TRY(read_at(position_, buffer, size));
    position_ += done;
    return done;
}

Result<size_t> File::write(const void* buffer, size_t size) {
    MutexLocker locker(position_lock_);
    size_t done = TRY(write_at(position_, buffer, size));
    position_ += done;
    return done;
}

Result<size_t> File::read_at(uint64_t /*offset*/, void* /*buffer*/, size_t /*size*/) { return Error{ESPIPE}; }

Result<size_t> File::write_at(uint64_t /*offset*/, const void* /*buffer*/, size_t /*size*/) {
    return Error{ESPIPE};
}

Result<uint64_t> File::seek(int64_t /*offset*/, int /*whence*/) { return Error{ESPIPE}; }

Result<void> File::read_directory(DirectoryEntryVisitor& /*visitor*/) { return Error{ENOTDIR}; }

Result<int32_t> File::ioctl(uint32_t /*request*/, uintptr_t /*argument*/) { return Error{ENOTTY}; }

// A file on a disk never makes its reader wait for data to arrive: like
// Linux's DEFAULT_POLLMASK, readable and writable whatever the open mode
// (the read or write itself then says EBADF).
uint32_t File::poll(PollTable* /*table*/) {
    using namespace poll_events;
    return IN | READ_NORMAL | OUT | WRITE_NORMAL;
}

Result<void> File::truncate(uint64_t /*size*/) { return Error{EINVAL}; }

Result<void> File::sync() { return {}; }

Result<uint64_t> File::seek_locked(int64_t offset, int whence, uint64_t end) {
    int64_t base;
    switch (whence) {
        case SEEK_SET: base = 0; break;
        case SEEK_CUR: base = static_cast<int64_t>(position_); break;
        case SEEK_END: base = static_cast<int64_t>(end); break;
        default: return Error{EINVAL};
    }
    int64_t target;
    if (__builtin_add_overflow(base, offset, &target)) return Error{EOVERFLOW};
    if (target < 0) return Error{EINVAL};
    position_ = static_cast<uint64_t>(target);
    return position_;
}

// --- FileRef --------------------------------------------------------------------

FileRef::FileRef(const FileRef& other) : file_(other.file_) {
    if (file_) {
        InterruptGuard atomic;
        ++file_->reference_count_;
    }
}

FileRef& FileRef::operator=(const FileRef& other) {
    if (this != &other) *this = FileRef(other);
    return *this;
}

FileRef& FileRef::operator=(FileRef&& other) noexcept {
    if (this != &other) {
        reset();
        file_ = other.file_;
        other.file_ = nullptr;
    }
    return *this;
}

void FileRef::reset() {
    File* file = file_;
    file_ = nullptr;
    if (file == nullptr) return;
    bool last;
    {
        InterruptGuard atomic;
        KASSERT(file->reference_count_ > 0);
        last = --file->reference_count_ == 0;
        if (last) {
            while (FileWatch* watch = file->watches_.front()) {
                file->watches_.remove(*watch);
                watch->file_closing(*watch);
            }
        }
    }
    if (!last) return;
    file->release();
    delete file;
}

uint32_t FileRef::reference_count() const {
    if (file_ == nullptr) return 0;
    InterruptGuard atomic;
    return file_->reference_count_;
}
