// fs/vfs/device_table.h -- device numbers, and which driver opens which node.
//
// Layer: virtual file system, at its seam with the device drivers. A device
// node (/dev/console, /dev/hda) is an inode whose mode says "character" or
// "block" device and whose device_number() names the device as (major, minor).
// Opening it asks this table which driver registered that number and lets the
// driver create the open File -- its own File subclass, with its own read,
// write and ioctl. That is how devfs will plug in console, null, zero and the
// disks without the VFS knowing any of them. (Linux: the cdev_map of
// fs/char_dev.c, register_chrdev_region + chrdev_open; blkdev_open for block
// devices.)
//
// Interface:
//   make_device_number(major, minor), device_major(n), device_minor(n)
//                        the kernel's encoding (Linux MKDEV: 12-bit major,
//                        20-bit minor); user space sees linux_abi::encode_device
//   register_device_driver(kind, major, first_minor, minor_count, name, open, context)
//                        EBUSY if the range overlaps one registered, ENOSPC when
//                        the table is full, EINVAL for an empty range
//   unregister_device_driver(kind, major, first_minor)      ENOENT if unknown
//   open_device_file(kind, device_number, path, flags)      ENXIO without driver
//   for_each_device_driver(visit, context)                  (for /proc/devices)
//
// Invariants: the table is a fixed array (no allocation, no failure besides
// ENOSPC); a driver's `open` is called without the table lock, so it may
// sleep, and must return a File that took over `path`.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel/platform.h"

class FileRef;
class Path;

constexpr uint32_t DEVICE_MINOR_BITS = 20;
constexpr uint32_t DEVICE_MINOR_MASK = (1u << DEVICE_MINOR_BITS) - 1;

constexpr uint32_t make_device_number(uint32_t major, uint32_t minor) {
    return (major << DEVICE_MINOR_BITS) | (minor & DEVICE_MINOR_MASK);
}
constexpr uint32_t device_major(uint32_t device_number) { return device_number >> DEVICE_MINOR_BITS; }
constexpr uint32_t device_minor(uint32_t device_number) { return device_number & DEVICE_MINOR_MASK; }

enum class DeviceKind : uint8_t { Character, Block };

// Creates the open file for device `device_number`; takes over `path` (the
// node that was opened). `context` is what the driver registered.
using DeviceFileOpener = Result<FileRef> (*)(Path&& path, uint32_t flags, uint32_t device_number,
                                             void* context);

struct DeviceDriverInfo {
    DeviceKind kind;
    uint32_t major;
    uint32_t first_minor;
    uint32_t minor_count;
    const char* name;  // "console", "mem", "hd" ...
};

Result<void> register_device_driver(DeviceKind kind, uint32_t major, uint32_t first_minor,
                                    uint32_t minor_count, const char* name, DeviceFileOpener open,
                                    void* context);
Result<void> unregister_device_driver(DeviceKind kind, uint32_t major, uint32_t first_minor);
Result<FileRef> open_device_file(DeviceKind kind, uint32_t device_number, Path&& path, uint32_t flags);
// Calls visit for each registration, with the table locked (visit must not
// register or unregister).
void for_each_device_driver(void (*visit)(const DeviceDriverInfo& driver, void* context), void* context);
