// kernel/syscall/syscall_file_extras.cpp -- the calls around open files that
// tune or copy rather than read and write: flock, fallocate,
// copy_file_range, fadvise64, readahead, sync_file_range, close_range, and
// the old ways of setting a file's times (utime, utimes, futimesat).
//
// Layer: system calls, over the VFS. Each checks its arguments in Linux's
// order (fs/locks.c, fs/open.c, fs/read_write.c, mm/fadvise.c,
// fs/sync.c, fs/file.c, fs/utimes.c), so a bad call gets Linux's errno:
//   flock       real advisory locks (fs/vfs/file_locks.h)
//   fallocate   mode 0 makes the file at least offset + length long (the
//               new bytes read as zeros; no block is reserved ahead, so a
//               later write can still find the disk full); KEEP_SIZE alone
//               changes nothing visible; every other mode (punching holes,
//               zeroing, collapsing, inserting ranges) is EOPNOTSUPP: no
//               file system here can free blocks inside a file
//   copy_file_range  a copy through the page cache, between regular files
//               of one file system (EXDEV across file systems, as Linux
//               for file systems without their own copy method)
//   fadvise64, readahead, sync_file_range  hints: checked and accepted;
//               sync_file_range with SYNC_FILE_RANGE_WRITE writes the whole
//               file (more than asked, never less)
//   close_range closes (or marks close-on-exec) a range of descriptors
// 64-bit offsets arrive in two registers, low word first (Linux i386).
#include "fs/vfs/file_locks.h"
#include "fs/vfs/file_mode.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

int32_t status_of(const Result<void>& result) { return result.is_error() ? -result.error() : 0; }

int64_t join64(uint32_t low, uint32_t high) { return int64_t(uint64_t(high) << 32 | low); }

// The file type of an open file; an anonymous pipe (no inode) is a FIFO.
uint32_t type_of(const File& file) { return file.inode() ? file_type_of(file.inode()->mode()) : uint32_t(S_IFIFO); }

// --- flock ---------------------------------------------------------------------------------
int32_t sys_flock(const SyscallArguments& a) {
    constexpr uint32_t LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8, LOCK_MAND = 32;
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -EBADF;
    uint32_t command = a.arg[1] & ~LOCK_NB;
    if (command & LOCK_MAND) return 0;  // ignored since Linux 5.15, with a warning there
    if (command == LOCK_UN) {
        file_unlock(*file.value());
        return 0;
    }
    if (command != LOCK_SH && command != LOCK_EX) return -EINVAL;
    FileLockKind kind = command == LOCK_SH ? FileLockKind::Shared : FileLockKind::Exclusive;
    return status_of(file_lock(*file.value(), kind, !(a.arg[1] & LOCK_NB)));
}

// --- fallocate(fd, mode, offset, length) ---------------------------------------------------
constexpr uint32_t FALLOC_FL_KEEP_SIZE = 0x01, FALLOC_FL_PUNCH_HOLE = 0x02, FALLOC_FL_COLLAPSE_RANGE = 0x08,
                   FALLOC_FL_ZERO_RANGE = 0x10, FALLOC_FL_INSERT_RANGE = 0x20, FALLOC_FL_UNSHARE_RANGE = 0x40,
                   FALLOC_FL_SUPPORTED = 0x7F;

// Linux's vfs_fallocate checks of the mode alone.
int check_fallocate_mode(uint32_t mode) {
    if (mode & ~FALLOC_FL_SUPPORTED) return EOPNOTSUPP;
    if ((mode & FALLOC_FL_PUNCH_HOLE) && (mode & FALLOC_FL_ZERO_RANGE)) return EOPNOTSUPP;
    if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE)) return EOPNOTSUPP;
    if ((mode & FALLOC_FL_COLLAPSE_RANGE) && (mode & ~FALLOC_FL_COLLAPSE_RANGE)) return EINVAL;
    if ((mode & FALLOC_FL_INSERT_RANGE) && (mode & ~FALLOC_FL_INSERT_RANGE)) return EINVAL;
    if ((mode & FALLOC_FL_UNSHARE_RANGE) && (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE))) return EINVAL;
    return 0;
}

Result<void> allocate_range(File& file, uint32_t mode, int64_t offset, int64_t length) {
    if (offset < 0 || length <= 0) return Error(EINVAL);
    if (int error = check_fallocate_mode(mode)) return Error(error);
    if (!file.can_write()) return Error(EBADF);
    uint32_t type = type_of(file);
    if (type == S_IFIFO) return Error(ESPIPE);
    if (type == S_IFDIR) return Error(EISDIR);
    if (type != S_IFREG) return Error(ENODEV);
    if (offset + length < 0) return Error(EFBIG);  // wrapped through zero
    if (mode & ~FALLOC_FL_KEEP_SIZE) return Error(EOPNOTSUPP);
    if (mode & FALLOC_FL_KEEP_SIZE) return {};  // nothing is reserved beyond the end
    if (uint64_t(offset + length) <= file.inode()->size()) return {};
    return vfs_ftruncate(file, offset + length);
}

