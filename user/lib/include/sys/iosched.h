/* sys/iosched.h -- a disk's I/O scheduler, through ioctls on its device file.
 * This kernel's own requests (Linux shows the same through sysfs,
 * /sys/block/DISK/queue/scheduler). The kernel's definitions are in
 * fs/devfs/block_device_ioctl.h; these must stay equal to them.
 *   ioctl(fd, BLKIOSCHED_GET, struct iosched_info *)   current + "noop [elevator] deadline"
 *   ioctl(fd, BLKIOSCHED_SET, const char name[16])     switch (EINVAL: unknown name)
 * On Linux both are unknown requests: -1 with errno ENOTTY. */
#ifndef _SYS_IOSCHED_H
#define _SYS_IOSCHED_H

#define IOSCHED_NAME_BYTES 16
#define IOSCHED_LIST_BYTES 64

struct iosched_info {
    char current[IOSCHED_NAME_BYTES];
    char available[IOSCHED_LIST_BYTES];  /* the one in use in brackets */
};

/* _IOR(0x12, 0xE0, struct iosched_info), _IOW(0x12, 0xE1, char[16]) */
#define BLKIOSCHED_GET 0x805012E0u
#define BLKIOSCHED_SET 0x401012E1u

#endif
