// kernel/storage/storage.cpp -- the storage roots and sync. See storage.h.
#include "kernel/storage/storage.h"

#include "drivers/block/block_device_registry.h"

namespace {

BufferCache* the_buffer_cache;
PageCache* the_page_cache;
MountNamespace* the_mount_namespace;

}  // namespace

namespace storage {

void install(BufferCache& buffer_cache, PageCache& page_cache, MountNamespace& mount_namespace) {
    the_buffer_cache = &buffer_cache;
    the_page_cache = &page_cache;
    the_mount_namespace = &mount_namespace;
}

BufferCache& buffer_cache() { return *the_buffer_cache; }
PageCache& page_cache() { return *the_page_cache; }
MountNamespace& mount_namespace() { return *the_mount_namespace; }
Path root() { return the_mount_namespace->root(); }

Result<void> shut_down_file_systems() {
    Result<void> synced = sync_everything();
    Result<void> read_only = the_mount_namespace->remount_all_read_only();
    Result<void> written = sync_everything();  // what remounting wrote
    if (synced.is_error()) return synced;
    return read_only.is_error() ? read_only : written;
}

Result<void> sync_everything() {
    // File data first: writing it may still dirty metadata (the file
    // systems' block maps), which the mounts' sync then writes.
    Result<void> first = the_page_cache->sync_all();
    Result<void> metadata = the_mount_namespace->sync_all();
    if (!first.is_error()) first = metadata;
    for_each_block_device(
        [](BlockDevice& device, void* context) {
            auto* result = static_cast<Result<void>*>(context);
            Result<void> written = device.wait_for_background_writes(true);
            Result<void> flushed = device.is_read_only() ? Result<void>() : device.flush();
            if (result->is_error()) return;
            if (written.is_error()) *result = written;
            else if (flushed.is_error()) *result = flushed;
        },
        &first);
    return first;
}

}  // namespace storage
