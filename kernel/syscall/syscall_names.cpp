// kernel/syscall/syscall_names.cpp -- the calls that work on names.
//
// Layer: system calls. Making, removing, renaming and linking names in
// the tree (mkdir, rmdir, unlink, rename, link, symlink, mknod and their
// *at forms), reading symbolic links, truncating by name, asking about a
// file system (statfs64) and about permissions (access, faccessat), and
// changing a file's attributes (chmod, chown, utimensat and their forms). Each
// copies its names in and calls the VFS (fs/vfs/vfs.h), whose errors are
// Linux's. A mode for a new name has the caller's umask taken out here.
#include "fs/vfs/device_table.h"
#include "fs/vfs/file_mode.h"
#include "fs/vfs/open_flags.h"
#include "fs/vfs/vfs.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

int32_t status_of(const Result<void>& result) { return result.is_error() ? -result.error() : 0; }

// One name relative to a start directory, copied in: the usual first step.
struct NameAt {
    UserPath text;
    Path start;
    const char* name = nullptr;

    Result<void> copy(uint32_t dirfd, uint32_t user_name) {
        name = TRY(text.copy(user_name));
        start = TRY(start_directory(dirfd));
        return {};
    }
};

uint32_t creation_mode(uint32_t mode) { return mode & ~self().umask & 07777; }

int32_t make_directory(uint32_t dirfd, uint32_t user_name, uint32_t mode) {
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    return status_of(vfs_mkdir(at.start, at.name, creation_mode(mode), self().credentials));
}
int32_t sys_mkdir(const SyscallArguments& a) { return make_directory(AT_FDCWD_VALUE, a.arg[0], a.arg[1]); }
int32_t sys_mkdirat(const SyscallArguments& a) { return make_directory(a.arg[0], a.arg[1], a.arg[2]); }

int32_t remove_name(uint32_t dirfd, uint32_t user_name, uint32_t flags) {
    if (flags & ~uint32_t(AT_REMOVEDIR)) return -EINVAL;
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    if (flags & AT_REMOVEDIR) return status_of(vfs_rmdir(at.start, at.name, self().credentials));
    return status_of(vfs_unlink(at.start, at.name, self().credentials));
}
int32_t sys_unlink(const SyscallArguments& a) { return remove_name(AT_FDCWD_VALUE, a.arg[0], 0); }
int32_t sys_rmdir(const SyscallArguments& a) { return remove_name(AT_FDCWD_VALUE, a.arg[0], AT_REMOVEDIR); }
int32_t sys_unlinkat(const SyscallArguments& a) { return remove_name(a.arg[0], a.arg[1], a.arg[2]); }

// rename(old, new), renameat(olddirfd, old, newdirfd, new) and renameat2
// with flags 0 (RENAME_NOREPLACE, EXCHANGE and WHITEOUT are not offered).
int32_t rename_at(uint32_t old_dirfd, uint32_t old_name, uint32_t new_dirfd, uint32_t new_name, uint32_t flags) {
    if (flags != 0) return -EINVAL;
    NameAt from, to;
    if (auto copied = from.copy(old_dirfd, old_name); copied.is_error()) return -copied.error();
    if (auto copied = to.copy(new_dirfd, new_name); copied.is_error()) return -copied.error();
    return status_of(vfs_rename(from.start, from.name, to.start, to.name, self().credentials));
}
int32_t sys_rename(const SyscallArguments& a) { return rename_at(AT_FDCWD_VALUE, a.arg[0], AT_FDCWD_VALUE, a.arg[1], 0); }
int32_t sys_renameat(const SyscallArguments& a) { return rename_at(a.arg[0], a.arg[1], a.arg[2], a.arg[3], 0); }
int32_t sys_renameat2(const SyscallArguments& a) {
    return rename_at(a.arg[0], a.arg[1], a.arg[2], a.arg[3], a.arg[4]);
}

// link(existing, new) and linkat(olddirfd, existing, newdirfd, new, flags):
// AT_SYMLINK_FOLLOW is not offered (links name the symbolic link itself).
int32_t link_at(uint32_t old_dirfd, uint32_t old_name, uint32_t new_dirfd, uint32_t new_name, uint32_t flags) {
    if (flags != 0) return -EINVAL;
    NameAt existing, created;
    if (auto copied = existing.copy(old_dirfd, old_name); copied.is_error()) return -copied.error();
    if (auto copied = created.copy(new_dirfd, new_name); copied.is_error()) return -copied.error();
    return status_of(vfs_link(existing.start, existing.name, created.start, created.name, self().credentials));
}
int32_t sys_link(const SyscallArguments& a) { return link_at(AT_FDCWD_VALUE, a.arg[0], AT_FDCWD_VALUE, a.arg[1], 0); }
int32_t sys_linkat(const SyscallArguments& a) { return link_at(a.arg[0], a.arg[1], a.arg[2], a.arg[3], a.arg[4]); }

