// kernel/syscall/syscall_files.cpp -- the file system calls.
//
// Layer: system calls. Each function copies names and structures between
// the program and the kernel (user_memory.h), turns descriptors into files
// (the process's FileDescriptorTable) and calls the VFS (fs/vfs/vfs.h).
// read and write hand the program's own pages (made present first by
// prepare_user_buffer) straight to the file, up to 1 MiB per step, so bytes
// are copied once, between the program and the page cache (or the device)
// -- when no one else can change the program's memory meanwhile. With
// several threads (or a vfork child) in one address space, another thread
// may unmap or fork while the file works on the buffer, so the bytes go
// through a kernel buffer and the fault-safe copies instead, as Linux's
// copy_to_user. sendfile and copy_file_range always use a kernel buffer.
#include "fs/vfs/open_flags.h"
#include "fs/vfs/path_lookup.h"
#include "fs/vfs/super_block.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_memory.h"
#include "kernel/storage/storage.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

// Up to 1 MiB of a read or write reach the file in one call: a disk then
// sees the whole extent at once (a block device file submits it as pages
// under one plug, which the I/O scheduler merges), rather than 4 KiB slices
// that can never merge. Smaller calls allocate only what they move.
constexpr size_t TRANSFER_CHUNK = 1024 * 1024;

size_t chunk_bytes_for(size_t count) {
    if (count == 0) return 1;
    return count < TRANSFER_CHUNK ? count : TRANSFER_CHUNK;
}

// Moves data between a file and user memory: the user's pages are made
// present first (prepare_user_buffer), then handed to the file directly, a
// chunk at a time, so the bytes are copied once (file or page cache <->
// program), not twice through a kernel buffer. A buffer that turns bad
// part-way gives a short transfer, as on Linux; bad from the start, EFAULT.
// Only this thread runs in the program's memory: nothing can take the
// prepared pages away or make them copy-on-write during the call.
bool memory_is_private_to_caller(const Process& process) {
    return process.threads.size() == 1 && process.address_space->users() == 1;
}

// The shared-memory path: through a kernel buffer of BOUNCE_CHUNK bytes,
// each step copied with the fault-safe copies. A buffer that turns bad
// part-way gives a short transfer (the bytes read from the file into the
// kernel buffer for that step are lost, as on Linux).
constexpr size_t BOUNCE_CHUNK = 64 * 1024;

template <typename Transfer>
Result<size_t> transfer_through_kernel(uint32_t user_buffer, size_t count, bool to_user, Transfer transfer) {
    auto* bounce = static_cast<uint8_t*>(kmalloc(count < BOUNCE_CHUNK ? (count ? count : 1) : BOUNCE_CHUNK));
    if (!bounce) return Error(ENOMEM);
    size_t done = 0;
    Result<void> status;
    while (done < count) {
        size_t step = count - done < BOUNCE_CHUNK ? count - done : BOUNCE_CHUNK;
        if (!to_user && copy_from_user(bounce, user_buffer + uint32_t(done), step).is_error()) {
            status = Error(EFAULT);
            break;
        }
        Result<size_t> moved = transfer(bounce, step, done);
        if (moved.is_error()) {
            status = Error(moved.error());
            break;
        }
        if (to_user && copy_to_user(user_buffer + uint32_t(done), bounce, moved.value()).is_error()) {
            status = Error(EFAULT);
            break;
        }
        done += moved.value();
        if (moved.value() < step) break;
    }
    kfree(bounce);
    if (done == 0 && status.is_error()) return Error(status.error());
    return done;
}

