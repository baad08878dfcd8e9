// fs/vfs/mount.cpp -- a mount's references and flags.
//
// Layer: virtual file system. See mount.h. Mounts are created and destroyed
// only by MountNamespace (mount_namespace.cpp); this file keeps their counts.
#include "fs/vfs/mount.h"

#include "fs/vfs/super_block.h"
#include "kernel/lib/string.h"

namespace {
size_t mounts_alive = 0;  // guarded by InterruptGuard
}  // namespace

Mount::Mount(MountNamespace& mount_namespace, SuperBlock& super_block, Mount* parent, DentryRef mount_point,
             DentryRef root, uint32_t flags, const char* device_name)
    : namespace_(mount_namespace),
      super_block_(super_block),
      parent_(parent),
      mount_point_(static_cast<DentryRef&&>(mount_point)),
      root_(static_cast<DentryRef&&>(root)),
      flags_(flags & MOUNT_STATE_FLAGS) {
    klib::strlcpy(device_name_, device_name, sizeof(device_name_));
    InterruptGuard atomic;
    ++mounts_alive;
}

Mount::~Mount() {
    KASSERT(reference_count_ == 0 && open_file_count_ == 0 && child_count_ == 0);
    InterruptGuard atomic;
    --mounts_alive;
}

size_t Mount::live_count() {
    InterruptGuard atomic;
    return mounts_alive;
}

bool Mount::is_read_only() const { return (flags_ & MS_RDONLY) != 0 || super_block_.is_read_only(); }

void Mount::acquire() {
    InterruptGuard atomic;
    ++reference_count_;
}

void Mount::release() {
    InterruptGuard atomic;
    KASSERT(reference_count_ > 0);
    --reference_count_;
}

uint32_t Mount::reference_count() const {
    InterruptGuard atomic;
    return reference_count_;
}

uint32_t Mount::open_file_count() const {
    InterruptGuard atomic;
    return open_file_count_;
}

uint32_t Mount::writer_count() const {
    InterruptGuard atomic;
    return writer_count_;
}

void Mount::note_file_opened(bool for_writing) {
    InterruptGuard atomic;
    ++open_file_count_;
    if (for_writing) ++writer_count_;
}

void Mount::note_file_closed(bool for_writing) {
    InterruptGuard atomic;
    KASSERT(open_file_count_ > 0);
    --open_file_count_;
    if (for_writing) --writer_count_;
}
