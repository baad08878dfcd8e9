// drivers/block/block_device_registry.cpp -- a fixed table of block devices.
//
// Layer: physical I/O. See block_device_registry.h. A PC has a handful of
// disks, so a fixed array in registration order is all the structure this
// needs: no allocation, and the order is the order devices were found. Each
// entry carries the (major, minor) chosen from the device's name when it
// registered. Guarded by interrupt masking, since drivers may register from
// any thread.
#include "drivers/block/block_device_registry.h"

#include "kernel/lib/string.h"

namespace {

constexpr size_t MAX_BLOCK_DEVICES = 32;
constexpr uint32_t MAX_RAMDISK_MINOR = 255;
constexpr uint32_t IDE_MINORS_PER_DISK = 64;      // hda1..hda63
constexpr uint32_t VIRTIO_MINORS_PER_DISK = 16;   // vda1..vda15

struct RegisteredDevice {
    BlockDevice* device;
    uint32_t major;
    uint32_t minor;
};

// All three guarded by InterruptGuard.
RegisteredDevice registered_devices[MAX_BLOCK_DEVICES];
size_t registered_count = 0;
uint32_t next_extended_minor = 0;

RegisteredDevice* find_locked(const char* name) {
    for (size_t i = 0; i < registered_count; ++i) {
        if (klib::strcmp(registered_devices[i].device->name(), name) == 0) return &registered_devices[i];
    }
    return nullptr;
}

RegisteredDevice* find_number_locked(uint32_t major, uint32_t minor) {
    for (size_t i = 0; i < registered_count; ++i) {
        if (registered_devices[i].major == major && registered_devices[i].minor == minor)
            return &registered_devices[i];
    }
    return nullptr;
}

RegisteredDevice* find_device_locked(const BlockDevice& device) {
    for (size_t i = 0; i < registered_count; ++i) {
        if (registered_devices[i].device == &device) return &registered_devices[i];
    }
    return nullptr;
}

// A decimal number spelled the one canonical way: digits only, no leading
// zero (except "0" itself), at most `largest`.
bool parse_canonical_number(const char* text, uint32_t largest, uint32_t& value) {
    if (*text == '\0' || (text[0] == '0' && text[1] != '\0')) return false;
    uint32_t result = 0;
    for (; *text != '\0'; ++text) {
        if (*text < '0' || *text > '9') return false;
        result = result * 10 + uint32_t(*text - '0');
        if (result > largest) return false;
    }
    value = result;
    return true;
}

// "" is the whole disk (0); otherwise a partition number 1..largest.
bool parse_partition(const char* text, uint32_t largest, uint32_t& partition) {
    if (*text == '\0') {
        partition = 0;
        return true;
    }
    return parse_canonical_number(text, largest, partition) && partition != 0;
}

// Linux's number for a device of this name; false when the name follows none
// of the patterns of the header.
bool choose_linux_number(const char* name, uint32_t& major, uint32_t& minor) {
    uint32_t number = 0;
    if (klib::starts_with(name, "ram")) {
        if (!parse_canonical_number(name + 3, MAX_RAMDISK_MINOR, number)) return false;
        major = RAMDISK_MAJOR;
        minor = number;
        return true;
    }
    if (klib::starts_with(name, "hd") && name[2] >= 'a' && name[2] <= 'd') {
        uint32_t disk = uint32_t(name[2] - 'a');  // hda 0, hdb 1, hdc 2, hdd 3
        if (!parse_partition(name + 3, IDE_MINORS_PER_DISK - 1, number)) return false;
        major = disk < 2 ? IDE0_MAJOR : IDE1_MAJOR;
        minor = (disk % 2) * IDE_MINORS_PER_DISK + number;
        return true;
    }
    if (klib::starts_with(name, "vd") && name[2] >= 'a' && name[2] <= 'z') {
        uint32_t disk = uint32_t(name[2] - 'a');
        if (!parse_partition(name + 3, VIRTIO_MINORS_PER_DISK - 1, number)) return false;
        major = VIRTIO_BLOCK_MAJOR;
        minor = disk * VIRTIO_MINORS_PER_DISK + number;
        return true;
    }
    return false;
}

}  // namespace

Result<void> register_block_device(BlockDevice& device) {
    InterruptGuard atomic;
    if (find_locked(device.name())) return Error{EEXIST};
    if (registered_count == MAX_BLOCK_DEVICES) return Error{ENOSPC};
    RegisteredDevice entry{&device, 0, 0};
    if (!choose_linux_number(device.name(), entry.major, entry.minor) ||
        find_number_locked(entry.major, entry.minor) != nullptr) {
        // Only this branch hands out extended numbers, so the counter alone
        // keeps them unique.
        entry.major = BLOCK_EXTENDED_MAJOR;
        entry.minor = next_extended_minor++;
    }
    registered_devices[registered_count++] = entry;
    return {};
}

BlockDevice* find_block_device(const char* name) {
    if (!name) return nullptr;
    InterruptGuard atomic;
    RegisteredDevice* entry = find_locked(name);
    return entry ? entry->device : nullptr;
}

BlockDevice* find_block_device_by_number(uint32_t major, uint32_t minor) {
    InterruptGuard atomic;
    RegisteredDevice* entry = find_number_locked(major, minor);
    return entry ? entry->device : nullptr;
}

uint32_t block_device_major(const BlockDevice& device) {
    InterruptGuard atomic;
    RegisteredDevice* entry = find_device_locked(device);
    return entry ? entry->major : 0;
}

uint32_t block_device_minor(const BlockDevice& device) {
    InterruptGuard atomic;
    RegisteredDevice* entry = find_device_locked(device);
    return entry ? entry->minor : 0;
}

BlockDevice* block_device_at(size_t index) {
    InterruptGuard atomic;
    return index < registered_count ? registered_devices[index].device : nullptr;
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
    for (size_t i = 0; i < count; ++i) visit(*registered_devices[i].device, context);
}

void reset_block_device_registry() {
    InterruptGuard atomic;
    registered_count = 0;
    next_extended_minor = 0;
}
