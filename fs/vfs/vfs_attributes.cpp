// fs/vfs/vfs_attributes.cpp -- chmod, chown and utimensat, with their rules.
//
// Layer: virtual file system, its top (see vfs.h). Each change is checked
// here the way Linux checks it (fs/attr.c, fs/open.c, fs/utimes.c), then
// handed to the file system as one AttributeChange under the inode's lock;
// the change time is set to now with it.
//   chmod     the owner or root (EPERM); a caller outside the file's group
//             loses the setgid bit unless root
//   chown     root may give any owner and group; the owner may only move
//             the file to a group of its own (EPERM otherwise); a chown
//             clears setuid, and setgid when the group may execute
//   utimens   setting both times to now needs ownership, root or write
//             permission (EACCES); any other time, ownership or root (EPERM)
// A read-only mount refuses all of them (EROFS).
#include "fs/vfs/inode.h"
#include "fs/vfs/mount.h"
#include "fs/vfs/path_lookup.h"
#include "fs/vfs/vfs.h"

namespace {

Result<Path> walk(const Path& start, const char* name, bool follow, const Credentials& credentials) {
    return path_walk(start, name, follow ? LOOKUP_FOLLOW : 0, credentials);
}

bool owns(const Inode& inode, const Credentials& credentials) {
    return credentials.is_superuser() || credentials.uid == inode.uid();
}

Result<void> apply(const Path& path, AttributeChange& change) {
    if (path.mount()->is_read_only()) return Error{EROFS};
    Inode& inode = *path.inode();
    MutexLocker locker(inode.lock());
    change.valid |= AttributeChange::CHANGE_TIME;
    change.change_time = current_time();
    return inode.setattr(change);
}

Result<void> change_mode(const Path& path, uint32_t mode, const Credentials& credentials) {
    Inode& inode = *path.inode();
    if (!owns(inode, credentials)) return Error{EPERM};
    mode &= 07777;
    if (!credentials.is_superuser() && !credentials.is_in_group(inode.gid())) mode &= ~uint32_t(S_ISGID);
    AttributeChange change;
    change.valid = AttributeChange::MODE;
    change.mode = mode;
    return apply(path, change);
}

Result<void> change_owner(const Path& path, uint32_t uid, uint32_t gid, const Credentials& credentials) {
    constexpr uint32_t UNCHANGED = 0xFFFFFFFF;
    Inode& inode = *path.inode();
    bool new_uid = uid != UNCHANGED && uid != inode.uid();
    bool new_gid = gid != UNCHANGED && gid != inode.gid();
    if (!credentials.is_superuser()) {
        if (credentials.uid != inode.uid() || new_uid) return Error{EPERM};
        if (new_gid && !credentials.is_in_group(gid)) return Error{EPERM};
    }
    AttributeChange change;
    if (uid != UNCHANGED) change.valid |= AttributeChange::UID, change.uid = uid;
    if (gid != UNCHANGED) change.valid |= AttributeChange::GID, change.gid = gid;
    uint32_t mode = inode.mode() & 07777;
    if (!inode.is_directory() && (uid != UNCHANGED || gid != UNCHANGED)) {
        uint32_t cleared = S_ISUID | ((mode & S_IXGRP) ? S_ISGID : 0);
        if (mode & cleared) change.valid |= AttributeChange::MODE, change.mode = mode & ~cleared;
    }
    return apply(path, change);
}

Result<void> change_times(const Path& path, const UtimensRequest& request, const Credentials& credentials) {
    Inode& inode = *path.inode();
    bool only_now = request.access == UtimensRequest::Now && request.modification == UtimensRequest::Now;
    if (!owns(inode, credentials)) {
        if (!only_now) return Error{EPERM};
        if (inode.check_permission(credentials, MAY_WRITE).is_error()) return Error{EACCES};
    }
    AttributeChange change;
    Timestamp now = current_time();
    if (request.access != UtimensRequest::Omit) {
        change.valid |= AttributeChange::ACCESS_TIME;
        change.access_time = request.access == UtimensRequest::Now ? now : request.access_time;
    }
    if (request.modification != UtimensRequest::Omit) {
        change.valid |= AttributeChange::MODIFICATION_TIME;
        change.modification_time = request.modification == UtimensRequest::Now ? now : request.modification_time;
    }
    if (change.valid == 0) return {};  // both omitted: nothing at all changes
    return apply(path, change);
}

}  // namespace

Result<void> vfs_chmod(const Path& start, const char* name, uint32_t mode, const Credentials& credentials) {
    Path path = TRY(walk(start, name, true, credentials));
    return change_mode(path, mode, credentials);
}

Result<void> vfs_fchmod(File& file, uint32_t mode, const Credentials& credentials) {
    if (!file.inode()) return Error{EBADF};
    return change_mode(file.path(), mode, credentials);
}

Result<void> vfs_chown(const Path& start, const char* name, uint32_t uid, uint32_t gid, bool follow,
                       const Credentials& credentials) {
    Path path = TRY(walk(start, name, follow, credentials));
    return change_owner(path, uid, gid, credentials);
}

Result<void> vfs_fchown(File& file, uint32_t uid, uint32_t gid, const Credentials& credentials) {
    if (!file.inode()) return Error{EBADF};
    return change_owner(file.path(), uid, gid, credentials);
}

Result<void> vfs_utimens(const Path& start, const char* name, const UtimensRequest& request, bool follow,
                         const Credentials& credentials) {
    Path path = TRY(walk(start, name, follow, credentials));
    return change_times(path, request, credentials);
}

Result<void> vfs_futimens(File& file, const UtimensRequest& request, const Credentials& credentials) {
    if (!file.inode()) return Error{EBADF};
    return change_times(file.path(), request, credentials);
}
