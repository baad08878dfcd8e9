// drivers/ata/prd_table.h -- scatter-gather lists for the bus master.
//
// Layer: device driver (ATA, bus-master DMA). The bus master reads a
// Physical Region Descriptor table: entries of (physical address, byte
// count), the last marked end-of-table (SFF-8038i, "Physical Region
// Descriptor"). PrdTableBuilder turns the kernel virtual memory of a
// request's segments into such entries. A pure computation (the page
// translation is passed in), so host unit tests check it.
//
// What must stay true of every entry (SFF-8038i):
//   - it does not cross a 64 KiB physical boundary (the controller's
//     address counter carries only 16 bits): a region that does is split;
//   - address and byte count are even (bit 0 is reserved): odd memory is
//     refused, and the driver then uses PIO for that request;
//   - a byte count of 0 means 64 KiB.
// Memory that is contiguous in virtual space need not be in physical space
// (kernel stacks are mapped page by page): each page is translated on its
// own, and physically adjacent pieces are joined into one entry again.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ata {

struct [[gnu::packed]] PrdEntry {
    uint32_t physical_address;
    uint16_t byte_count;  // 0 means 65536
    uint16_t flags;
};
static_assert(sizeof(PrdEntry) == 8);

constexpr uint16_t PRD_END_OF_TABLE = 0x8000;
constexpr uint32_t PRD_BOUNDARY = 65536;
constexpr uint32_t PRD_PAGE_SIZE = 4096;

// Returns the physical address of a virtual one, or 0 when it is not mapped.
using PhysicalAddressOf = uint32_t (*)(uintptr_t virtual_address);

class PrdTableBuilder {
public:
    enum class Status { Ok, TableFull, NotMapped, OddAlignment };

    PrdTableBuilder(PrdEntry* table, uint32_t capacity, PhysicalAddressOf physical_address_of)
        : table_(table), capacity_(capacity), physical_address_of_(physical_address_of) {}

    // Appends the `length` bytes at `address`. After an error the table
    // is not usable (build a new one).
    Status add(const void* address, uint32_t length);
    // Marks the last entry end-of-table; returns the entry count.
    uint32_t finish();

    uint32_t count() const { return count_; }
    uint64_t total_bytes() const { return total_bytes_; }

private:
    Status add_physical(uint32_t physical, uint32_t length);

    PrdEntry* table_;
    uint32_t capacity_;
    PhysicalAddressOf physical_address_of_;
    uint32_t count_ = 0;
    uint32_t last_length_ = 0;  // of table_[count_ - 1], as a full 32-bit count
    uint64_t total_bytes_ = 0;
};

}  // namespace ata
