// drivers/block/partition_table.cpp -- the MBR and its chain of EBRs.
//
// Layer: physical I/O. See partition_table.h. The checks follow Linux's
// block/partitions/msdos.c where it has them (the 0x55AA signature, boot
// indicators of 0x00 or 0x80 only, an extended partition shown as a tiny
// device of its first sectors, logical partitions relative to their EBR
// and EBR links relative to the extended partition); where Linux truncates
// or trusts, this parser refuses and says why, since a teaching kernel
// would rather show a bad table than read past it.
#include "drivers/block/partition_table.h"

#include "kernel/lib/string.h"

namespace {

constexpr size_t TABLE_OFFSET = 446;  // four 16-byte entries, then the signature
constexpr size_t ENTRY_SIZE = 16;
constexpr size_t SIGNATURE_OFFSET = 510;
constexpr uint32_t PRIMARY_SLOTS = 4;
// Every EBR costs a read; a chain longer than this is either a loop the
// visited list did not catch or a table nobody needs.
constexpr size_t MAX_EBRS = 32;

// One entry as it sits on the disk, decoded (little-endian fields).
struct RawEntry {
    uint8_t boot_indicator;
    uint8_t type;
    uint32_t first_block;  // in the disk's logical blocks, relative to something
    uint32_t block_count;
};

uint32_t little_endian_32(const uint8_t* bytes) {
    return uint32_t(bytes[0]) | uint32_t(bytes[1]) << 8 | uint32_t(bytes[2]) << 16 | uint32_t(bytes[3]) << 24;
}

RawEntry decode_entry(const uint8_t* sector, uint32_t slot) {
    const uint8_t* entry = sector + TABLE_OFFSET + slot * ENTRY_SIZE;
    return RawEntry{entry[0], entry[4], little_endian_32(entry + 8), little_endian_32(entry + 12)};
}

bool has_signature(const uint8_t* sector) {
    return sector[SIGNATURE_OFFSET] == 0x55 && sector[SIGNATURE_OFFSET + 1] == 0xAA;
}

// A logical block of the disk, released on every path out.
class SectorBuffer {
public:
    explicit SectorBuffer(size_t size) : bytes_(static_cast<uint8_t*>(kmalloc(size))), size_(size) {}
    ~SectorBuffer() { kfree(bytes_); }
    SectorBuffer(const SectorBuffer&) = delete;
    SectorBuffer& operator=(const SectorBuffer&) = delete;
    uint8_t* bytes() { return bytes_; }

    Result<void> read(BlockDevice& disk, uint64_t sector) {
        if (!bytes_) return Error{ENOMEM};
        return disk.read(sector * SECTOR_SIZE, bytes_, size_);
    }

private:
    uint8_t* bytes_;
    size_t size_;
};

// Walks one disk's table into a PartitionTable; sectors are 512-byte units.
class TableReader {
public:
    TableReader(BlockDevice& disk, PartitionTable& table)
        : disk_(disk), table_(table), sectors_per_block_(disk.logical_block_size() / SECTOR_SIZE) {}

    void read_primaries(const uint8_t* mbr);

private:
    bool inside(uint64_t start, uint64_t count, uint64_t area_start, uint64_t area_count) const {
        return count != 0 && start >= area_start && count <= area_count && start - area_start <= area_count - count;
    }
    void add(uint32_t number, uint8_t type, uint64_t start, uint64_t count) {
        table_.entries[table_.count++] = PartitionEntry{number, type, start, count};
    }
    void read_extended(uint64_t first_sector, uint64_t sector_count);
    bool already_visited(uint64_t sector, const uint64_t* visited, size_t visited_count) const;