template <typename Transfer>
Result<size_t> transfer_in_chunks(uint32_t user_buffer, size_t count, bool to_user, Transfer transfer) {
    if (!memory_is_private_to_caller(self())) return transfer_through_kernel(user_buffer, count, to_user, transfer);
    size_t usable = prepare_user_buffer(user_buffer, count, to_user);
    if (usable == 0 && count != 0) return Error(EFAULT);
    size_t done = 0;
    Result<void> status;
    while (done < usable) {
        size_t step = usable - done < TRANSFER_CHUNK ? usable - done : TRANSFER_CHUNK;
        Result<size_t> moved = transfer(reinterpret_cast<uint8_t*>(uintptr_t(user_buffer) + done), step, done);
        if (moved.is_error()) {
            status = Error(moved.error());
            break;
        }
        done += moved.value();
        if (moved.value() < step) break;  // end of file, or a short device
    }
    // Like Linux: bytes already moved count, the error is for the next call.
    if (done == 0 && status.is_error()) return Error(status.error());
    return done;
}

// RLIMIT_FSIZE (Linux generic_write_checks): no regular file grows past
// the limit. A write of `count` bytes at `offset` (or at the position, or
// the end with O_APPEND, when `offset` is negative) starting at or beyond it
// gets SIGXFSZ and EFBIG; one crossing it is cut short.
Result<size_t> size_allowed_by_limit(File& file, int64_t offset, size_t count) {
    uint64_t limit = self().limits.soft(resource_limits::FSIZE);
    if (count == 0 || limit == resource_limits::UNLIMITED || !file.inode() || !file.inode()->is_regular_file()) {
        return count;
    }
    uint64_t start = offset >= 0 ? uint64_t(offset) : file.is_append() ? file.inode()->size() : file.position();
    if (start >= limit) {
        send_signal_to_current_thread(SIGXFSZ);
        return Error(EFBIG);
    }
    return limit - start < count ? size_t(limit - start) : count;
}

int32_t sys_read(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    File& f = *file.value();
    return syscall_result(transfer_in_chunks(a.arg[1], a.arg[2], true, [&](uint8_t* chunk, size_t step, size_t) {
        return vfs_read(f, chunk, step);
    }));
}

int32_t sys_write(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    File& f = *file.value();
    auto allowed = size_allowed_by_limit(f, -1, a.arg[2]);
    if (allowed.is_error()) return -allowed.error();
    auto written = transfer_in_chunks(a.arg[1], allowed.value(), false, [&](uint8_t* chunk, size_t step, size_t) {
        return vfs_write(f, chunk, step);
    });
    // Writing into a pipe nobody reads: SIGPIPE as well as EPIPE.
    if (written.is_error() && written.error() == EPIPE) send_signal_to_current_thread(SIGPIPE);
    return syscall_result(written);
}

// readv/writev(fd, const struct iovec* vector, count): one transfer over
// several buffers, in order, stopping at the first short one. Like Linux:
// at most 1024 buffers, and a total that fits in ssize_t (EINVAL).
// preadv/pwritev (and their v2 forms) do the same at an offset, leaving
// the position alone: `offset` >= 0; -1 is the position.
struct IoVector {
    uint32_t base, length;
};
constexpr uint32_t MAX_IO_VECTORS = 1024;

// One buffer's transfer at the position, or at `offset` (>= 0).
Result<size_t> transfer_one_vector(File& f, const IoVector& v, bool to_user, int64_t offset) {
    return transfer_in_chunks(v.base, v.length, to_user, [&](uint8_t* chunk, size_t step, size_t done) {
        if (offset < 0) return to_user ? vfs_read(f, chunk, step) : vfs_write(f, chunk, step);
        int64_t at = offset + int64_t(done);
        return to_user ? vfs_pread(f, chunk, step, at) : vfs_pwrite(f, chunk, step, at);
    });
}

