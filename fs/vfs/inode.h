// fs/vfs/inode.h -- one file, as every file system presents it to the VFS.
//
// Layer: virtual file system. An Inode is the in-memory object for one file
// (regular file, directory, symbolic link, device node): its attributes and
// the operations on it. A concrete file system derives from it (Ext2Inode,
// RomfsInode) and overrides what it supports. (Linux: struct inode with its
// inode_operations; the data operations read_at/write_at stand where Linux
// has the address_space_operations behind generic_file_read_iter.)
//
// Interface:
//   attributes       number(), mode(), link_count(), uid(), gid(), size(),
//                    access/modification/change_time(), device_number() (rdev,
//                    kernel encoding, see device_table.h), block_count()
//                    (512-byte units); the file system sets the protected
//                    fields, normally in SuperBlock::read_inode
//   lookup(name)     -> InodeRef of the child; ENOENT when there is none
//   read_directory(cookie, visitor)   getdents: emits entries from `cookie` on
//   readlink         the target of a symbolic link
//   read_at/write_at/truncate         file data
//   create, mkdir, mknod, symlink, link, unlink, rmdir, rename, setattr
//                    the write side: by default they fail with EROFS on a
//                    read-only super block and ENOTSUP otherwise, so a
//                    read-only file system overrides none of them
//   open_file(path, flags)   picks the File (file_operations) for an open
//   check_permission(credentials, MAY_*)   EACCES from the mode bits
//   InodeRef         a counted reference (RAII)
//
// Reference counting and lifetime: an Inode is found and created only through
// its SuperBlock's inode cache (SuperBlock::get_inode). InodeRef copies count;
// when the last reference goes, the super block writes the inode back if it is
// dirty, calls evict_inode (which frees the file on disk when link_count() is
// 0) and deletes it. Dentries hold InodeRefs, so the dentry cache is what keeps
// recently used inodes in memory (see super_block.h for the policy).
//
// Locking: lock() is the inode's sleeping mutex (Linux i_rwsem). The VFS holds
// it around every call that reads or changes the inode's contents or its
// directory entries: lookup and read_directory of a directory, read_at,
// write_at, truncate, setattr, and all the directory-changing calls (with the
// parent directory's lock). The file system therefore needs no lock of its own
// for one inode. Attributes are written under lock(); reading mode() without it
// is fine (the type bits never change), and stat reads the rest under lock().
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/cache/page_consumer.h"
#include "fs/vfs/file_mode.h"
#include "kernel/lib/hash_table.h"
#include "kernel/platform.h"

class SuperBlock;
class Inode;
class FileRef;
class Path;

struct Timestamp {
    int64_t seconds = 0;       // since the Unix epoch
    uint32_t nanoseconds = 0;  // 0 .. 999999999
};

// Now, on the calendar clock (platform::realtime_ns): what file systems
// stamp into the times they keep (Linux: current_time()).
Timestamp current_time();

// Which attributes setattr changes (Linux: struct iattr and its ATTR_* bits).
struct AttributeChange {
    static constexpr uint32_t MODE = 1 << 0;
    static constexpr uint32_t UID = 1 << 1;
    static constexpr uint32_t GID = 1 << 2;
    static constexpr uint32_t SIZE = 1 << 3;
    static constexpr uint32_t ACCESS_TIME = 1 << 4;
    static constexpr uint32_t MODIFICATION_TIME = 1 << 5;
    static constexpr uint32_t CHANGE_TIME = 1 << 6;

    uint32_t valid = 0;  // which of the fields below to apply
    uint32_t mode = 0;   // permission bits only; the type never changes
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint64_t size = 0;
    Timestamp access_time, modification_time, change_time;
};

// A counted reference to an Inode. Copying takes another reference, which
// briefly locks the super block's inode cache: never copy or drop an InodeRef
// inside SuperBlock::read_inode, write_inode or evict_inode.
class InodeRef {
public:
    InodeRef() = default;
    // Takes over a reference that was already counted for the caller.
    static InodeRef adopt(Inode* counted) { return InodeRef(counted); }
    InodeRef(const InodeRef& other);
    InodeRef(InodeRef&& other) noexcept : inode_(other.inode_) { other.inode_ = nullptr; }
    InodeRef& operator=(const InodeRef& other);
    InodeRef& operator=(InodeRef&& other) noexcept;
    ~InodeRef() { reset(); }

    Inode* get() const { return inode_; }
    Inode* operator->() const { return inode_; }
    Inode& operator*() const { return *inode_; }
    explicit operator bool() const { return inode_ != nullptr; }
    void reset();

private:
    explicit InodeRef(Inode* counted) : inode_(counted) {}
    Inode* inode_ = nullptr;
};

// Receives directory entries (Linux: struct dir_context and its filldir actor).
// `next_cookie` is where reading resumes after this entry -- the d_off of the
// entry in getdents64. visit() returns false when it cannot take the entry
// (the user's buffer is full); the file system then stops at once, and the
// same entry is offered again by the next read from the same position.
class DirectoryEntryVisitor {
public:
    virtual bool visit(const char* name, size_t name_length, uint64_t inode_number, uint8_t type,
                       uint64_t next_cookie) = 0;

protected:
    ~DirectoryEntryVisitor() = default;
};

class Inode {
public:
    Inode(SuperBlock& super_block, uint64_t number);
    virtual ~Inode();
    Inode(const Inode&) = delete;
    Inode& operator=(const Inode&) = delete;