// symlink(target, name) and symlinkat(target, newdirfd, name): the target
// is stored as given, never looked up.
int32_t symlink_at(uint32_t user_target, uint32_t dirfd, uint32_t user_name) {
    UserPath target_text;
    auto target = target_text.copy(user_target);
    if (target.is_error()) return -target.error();
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    return status_of(vfs_symlink(target.value(), at.start, at.name, self().credentials));
}
int32_t sys_symlink(const SyscallArguments& a) { return symlink_at(a.arg[0], AT_FDCWD_VALUE, a.arg[1]); }
int32_t sys_symlinkat(const SyscallArguments& a) { return symlink_at(a.arg[0], a.arg[1], a.arg[2]); }

// mknod(name, mode, dev) / mknodat(dirfd, name, mode, dev): `dev` in the
// user encoding (linux_abi::encode_device).
int32_t make_node(uint32_t dirfd, uint32_t user_name, uint32_t mode, uint32_t device) {
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    uint32_t type = mode & S_IFMT;
    uint32_t kernel_device = make_device_number(linux_abi::decode_device_major(device),
                                                linux_abi::decode_device_minor(device));
    return status_of(vfs_mknod(at.start, at.name, type | creation_mode(mode), kernel_device, self().credentials));
}
int32_t sys_mknod(const SyscallArguments& a) { return make_node(AT_FDCWD_VALUE, a.arg[0], a.arg[1], a.arg[2]); }
int32_t sys_mknodat(const SyscallArguments& a) { return make_node(a.arg[0], a.arg[1], a.arg[2], a.arg[3]); }

// readlink(name, buffer, size) / readlinkat(dirfd, name, buffer, size):
// the target's bytes, not NUL-terminated, cut at `size`.
int32_t read_link_at(uint32_t dirfd, uint32_t user_name, uint32_t user_buffer, uint32_t size) {
    if (int32_t(size) <= 0) return -EINVAL;
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    char target[MAX_PATH_LENGTH];
    size_t limit = size < sizeof target ? size : sizeof target;
    auto length = vfs_readlink(at.start, at.name, target, limit, self().credentials);
    if (length.is_error()) return -length.error();
    auto copied = copy_to_user(user_buffer, target, length.value());
    return copied.is_error() ? -copied.error() : int32_t(length.value());
}
int32_t sys_readlink(const SyscallArguments& a) { return read_link_at(AT_FDCWD_VALUE, a.arg[0], a.arg[1], a.arg[2]); }
int32_t sys_readlinkat(const SyscallArguments& a) { return read_link_at(a.arg[0], a.arg[1], a.arg[2], a.arg[3]); }

// truncate(name, length) and truncate64(name, length low, length high).
int32_t truncate_name(uint32_t user_name, int64_t length) {
    NameAt at;
    if (auto copied = at.copy(AT_FDCWD_VALUE, user_name); copied.is_error()) return -copied.error();
    return status_of(vfs_truncate(at.start, at.name, length, self().credentials));
}
int32_t sys_truncate(const SyscallArguments& a) { return truncate_name(a.arg[0], int32_t(a.arg[1])); }
int32_t sys_truncate64(const SyscallArguments& a) {
    return truncate_name(a.arg[0], int64_t(uint64_t(a.arg[2]) << 32 | a.arg[1]));
}

// statfs64(name, size, buffer) / fstatfs64(fd, size, buffer): `size` must
// be the i386 structure's, 84 bytes.
int32_t sys_statfs64(const SyscallArguments& a) {
    if (a.arg[1] != sizeof(linux_abi::statfs64)) return -EINVAL;
    NameAt at;
    if (auto copied = at.copy(AT_FDCWD_VALUE, a.arg[0]); copied.is_error()) return -copied.error();
    linux_abi::statfs64 out;
    if (auto r = vfs_statfs(at.start, at.name, self().credentials, &out); r.is_error()) return -r.error();
    return status_of(copy_to_user(a.arg[2], &out, sizeof out));
}
int32_t sys_fstatfs64(const SyscallArguments& a) {
    if (a.arg[1] != sizeof(linux_abi::statfs64)) return -EINVAL;
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    linux_abi::statfs64 out;
    if (auto r = vfs_fstatfs(*file.value(), &out); r.is_error()) return -r.error();
    return status_of(copy_to_user(a.arg[2], &out, sizeof out));
}