int32_t sys_fallocate(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -EBADF;
    return status_of(allocate_range(*file.value(), a.arg[1], join64(a.arg[2], a.arg[3]), join64(a.arg[4], a.arg[5])));
}

// --- copy_file_range(fd_in, &offset_in, fd_out, &offset_out, length, flags) ------------------
// Where a copy reads or writes: at *offset (which moves) when given, else
// at the file's position (which moves).
struct CopyEnd {
    FileRef file;
    uint32_t user_offset = 0;
    int64_t position = 0;

    Result<void> start() {
        if (user_offset == 0) {
            position = int64_t(file->position());
            return {};
        }
        TRY(copy_from_user(&position, user_offset, sizeof position));
        if (position < 0) return Error(EINVAL);
        return {};
    }
    Result<void> finish() {
        if (user_offset != 0) return copy_to_user(user_offset, &position, sizeof position);
        TRY(file->seek(position, 0 /* SEEK_SET */));
        return {};
    }
};

Result<void> check_copy(const File& in, const File& out) {
    uint32_t in_type = type_of(in), out_type = type_of(out);
    if (in_type == S_IFDIR || out_type == S_IFDIR) return Error(EISDIR);
    if (in_type != S_IFREG || out_type != S_IFREG) return Error(EINVAL);
    if (!in.can_read() || !out.can_write() || out.is_append()) return Error(EBADF);
    if (&in.inode()->super_block() != &out.inode()->super_block()) return Error(EXDEV);
    return {};
}

Result<size_t> copy_through_kernel_buffer(CopyEnd& in, CopyEnd& out, size_t length) {
    constexpr size_t CHUNK = 4096;
    uint64_t size = in.file->inode()->size();
    if (uint64_t(in.position) >= size) return size_t(0);
    if (length > size - uint64_t(in.position)) length = size_t(size - uint64_t(in.position));
    bool same_file = in.file->inode() == out.file->inode();
    if (same_file && in.position < out.position + int64_t(length) && out.position < in.position + int64_t(length))
        return Error(EINVAL);  // overlapping ranges of one file
    auto* buffer = static_cast<uint8_t*>(kmalloc(CHUNK));
    if (!buffer) return Error(ENOMEM);
    size_t done = 0;
    while (done < length) {
        size_t want = length - done < CHUNK ? length - done : CHUNK;
        auto got = in.file->read_at(uint64_t(in.position), buffer, want);
        if (got.is_error() || got.value() == 0) break;
        auto put = out.file->write_at(uint64_t(out.position), buffer, got.value());
        if (put.is_error() || put.value() == 0) break;
        in.position += int64_t(put.value());
        out.position += int64_t(put.value());
        done += put.value();
    }
    kfree(buffer);
    return done;
}

int32_t sys_copy_file_range(const SyscallArguments& a) {
    constexpr size_t MAX_RW_COUNT = 0x7FFFF000;
    if (a.arg[5] != 0) return -EINVAL;
    CopyEnd in, out;
    auto in_file = file_of(a.arg[0]);
    if (in_file.is_error()) return -EBADF;
    auto out_file = file_of(a.arg[2]);
    if (out_file.is_error()) return -EBADF;
    in.file = in_file.value(), in.user_offset = a.arg[1];
    out.file = out_file.value(), out.user_offset = a.arg[3];
    if (auto checked = check_copy(*in.file, *out.file); checked.is_error()) return -checked.error();
    if (auto started = in.start(); started.is_error()) return -started.error();
    if (auto started = out.start(); started.is_error()) return -started.error();
    auto done = copy_through_kernel_buffer(in, out, a.arg[4] < MAX_RW_COUNT ? a.arg[4] : MAX_RW_COUNT);
    if (done.is_error()) return -done.error();
    if (in.finish().is_error() || out.finish().is_error()) return -EFAULT;
    return int32_t(done.value());
}

// --- hints ------------------------------------------------------------------------------
// fadvise64(fd, offset, length, advice) and fadvise64_64(fd, offset, length, advice).
int32_t give_advice(uint32_t fd, int64_t length, uint32_t advice) {
    constexpr uint32_t POSIX_FADV_NOREUSE = 5;
    auto file = file_of(fd);
    if (file.is_error()) return -EBADF;
    if (type_of(*file.value()) == S_IFIFO) return -ESPIPE;
    if (length < 0 || advice > POSIX_FADV_NOREUSE) return -EINVAL;
    return 0;
}
int32_t sys_fadvise64(const SyscallArguments& a) { return give_advice(a.arg[0], int64_t(a.arg[3]), a.arg[4]); }
int32_t sys_fadvise64_64(const SyscallArguments& a) {
    return give_advice(a.arg[0], join64(a.arg[3], a.arg[4]), a.arg[5]);
}

// readahead(fd, offset, count): the page cache reads ahead by itself.
int32_t sys_readahead(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error() || !file.value()->can_read()) return -EBADF;
    return type_of(*file.value()) == S_IFREG ? 0 : -EINVAL;
}

