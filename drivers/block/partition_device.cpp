// drivers/block/partition_device.cpp -- forwarding a partition's requests to its disk.
//
// Layer: physical I/O. See partition_device.h. A request's way:
//
//   partition queue  validates against the partition (its end), merges,
//                    dispatches a leader to start_request() below
//   start_request    takes a free slot, copies the chain's segments into the
//                    slot's request with sector + start, submits it to the disk
//   disk queue       validates again (against the disk), schedules, the
//                    driver transfers
//   forwarded_request_done  (disk completion, maybe in an interrupt)
//                    frees the slot, completes the partition's leader
//
// Both queues take the interrupt guard, which nests; nothing here sleeps or
// allocates, as start_request() and completions must not.
#include "drivers/block/partition_device.h"

#include "drivers/block/block_device_registry.h"
#include "drivers/block/partition_table.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

BlockDeviceLimits PartitionDevice::limits_for(const BlockDevice& disk) {
    BlockDeviceLimits limits = disk.limits();
    if (limits.queue_depth == 0 || limits.queue_depth > MAX_FORWARDED_REQUESTS)
        limits.queue_depth = MAX_FORWARDED_REQUESTS;
    // A chain is forwarded as one request of the disk's (its memory joined
    // where it continues), which holds at most MAX_SEGMENTS segments.
    if (limits.max_segments > Request::MAX_SEGMENTS) limits.max_segments = Request::MAX_SEGMENTS;
    return limits;
}

PartitionDevice::PartitionDevice(const char* name, BlockDevice& disk, uint64_t start_sector, uint64_t sector_count)
    : BlockDevice(name, disk.logical_block_size(), sector_count, limits_for(disk), disk.is_read_only()),
      disk_(disk),
      start_sector_(start_sector) {
    for (ForwardedRequest& slot : forwarded_) slot.partition = this;
}

void PartitionDevice::start_request(Request& request) {
    ForwardedRequest* slot = nullptr;
    for (ForwardedRequest& candidate : forwarded_) {
        if (candidate.partition_request == nullptr) {
            slot = &candidate;
            break;
        }
    }
    // The queue never has more leaders at the driver than queue_depth,
    // which is at most the number of slots.
    KASSERT(slot != nullptr);

    Request& on_disk = slot->on_disk;
    on_disk.clear_segments();  // the slot's previous request is complete
    on_disk.direction = request.direction;
    on_disk.sector = request.sector + start_sector_;
    bool fits = true;
    request.for_each_segment([&](const MemorySegment& segment) {
        fits = fits && on_disk.add_or_extend_segment(segment.address, segment.length, limits().max_segment_bytes);
    });
    on_disk.on_complete = forwarded_request_done;
    on_disk.completion_context = slot;
    slot->partition_request = &request;

    Result<void> submitted = fits ? disk_.queue().submit(on_disk) : Result<void>(Error{EINVAL});
    if (submitted.is_error()) {
        slot->partition_request = nullptr;
        queue().complete(request, submitted.error());
    }
}

void PartitionDevice::forwarded_request_done(Request& on_disk, void* context) {
    ForwardedRequest& slot = *static_cast<ForwardedRequest*>(context);
    Request* partition_request = slot.partition_request;
    // Free the slot first: completing may dispatch the next request, which
    // may want this very slot.
    slot.partition_request = nullptr;
    slot.partition->queue().complete(*partition_request, on_disk.error());
}

bool format_partition_name(const char* disk_name, uint32_t number, char* out, size_t size) {
    size_t length = klib::strlen(disk_name);
    bool ends_in_digit = length > 0 && disk_name[length - 1] >= '0' && disk_name[length - 1] <= '9';
    size_t written = klib::format(out, size, ends_in_digit ? "%sp%u" : "%s%u", disk_name, unsigned(number));
    return written < size;
}

namespace {

bool has_registered_partitions(const BlockDevice& disk) {
    for (size_t i = 0; BlockDevice* device = block_device_at(i); ++i)
        if (device->whole_disk() == &disk) return true;
    return false;
}

bool register_partition(BlockDevice& disk, const PartitionEntry& entry) {
    char name[16];
    if (!format_partition_name(disk.name(), entry.number, name, sizeof name)) {
        log_warning("partitions: %s: the name of partition %u is too long", disk.name(), entry.number);
        return false;
    }
    auto* partition = new (std::nothrow) PartitionDevice(name, disk, entry.start_sector, entry.sector_count);
    if (partition == nullptr) {
        log_error("partitions: %s: out of memory", name);
        return false;
    }
    if (Result<void> registered = register_block_device(*partition); registered.is_error()) {
        log_error("partitions: %s: cannot register: %s", name, errno_name(registered.error()));
        delete partition;
        return false;
    }
    log_info("%s: partition of %s, type 0x%02x, sectors %llu-%llu (%llu KiB)", name, disk.name(),
             unsigned(entry.type), (unsigned long long)entry.start_sector,
             (unsigned long long)(entry.start_sector + entry.sector_count - 1),
             (unsigned long long)(entry.sector_count * SECTOR_SIZE / 1024));
    return true;
}

}  // namespace

size_t scan_partitions(BlockDevice& disk) {
    if (disk.whole_disk() != nullptr || has_registered_partitions(disk)) return 0;
    Result<PartitionTable> table = read_partition_table(disk);
    if (table.is_error()) {
        log_warning("partitions: %s: cannot read the partition table: %s", disk.name(), errno_name(table.error()));
        return 0;
    }
    size_t registered = 0;
    for (size_t i = 0; i < table.value().count; ++i)
        if (register_partition(disk, table.value().entries[i])) ++registered;
    return registered;
}
