// fs/devfs/block_device_ioctl.cpp -- BLKIOSCHED_GET and BLKIOSCHED_SET.
//
// Layer: between the VFS and the block layer. See block_device_ioctl.h.
// Names are checked against the scheduler table before the queue is
// touched, and copied from user memory into a kernel buffer first, so the
// queue never reads user memory with its lock held.
#include "fs/devfs/block_device_ioctl.h"

#include "drivers/block/io_scheduler.h"
#include "kernel/lib/string.h"
#include "kernel/proc/user_memory.h"

IoschedInfo describe_io_scheduler(BlockDevice& device) {
    IoschedInfo info;
    klib::memset(&info, 0, sizeof info);
    const char* current = device.queue().scheduler_name();
    klib::strlcpy(info.current, current, sizeof info.current);
    for (size_t i = 0; i < io_scheduler_count(); ++i) {
        const char* name = io_scheduler_name(i);
        bool in_use = klib::strcmp(name, current) == 0;
        if (i > 0) klib::strlcat(info.available, " ", sizeof info.available);
        if (in_use) klib::strlcat(info.available, "[", sizeof info.available);
        klib::strlcat(info.available, name, sizeof info.available);
        if (in_use) klib::strlcat(info.available, "]", sizeof info.available);
    }
    return info;
}

Result<void> select_io_scheduler(BlockDevice& device, const char (&name)[IOSCHED_NAME_BYTES]) {
    if (klib::strnlen(name, IOSCHED_NAME_BYTES) == IOSCHED_NAME_BYTES) return Error{EINVAL};
    return device.queue().select_scheduler(name);
}

Result<int32_t> block_device_ioctl(BlockDevice& device, uint32_t request, uintptr_t argument) {
    switch (request) {
    case BLKIOSCHED_GET: {
        IoschedInfo info = describe_io_scheduler(device);
        TRY(copy_to_user(uint32_t(argument), &info, sizeof info));
        return 0;
    }
    case BLKIOSCHED_SET: {
        char name[IOSCHED_NAME_BYTES];
        TRY(copy_from_user(name, uint32_t(argument), sizeof name));
        TRY(select_io_scheduler(device, name));
        return 0;
    }
    default:
        return Error{ENOTTY};
    }
}