int32_t transfer_vector(const SyscallArguments& a, bool to_user, int64_t offset = -1) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    uint32_t count = a.arg[2];
    if (count > MAX_IO_VECTORS) return -EINVAL;
    File& f = *file.value();
    uint64_t total = 0;
    for (uint32_t i = 0; i < count; ++i) {  // check the whole vector first, as Linux does
        IoVector v;
        if (copy_from_user(&v, a.arg[1] + i * sizeof v, sizeof v).is_error()) return -EFAULT;
        total += v.length;
        if (total > 0x7FFFFFFF) return -EINVAL;
    }
    uint32_t done = 0;
    for (uint32_t i = 0; i < count; ++i) {
        IoVector v;
        if (copy_from_user(&v, a.arg[1] + i * sizeof v, sizeof v).is_error()) return done ? int32_t(done) : -EFAULT;
        if (!to_user) {
            auto allowed = size_allowed_by_limit(f, offset < 0 ? -1 : offset + int64_t(done), v.length);
            if (allowed.is_error()) return done ? int32_t(done) : -allowed.error();
            if (allowed.value() < v.length) v.length = uint32_t(allowed.value()), count = i + 1;
        }
        auto moved = transfer_one_vector(f, v, to_user, offset < 0 ? -1 : offset + int64_t(done));
        if (moved.is_error()) {
            if (!to_user && moved.error() == EPIPE) send_signal_to_current_thread(SIGPIPE);
            return done ? int32_t(done) : -moved.error();
        }
        done += uint32_t(moved.value());
        if (moved.value() < v.length) break;
    }
    return int32_t(done);
}
int32_t sys_readv(const SyscallArguments& a) { return transfer_vector(a, true); }
int32_t sys_writev(const SyscallArguments& a) { return transfer_vector(a, false); }

// preadv/pwritev(fd, iov, count, offset_low, offset_high): EINVAL for a
// negative offset, as pread.
int32_t positioned_vector(const SyscallArguments& a, bool to_user) {
    int64_t offset = int64_t(uint64_t(a.arg[3]) | uint64_t(a.arg[4]) << 32);
    if (offset < 0) return -EINVAL;
    return transfer_vector(a, to_user, offset);
}
int32_t sys_preadv(const SyscallArguments& a) { return positioned_vector(a, true); }
int32_t sys_pwritev(const SyscallArguments& a) { return positioned_vector(a, false); }

// preadv2/pwritev2(fd, iov, count, offset_low, offset_high, flags): offset
// -1 is the position. RWF_HIPRI is a hint; after a write, RWF_DSYNC and
// RWF_SYNC write the file back, as fdatasync would. RWF_NOWAIT, RWF_APPEND
// and unknown flags are EOPNOTSUPP, as Linux for files that cannot do them.
int32_t positioned_vector_with_flags(const SyscallArguments& a, bool to_user) {
    constexpr uint32_t RWF_HIPRI = 1, RWF_DSYNC = 2, RWF_SYNC = 4;
    uint32_t flags = a.arg[5];
    if (flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC)) return -EOPNOTSUPP;
    int64_t offset = int64_t(uint64_t(a.arg[3]) | uint64_t(a.arg[4]) << 32);
    if (offset < -1) return -EINVAL;
    int32_t result = transfer_vector(a, to_user, offset);
    if (!to_user && result > 0 && (flags & (RWF_DSYNC | RWF_SYNC))) {
        auto file = file_of(a.arg[0]);
        if (!file.is_error() && file.value()->inode()) {
            auto synced = vfs_fsync(*file.value());
            if (synced.is_error()) return -synced.error();
        }
    }
    return result;
}
int32_t sys_preadv2(const SyscallArguments& a) { return positioned_vector_with_flags(a, true); }
int32_t sys_pwritev2(const SyscallArguments& a) { return positioned_vector_with_flags(a, false); }

