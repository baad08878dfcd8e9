// fs/vfs/vfs.cpp -- open, read, write, seek, getdents64, stat and friends.
//
// Layer: virtual file system, its top. See vfs.h. Each call here checks what
// Linux checks before the file system is asked (access mode, permission bits,
// read-only mounts, argument ranges), then hands over to the File or Inode
// operations; the directory-changing calls are in vfs_directory_operations.cpp.
#include "fs/vfs/vfs.h"

#include "fs/vfs/dentry_cache.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/path_lookup.h"
#include "fs/vfs/super_block.h"
#include "kernel/lib/string.h"

namespace {

// Linux sb_permission(): a read-only mount refuses writing only where the
// file system itself would be written -- regular files, directories, links.
// A device node stays writable (/dev/null on a read-only root); its driver decides.
bool write_needs_writable_mount(const Path& path) {
    Inode& inode = *path.inode();
    return inode.is_regular_file() || inode.is_directory() || inode.is_symbolic_link();
}

// Linux may_open(): what opening `path` with `flags` needs.
Result<void> may_open(const Path& path, uint32_t flags, const Credentials& credentials) {
    Inode& inode = *path.inode();
    int may = 0;
    if (open_flags_allow_read(flags)) may |= MAY_READ;
    if (open_flags_allow_write(flags) || (flags & O_TRUNC)) may |= MAY_WRITE;
    if (inode.is_symbolic_link()) return Error{ELOOP};
    if (inode.is_directory() && (may & MAY_WRITE)) return Error{EISDIR};
    if ((may & MAY_WRITE) && write_needs_writable_mount(path) && path.mount()->is_read_only())
        return Error{EROFS};
    if (is_device(inode.mode()) && (path.mount()->flags() & MS_NODEV)) return Error{EACCES};
    return inode.check_permission(credentials, may);
}

// O_CREAT: find or create the last component with its directory locked, so
// two creators of one name cannot both succeed with O_EXCL. Sets `created`.
Result<Path> open_or_create(const Path& cwd, const char* name, uint32_t flags, uint32_t mode,
                            const Credentials& credentials, bool& created) {
    ParentLookup parent;
    TRY(path_walk_parent(cwd, name, credentials, parent));
    if (parent.kind != LastComponent::Normal || parent.trailing_slash) return Error{EISDIR};
    Inode& directory = *parent.directory.inode();
    Dentry& directory_dentry = *parent.directory.dentry();
    DentryRef child;
    {
        MutexLocker directory_locker(directory.lock());
        DentryCache& cache = directory_dentry.cache();
        child = TRY(cache.lookup_locked(directory_dentry, parent.last, parent.last_length));
        if (child->is_negative()) {
            if (directory.link_count() == 0) return Error{ENOENT};  // a removed directory
            if (parent.directory.mount()->is_read_only()) return Error{EROFS};
            TRY(directory.check_permission(credentials, MAY_WRITE | MAY_EXEC));
            uint32_t file_mode = S_IFREG | (mode & MODE_PERMISSION_BITS);
            InodeRef inode = TRY(directory.create(parent.last, file_mode, credentials));
            cache.instantiate(*child, static_cast<InodeRef&&>(inode));
            created = true;
        } else if (flags & O_EXCL) {
            return Error{EEXIST};
        }
    }
    Path result(parent.directory.mount_ref(), static_cast<DentryRef&&>(child));
    if (created) return result;
    if (result.inode()->is_symbolic_link()) {
        // An existing link is followed as open without O_CREAT would (a
        // dangling one is ENOENT here; Linux would create its target).
        if (flags & O_NOFOLLOW) return Error{ELOOP};
        return path_walk(cwd, name, LOOKUP_FOLLOW, credentials);
    }
    result.mount()->mount_namespace().follow_mounts_down(result);
    return result;
}

// Writes linux_dirent64 records into the caller's buffer (Linux: filldir64).
class Dirent64Writer final : public DirectoryEntryVisitor {
public:
    Dirent64Writer(void* buffer, size_t size) : buffer_(static_cast<uint8_t*>(buffer)), size_(size) {}