// access(name, mode) / faccessat(dirfd, name, mode) / faccessat2(..., flags).
// Real and effective ids are one here, so AT_EACCESS changes nothing.
int32_t access_at(uint32_t dirfd, uint32_t user_name, uint32_t may, uint32_t flags) {
    constexpr uint32_t AT_EACCESS = 0x200;
    if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    return status_of(vfs_access(at.start, at.name, int(may), self().credentials));
}
int32_t sys_access(const SyscallArguments& a) { return access_at(AT_FDCWD_VALUE, a.arg[0], a.arg[1], 0); }
int32_t sys_faccessat(const SyscallArguments& a) { return access_at(a.arg[0], a.arg[1], a.arg[2], 0); }
int32_t sys_faccessat2(const SyscallArguments& a) { return access_at(a.arg[0], a.arg[1], a.arg[2], a.arg[3]); }

// chmod(name, mode), fchmod(fd, mode), fchmodat(dirfd, name, mode).
int32_t change_mode_at(uint32_t dirfd, uint32_t user_name, uint32_t mode) {
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    return status_of(vfs_chmod(at.start, at.name, mode, self().credentials));
}
int32_t sys_chmod(const SyscallArguments& a) { return change_mode_at(AT_FDCWD_VALUE, a.arg[0], a.arg[1]); }
int32_t sys_fchmodat(const SyscallArguments& a) { return change_mode_at(a.arg[0], a.arg[1], a.arg[2]); }
int32_t sys_fchmod(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    return status_of(vfs_fchmod(*file.value(), a.arg[1], self().credentials));
}

