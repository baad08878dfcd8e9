// fs/vfs/path_lookup.h -- from a path name to a Path (namei).
//
// Layer: virtual file system. Every system call that takes a file name starts
// here: "/mnt/ata/../etc/./rc" is split into components and walked one by one
// from the root (absolute) or from the working directory (relative), through
// the dentry cache, across mount points in both directions, following
// symbolic links. (Linux: fs/namei.c -- path_lookupat, link_path_walk,
// walk_component, follow_dotdot, step_into/pick_link, filename_parentat.)
//
// Interface:
//   path_walk(cwd, name, LOOKUP_*, credentials)        -> Path of the file
//   path_walk_parent(cwd, name, credentials, result)   -> Path of the
//       directory that holds the last component, and that component -- for
//       create, mkdir, unlink, rename..., which must lock the directory
//       before they look at the name
//
// Rules (Linux's, and tested in tests/host/vfs_test.cpp):
//   - "" is ENOENT; a name longer than 4095 bytes or a component longer than
//     255 is ENAMETOOLONG. Repeated slashes count as one.
//   - "." stays, ".." goes to the parent; ".." at the namespace root stays
//     there; ".." at the root of a mount goes to the mount point's parent in
//     the mount below (as often as mounts are stacked).
//   - Arriving at a directory with a mount on it continues at the root of the
//     topmost mount there.
//   - Symbolic links in the middle are always followed; the final one only
//     with LOOKUP_FOLLOW (stat vs lstat) or when the name ends in '/'. A link
//     to an absolute name restarts at the root, a relative one continues in
//     the link's directory. At most 40 links per lookup, else ELOOP.
//   - Every directory passed through needs search (x) permission for the
//     credentials: EACCES. A component that is not a directory where one is
//     needed, or a trailing slash after a non-directory, is ENOTDIR.
//
// Locking: takes no lock across steps; each step takes the dentry cache's
// lock, the directory's inode lock on a cache miss, and the namespace lock
// when crossing a mount point. The result holds references, so it stays valid
// however the tree changes afterwards.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/file_mode.h"
#include "fs/vfs/path.h"

constexpr size_t MAX_PATH_LENGTH = 4096;  // including the NUL (Linux PATH_MAX)
constexpr size_t MAX_NAME_LENGTH = 255;   // one component (Linux NAME_MAX)
constexpr int MAX_SYMLINK_FOLLOWS = 40;   // per lookup (Linux MAXSYMLINKS)

// Lookup flags (Linux LOOKUP_FOLLOW, LOOKUP_DIRECTORY).
constexpr uint32_t LOOKUP_FOLLOW = 1;     // follow a symbolic link in the last component
constexpr uint32_t LOOKUP_DIRECTORY = 2;  // the result must be a directory (ENOTDIR)

// What path_walk_parent found at the end of the name.
enum class LastComponent : uint8_t {
    Normal,  // a name, in `last`
    Dot,     // "."
    DotDot,  // ".."
    Root,    // nothing: the name was "/" (or only slashes)
};

struct ParentLookup {
    Path directory;  // where the last component lives (a directory)
    char last[MAX_NAME_LENGTH + 1] = {};
    size_t last_length = 0;
    LastComponent kind = LastComponent::Normal;
    bool trailing_slash = false;  // "name/": the caller must want a directory
};

// `cwd` is the starting point for relative names and tells which namespace
// the name belongs to (its mount's); it must not be empty.
Result<Path> path_walk(const Path& cwd, const char* name, uint32_t lookup_flags,
                       const Credentials& credentials);
Result<void> path_walk_parent(const Path& cwd, const char* name, const Credentials& credentials,
                              ParentLookup& result);