    bool visit(const char* name, size_t name_length, uint64_t inode_number, uint8_t type,
               uint64_t next_cookie) override {
        size_t record_length = linux_abi::dirent64_record_length(name_length);
        if (record_length > size_ - written_) {
            refused_ = true;
            return false;
        }
        uint8_t* record = buffer_ + written_;
        int64_t offset = static_cast<int64_t>(next_cookie);
        uint16_t reclen = static_cast<uint16_t>(record_length);
        // memcpy, not a struct pointer: the user's buffer need not be aligned.
        klib::memcpy(record + offsetof(linux_abi::linux_dirent64, d_ino), &inode_number, 8);
        klib::memcpy(record + offsetof(linux_abi::linux_dirent64, d_off), &offset, 8);
        klib::memcpy(record + offsetof(linux_abi::linux_dirent64, d_reclen), &reclen, 2);
        record[offsetof(linux_abi::linux_dirent64, d_type)] = type;
        size_t name_offset = linux_abi::DIRENT64_HEADER_SIZE;
        klib::memcpy(record + name_offset, name, name_length);
        klib::memset(record + name_offset + name_length, 0, record_length - name_offset - name_length);
        written_ += record_length;
        return true;
    }

    size_t written() const { return written_; }
    bool refused() const { return refused_; }

private:
    uint8_t* buffer_;
    size_t size_;
    size_t written_ = 0;
    bool refused_ = false;
};

uint32_t user_device_number(uint32_t device_number) {
    return linux_abi::encode_device(device_major(device_number), device_minor(device_number));
}

}  // namespace

Result<FileRef> vfs_open(const Path& cwd, const char* name, uint32_t flags, uint32_t mode,
                         const Credentials& credentials) {
    if (!open_flags_are_valid(flags)) return Error{EINVAL};
    if ((flags & O_CREAT) && (flags & O_DIRECTORY)) return Error{EINVAL};  // as Linux 6.4+
    bool created = false;
    Path target;
    if (flags & O_CREAT) {
        target = TRY(open_or_create(cwd, name, flags, mode, credentials, created));
    } else {
        uint32_t lookup_flags = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
        if (flags & O_DIRECTORY) lookup_flags |= LOOKUP_DIRECTORY;
        target = TRY(path_walk(cwd, name, lookup_flags, credentials));
    }
    Inode& inode = *target.inode();
    if ((flags & O_DIRECTORY) && !inode.is_directory()) return Error{ENOTDIR};
    // A file just created may be opened whatever its mode says (Linux does
    // the same: open("x", O_CREAT | O_WRONLY, 0444) succeeds once).
    if (!created) TRY(may_open(target, flags, credentials));
    bool truncate = (flags & O_TRUNC) && inode.is_regular_file() && !created;
    FileRef file = TRY(inode.open_file(static_cast<Path&&>(target), flags));
    if (truncate) TRY(file->truncate(0));
    return file;
}

Result<size_t> vfs_read(File& file, void* buffer, size_t size) {
    if (!file.can_read()) return Error{EBADF};
    return file.read(buffer, size);
}

Result<size_t> vfs_write(File& file, const void* buffer, size_t size) {
    if (!file.can_write()) return Error{EBADF};
    return file.write(buffer, size);
}

Result<size_t> vfs_pread(File& file, void* buffer, size_t size, int64_t offset) {
    if (!file.can_read()) return Error{EBADF};
    if (offset < 0) return Error{EINVAL};
    return file.read_at(static_cast<uint64_t>(offset), buffer, size);
}

namespace {

// Writes each page's bytes to a file as they come.
class WriteToFile final : public PageConsumer {
public:
    explicit WriteToFile(File& out) : out_(out) {}
    Result<size_t> consume(const uint8_t* bytes, size_t length) override { return vfs_write(out_, bytes, length); }

private:
    File& out_;
};

}  // namespace

Result<size_t> vfs_send_pages(File& out, File& in, uint64_t offset, size_t size) {
    if (!in.can_read() || !out.can_write()) return Error{EBADF};
    Inode* source = in.inode();
    if (source == nullptr || !source->is_regular_file()) return Error{ENOTSUP};
    if (out.inode() == nullptr || !S_ISCHR(out.inode()->mode())) return Error{ENOTSUP};
    WriteToFile writer(out);
    MutexLocker locker(source->lock());
    return source->read_pages(offset, size, writer);
}

