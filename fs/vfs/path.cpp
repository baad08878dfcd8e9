// fs/vfs/path.cpp -- from a Path back to its name (d_path).
//
// Layer: virtual file system. See path.h. getcwd(2), the mount listing and
// error messages need the absolute name of a location; only the chain of
// parent dentries and mounts knows it. The name is assembled backwards, from
// the end of the caller's buffer towards its start, then moved to the front.
#include "fs/vfs/path.h"

#include "fs/vfs/dentry_cache.h"
#include "kernel/lib/string.h"

Result<size_t> d_path(const Path& path, char* buffer, size_t size) {
    if (path.is_empty()) return Error{EINVAL};
    if (size < 2) return Error{ERANGE};
    size_t end = size - 1;
    size_t start = end;
    buffer[end] = '\0';

    const Mount* mount = path.mount();
    const Dentry* dentry = path.dentry();
    DentryCache& cache = dentry->cache();
    // Names and parents change only under the cache lock (rename); mounts'
    // parent chains are fixed while we hold a reference to the lowest one.
    MutexLocker locker(cache.lock_);
    for (;;) {
        if (dentry == mount->root()) {
            if (mount->parent() == nullptr) break;  // the namespace's root
            dentry = mount->mount_point();
            mount = mount->parent();
            continue;
        }
        const Dentry* parent = dentry->parent();
        if (parent == nullptr) break;  // a file system root without a mount: stop
        size_t length = dentry->name_length();
        if (start < length + 1) return Error{ERANGE};
        start -= length;
        klib::memcpy(buffer + start, dentry->name(), length);
        buffer[--start] = '/';
        dentry = parent;
    }
    if (start == end) buffer[--start] = '/';  // the root itself
    size_t length = end - start;
    klib::memmove(buffer, buffer + start, length + 1);
    return length;
}
