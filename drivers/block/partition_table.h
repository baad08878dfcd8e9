// drivers/block/partition_table.h -- reading a disk's MBR partition table.
//
// Layer: physical I/O (the partition code of Linux's block/partitions/msdos.c).
// A PC disk divides itself into partitions with the table of its first
// sector, the master boot record (MBR): four 16-byte entries at byte 446,
// each a type, a first block (LBA) and a block count, and the signature
// 0x55 0xAA at byte 510. One primary entry may be an extended partition
// (type 0x05, 0x0F or 0x85): a container holding a chain of extended boot
// records (EBRs), each describing one logical partition and where the next
// EBR is. Primaries are numbered 1-4 by their slot (an empty slot leaves
// its number unused); logical partitions 5, 6, ... in chain order.
//
// read_partition_table() only reads and checks; partition_device.h turns
// the entries into block devices.
//
// Must stay true: a disk's contents are untrusted input. Every entry that
// is returned lies wholly inside the disk (and a logical one inside its
// extended partition); anything else is refused with a log line. The EBR
// chain is followed through at most 32 EBRs, never to one already visited
// and never beyond partition number MAX_PARTITION_NUMBER, so a looping
// chain ends. A disk without the
// signature (a whole-disk file system such as the romfs root) has no table:
// an empty list, not an error. Linux units: entries count the disk's
// logical blocks; the results are in 512-byte sectors, like Requests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/block_device.h"

// Partition numbers run 1..MAX_PARTITION_NUMBER: virtio disks have 15
// minors per disk for partitions (vda1..vda15), the tightest of our majors.
constexpr uint32_t MAX_PARTITION_NUMBER = 15;

// MBR partition types with a meaning to the parser.
constexpr uint8_t PARTITION_TYPE_EMPTY = 0x00;
constexpr uint8_t PARTITION_TYPE_EXTENDED_CHS = 0x05;
constexpr uint8_t PARTITION_TYPE_EXTENDED_LBA = 0x0F;
constexpr uint8_t PARTITION_TYPE_EXTENDED_LINUX = 0x85;
constexpr uint8_t PARTITION_TYPE_GPT_PROTECTIVE = 0xEE;

struct PartitionEntry {
    uint32_t number;        // 1-4 primary, 5.. logical
    uint8_t type;           // the MBR type byte (0x83 Linux, 0x05 extended, ...)
    uint64_t start_sector;  // 512-byte sectors from the start of the disk
    uint64_t sector_count;  // 512-byte sectors
};

struct PartitionTable {
    bool has_table = false;  // the MBR signature was there
    size_t count = 0;        // entries, primaries first (by number), then logicals
    PartitionEntry entries[MAX_PARTITION_NUMBER] = {};
};

bool is_extended_partition_type(uint8_t type);

// Reads the MBR (and the EBR chain) of `disk`. Errors are only those of
// reading the first sector (EIO, ENOMEM); a bad EBR or entry is left out,
// with a log line naming the disk.
Result<PartitionTable> read_partition_table(BlockDevice& disk);
