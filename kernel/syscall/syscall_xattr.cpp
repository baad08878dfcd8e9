// kernel/syscall/syscall_xattr.cpp -- extended attributes: the twelve
// calls of the xattr family, on file systems that keep none.
//
// Layer: system calls, over path lookup and the inode's permissions. No
// file system here stores extended attributes, so the calls answer as
// Linux answers for one without xattr support (fs/xattr.c), after the same
// checks in the same order: the name is looked up (ENOENT, ENOTDIR...),
// set and remove need a writable mount (EROFS), the attribute's name must
// be 1..255 bytes (ERANGE), a value above 64 KiB is E2BIG, and
// xattr_permission's rules apply -- "trusted." is root's (EPERM to set,
// ENODATA to read for others), "user." only on regular files and
// directories (EPERM / ENODATA elsewhere), then the inode's read or write
// permission (EACCES). What is left is EOPNOTSUPP ("Operation not
// supported", ENOTSUP) for get, set and remove, and an empty list (0) for
// list -- Linux's answer without a security module's names.
// The l- forms do not follow a final symbolic link; the f- forms take a
// descriptor (EBADF).
#include "fs/vfs/file_mode.h"
#include "fs/vfs/mount.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

constexpr uint32_t XATTR_NAME_MAX = 255, XATTR_SIZE_MAX = 65536;
constexpr uint32_t XATTR_CREATE = 1, XATTR_REPLACE = 2;

enum class Access { Read, Write };

// The file a call names: by path (following a final link or not) or by descriptor.
Result<Path> target_by_name(uint32_t user_name, bool follow) {
    UserPath text;
    const char* name = TRY(text.copy(user_name));
    return path_walk(self().working_directory, name, follow ? LOOKUP_FOLLOW : 0, self().credentials);
}

Result<Path> target_by_descriptor(uint32_t fd) {
    FileRef file = TRY(file_of(fd));
    if (file->inode() == nullptr) return Error(EOPNOTSUPP);  // a pipe: no inode to carry attributes
    return file->path();
}

// The attribute's name: 1..255 bytes, else ERANGE.
Result<void> copy_attribute_name(uint32_t user_name, char (&name)[XATTR_NAME_MAX + 1]) {
    auto copied = copy_string_from_user(name, user_name, sizeof name);
    if (copied.is_error()) return Error(copied.error() == ENAMETOOLONG ? ERANGE : copied.error());
    if (name[0] == '\0') return Error(ERANGE);
    return {};
}

bool has_prefix(const char* name, const char* prefix) { return klib::strncmp(name, prefix, klib::strlen(prefix)) == 0; }

// Linux: xattr_permission.
Result<void> check_attribute_permission(const Inode& inode, const char* name, Access access) {
    const Credentials& credentials = self().credentials;
    bool write = access == Access::Write;
    if (has_prefix(name, "security.") || has_prefix(name, "system.")) return {};
    if (has_prefix(name, "trusted.")) {
        if (!credentials.is_superuser()) return Error(write ? EPERM : ENODATA);
        return {};
    }
    if (has_prefix(name, "user.")) {
        uint32_t mode = inode.mode();
        if (!is_regular_file(mode) && !is_directory(mode)) return Error(write ? EPERM : ENODATA);
        if (is_directory(mode) && (mode & S_ISVTX) && write && !credentials.is_superuser() &&
            credentials.uid != inode.uid())
            return Error(EPERM);
    }
    return inode.check_permission(credentials, write ? MAY_WRITE : MAY_READ);
}

Result<void> check_writable(const Path& path) {
    if (path.mount() != nullptr && path.mount()->is_read_only()) return Error(EROFS);
    return {};
}

// --- the four operations, on a file found -----------------------------------------------
Result<int32_t> get_attribute(const Path& path, uint32_t user_name) {
    char name[XATTR_NAME_MAX + 1];
    TRY(copy_attribute_name(user_name, name));
    TRY(check_attribute_permission(*path.inode(), name, Access::Read));
    return Error(EOPNOTSUPP);
}