// chown32, lchown32, fchown32 and fchownat (AT_SYMLINK_NOFOLLOW,
// AT_EMPTY_PATH: the descriptor itself). -1 leaves an id as it is.
int32_t change_owner_at(uint32_t dirfd, uint32_t user_name, uint32_t uid, uint32_t gid, uint32_t flags) {
    if (flags & ~uint32_t(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    if (at.name[0] == '\0' && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD_VALUE) {
        auto file = file_of(dirfd);
        if (file.is_error()) return -file.error();
        return status_of(vfs_fchown(*file.value(), uid, gid, self().credentials));
    }
    bool follow = !(flags & AT_SYMLINK_NOFOLLOW);
    return status_of(vfs_chown(at.start, at.name, uid, gid, follow, self().credentials));
}
int32_t sys_chown32(const SyscallArguments& a) { return change_owner_at(AT_FDCWD_VALUE, a.arg[0], a.arg[1], a.arg[2], 0); }
int32_t sys_lchown32(const SyscallArguments& a) {
    return change_owner_at(AT_FDCWD_VALUE, a.arg[0], a.arg[1], a.arg[2], AT_SYMLINK_NOFOLLOW);
}
// chown, lchown, fchown: the old calls with 16-bit ids (widen_old_id).
int32_t sys_chown16(const SyscallArguments& a) {
    return change_owner_at(AT_FDCWD_VALUE, a.arg[0], widen_old_id(a.arg[1]), widen_old_id(a.arg[2]), 0);
}
int32_t sys_lchown16(const SyscallArguments& a) {
    return change_owner_at(AT_FDCWD_VALUE, a.arg[0], widen_old_id(a.arg[1]), widen_old_id(a.arg[2]), AT_SYMLINK_NOFOLLOW);
}
int32_t sys_fchownat(const SyscallArguments& a) { return change_owner_at(a.arg[0], a.arg[1], a.arg[2], a.arg[3], a.arg[4]); }
int32_t change_owner_of_file(uint32_t fd, uint32_t uid, uint32_t gid) {
    auto file = file_of(fd);
    if (file.is_error()) return -file.error();
    return status_of(vfs_fchown(*file.value(), uid, gid, self().credentials));
}
int32_t sys_fchown32(const SyscallArguments& a) { return change_owner_of_file(a.arg[0], a.arg[1], a.arg[2]); }
int32_t sys_fchown16(const SyscallArguments& a) {
    return change_owner_of_file(a.arg[0], widen_old_id(a.arg[1]), widen_old_id(a.arg[2]));
}

// utimensat(dirfd, name, times[2], flags) in both timespec layouts. times
// NULL: both now. tv_nsec UTIME_NOW / UTIME_OMIT as Linux. A NULL name
// means dirfd itself (what futimens passes).
constexpr int64_t UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;

Result<UtimensRequest> read_times(uint32_t user_times, bool time64) {
    UtimensRequest request;
    if (!user_times) return request;
    int64_t seconds[2], nanoseconds[2];
    for (int i = 0; i < 2; ++i) {
        if (time64) {
            int64_t t[2];
            TRY(copy_from_user(t, user_times + i * sizeof t, sizeof t));
            seconds[i] = t[0], nanoseconds[i] = t[1];
        } else {
            int32_t t[2];
            TRY(copy_from_user(t, user_times + i * sizeof t, sizeof t));
            seconds[i] = t[0], nanoseconds[i] = t[1];
        }
    }
    UtimensRequest::What* what[2] = {&request.access, &request.modification};
    Timestamp* time[2] = {&request.access_time, &request.modification_time};
    for (int i = 0; i < 2; ++i) {
        if (nanoseconds[i] == UTIME_NOW) *what[i] = UtimensRequest::Now;
        else if (nanoseconds[i] == UTIME_OMIT) *what[i] = UtimensRequest::Omit;
        else if (nanoseconds[i] < 0 || nanoseconds[i] > 999999999) return Error(EINVAL);
        else *what[i] = UtimensRequest::Set, *time[i] = Timestamp{seconds[i], uint32_t(nanoseconds[i])};
    }
    return request;
}

int32_t change_times_at(const SyscallArguments& a, bool time64) {
    uint32_t dirfd = a.arg[0], user_name = a.arg[1], flags = a.arg[3];
    if (flags & ~uint32_t(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    auto request = read_times(a.arg[2], time64);
    if (request.is_error()) return -request.error();
    if (!user_name) {
        auto file = file_of(dirfd);
        if (file.is_error()) return -file.error();
        return status_of(vfs_futimens(*file.value(), request.value(), self().credentials));
    }
    NameAt at;
    if (auto copied = at.copy(dirfd, user_name); copied.is_error()) return -copied.error();
    bool follow = !(flags & AT_SYMLINK_NOFOLLOW);
    return status_of(vfs_utimens(at.start, at.name, request.value(), follow, self().credentials));
}
int32_t sys_utimensat(const SyscallArguments& a) { return change_times_at(a, false); }
int32_t sys_utimensat64(const SyscallArguments& a) { return change_times_at(a, true); }

}  // namespace

void register_name_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {9, {"link", sys_link}},           {10, {"unlink", sys_unlink}},     {14, {"mknod", sys_mknod}},
        {33, {"access", sys_access}},      {38, {"rename", sys_rename}},     {39, {"mkdir", sys_mkdir}},
        {40, {"rmdir", sys_rmdir}},        {83, {"symlink", sys_symlink}},   {85, {"readlink", sys_readlink}},
        {92, {"truncate", sys_truncate}},  {193, {"truncate64", sys_truncate64}},
        {268, {"statfs64", sys_statfs64}}, {269, {"fstatfs64", sys_fstatfs64}},
        {296, {"mkdirat", sys_mkdirat}},   {297, {"mknodat", sys_mknodat}}, {301, {"unlinkat", sys_unlinkat}},
        {302, {"renameat", sys_renameat}}, {303, {"linkat", sys_linkat}},   {304, {"symlinkat", sys_symlinkat}},
        {305, {"readlinkat", sys_readlinkat}}, {307, {"faccessat", sys_faccessat}},
        {353, {"renameat2", sys_renameat2}}, {439, {"faccessat2", sys_faccessat2}},
        {15, {"chmod", sys_chmod}},        {94, {"fchmod", sys_fchmod}},     {306, {"fchmodat", sys_fchmodat}},
        {16, {"lchown", sys_lchown16}},   {182, {"chown", sys_chown16}},   {95, {"fchown", sys_fchown16}},
        {212, {"chown32", sys_chown32}},   {198, {"lchown32", sys_lchown32}}, {207, {"fchown32", sys_fchown32}},
        {298, {"fchownat", sys_fchownat}}, {320, {"utimensat", sys_utimensat}},
        {412, {"utimensat_time64", sys_utimensat64}},
    };
    add_system_calls(table, size, calls);
}
