// drivers/block/partition_device.h -- a partition as a block device of its own.
//
// Layer: physical I/O (Linux: a partition's block_device, whose bios
// blk_partition_remap() moves by the partition's start; device-mapper's
// "linear" target does the same as a stacked driver). A PartitionDevice is
// a range of sectors of a whole disk with a name (hda1, vda5, ram1p2) and a
// queue of its own. Its start_request() is a small driver: it copies the
// request's chain into requests on the whole disk (as few as fit: each
// holds MAX_SEGMENTS segments, memory that continues joined), moved by the
// partition's first sector, submits them to the disk's queue under one plug
// (where they merge back into one chain), and completes the partition's
// request when the disk has completed them all. Everything above a
// partition -- caches, file systems, devfs -- sees an ordinary disk.
//
// Must stay true: a partition never reaches beyond its end. Its capacity
// is its sector count, so its own queue refuses (EIO) any request past it
// before anything is forwarded. Its limits are the disk's, so a chain its
// scheduler merged fits in one chain of the disk. At most
// MAX_FORWARDED_REQUESTS requests are at the disk at once (the partition's
// queue depth), each in a slot owned by the partition; a slot is busy from
// the forward until the disk completes it.
//
// scan_partitions(disk) reads the disk's table (partition_table.h) and
// registers one PartitionDevice per entry. Names: the disk's name and the
// number, with a "p" between when the disk's name ends in a digit (hda1,
// vda5, ram1p2), as Linux names them; the registry gives them Linux's
// numbers (hda1 is 3:1).
#pragma once

#include "drivers/block/block_device.h"

class PartitionDevice final : public BlockDevice {
public:
    static constexpr uint32_t MAX_FORWARDED_REQUESTS = 4;
    // Disk requests one forwarded chain may become. A part is closed only
    // when the next request's segments do not fit in it, so any two
    // consecutive parts hold more than MAX_SEGMENTS segments together: 17
    // parts carry any chain of 256 segments (1 MiB of scattered pages).
    static constexpr uint32_t MAX_PARTS = 17;
    static constexpr uint32_t MAX_CHAIN_SEGMENTS = 256;

    // `disk` must outlive the partition (registered disks are never removed).
    // The caller has checked that the range lies inside the disk.
    PartitionDevice(const char* name, BlockDevice& disk, uint64_t start_sector, uint64_t sector_count);

    void start_request(Request& request) override;
    const BlockDevice* whole_disk() const override { return &disk_; }
    uint64_t start_sector() const { return start_sector_; }

private:
    struct ForwardedRequest {
        Request on_disk[MAX_PARTS];        // what the whole disk performs
        Request* partition_request = nullptr;  // the leader it stands for; nullptr: slot free
        PartitionDevice* partition = nullptr;
        uint32_t outstanding = 0;          // parts not completed (+1 while forwarding)
        int error = 0;                     // the first part's error
    };

    // Copies the chain into the slot's parts; their count, or 0 when the
    // chain needs more than MAX_PARTS.
    uint32_t fill_parts(const Request& leader, ForwardedRequest& slot);
    static void forwarded_request_done(Request& on_disk, void* context);
    static void release_part(ForwardedRequest& slot, int error);
    static BlockDeviceLimits limits_for(const BlockDevice& disk);

    BlockDevice& disk_;
    uint64_t start_sector_;
    ForwardedRequest forwarded_[MAX_FORWARDED_REQUESTS];
};

// "hda" + 1 -> "hda1", "ram1" + 2 -> "ram1p2". False when it does not fit.
bool format_partition_name(const char* disk_name, uint32_t number, char* out, size_t size);

// Reads `disk`'s partition table and registers a device for each
// partition. Does nothing for a partition, or for a disk whose partitions
// are already registered (so calling it twice is harmless). Returns how
// many partitions were registered; failures are logged.
size_t scan_partitions(BlockDevice& disk);