    BlockDevice& disk_;
    PartitionTable& table_;
    uint64_t sectors_per_block_;
};

void TableReader::read_primaries(const uint8_t* mbr) {
    uint64_t extended_start = 0, extended_count = 0;
    for (uint32_t slot = 0; slot < PRIMARY_SLOTS; ++slot) {
        RawEntry entry = decode_entry(mbr, slot);
        if (entry.type == PARTITION_TYPE_EMPTY || entry.block_count == 0) continue;
        uint64_t start = uint64_t(entry.first_block) * sectors_per_block_;
        uint64_t count = uint64_t(entry.block_count) * sectors_per_block_;
        if (!inside(start, count, 0, disk_.capacity_sectors())) {
            log_warning("partitions: %s: partition %u (sectors %llu+%llu) lies beyond the end of the disk (%llu "
                        "sectors): ignored",
                        disk_.name(), slot + 1, (unsigned long long)start, (unsigned long long)count,
                        (unsigned long long)disk_.capacity_sectors());
            continue;
        }
        if (is_extended_partition_type(entry.type)) {
            // As Linux: the container shows as a device of its first two
            // sectors (room for a boot loader), so nobody makes a file
            // system over the logical partitions by mistake.
            uint64_t shown = sectors_per_block_ > 2 ? sectors_per_block_ : 2;
            add(slot + 1, entry.type, start, count < shown ? count : shown);
            if (extended_count == 0) {
                extended_start = start;
                extended_count = count;
            }
            continue;
        }
        add(slot + 1, entry.type, start, count);
    }
    if (extended_count != 0) read_extended(extended_start, extended_count);
}

bool TableReader::already_visited(uint64_t sector, const uint64_t* visited, size_t visited_count) const {
    for (size_t i = 0; i < visited_count; ++i)
        if (visited[i] == sector) return true;
    return false;
}

// Follows the EBR chain inside the extended partition [first, first+count).
// Each EBR: the first data entry is a logical partition relative to the EBR
// itself; the first extended entry links to the next EBR, relative to the
// extended partition's first sector.
void TableReader::read_extended(uint64_t first_sector, uint64_t sector_count) {
    SectorBuffer buffer(disk_.logical_block_size());
    uint64_t visited[MAX_EBRS];
    size_t visited_count = 0;
    uint64_t ebr = first_sector;
    uint32_t next_number = PRIMARY_SLOTS + 1;
    while (next_number <= MAX_PARTITION_NUMBER) {
        if (visited_count == MAX_EBRS || already_visited(ebr, visited, visited_count)) {
            log_warning("partitions: %s: the chain of extended boot records loops at sector %llu: stopped",
                        disk_.name(), (unsigned long long)ebr);
            return;
        }
        visited[visited_count++] = ebr;
        if (buffer.read(disk_, ebr).is_error() || !has_signature(buffer.bytes())) {
            log_warning("partitions: %s: no extended boot record at sector %llu: chain ends", disk_.name(),
                        (unsigned long long)ebr);
            return;
        }
        bool linked = false;
        uint64_t next_ebr = 0;
        bool have_logical = false;
        for (uint32_t slot = 0; slot < PRIMARY_SLOTS; ++slot) {
            RawEntry entry = decode_entry(buffer.bytes(), slot);
            if (entry.type == PARTITION_TYPE_EMPTY || entry.block_count == 0) continue;
            uint64_t count = uint64_t(entry.block_count) * sectors_per_block_;
            if (is_extended_partition_type(entry.type)) {
                if (!linked) next_ebr = first_sector + uint64_t(entry.first_block) * sectors_per_block_;
                linked = true;
                continue;
            }
            if (have_logical) continue;  // one logical partition per EBR
            have_logical = true;
            uint64_t start = ebr + uint64_t(entry.first_block) * sectors_per_block_;
            if (!inside(start, count, first_sector, sector_count)) {
                log_warning("partitions: %s: logical partition %u (sectors %llu+%llu) lies outside its extended "
                            "partition: ignored",
                            disk_.name(), next_number, (unsigned long long)start, (unsigned long long)count);
                continue;
            }
            add(next_number++, entry.type, start, count);
        }
        if (!linked) return;
        if (!inside(next_ebr, sectors_per_block_, first_sector, sector_count)) {
            log_warning("partitions: %s: an extended boot record at sector %llu lies outside the extended "
                        "partition: chain ends",
                        disk_.name(), (unsigned long long)next_ebr);
            return;
        }
        ebr = next_ebr;
    }
}

// Linux refuses a first sector whose boot indicators are not 0x00/0x80:
// such a sector is more likely a file system's boot block than a table.
bool boot_indicators_valid(const uint8_t* mbr) {
    for (uint32_t slot = 0; slot < PRIMARY_SLOTS; ++slot) {
        uint8_t indicator = decode_entry(mbr, slot).boot_indicator;
        if (indicator != 0x00 && indicator != 0x80) return false;
    }
    return true;
}

bool is_gpt_protective(const uint8_t* mbr) {
    for (uint32_t slot = 0; slot < PRIMARY_SLOTS; ++slot)
        if (decode_entry(mbr, slot).type == PARTITION_TYPE_GPT_PROTECTIVE) return true;
    return false;
}

}  // namespace

bool is_extended_partition_type(uint8_t type) {
    return type == PARTITION_TYPE_EXTENDED_CHS || type == PARTITION_TYPE_EXTENDED_LBA ||
           type == PARTITION_TYPE_EXTENDED_LINUX;
}

Result<PartitionTable> read_partition_table(BlockDevice& disk) {
    PartitionTable table;
    if (disk.capacity_bytes() < disk.logical_block_size()) return table;
    SectorBuffer mbr(disk.logical_block_size());
    TRY(mbr.read(disk, 0));
    if (!has_signature(mbr.bytes()) || !boot_indicators_valid(mbr.bytes())) return table;
    table.has_table = true;
    if (is_gpt_protective(mbr.bytes())) {
        log_warning("partitions: %s has a GPT, which this kernel does not read: using the whole disk", disk.name());
        return table;
    }
    TableReader(disk, table).read_primaries(mbr.bytes());
    return table;
}