// sendfile64(out_fd, in_fd, loff_t* offset, count): copies between two
// files inside the kernel. From a cached file to a device the bytes go
// straight from the page cache (vfs_send_pages: no copy at all for
// /dev/null, one for the console); otherwise a chunk at a time through a
// buffer. With `offset`, reads from there, leaves in_fd's position alone
// and stores the offset reached.
Result<size_t> send_file(File& out, File& in, int64_t* offset, size_t count) {
    if (!in.can_read() || !out.can_write()) return Error(EBADF);
    if (offset && *offset < 0) return Error(EINVAL);
    Result<uint64_t> position = offset ? Result<uint64_t>(uint64_t(*offset)) : in.seek(0, 1 /* SEEK_CUR */);
    if (!position.is_error()) {
        Result<size_t> sent = vfs_send_pages(out, in, position.value(), count);
        if (!sent.is_error() || sent.error() != ENOTSUP) {
            if (!sent.is_error() && offset) *offset += int64_t(sent.value());
            else if (!sent.is_error()) (void)in.seek(int64_t(position.value() + sent.value()), 0 /* SEEK_SET */);
            return sent;
        }
    }
    auto* chunk = static_cast<uint8_t*>(kmalloc(chunk_bytes_for(count)));
    if (!chunk) return Error(ENOMEM);
    size_t done = 0;
    Result<void> status;
    while (done < count) {
        size_t step = count - done < TRANSFER_CHUNK ? count - done : TRANSFER_CHUNK;
        auto got = offset ? vfs_pread(in, chunk, step, *offset) : vfs_read(in, chunk, step);
        if (got.is_error() || got.value() == 0) {
            if (got.is_error()) status = Error(got.error());
            break;
        }
        auto put = vfs_write(out, chunk, got.value());
        size_t written = put.is_error() ? 0 : put.value();
        if (offset) *offset += int64_t(written);
        // Bytes read but not written go back to the input, so none is lost.
        else if (written < got.value()) (void)in.seek(-int64_t(got.value() - written), 1 /* SEEK_CUR */);
        done += written;
        if (put.is_error()) status = Error(put.error());
        if (put.is_error() || written < got.value() || got.value() < step) break;
    }
    kfree(chunk);
    if (done == 0 && status.is_error()) return Error(status.error());
    return done;
}

int32_t sys_sendfile64(const SyscallArguments& a) {
    auto out = file_of(a.arg[0]);
    if (out.is_error()) return -out.error();
    auto in = file_of(a.arg[1]);
    if (in.is_error()) return -in.error();
    int64_t offset = 0;
    if (a.arg[2] && copy_from_user(&offset, a.arg[2], sizeof offset).is_error()) return -EFAULT;
    auto sent = send_file(*out.value(), *in.value(), a.arg[2] ? &offset : nullptr, a.arg[3]);
    if (sent.is_error() && sent.error() == EPIPE) send_signal_to_current_thread(SIGPIPE);
    if (a.arg[2] && !sent.is_error() && copy_to_user(a.arg[2], &offset, sizeof offset).is_error()) return -EFAULT;
    return syscall_result(sent);
}

int32_t sys_pwrite64(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    File& f = *file.value();
    int64_t offset = int64_t(uint64_t(a.arg[3]) | uint64_t(a.arg[4]) << 32);
    if (offset < 0) return -EINVAL;
    auto allowed = size_allowed_by_limit(f, offset, a.arg[2]);
    if (allowed.is_error()) return -allowed.error();
    auto written = transfer_in_chunks(a.arg[1], allowed.value(), false, [&](uint8_t* chunk, size_t step, size_t done) {
        return vfs_pwrite(f, chunk, step, offset + int64_t(done));
    });
    if (written.is_error() && written.error() == EPIPE) send_signal_to_current_thread(SIGPIPE);
    return syscall_result(written);
}

int32_t sys_pread64(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    File& f = *file.value();
    int64_t offset = int64_t(uint64_t(a.arg[3]) | uint64_t(a.arg[4]) << 32);
    return syscall_result(transfer_in_chunks(a.arg[1], a.arg[2], true, [&](uint8_t* chunk, size_t step, size_t done) {
        return vfs_pread(f, chunk, step, offset + int64_t(done));
    }));
}

Result<int> open_at(uint32_t dirfd, uint32_t user_path, uint32_t flags, uint32_t mode) {
    UserPath path;
    const char* name = TRY(path.copy(user_path));
    Path start = TRY(start_directory(dirfd));
    FileRef file = TRY(vfs_open(start, name, flags, mode & ~self().umask, self().credentials));
    return self().files->allocate(static_cast<FileRef&&>(file), flags & O_CLOEXEC);
}

