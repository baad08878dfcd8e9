// fs/vfs/file_system_type.cpp -- the registry of file system types.
//
// Layer: virtual file system. See file_system_type.h. The registry is one of
// the few kernel-wide roots (like Linux's `file_systems` list): types register
// once at boot and mount(2) looks them up by name.
#include "fs/vfs/file_system_type.h"

#include "kernel/lib/string.h"

class FileSystemRegistry {
public:
    using TypeList = klib::IntrusiveList<FileSystemType, &FileSystemType::registry_link_>;

    // Function-local statics: constructed on first use, so a type registered
    // from another file's global constructor cannot come before them (the
    // order of global constructors across files is unspecified).
    static TypeList& types() {
        static TypeList list;
        return list;
    }
    // Guards the list and every type's registry_link_.
    static Mutex& lock() {
        static Mutex registry_lock{"file system types"};
        return registry_lock;
    }

    static bool is_registered(const FileSystemType& type) { return type.registry_link_.is_linked(); }

    static FileSystemType* find_locked(const char* name) {
        for (FileSystemType& type : types())
            if (klib::strcmp(type.name(), name) == 0) return &type;
        return nullptr;
    }
};

size_t FileSystemType::active_super_blocks() const {
    InterruptGuard atomic;
    return active_super_blocks_;
}

Result<void> register_filesystem(FileSystemType& type) {
    if (type.name() == nullptr || type.name()[0] == '\0') return Error{EINVAL};
    MutexLocker locker(FileSystemRegistry::lock());
    if (FileSystemRegistry::is_registered(type)) return Error{EEXIST};
    if (FileSystemRegistry::find_locked(type.name()) != nullptr) return Error{EEXIST};
    FileSystemRegistry::types().push_back(type);
    log_debug("vfs: registered file system type %s", type.name());
    return {};
}

Result<void> unregister_filesystem(FileSystemType& type) {
    MutexLocker locker(FileSystemRegistry::lock());
    if (!FileSystemRegistry::is_registered(type)) return Error{ENOENT};
    if (type.active_super_blocks() != 0) return Error{EBUSY};
    FileSystemRegistry::types().remove(type);
    return {};
}

FileSystemType* find_filesystem(const char* name) {
    if (name == nullptr) return nullptr;
    MutexLocker locker(FileSystemRegistry::lock());
    return FileSystemRegistry::find_locked(name);
}

void for_each_filesystem(void (*visit)(FileSystemType& type, void* context), void* context) {
    MutexLocker locker(FileSystemRegistry::lock());
    for (FileSystemType& type : FileSystemRegistry::types()) visit(type, context);
}