    SuperBlock& super_block() const { return super_block_; }
    uint64_t number() const { return number_; }
    uint32_t mode() const { return mode_; }
    uint32_t link_count() const { return link_count_; }
    uint32_t uid() const { return uid_; }
    uint32_t gid() const { return gid_; }
    uint64_t size() const { return size_; }
    Timestamp access_time() const { return access_time_; }
    Timestamp modification_time() const { return modification_time_; }
    Timestamp change_time() const { return change_time_; }
    uint32_t device_number() const { return device_number_; }
    uint64_t block_count() const { return block_count_; }

    bool is_directory() const { return ::is_directory(mode_); }
    bool is_regular_file() const { return ::is_regular_file(mode_); }
    bool is_symbolic_link() const { return ::is_symbolic_link(mode_); }

    Mutex& lock() { return lock_; }
    // Remember that the attributes changed; SuperBlock::write_inode runs at
    // sync and before the inode leaves memory.
    void mark_dirty();
    bool is_dirty() const;

    // EACCES unless the mode bits grant `may` (MAY_READ | MAY_WRITE | MAY_EXEC).
    Result<void> check_permission(const Credentials& credentials, int may) const;

    // --- inode_operations: directories. `this` is the directory; names are
    // single components (no '/', never "." or ".."), NUL-terminated, at most
    // 255 bytes. Callers hold lock() of this directory.
    virtual Result<InodeRef> lookup(const char* name);
    virtual Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor);
    virtual Result<InodeRef> create(const char* name, uint32_t mode, const Credentials& credentials);
    virtual Result<InodeRef> mkdir(const char* name, uint32_t mode, const Credentials& credentials);
    virtual Result<InodeRef> mknod(const char* name, uint32_t mode, uint32_t device_number,
                                   const Credentials& credentials);
    virtual Result<InodeRef> symlink(const char* name, const char* target, const Credentials& credentials);
    // Adds `name` for the existing `target`; the file system raises its link count.
    virtual Result<void> link(const char* name, Inode& target);
    // Removes the entry `name`, which refers to `victim` (the file system
    // lowers victim's link count; the VFS keeps victim alive while open).
    virtual Result<void> unlink(const char* name, Inode& victim);
    // As unlink, for an empty directory; ENOTEMPTY otherwise.
    virtual Result<void> rmdir(const char* name, Inode& victim);
    // Moves `old_name` (the file `moved`) from this directory to `new_name` in
    // `new_directory` (may be this one), replacing `replaced` if not nullptr.
    // The VFS has checked types (a directory replaces only an empty directory)
    // and holds both directories' locks.
    virtual Result<void> rename(const char* old_name, Inode& moved, Inode& new_directory,
                                const char* new_name, Inode* replaced);

    // --- symbolic links: copies at most `size` bytes of the target, no NUL.
    // Callers hold lock().
    virtual Result<size_t> readlink(char* buffer, size_t size);

    // --- file data. Reads past the end return 0 bytes; writes past it extend
    // the file (and leave a hole of zeros). Callers hold lock().
    virtual Result<size_t> read_at(uint64_t offset, void* buffer, size_t size);
    virtual Result<size_t> write_at(uint64_t offset, const void* buffer, size_t size);
    // As read_at, but the bytes go to `consumer` straight from cached pages
    // (page_consumer.h). ENOTSUP (the default) for a file without a page
    // cache: the caller then reads into a buffer. Callers hold lock().
    virtual Result<size_t> read_pages(uint64_t offset, size_t size, PageConsumer& consumer);
    virtual Result<void> truncate(uint64_t size);
    virtual Result<void> setattr(const AttributeChange& change);
    // fsync/fdatasync: the file's cached data reach the disk (Linux:
    // filemap_write_and_wait). Callers hold lock(). Default: nothing cached.
    virtual Result<void> sync_data() { return {}; }

    // --- file_operations: the open file for this inode. The default gives
    // regular files and directories the generic files of inode_file.h and
    // device nodes the driver's file from the device table; a file system with
    // special files (procfs, pipes) overrides it. Takes over `path`.
    virtual Result<FileRef> open_file(Path&& path, uint32_t flags);

    // Inodes currently in memory, in all super blocks (a debugging count).
    static size_t live_count();

protected:
    // The error for a write-side operation this file system does not provide.
    Error write_not_supported() const;

    // Attributes, set by the file system (read_inode, create, write_at ...).
    uint32_t mode_ = 0;
    uint32_t link_count_ = 0;
    uint32_t uid_ = 0;
    uint32_t gid_ = 0;
    uint64_t size_ = 0;
    Timestamp access_time_, modification_time_, change_time_;
    uint32_t device_number_ = 0;
    uint64_t block_count_ = 0;

private:
    friend class SuperBlock;
    friend class InodeRef;
    friend struct InodeHashTraits;

    SuperBlock& super_block_;
    const uint64_t number_;
    Mutex lock_{"inode"};
    // Both guarded by the super block's inode-cache lock.
    uint32_t reference_count_ = 0;
    bool dirty_ = false;
    klib::HashNode hash_node_;  // in the super block's inode hash
};

// Emits "." (cookie 0) and ".." (cookie 1) for file systems that do not store
// them. Returns false if the visitor stopped. A directory's own entries then
// start at cookie 2.
bool emit_dot_entries(uint64_t& cookie, uint64_t self_number, uint64_t parent_number,
                      DirectoryEntryVisitor& visitor);