int32_t sys_open(const SyscallArguments& a) { return syscall_result(open_at(AT_FDCWD_VALUE, a.arg[0], a.arg[1], a.arg[2])); }
// creat(path, mode): open(path, O_CREAT | O_WRONLY | O_TRUNC, mode).
int32_t sys_creat(const SyscallArguments& a) {
    return syscall_result(open_at(AT_FDCWD_VALUE, a.arg[0], O_CREAT | O_WRONLY | O_TRUNC, a.arg[1]));
}
int32_t sys_openat(const SyscallArguments& a) { return syscall_result(open_at(a.arg[0], a.arg[1], a.arg[2], a.arg[3])); }

int32_t sys_close(const SyscallArguments& a) {
    auto closed = self().files->close(int(a.arg[0]));
    return closed.is_error() ? -closed.error() : 0;
}

int32_t sys_lseek(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    auto position = vfs_lseek(*file.value(), int32_t(a.arg[1]), int(a.arg[2]));
    if (position.is_error()) return -position.error();
    if (position.value() > 0x7FFFFFFF) return -EOVERFLOW;
    return int32_t(position.value());
}

// _llseek(fd, offset_high, offset_low, loff_t* result, whence)
int32_t sys_llseek(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    int64_t offset = int64_t(uint64_t(a.arg[1]) << 32 | a.arg[2]);
    auto position = vfs_lseek(*file.value(), offset, int(a.arg[4]));
    if (position.is_error()) return -position.error();
    int64_t value = position.value();
    auto copied = copy_to_user(a.arg[3], &value, sizeof value);
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_getdents64(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    size_t size = a.arg[2] < 65536 ? a.arg[2] : 65536;
    auto* buffer = static_cast<uint8_t*>(kmalloc(size ? size : 1));
    if (!buffer) return -ENOMEM;
    uint64_t start = file.value()->position();
    auto length = vfs_getdents64(*file.value(), buffer, size);
    Result<void> copied = length.is_error() ? Result<void>() : copy_to_user(a.arg[1], buffer, length.value());
    kfree(buffer);
    // Entries the program never got are not consumed: back to where it was.
    if (copied.is_error()) (void)vfs_lseek(*file.value(), int64_t(start), 0 /* SEEK_SET */);
    if (length.is_error()) return -length.error();
    return copied.is_error() ? -copied.error() : int32_t(length.value());
}

// The *stat*at() family: `name` relative to `dirfd`; with AT_EMPTY_PATH an
// empty name means dirfd itself (any open file, a pipe included).
Result<linux_abi::stat64> stat_at(uint32_t dirfd, uint32_t user_path, uint32_t flags) {
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) return Error(EINVAL);
    UserPath path;
    const char* name = TRY(path.copy(user_path));
    linux_abi::stat64 status;
    if (name[0] == '\0' && (flags & AT_EMPTY_PATH)) {
        if (dirfd == AT_FDCWD_VALUE) {
            vfs_fill_stat64(*self().working_directory.inode(), &status);
        } else {
            FileRef file = TRY(file_of(dirfd));
            TRY(file->status(&status));
        }
        return status;
    }
    Path start = TRY(start_directory(dirfd));
    TRY(vfs_stat(start, name, !(flags & AT_SYMLINK_NOFOLLOW), self().credentials, &status));
    return status;
}