Result<size_t> vfs_pwrite(File& file, const void* buffer, size_t size, int64_t offset) {
    if (!file.can_write()) return Error{EBADF};
    if (offset < 0) return Error{EINVAL};
    return file.write_at(static_cast<uint64_t>(offset), buffer, size);
}

Result<int64_t> vfs_lseek(File& file, int64_t offset, int whence) {
    uint64_t position = TRY(file.seek(offset, whence));
    return static_cast<int64_t>(position);
}

Result<size_t> vfs_getdents64(File& file, void* buffer, size_t size) {
    Dirent64Writer writer(buffer, size);
    Result<void> read = file.read_directory(writer);
    // Entries already copied are worth more than a late error (Linux does the same).
    if (read.is_error() && writer.written() == 0) return Error{read.error()};
    if (writer.written() == 0 && writer.refused()) return Error{EINVAL};
    return writer.written();
}

Result<void> vfs_ftruncate(File& file, int64_t length) {
    if (length < 0) return Error{EINVAL};
    Inode* inode = file.inode();
    if (inode == nullptr || !inode->is_regular_file() || !file.can_write()) return Error{EINVAL};
    return file.truncate(static_cast<uint64_t>(length));
}

Result<void> vfs_fsync(File& file) {
    TRY(file.sync());
    if (file.inode() == nullptr) return {};
    {
        MutexLocker locker(file.inode()->lock());
        TRY(file.inode()->sync_data());
    }
    return file.inode()->super_block().sync();
}

void vfs_fill_stat64(Inode& inode, linux_abi::stat64* out) {
    MutexLocker locker(inode.lock());
    SuperBlock& super_block = inode.super_block();
    klib::memset(out, 0, sizeof(*out));
    out->st_dev = user_device_number(super_block.device_number());
    out->__st_ino = static_cast<uint32_t>(inode.number());
    out->st_ino = inode.number();
    out->st_mode = inode.mode();
    out->st_nlink = inode.link_count();
    out->st_uid = inode.uid();
    out->st_gid = inode.gid();
    out->st_rdev = user_device_number(inode.device_number());
    out->st_size = static_cast<int64_t>(inode.size());
    out->st_blksize = super_block.block_size();
    out->st_blocks = inode.block_count();
    // i386's stat64 has 32-bit seconds: times after 2106 wrap, as on Linux.
    out->st_atime = static_cast<uint32_t>(inode.access_time().seconds);
    out->st_atime_nsec = inode.access_time().nanoseconds;
    out->st_mtime = static_cast<uint32_t>(inode.modification_time().seconds);
    out->st_mtime_nsec = inode.modification_time().nanoseconds;
    out->st_ctime = static_cast<uint32_t>(inode.change_time().seconds);
    out->st_ctime_nsec = inode.change_time().nanoseconds;
}

Result<void> vfs_stat(const Path& cwd, const char* name, bool follow, const Credentials& credentials,
                      linux_abi::stat64* out) {
    Path path = TRY(path_walk(cwd, name, follow ? LOOKUP_FOLLOW : 0, credentials));
    vfs_fill_stat64(*path.inode(), out);
    return {};
}

Result<void> vfs_fstat(File& file, linux_abi::stat64* out) { return file.status(out); }

Result<size_t> vfs_readlink(const Path& cwd, const char* name, char* buffer, size_t size,
                            const Credentials& credentials) {
    if (size == 0) return Error{EINVAL};
    Path path = TRY(path_walk(cwd, name, 0, credentials));
    Inode& inode = *path.inode();
    if (!inode.is_symbolic_link()) return Error{EINVAL};
    MutexLocker locker(inode.lock());
    return inode.readlink(buffer, size);
}