Result<int32_t> set_attribute(const Path& path, uint32_t user_name, uint32_t size, uint32_t flags) {
    TRY(check_writable(path));
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return Error(EINVAL);
    char name[XATTR_NAME_MAX + 1];
    TRY(copy_attribute_name(user_name, name));
    if (size > XATTR_SIZE_MAX) return Error(E2BIG);
    TRY(check_attribute_permission(*path.inode(), name, Access::Write));
    return Error(EOPNOTSUPP);
}

Result<int32_t> remove_attribute(const Path& path, uint32_t user_name) {
    TRY(check_writable(path));
    char name[XATTR_NAME_MAX + 1];
    TRY(copy_attribute_name(user_name, name));
    TRY(check_attribute_permission(*path.inode(), name, Access::Write));
    return Error(EOPNOTSUPP);
}

Result<int32_t> list_attributes(const Path&) { return 0; }  // no names, whatever the size

// --- the twelve entries -------------------------------------------------------------------
template <typename Operation>
int32_t by_name(uint32_t user_path, bool follow, Operation operation) {
    auto path = target_by_name(user_path, follow);
    if (path.is_error()) return -path.error();
    return syscall_result(operation(path.value()));
}

template <typename Operation>
int32_t by_descriptor(uint32_t fd, Operation operation) {
    auto path = target_by_descriptor(fd);
    if (path.is_error()) return -path.error();
    return syscall_result(operation(path.value()));
}

int32_t sys_getxattr(const SyscallArguments& a) {
    return by_name(a.arg[0], true, [&](const Path& p) { return get_attribute(p, a.arg[1]); });
}
int32_t sys_lgetxattr(const SyscallArguments& a) {
    return by_name(a.arg[0], false, [&](const Path& p) { return get_attribute(p, a.arg[1]); });
}
int32_t sys_fgetxattr(const SyscallArguments& a) {
    return by_descriptor(a.arg[0], [&](const Path& p) { return get_attribute(p, a.arg[1]); });
}
int32_t sys_setxattr(const SyscallArguments& a) {
    return by_name(a.arg[0], true, [&](const Path& p) { return set_attribute(p, a.arg[1], a.arg[3], a.arg[4]); });
}
int32_t sys_lsetxattr(const SyscallArguments& a) {
    return by_name(a.arg[0], false, [&](const Path& p) { return set_attribute(p, a.arg[1], a.arg[3], a.arg[4]); });
}
int32_t sys_fsetxattr(const SyscallArguments& a) {
    return by_descriptor(a.arg[0], [&](const Path& p) { return set_attribute(p, a.arg[1], a.arg[3], a.arg[4]); });
}
int32_t sys_removexattr(const SyscallArguments& a) {
    return by_name(a.arg[0], true, [&](const Path& p) { return remove_attribute(p, a.arg[1]); });
}
int32_t sys_lremovexattr(const SyscallArguments& a) {
    return by_name(a.arg[0], false, [&](const Path& p) { return remove_attribute(p, a.arg[1]); });
}
int32_t sys_fremovexattr(const SyscallArguments& a) {
    return by_descriptor(a.arg[0], [&](const Path& p) { return remove_attribute(p, a.arg[1]); });
}
int32_t sys_listxattr(const SyscallArguments& a) { return by_name(a.arg[0], true, list_attributes); }
int32_t sys_llistxattr(const SyscallArguments& a) { return by_name(a.arg[0], false, list_attributes); }
int32_t sys_flistxattr(const SyscallArguments& a) { return by_descriptor(a.arg[0], list_attributes); }

}  // namespace

void register_xattr_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {226, {"setxattr", sys_setxattr}},       {227, {"lsetxattr", sys_lsetxattr}},
        {228, {"fsetxattr", sys_fsetxattr}},     {229, {"getxattr", sys_getxattr}},
        {230, {"lgetxattr", sys_lgetxattr}},     {231, {"fgetxattr", sys_fgetxattr}},
        {232, {"listxattr", sys_listxattr}},     {233, {"llistxattr", sys_llistxattr}},
        {234, {"flistxattr", sys_flistxattr}},   {235, {"removexattr", sys_removexattr}},
        {236, {"lremovexattr", sys_lremovexattr}}, {237, {"fremovexattr", sys_fremovexattr}},
    };
    add_system_calls(table, size, calls);
}