int32_t stat_to_user(const Result<linux_abi::stat64>& status, uint32_t user_stat) {
    if (status.is_error()) return -status.error();
    auto copied = copy_to_user(user_stat, &status.value(), sizeof(linux_abi::stat64));
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_stat64(const SyscallArguments& a) { return stat_to_user(stat_at(AT_FDCWD_VALUE, a.arg[0], 0), a.arg[1]); }
int32_t sys_lstat64(const SyscallArguments& a) {
    return stat_to_user(stat_at(AT_FDCWD_VALUE, a.arg[0], AT_SYMLINK_NOFOLLOW), a.arg[1]);
}
int32_t sys_fstatat64(const SyscallArguments& a) { return stat_to_user(stat_at(a.arg[0], a.arg[1], a.arg[3]), a.arg[2]); }

linux_abi::statx_timestamp timestamp(uint32_t seconds, uint32_t nanoseconds) {
    return {int64_t(seconds), nanoseconds, 0};
}

// statx(dirfd, name, flags, mask, buffer): the same facts as fstatat64 in
// the newer, architecture-independent layout glibc tries first. Every
// basic field is always filled, whatever `mask` asks (as Linux may do).
int32_t sys_statx(const SyscallArguments& a) {
    auto status = stat_at(a.arg[0], a.arg[1], a.arg[2]);
    if (status.is_error()) return -status.error();
    const linux_abi::stat64& s = status.value();
    linux_abi::statx out;
    klib::memset(&out, 0, sizeof out);
    out.stx_mask = linux_abi::STATX_BASIC_FIELDS;
    out.stx_blksize = s.st_blksize;
    out.stx_nlink = s.st_nlink;
    out.stx_uid = s.st_uid;
    out.stx_gid = s.st_gid;
    out.stx_mode = uint16_t(s.st_mode);
    out.stx_ino = s.st_ino;
    out.stx_size = uint64_t(s.st_size);
    out.stx_blocks = s.st_blocks;
    out.stx_atime = timestamp(s.st_atime, s.st_atime_nsec);
    out.stx_mtime = timestamp(s.st_mtime, s.st_mtime_nsec);
    out.stx_ctime = timestamp(s.st_ctime, s.st_ctime_nsec);
    out.stx_rdev_major = linux_abi::decode_device_major(uint32_t(s.st_rdev));
    out.stx_rdev_minor = linux_abi::decode_device_minor(uint32_t(s.st_rdev));
    out.stx_dev_major = linux_abi::decode_device_major(uint32_t(s.st_dev));
    out.stx_dev_minor = linux_abi::decode_device_minor(uint32_t(s.st_dev));
    auto copied = copy_to_user(a.arg[4], &out, sizeof out);
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_fstat64(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    linux_abi::stat64 status;
    if (auto r = vfs_fstat(*file.value(), &status); r.is_error()) return -r.error();
    auto copied = copy_to_user(a.arg[1], &status, sizeof status);
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_dup(const SyscallArguments& a) { return syscall_result(self().files->dup(int(a.arg[0]))); }
int32_t sys_dup2(const SyscallArguments& a) { return syscall_result(self().files->dup2(int(a.arg[0]), int(a.arg[1]))); }
// dup3(fd, target, flags): dup2 with O_CLOEXEC set atomically; EINVAL when
// fd == target or for any other flag.
int32_t sys_dup3(const SyscallArguments& a) {
    if (a.arg[0] == a.arg[1] || (a.arg[2] & ~O_CLOEXEC)) return -EINVAL;
    return syscall_result(self().files->dup2(int(a.arg[0]), int(a.arg[1]), a.arg[2] & O_CLOEXEC));
}

int32_t sys_ioctl(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    return syscall_result(file.value()->ioctl(a.arg[1], a.arg[2]));
}

int32_t sys_getcwd(const SyscallArguments& a) {
    char buffer[MAX_PATH_LENGTH];
    auto length = d_path(self().working_directory, buffer, sizeof buffer);
    if (length.is_error()) return -length.error();
    if (length.value() + 1 > a.arg[1]) return -ERANGE;
    auto copied = copy_to_user(a.arg[0], buffer, length.value() + 1);
    return copied.is_error() ? -copied.error() : int32_t(length.value() + 1);
}

int32_t sys_chdir(const SyscallArguments& a) {
    UserPath path;
    auto name = path.copy(a.arg[0]);
    if (name.is_error()) return -name.error();
    auto directory = vfs_resolve_directory(self().working_directory, name.value(), self().credentials);
    if (directory.is_error()) return -directory.error();
    self().working_directory = directory.release_value();
    return 0;
}

int32_t sys_fchdir(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    Inode* inode = file.value()->inode();
    if (!inode || !inode->is_directory()) return -ENOTDIR;
    self().working_directory = file.value()->path();
    return 0;
}


// fsync/fdatasync(fd): the file's data and then its file system's
// metadata reach the device. (fdatasync may skip metadata; doing more is
// allowed.) sync(): every mount; syncfs(fd): the file's mount.
int32_t sys_fsync(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    if (!file.value()->inode()) return -EINVAL;  // a pipe cannot be synced
    auto synced = vfs_fsync(*file.value());
    return synced.is_error() ? -synced.error() : 0;
}

int32_t sys_sync(const SyscallArguments&) {
    if (auto synced = storage::sync_everything(); synced.is_error()) {
        log_error("sync: %s", errno_message(synced.error()));  // sync() itself cannot fail
    }
    return 0;
}

int32_t sys_syncfs(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    Inode* inode = file.value()->inode();
    if (!inode) return 0;  // nothing to write for a pipe
    // The page cache writes its dirty file data before the file system
    // writes its metadata (all files' data: doing more is allowed).
    auto data_synced = storage::page_cache().sync_all();
    auto synced = inode->super_block().sync();
    if (data_synced.is_error()) return -data_synced.error();
    return synced.is_error() ? -synced.error() : 0;
}

// ftruncate(fd, length) and ftruncate64(fd, length low, length high).
int32_t ftruncate_to(uint32_t fd, int64_t length) {
    auto file = file_of(fd);
    if (file.is_error()) return -file.error();
    Inode* inode = file.value()->inode();
    bool grows = inode && length >= 0 && uint64_t(length) > inode->size();
    if (grows && uint64_t(length) > self().limits.soft(resource_limits::FSIZE)) {
        send_signal_to_current_thread(SIGXFSZ);  // Linux inode_newsize_ok: only growing is limited
        return -EFBIG;
    }
    auto truncated = vfs_ftruncate(*file.value(), length);
    return truncated.is_error() ? -truncated.error() : 0;
}
int32_t sys_ftruncate(const SyscallArguments& a) { return ftruncate_to(a.arg[0], int32_t(a.arg[1])); }
int32_t sys_ftruncate64(const SyscallArguments& a) {
    return ftruncate_to(a.arg[0], int64_t(uint64_t(a.arg[2]) << 32 | a.arg[1]));
}

}  // namespace

void register_file_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {3, {"read", sys_read}},           {4, {"write", sys_write}},       {5, {"open", sys_open}},
        {6, {"close", sys_close}},         {12, {"chdir", sys_chdir}},      {19, {"lseek", sys_lseek}},
        {41, {"dup", sys_dup}},          {54, {"ioctl", sys_ioctl}},
        {63, {"dup2", sys_dup2}},          {140, {"_llseek", sys_llseek}},
        {180, {"pread64", sys_pread64}},   {181, {"pwrite64", sys_pwrite64}},  {8, {"creat", sys_creat}},
        {330, {"dup3", sys_dup3}},         {333, {"preadv", sys_preadv}},      {334, {"pwritev", sys_pwritev}},
        {378, {"preadv2", sys_preadv2}},   {379, {"pwritev2", sys_pwritev2}},   {183, {"getcwd", sys_getcwd}},   {195, {"stat64", sys_stat64}},
        {196, {"lstat64", sys_lstat64}},   {197, {"fstat64", sys_fstat64}}, {220, {"getdents64", sys_getdents64}},
        {295, {"openat", sys_openat}},     {300, {"fstatat64", sys_fstatat64}}, {383, {"statx", sys_statx}},
        {133, {"fchdir", sys_fchdir}},     {239, {"sendfile64", sys_sendfile64}},
        {145, {"readv", sys_readv}},       {146, {"writev", sys_writev}},
        {36, {"sync", sys_sync}},          {118, {"fsync", sys_fsync}},     {148, {"fdatasync", sys_fsync}},
        {344, {"syncfs", sys_syncfs}},     {93, {"ftruncate", sys_ftruncate}}, {194, {"ftruncate64", sys_ftruncate64}},
    };
    add_system_calls(table, size, calls);
}
