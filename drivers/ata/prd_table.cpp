// drivers/ata/prd_table.cpp -- building PRD tables. See the header.
#include "drivers/ata/prd_table.h"

namespace ata {

PrdTableBuilder::Status PrdTableBuilder::add(const void* address, uint32_t length) {
    uintptr_t virtual_address = reinterpret_cast<uintptr_t>(address);
    if ((virtual_address | length) & 1) return Status::OddAlignment;
    while (length > 0) {
        // One page at a time: only within a page is physical memory
        // guaranteed to follow virtual memory.
        uint32_t in_page = PRD_PAGE_SIZE - uint32_t(virtual_address % PRD_PAGE_SIZE);
        uint32_t piece = length < in_page ? length : in_page;
        uint32_t physical = physical_address_of_(virtual_address);
        if (physical == 0) return Status::NotMapped;
        if (Status status = add_physical(physical, piece); status != Status::Ok) return status;
        virtual_address += piece;
        length -= piece;
    }
    return Status::Ok;
}

PrdTableBuilder::Status PrdTableBuilder::add_physical(uint32_t physical, uint32_t length) {
    while (length > 0) {
        uint32_t to_boundary = PRD_BOUNDARY - physical % PRD_BOUNDARY;
        uint32_t piece = length < to_boundary ? length : to_boundary;
        PrdEntry* last = count_ > 0 ? &table_[count_ - 1] : nullptr;
        // Joining is safe when the new piece starts where the last entry
        // ends and that is not a 64 KiB boundary: then both lie in one
        // 64 KiB window, and the sum stays within it.
        bool joins = last && last->physical_address + last_length_ == physical && physical % PRD_BOUNDARY != 0;
        if (joins) {
            last_length_ += piece;
        } else {
            if (count_ == capacity_) return Status::TableFull;
            last = &table_[count_++];
            last->physical_address = physical;
            last->flags = 0;
            last_length_ = piece;
        }
        last->byte_count = uint16_t(last_length_ == PRD_BOUNDARY ? 0 : last_length_);
        total_bytes_ += piece;
        physical += piece;
        length -= piece;
    }
    return Status::Ok;
}

uint32_t PrdTableBuilder::finish() {
    if (count_ > 0) table_[count_ - 1].flags = PRD_END_OF_TABLE;
    return count_;
}

}  // namespace ata
