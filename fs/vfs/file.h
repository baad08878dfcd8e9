// fs/vfs/file.h -- an open file.
//
// Layer: virtual file system. open(2) makes a File: the Path that was opened,
// the open flags, and the position that read/write/lseek move. Several file
// descriptors (dup, fork) may share one File and so its position, exactly as
// in Unix. The operations are virtual methods: the File subclass decides what
// reading means -- file data (RegularFile), directory entries
// (DirectoryFile), a driver (a device's File from the device table), a pipe
// (pipe.h). (Linux: struct file with its file_operations; the "open file table"
// is simply the set of live File objects.)
//
// Interface (file_operations):
//   read(buffer, size)             at the position, advancing it
//   write(buffer, size)            at the position (at the end with O_APPEND)
//   read_at/write_at(offset, ...)  pread/pwrite: the position is untouched;
//                                  ESPIPE for files without positions
//   seek(offset, whence)           lseek: SEEK_SET/CUR/END; EINVAL for a
//                                  negative result or an unknown whence
//   read_directory(visitor)        getdents: from the position (a directory
//                                  cookie), advancing it past what the visitor took
//   ioctl(request, argument)       ENOTTY unless the driver knows the request
//   poll(table)                    the poll events true now (fs/vfs/poll.h);
//                                  a regular file is always readable and writable
//   truncate(size)                 ftruncate; EINVAL unless a regular file
//   sync()                         fsync
//   release()                      the last reference is gone (Linux ->release)
//   kind()                         Ordinary, or which special file this is, for
//                                  the calls that work on one kind only (sockets,
//                                  epoll, timerfd: Linux compares f_op)
// The defaults: read/write go through read_at/write_at at the position, so a
// positioned file overrides only those; a stream (console, pipe) overrides
// read/write and keeps ESPIPE for the rest.
//
// Reference counting: FileRef copies count (under InterruptGuard: reaching
// zero runs release() and deletes the File, by whoever dropped it last -- no
// one else can find a File without a reference). A File holds its Path, so the
// mount stays busy and the inode alive while the file is open, even after its
// name was removed.
//
// Locking: position_lock_ (Linux f_pos_lock) guards position_ and makes each
// read/write/lseek/getdents on a shared File one step: two threads reading
// the same File never get the same bytes. Lock order: position_lock_, then the
// inode's lock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/inode.h"
#include "fs/vfs/linux_abi.h"
#include "fs/vfs/open_flags.h"
#include "fs/vfs/path.h"
#include "fs/vfs/poll.h"
#include "kernel/lib/list.h"

// The special files that some system calls need to recognise.
enum class FileKind : uint8_t { Ordinary, Socket, EventPoll, Timer };

// Someone who remembers a File without holding a reference and must forget
// it before it goes: epoll's watched files (Linux: file->f_ep and
// eventpoll_release). When the last reference is dropped, each watch is
// taken off the File and its file_closing() runs, interrupts off, before
// release(); it must not sleep or drop File references.
struct FileWatch {
    klib::ListNode node;
    void (*file_closing)(FileWatch& watch) = nullptr;
};

class File {
public:
    // Takes over `path`. `flags` are the open flags minus those that act only
    // at open time (O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_CLOEXEC).
    File(Path&& path, uint32_t flags);
    virtual ~File();
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    const Path& path() const { return path_; }
    Inode* inode() const { return path_.inode(); }
    uint32_t flags() const { return flags_; }
    bool can_read() const { return open_flags_allow_read(flags_); }
    bool can_write() const { return open_flags_allow_write(flags_); }
    bool is_append() const { return (flags_ & O_APPEND) != 0; }
    uint64_t position() const;
    // fcntl(F_SETFL): O_APPEND and O_NONBLOCK may change after open; other
    // bits are ignored, as Linux ignores the access mode and creation flags.
    void set_status_flags(uint32_t flags);

    virtual Result<size_t> read(void* buffer, size_t size);
    virtual Result<size_t> write(const void* buffer, size_t size);
    virtual Result<size_t> read_at(uint64_t offset, void* buffer, size_t size);
    virtual Result<size_t> write_at(uint64_t offset, const void* buffer, size_t size);
    virtual Result<uint64_t> seek(int64_t offset, int whence);
    virtual Result<void> read_directory(DirectoryEntryVisitor& visitor);
    virtual Result<int32_t> ioctl(uint32_t request, uintptr_t argument);
    virtual uint32_t poll(PollTable* table);
    virtual Result<void> truncate(uint64_t size);
    virtual Result<void> sync();
    // fstat: the inode's attributes; files without an inode (pipes) describe themselves.
    virtual Result<void> status(linux_abi::stat64* out);

    virtual FileKind kind() const { return FileKind::Ordinary; }

    // Watches (above). Interrupts off; a watch is on at most one File.
    void add_watch(FileWatch& watch) { watches_.push_back(watch); }
    void remove_watch(FileWatch& watch) {
        if (watch.node.is_linked()) watches_.remove(watch);
    }

    // Open files currently in memory (a debugging count).
    static size_t live_count();

protected:
    friend class FileRef;
    // The last reference is gone; the File is deleted right after.
    virtual void release() {}

    // Linux generic_file_llseek_size: the new position for (offset, whence)
    // given where the file ends. Caller holds position_lock_.
    Result<uint64_t> seek_locked(int64_t offset, int whence, uint64_t end);

    mutable Mutex position_lock_{"file position"};
    uint64_t position_ = 0;  // guarded by position_lock_

private:
    uint32_t reference_count_ = 1;  // guarded by InterruptGuard; the creator's
    klib::IntrusiveList<FileWatch, &FileWatch::node> watches_;  // guarded by InterruptGuard
    Path path_;
    uint32_t flags_;
};

// A counted reference to a File.
class FileRef {
public:
    FileRef() = default;
    // Takes over the reference a new File starts with (or one counted for us).
    static FileRef adopt(File* file) { return FileRef(file); }
    FileRef(const FileRef& other);
    FileRef(FileRef&& other) noexcept : file_(other.file_) { other.file_ = nullptr; }
    FileRef& operator=(const FileRef& other);
    FileRef& operator=(FileRef&& other) noexcept;
    ~FileRef() { reset(); }

    File* get() const { return file_; }
    File* operator->() const { return file_; }
    File& operator*() const { return *file_; }
    explicit operator bool() const { return file_ != nullptr; }
    void reset();
    uint32_t reference_count() const;

private:
    explicit FileRef(File* file) : file_(file) {}
    File* file_ = nullptr;
};

// Creates a File subclass with `new (std::nothrow)` and wraps it: ENOMEM when
// allocation fails (the Path given to the constructor is then released).
template <typename FileType, typename... Arguments>
Result<FileRef> make_file(Path&& path, uint32_t flags, Arguments&&... arguments) {
    File* file =
        new (std::nothrow) FileType(static_cast<Path&&>(path), flags, static_cast<Arguments&&>(arguments)...);
    if (file == nullptr) return Error{ENOMEM};
    return FileRef::adopt(file);
}
