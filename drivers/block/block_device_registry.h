// drivers/block/block_device_registry.h -- the names and numbers of the block devices.
//
// Layer: physical I/O. Drivers register each device they find ("ram0",
// "hda", "vda", "hda1"); devfs and mount look them up by name, and device
// nodes (/dev/hda, or one made with mknod) find them by number. Devices are
// never unregistered in this kernel (no hot-unplug), so a BlockDevice&
// from the registry stays valid, and so does a device's index.
// (Linux: add_disk / register_blkdev, the bdev map behind blkdev_get_by_dev,
// and Documentation/admin-guide/devices.txt for the numbers.)
//
// Interface:
//   register_block_device(device)          EEXIST (name taken), ENOSPC (table full)
//   find_block_device(name)                nullptr when unknown
//   find_block_device_by_number(maj, min)  nullptr when unknown
//   block_device_major/minor(device)       the number it got at registration
//                                          (0:0 when not registered)
//   block_device_at(index)                 registration order; nullptr past the end
//   for_each_block_device(visit, context)  registration order
//   reset_block_device_registry()          tests only
//
// Device numbers, chosen from the name at registration as Linux numbers the
// same disks (plain (major, minor) pairs: the drivers do not know how the
// VFS encodes them):
//   ramN              major 1 (RAMDISK_MAJOR), minor N (N < 256)
//   hda, hdb          major 3 (IDE0_MAJOR), minor 0 / 64
//   hdc, hdd          major 22 (IDE1_MAJOR), minor 0 / 64
//   hdXP              the disk's minor + P (partition 1..63)
//   vdX               major 254 (VIRTIO_BLOCK_MAJOR), minor 16 * (X - 'a')
//   vdXP              + P (partition 1..15)
//   anything else     major 259 (BLOCK_EXTENDED_MAJOR), the next free minor
// Numbers are written without leading zeros ("ram01" is not ram1); a name
// that does not fit a pattern exactly, or whose number is taken, gets an
// extended number. So two registered devices never share a number.
//
// Locking: interrupt masking (InterruptGuard) guards the table, since drivers
// may register from any thread; nothing here sleeps.
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/block_device.h"

// Majors from Linux's Documentation/admin-guide/devices.txt. virtio-blk's
// major is dynamic in Linux; 254 is what it usually gets.
constexpr uint32_t RAMDISK_MAJOR = 1;
constexpr uint32_t IDE0_MAJOR = 3;
constexpr uint32_t IDE1_MAJOR = 22;
constexpr uint32_t VIRTIO_BLOCK_MAJOR = 254;
constexpr uint32_t BLOCK_EXTENDED_MAJOR = 259;

// EEXIST when the name is taken, ENOSPC when the table is full.
Result<void> register_block_device(BlockDevice& device);
BlockDevice* find_block_device(const char* name);
BlockDevice* find_block_device_by_number(uint32_t major, uint32_t minor);
uint32_t block_device_major(const BlockDevice& device);
uint32_t block_device_minor(const BlockDevice& device);
// The device registered `index`-th (from 0), or nullptr when fewer are.
BlockDevice* block_device_at(size_t index);
// Calls visit(device) in registration order.
void for_each_block_device(void (*visit)(BlockDevice& device, void* context), void* context);
// For tests: forgets every registration (and restarts the extended minors).
void reset_block_device_registry();
