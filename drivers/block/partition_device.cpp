// drivers/block/partition_device.cpp -- forwarding a partition's requests to its disk.
//
// Layer: physical I/O. See partition_device.h. A request's way:
//
//   partition queue  validates against the partition (its end), merges,
//                    dispatches a leader to start_request() below
//   start_request    takes a free slot, copies the chain's segments into the
//                    slot's requests with sector + start, submits them to the
//                    disk under one plug
//   disk queue       validates again (against the disk), schedules, the
//                    driver transfers
//   forwarded_request_done  (disk completion, maybe in an interrupt)
//                    when the slot's last part is done: frees the slot,
//                    completes the partition's leader
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
    // A chain is forwarded as at most MAX_PARTS requests of the disk's.
    if (limits.max_segments > MAX_CHAIN_SEGMENTS) limits.max_segments = MAX_CHAIN_SEGMENTS;
    return limits;
}

PartitionDevice::PartitionDevice(const char* name, BlockDevice& disk, uint64_t start_sector, uint64_t sector_count)
    : BlockDevice(name, disk.logical_block_size(), sector_count, limits_for(disk), disk.is_read_only()),
      disk_(disk),
      start_sector_(start_sector) {
    for (ForwardedRequest& slot : forwarded_) slot.partition = this;
}

namespace {

// How many segments `member` adds to `part` through add_or_extend_segment.
uint32_t segments_added(const Request& part, const Request& member, uint32_t join_limit) {
    uint32_t added = 0;
    const uint8_t* last_end = nullptr;
    uint64_t last_length = 0;
    if (part.segment_count() > 0) {
        const MemorySegment& last = part.segment(part.segment_count() - 1);
        last_end = static_cast<const uint8_t*>(last.address) + last.length;
        last_length = last.length;
    }
    for (uint32_t i = 0; i < member.segment_count(); ++i) {
        const MemorySegment& segment = member.segment(i);
        if (segment.address == last_end && last_length + segment.length <= join_limit) {
            last_length += segment.length;
        } else {
            ++added;
            last_length = segment.length;
        }
        last_end = static_cast<const uint8_t*>(segment.address) + segment.length;
    }
    return added;
}

}  // namespace

// Each request of the chain goes whole into the current part when its
// segments fit there (joined to memory they continue), else into the next
// part: so every part is whole logical blocks.
uint32_t PartitionDevice::fill_parts(const Request& leader, ForwardedRequest& slot) {
    uint32_t parts = 0;
    uint64_t sector = leader.sector + start_sector_;
    uint32_t join_limit = disk_.limits().max_segment_bytes;
    for (const Request* member = &leader; member; member = member->merged_next()) {
        bool fits = parts > 0 && slot.on_disk[parts - 1].segment_count() +
                                         segments_added(slot.on_disk[parts - 1], *member, join_limit) <=
                                     Request::MAX_SEGMENTS;
        if (!fits) {
            if (parts == MAX_PARTS) return 0;
            Request& part = slot.on_disk[parts++];
            part.clear_segments();  // the slot's previous requests are complete
            part.direction = leader.direction;
            part.sector = sector;
        }
        Request& part = slot.on_disk[parts - 1];
        for (uint32_t i = 0; i < member->segment_count(); ++i) {
            // A request never has more than MAX_SEGMENTS segments, so it
            // fits a fresh part.
            bool added = part.add_or_extend_segment(member->segment(i).address, member->segment(i).length, join_limit);
            KASSERT(added);
        }
        sector += member->sector_count();
    }
    return parts;
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

    uint32_t parts = fill_parts(request, *slot);
    if (parts == 0) {
        log_error("%s: a request at sector %llu has too many segments to forward", name(),
                  (unsigned long long)request.sector);
        queue().complete(request, EINVAL);
        return;
    }
    slot->partition_request = &request;
    slot->error = 0;
    slot->outstanding = parts + 1;  // held until every part is submitted
    {
        QueuePlug plug(disk_.queue());
        for (uint32_t i = 0; i < parts; ++i) {
            Request& part = slot->on_disk[i];
            part.on_complete = forwarded_request_done;
            part.completion_context = slot;
            if (Result<void> submitted = disk_.queue().submit(part); submitted.is_error())
                release_part(*slot, submitted.error());  // never submitted: never completes
        }
    }
    release_part(*slot, 0);
}

void PartitionDevice::forwarded_request_done(Request& on_disk, void* context) {
    release_part(*static_cast<ForwardedRequest*>(context), on_disk.error());
}

void PartitionDevice::release_part(ForwardedRequest& slot, int error) {
    InterruptGuard atomic;  // completions come from interrupt handlers
    if (error != 0 && slot.error == 0) slot.error = error;
    if (--slot.outstanding > 0) return;
    Request* partition_request = slot.partition_request;
    // Free the slot first: completing may dispatch the next request, which
    // may want this very slot.
    slot.partition_request = nullptr;
    slot.partition->queue().complete(*partition_request, slot.error);
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
