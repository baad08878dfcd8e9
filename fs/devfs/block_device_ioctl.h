// fs/devfs/block_device_ioctl.h -- the I/O scheduler of a disk, through its device file.
//
// Layer: the seam between the VFS and the block layer (see
// block_device_file.h). Linux shows and switches a disk's scheduler through
// the sysfs file /sys/block/<disk>/queue/scheduler; this kernel has no
// sysfs, so the same two operations are ioctls on the block device file:
//
//   ioctl(fd, BLKIOSCHED_GET, struct iosched_info *info)
//       info->current    the scheduler in use ("deadline")
//       info->available  every scheduler, in Linux's sysfs format, the one
//                        in use in brackets: "noop elevator [deadline]"
//   ioctl(fd, BLKIOSCHED_SET, const char name[IOSCHED_NAME_BYTES])
//       switches the disk to `name` at once, with requests queued or not
//       (RequestQueue::select_scheduler moves them over)
//
// Errors: EFAULT for a bad pointer, EINVAL for an unknown or unterminated
// name, ENOMEM when the new scheduler cannot be allocated, ENOTTY for any
// other request. Any process that can open the device file may switch (Linux
// asks for root to write the sysfs file; here /dev is root's anyway).
//
// The numbers follow Linux's _IOR/_IOW encoding with type 0x12, Linux's own
// for block-device ioctls (BLKGETSIZE64 is _IOR(0x12, 114, size_t)), and
// numbers 0xE0/0xE1, far above the ones Linux uses: on Linux the requests
// are unknown and fail with ENOTTY, which is how a program tells it is not
// on this kernel. user/lib/include/sys/iosched.h repeats these definitions
// for programs; both must stay equal.
#pragma once

#include <cstdint>

#include "drivers/block/block_device.h"

constexpr uint32_t IOSCHED_NAME_BYTES = 16;
constexpr uint32_t IOSCHED_LIST_BYTES = 64;

struct IoschedInfo {  // struct iosched_info
    char current[IOSCHED_NAME_BYTES];
    char available[IOSCHED_LIST_BYTES];
};
static_assert(sizeof(IoschedInfo) == 80, "the ioctl's size is part of its number");

// _IOR(0x12, 0xE0, struct iosched_info) and _IOW(0x12, 0xE1, char[16]):
// direction << 30 | size << 16 | type << 8 | number.
constexpr uint32_t BLKIOSCHED_GET = (2u << 30) | (uint32_t(sizeof(IoschedInfo)) << 16) | (0x12u << 8) | 0xE0u;
constexpr uint32_t BLKIOSCHED_SET = (1u << 30) | (IOSCHED_NAME_BYTES << 16) | (0x12u << 8) | 0xE1u;
static_assert(BLKIOSCHED_GET == 0x805012E0u && BLKIOSCHED_SET == 0x401012E1u);

// The two operations without the user-memory copies, so the host tests can
// call them directly. describe fills every byte of `info` (NUL-padded).
IoschedInfo describe_io_scheduler(BlockDevice& device);
// `name` is IOSCHED_NAME_BYTES bytes that must hold a NUL.
Result<void> select_io_scheduler(BlockDevice& device, const char (&name)[IOSCHED_NAME_BYTES]);
// The ioctl itself: ENOTTY unless `request` is one of the two above.
Result<int32_t> block_device_ioctl(BlockDevice& device, uint32_t request, uintptr_t argument);
