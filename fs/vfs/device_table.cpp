// fs/vfs/device_table.cpp -- the drivers behind device nodes.
//
// Layer: virtual file system. See device_table.h. A fixed array of
// registrations, searched linearly: there are a handful of drivers, and
// opening a device node is not a hot path.
#include "fs/vfs/device_table.h"

#include "fs/vfs/file.h"

namespace {

constexpr size_t MAX_DEVICE_DRIVERS = 32;

struct DeviceDriverSlot {
    bool used = false;
    DeviceDriverInfo info{};
    DeviceFileOpener open = nullptr;
    void* context = nullptr;
};

// Constant-initialised, so usable from any global constructor.
DeviceDriverSlot slots[MAX_DEVICE_DRIVERS];

// Guards `slots`. A function-local static, constructed on first use: a
// driver may register from a global constructor in another file.
Mutex& table_lock() {
    static Mutex lock{"device table"};
    return lock;
}

bool covers(const DeviceDriverInfo& info, DeviceKind kind, uint32_t major, uint32_t minor) {
    return info.kind == kind && info.major == major && minor >= info.first_minor &&
           minor - info.first_minor < info.minor_count;
}

bool overlaps(const DeviceDriverInfo& info, DeviceKind kind, uint32_t major, uint32_t first_minor,
              uint32_t minor_count) {
    if (info.kind != kind || info.major != major) return false;
    uint64_t start = first_minor, end = uint64_t(first_minor) + minor_count;
    uint64_t other_start = info.first_minor, other_end = uint64_t(info.first_minor) + info.minor_count;
    return start < other_end && other_start < end;
}

}  // namespace

Result<void> register_device_driver(DeviceKind kind, uint32_t major, uint32_t first_minor,
                                    uint32_t minor_count, const char* name, DeviceFileOpener open,
                                    void* context) {
    if (minor_count == 0 || open == nullptr || major > (0xffffffffu >> DEVICE_MINOR_BITS) ||
        uint64_t(first_minor) + minor_count > uint64_t(DEVICE_MINOR_MASK) + 1)
        return Error{EINVAL};
    MutexLocker locker(table_lock());
    DeviceDriverSlot* free_slot = nullptr;
    for (DeviceDriverSlot& slot : slots) {
        if (!slot.used) {
            if (free_slot == nullptr) free_slot = &slot;
            continue;
        }
        if (overlaps(slot.info, kind, major, first_minor, minor_count)) return Error{EBUSY};
    }
    if (free_slot == nullptr) return Error{ENOSPC};
    free_slot->used = true;
    free_slot->info = DeviceDriverInfo{kind, major, first_minor, minor_count, name ? name : "?"};
    free_slot->open = open;
    free_slot->context = context;
    return {};
}

Result<void> unregister_device_driver(DeviceKind kind, uint32_t major, uint32_t first_minor) {
    MutexLocker locker(table_lock());
    for (DeviceDriverSlot& slot : slots) {
        if (slot.used && slot.info.kind == kind && slot.info.major == major &&
            slot.info.first_minor == first_minor) {
            slot = DeviceDriverSlot{};
            return {};
        }
    }
    return Error{ENOENT};
}

Result<FileRef> open_device_file(DeviceKind kind, uint32_t device_number, Path&& path, uint32_t flags) {
    DeviceFileOpener open = nullptr;
    void* context = nullptr;
    {
        MutexLocker locker(table_lock());
        for (const DeviceDriverSlot& slot : slots) {
            uint32_t major = device_major(device_number), minor = device_minor(device_number);
            if (slot.used && covers(slot.info, kind, major, minor)) {
                open = slot.open;
                context = slot.context;
                break;
            }
        }
    }
    // Linux answers ENXIO ("no such device or address") for a node whose
    // driver is missing.
    if (open == nullptr) return Error{ENXIO};
    return open(static_cast<Path&&>(path), flags, device_number, context);
}

void for_each_device_driver(void (*visit)(const DeviceDriverInfo& driver, void* context), void* context) {
    MutexLocker locker(table_lock());
    for (const DeviceDriverSlot& slot : slots)
        if (slot.used) visit(slot.info, context);
}