namespace {

Result<void> fill_statfs(const Path& path, linux_abi::statfs64* out) {
    SuperBlock& super_block = path.inode()->super_block();
    FileSystemStatistics statistics = TRY(super_block.statfs());
    klib::memset(out, 0, sizeof(*out));
    out->f_type = statistics.magic;
    out->f_bsize = statistics.block_size;
    out->f_frsize = statistics.block_size;
    out->f_blocks = statistics.total_blocks;
    out->f_bfree = statistics.free_blocks;
    out->f_bavail = statistics.available_blocks;
    out->f_files = statistics.total_inodes;
    out->f_ffree = statistics.free_inodes;
    out->f_fsid[0] = static_cast<int32_t>(super_block.device_number());
    out->f_namelen = statistics.max_name_length;
    uint32_t mount_flags = path.mount()->flags();
    out->f_flags = (path.mount()->is_read_only() ? linux_abi::ST_RDONLY : 0) |
                   ((mount_flags & MS_NOSUID) ? linux_abi::ST_NOSUID : 0);
    return {};
}

}  // namespace

Result<void> vfs_statfs(const Path& cwd, const char* name, const Credentials& credentials,
                        linux_abi::statfs64* out) {
    Path path = TRY(path_walk(cwd, name, LOOKUP_FOLLOW, credentials));
    return fill_statfs(path, out);
}

Result<void> vfs_fstatfs(File& file, linux_abi::statfs64* out) {
    if (file.inode() == nullptr) {  // a pipe: described as Linux's pipefs is
        constexpr uint32_t PIPEFS_MAGIC = 0x50495045;
        klib::memset(out, 0, sizeof(*out));
        out->f_type = PIPEFS_MAGIC;
        out->f_bsize = out->f_frsize = 4096;
        out->f_namelen = 255;
        return {};
    }
    return fill_statfs(file.path(), out);
}

Result<void> vfs_access(const Path& cwd, const char* name, int may, const Credentials& credentials) {
    if (may & ~(MAY_READ | MAY_WRITE | MAY_EXEC)) return Error{EINVAL};
    Path path = TRY(path_walk(cwd, name, LOOKUP_FOLLOW, credentials));
    Inode& inode = *path.inode();
    if ((may & MAY_WRITE) && write_needs_writable_mount(path) && path.mount()->is_read_only())
        return Error{EROFS};
    return inode.check_permission(credentials, may);
}

Result<Path> vfs_resolve_directory(const Path& cwd, const char* name, const Credentials& credentials) {
    Path path = TRY(path_walk(cwd, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, credentials));
    TRY(path.inode()->check_permission(credentials, MAY_EXEC));
    return path;
}

Result<void> vfs_truncate(const Path& cwd, const char* name, int64_t length, const Credentials& credentials) {
    if (length < 0) return Error{EINVAL};
    Path path = TRY(path_walk(cwd, name, LOOKUP_FOLLOW, credentials));
    Inode& inode = *path.inode();
    if (inode.is_directory()) return Error{EISDIR};
    if (!inode.is_regular_file()) return Error{EINVAL};
    if (path.mount()->is_read_only()) return Error{EROFS};
    TRY(inode.check_permission(credentials, MAY_WRITE));
    MutexLocker locker(inode.lock());
    return inode.truncate(static_cast<uint64_t>(length));
}

Result<void> vfs_mount(const Path& cwd, const char* type_name, BlockDevice* device, const char* target,
                       uint32_t flags, const char* options, const Credentials& credentials) {
    if (!credentials.is_superuser()) return Error{EPERM};
    Path target_path = TRY(path_walk(cwd, target, LOOKUP_FOLLOW, credentials));
    return target_path.mount()->mount_namespace().mount(type_name, device, target_path, flags, options);
}

Result<void> vfs_umount(const Path& cwd, const char* target, const Credentials& credentials) {
    if (!credentials.is_superuser()) return Error{EPERM};
    Path target_path = TRY(path_walk(cwd, target, LOOKUP_FOLLOW, credentials));
    MountNamespace& mount_namespace = target_path.mount()->mount_namespace();
    return mount_namespace.umount(static_cast<Path&&>(target_path));
}

Result<void> vfs_remount(const Path& cwd, const char* target, uint32_t flags, const Credentials& credentials) {
    if (!credentials.is_superuser()) return Error{EPERM};
    Path target_path = TRY(path_walk(cwd, target, LOOKUP_FOLLOW, credentials));
    return target_path.mount()->mount_namespace().remount(target_path, flags);
}

VfsObjectCounts vfs_object_counts() {
    return VfsObjectCounts{SuperBlock::live_count(), Mount::live_count(), Dentry::live_count(),
                           Inode::live_count(), File::live_count()};
}
