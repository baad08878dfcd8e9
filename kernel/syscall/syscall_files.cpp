// kernel/syscall/syscall_files.cpp -- the file system calls.
//
// Layer: system calls. Each function copies names and structures between
// the program and the kernel (user_memory.h), turns descriptors into files
// (the process's FileDescriptorTable) and calls the VFS (fs/vfs/vfs.h).
// Data pass through a kernel buffer of one page per step; the page cache
// will later let reads and writes copy straight from cached pages.
#include "fs/vfs/open_flags.h"
#include "fs/vfs/path_lookup.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"

namespace {

constexpr uint32_t AT_FDCWD_VALUE = uint32_t(-100);
constexpr size_t TRANSFER_CHUNK = 4096;

Process& self() { return *current_process(); }

// A path name from user space, in a kernel buffer of its own.
class UserPath {
public:
    ~UserPath() { kfree(text_); }
    Result<const char*> copy(uint32_t user_address) {
        text_ = static_cast<char*>(kmalloc(MAX_PATH_LENGTH));
        if (!text_) return Error(ENOMEM);
        TRY(copy_string_from_user(text_, user_address, MAX_PATH_LENGTH));
        return static_cast<const char*>(text_);
    }

private:
    char* text_ = nullptr;
};

Result<FileRef> file_of(uint32_t fd) { return self().files->get(int(fd)); }

// The directory a *at() call's relative names start from.
Result<Path> start_directory(uint32_t dirfd) {
    if (dirfd == AT_FDCWD_VALUE) return self().working_directory;
    FileRef directory = TRY(file_of(dirfd));
    return directory->path();
}

// Moves data between a file and user memory one chunk at a time.
template <typename Transfer>
Result<size_t> transfer_in_chunks(uint32_t user_buffer, size_t count, bool to_user, Transfer transfer) {
    auto* chunk = static_cast<uint8_t*>(kmalloc(TRANSFER_CHUNK));
    if (!chunk) return Error(ENOMEM);
    size_t done = 0;
    Result<void> status;
    while (done < count) {
        size_t step = count - done < TRANSFER_CHUNK ? count - done : TRANSFER_CHUNK;
        if (!to_user) {
            status = copy_from_user(chunk, user_buffer + uint32_t(done), step);
            if (status.is_error()) break;
        }
        Result<size_t> moved = transfer(chunk, step, done);
        if (moved.is_error()) {
            status = Error(moved.error());
            break;
        }
        if (to_user) {
            status = copy_to_user(user_buffer + uint32_t(done), chunk, moved.value());
            if (status.is_error()) break;
        }
        done += moved.value();
        if (moved.value() < step) break;  // end of file, or a short device
    }
    kfree(chunk);
    // Like Linux: bytes already moved count, the error is for the next call.
    if (done == 0 && status.is_error()) return Error(status.error());
    return done;
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
    auto written = transfer_in_chunks(a.arg[1], a.arg[2], false, [&](uint8_t* chunk, size_t step, size_t) {
        return vfs_write(f, chunk, step);
    });
    // Writing into a pipe nobody reads: SIGPIPE as well as EPIPE.
    if (written.is_error() && written.error() == EPIPE) send_signal(self(), SIGPIPE);
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
    auto length = vfs_getdents64(*file.value(), buffer, size);
    Result<void> copied = length.is_error() ? Result<void>() : copy_to_user(a.arg[1], buffer, length.value());
    kfree(buffer);
    if (length.is_error()) return -length.error();
    return copied.is_error() ? -copied.error() : int32_t(length.value());
}

Result<void> stat_at(uint32_t dirfd, uint32_t user_path, uint32_t user_stat, bool follow) {
    UserPath path;
    const char* name = TRY(path.copy(user_path));
    Path start = TRY(start_directory(dirfd));
    linux_abi::stat64 status;
    TRY(vfs_stat(start, name, follow, self().credentials, &status));
    return copy_to_user(user_stat, &status, sizeof status);
}

int32_t sys_stat64(const SyscallArguments& a) {
    auto r = stat_at(AT_FDCWD_VALUE, a.arg[0], a.arg[1], true);
    return r.is_error() ? -r.error() : 0;
}
int32_t sys_lstat64(const SyscallArguments& a) {
    auto r = stat_at(AT_FDCWD_VALUE, a.arg[0], a.arg[1], false);
    return r.is_error() ? -r.error() : 0;
}
int32_t sys_fstatat64(const SyscallArguments& a) {
    auto r = stat_at(a.arg[0], a.arg[1], a.arg[2], !(a.arg[3] & AT_SYMLINK_NOFOLLOW));
    return r.is_error() ? -r.error() : 0;
}

int32_t sys_fstat64(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    linux_abi::stat64 status;
    if (auto r = vfs_fstat(*file.value(), &status); r.is_error()) return -r.error();
    auto copied = copy_to_user(a.arg[1], &status, sizeof status);
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_readlink(const SyscallArguments& a) {
    UserPath path;
    auto name = path.copy(a.arg[0]);
    if (name.is_error()) return -name.error();
    char target[MAX_PATH_LENGTH];
    size_t size = a.arg[2] < sizeof target ? a.arg[2] : sizeof target;
    auto length = vfs_readlink(self().working_directory, name.value(), target, size, self().credentials);
    if (length.is_error()) return -length.error();
    auto copied = copy_to_user(a.arg[1], target, length.value());
    return copied.is_error() ? -copied.error() : int32_t(length.value());
}

int32_t sys_dup(const SyscallArguments& a) { return syscall_result(self().files->dup(int(a.arg[0]))); }
int32_t sys_dup2(const SyscallArguments& a) { return syscall_result(self().files->dup2(int(a.arg[0]), int(a.arg[1]))); }

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

int32_t sys_access(const SyscallArguments& a) {
    UserPath path;
    auto name = path.copy(a.arg[0]);
    if (name.is_error()) return -name.error();
    auto allowed = vfs_access(self().working_directory, name.value(), int(a.arg[1]), self().credentials);
    return allowed.is_error() ? -allowed.error() : 0;
}

}  // namespace

void register_file_system_calls(SyscallEntry* table, uint32_t size) {
    const struct {
        uint32_t number;
        SyscallEntry entry;
    } calls[] = {
        {3, {"read", sys_read}},           {4, {"write", sys_write}},       {5, {"open", sys_open}},
        {6, {"close", sys_close}},         {12, {"chdir", sys_chdir}},      {19, {"lseek", sys_lseek}},
        {33, {"access", sys_access}},      {41, {"dup", sys_dup}},          {54, {"ioctl", sys_ioctl}},
        {63, {"dup2", sys_dup2}},          {85, {"readlink", sys_readlink}}, {140, {"_llseek", sys_llseek}},
        {180, {"pread64", sys_pread64}},   {183, {"getcwd", sys_getcwd}},   {195, {"stat64", sys_stat64}},
        {196, {"lstat64", sys_lstat64}},   {197, {"fstat64", sys_fstat64}}, {220, {"getdents64", sys_getdents64}},
        {295, {"openat", sys_openat}},     {300, {"fstatat64", sys_fstatat64}},
    };
    for (const auto& call : calls) {
        if (call.number < size) table[call.number] = call.entry;
    }
}
