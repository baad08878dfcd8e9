// drivers/block/block_device_registry.cpp -- a fixed table of block devices.
//
// Layer: physical I/O. See block_device_registry.h. A PC has a handful of
// disks, so a fixed array in registration order is all the structure this
// needs: no allocation, and the order is the order devices were found.
// Guarded by interrupt masking, since drivers may register from any thread.
#include "drivers/block/block_device_registry.h"

#include "kernel/lib/string.h"

namespace {

constexpr size_t MAX_BLOCK_DEVICES = 32;

BlockDevice* registered_devices[MAX_BLOCK_DEVICES];
size_t registered_count = 0;

BlockDevice* find_locked(const char* name) {
    for (size_t i = 0; i < registered_count; ++i) {
        if (klib::strcmp(registered_devices[i]->name(), name) == 0) return registered_devices[i];
    }
    return nullptr;
}

}  // namespace

Result<void> register_block_device(BlockDevice& device) {
    InterruptGuard atomic;
    if (find_locked(device.name())) return Error{EEXIST};
    if (registered_count == MAX_BLOCK_DEVICES) return Error{ENOSPC};
    registered_devices[registered_count++] = &device;
    return {};
}

BlockDevice* find_block_device(const char* name) {
    if (!name) return nullptr;
    InterruptGuard atomic;
    return find_locked(name);
}

void for_each_block_device(void (*visit)(BlockDevice& device, void* context), void* context) {
    // Devices are never unregistered, so the table only grows: a visit that
    // registers a device (a partition scan) is seen or not, but nothing
    // moves under the loop. The lock is not held across visit(), which may sleep.
    size_t count;
    {
        InterruptGuard atomic;
        count = registered_count;
    }
    for (size_t i = 0; i < count; ++i) visit(*registered_devices[i], context);
}

void reset_block_device_registry() {
    InterruptGuard atomic;
    registered_count = 0;
}