// sync_file_range(fd, offset, length, flags).
int32_t sys_sync_file_range(const SyscallArguments& a) {
    constexpr uint32_t SYNC_FILE_RANGE_WRITE = 2, VALID_FLAGS = 7;
    int64_t offset = join64(a.arg[1], a.arg[2]), length = join64(a.arg[3], a.arg[4]);
    uint32_t flags = a.arg[5];
    if ((flags & ~VALID_FLAGS) || offset < 0 || length < 0 || offset + length < offset) return -EINVAL;
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -EBADF;
    uint32_t type = type_of(*file.value());
    if (type != S_IFREG && type != S_IFBLK && type != S_IFDIR && type != S_IFLNK) return -ESPIPE;
    if (!(flags & SYNC_FILE_RANGE_WRITE)) return 0;
    return status_of(file.value()->sync());
}

// --- close_range(first, last, flags) -----------------------------------------------------------
// CLOSE_RANGE_UNSHARE asks for a private descriptor table first: every
// process's table is its own here, so there is nothing to unshare.
int32_t sys_close_range(const SyscallArguments& a) {
    constexpr uint32_t CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;
    uint32_t first = a.arg[0], last = a.arg[1], flags = a.arg[2];
    if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last) return -EINVAL;
    FileDescriptorTable& files = *self().files;
    uint32_t end = last < uint32_t(FileDescriptorTable::MAX_DESCRIPTORS) ? last + 1 : FileDescriptorTable::MAX_DESCRIPTORS;
    for (uint32_t fd = first; fd < end; ++fd) {
        if (flags & CLOSE_RANGE_CLOEXEC) (void)files.set_close_on_exec(int(fd), true);
        else (void)files.close(int(fd));  // a free number is skipped
    }
    return 0;
}

// --- utime(name, times), utimes(name, times), futimesat(dirfd, name, times) ---------------
// struct utimbuf: two 32-bit seconds; struct timeval[2]: seconds and
// microseconds (0..999999, else EINVAL). NULL: both now.
Result<UtimensRequest> times_from_utimbuf(uint32_t user_times) {
    UtimensRequest request;
    if (user_times == 0) return request;
    int32_t seconds[2];
    TRY(copy_from_user(seconds, user_times, sizeof seconds));
    request.access = request.modification = UtimensRequest::Set;
    request.access_time = Timestamp{seconds[0], 0};
    request.modification_time = Timestamp{seconds[1], 0};
    return request;
}

Result<UtimensRequest> times_from_timevals(uint32_t user_times) {
    UtimensRequest request;
    if (user_times == 0) return request;
    int32_t values[4];
    TRY(copy_from_user(values, user_times, sizeof values));
    for (int i = 0; i < 2; ++i)
        if (values[2 * i + 1] < 0 || values[2 * i + 1] >= 1000000) return Error(EINVAL);
    request.access = request.modification = UtimensRequest::Set;
    request.access_time = Timestamp{values[0], uint32_t(values[1]) * 1000};
    request.modification_time = Timestamp{values[2], uint32_t(values[3]) * 1000};
    return request;
}

// A NULL name (futimesat only) means dirfd itself, as Linux's do_utimes.
Result<void> change_times(uint32_t dirfd, uint32_t user_name, const UtimensRequest& request) {
    if (user_name == 0) {
        FileRef file = TRY(file_of(dirfd));
        return vfs_futimens(*file, request, self().credentials);
    }
    UserPath text;
    const char* name = TRY(text.copy(user_name));
    Path start = TRY(start_directory(dirfd));
    return vfs_utimens(start, name, request, true, self().credentials);
}

int32_t sys_utime(const SyscallArguments& a) {
    if (a.arg[0] == 0) return -EFAULT;
    auto request = times_from_utimbuf(a.arg[1]);
    return request.is_error() ? -request.error() : status_of(change_times(AT_FDCWD_VALUE, a.arg[0], request.value()));
}
int32_t sys_utimes(const SyscallArguments& a) {
    if (a.arg[0] == 0) return -EFAULT;
    auto request = times_from_timevals(a.arg[1]);
    return request.is_error() ? -request.error() : status_of(change_times(AT_FDCWD_VALUE, a.arg[0], request.value()));
}
int32_t sys_futimesat(const SyscallArguments& a) {
    auto request = times_from_timevals(a.arg[2]);
    return request.is_error() ? -request.error() : status_of(change_times(a.arg[0], a.arg[1], request.value()));
}

}  // namespace

void register_file_extra_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {30, {"utime", sys_utime}},
        {143, {"flock", sys_flock}},
        {225, {"readahead", sys_readahead}},
        {250, {"fadvise64", sys_fadvise64}},
        {271, {"utimes", sys_utimes}},
        {272, {"fadvise64_64", sys_fadvise64_64}},
        {299, {"futimesat", sys_futimesat}},
        {314, {"sync_file_range", sys_sync_file_range}},
        {324, {"fallocate", sys_fallocate}},
        {377, {"copy_file_range", sys_copy_file_range}},
        {436, {"close_range", sys_close_range}},
    };
    add_system_calls(table, size, calls);
}
