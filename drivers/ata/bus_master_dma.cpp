// drivers/ata/bus_master_dma.cpp -- the bus master registers. See the header.
#include "drivers/ata/bus_master_dma.h"

#include "drivers/ata/ata_registers.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/platform.h"

namespace ata {

BusMasterDma::~BusMasterDma() {
    if (table_) physical_allocator::free_page(table_physical_);
}

bool BusMasterDma::initialize() {
    if (base_ == 0) return false;
    // From the page allocator, not kmalloc: one whole page is physically
    // contiguous and page aligned, hence inside one 64 KiB window.
    table_physical_ = physical_allocator::allocate_page();
    if (table_physical_ == 0) return false;
    table_ = memory_layout::physical_to_pointer<PrdEntry>(table_physical_);
    return true;
}

bool BusMasterDma::drive_marked_capable(int drive) const {
    uint8_t bit = drive == 0 ? BM_STATUS_DRIVE0_DMA_CAPABLE : BM_STATUS_DRIVE1_DMA_CAPABLE;
    return status() & bit;
}

bool BusMasterDma::prepare(const Request& leader) {
    PrdTableBuilder builder(table_, TABLE_CAPACITY, paging::physical_address_of);
    bool describable = true;
    leader.for_each_segment([&](const MemorySegment& segment) {
        if (describable && builder.add(segment.address, segment.length) != PrdTableBuilder::Status::Ok)
            describable = false;
    });
    if (!describable || builder.finish() == 0) return false;
    cpu::outb(uint16_t(base_ + BM_COMMAND), 0);  // stopped, before touching the table address
    cpu::outl(uint16_t(base_ + BM_PRD_TABLE), table_physical_);
    cpu::outb(uint16_t(base_ + BM_STATUS), BM_STATUS_ERROR | BM_STATUS_INTERRUPT);  // write 1 to clear
    return true;
}

void BusMasterDma::start(bool device_to_memory) {
    // Direction first, then start, as SFF-8038i asks (the direction must
    // not change while the engine runs).
    uint8_t direction = device_to_memory ? BM_COMMAND_READ : 0;
    cpu::outb(uint16_t(base_ + BM_COMMAND), direction);
    cpu::outb(uint16_t(base_ + BM_COMMAND), direction | BM_COMMAND_START);
}

uint8_t BusMasterDma::finish() {
    uint8_t command = cpu::inb(uint16_t(base_ + BM_COMMAND));
    cpu::outb(uint16_t(base_ + BM_COMMAND), command & ~BM_COMMAND_START);
    uint8_t engine_status = status();
    cpu::outb(uint16_t(base_ + BM_STATUS), BM_STATUS_ERROR | BM_STATUS_INTERRUPT);
    return engine_status;
}

uint8_t BusMasterDma::status() const { return cpu::inb(uint16_t(base_ + BM_STATUS)); }

void BusMasterDma::acknowledge_interrupt() {
    // Only the interrupt bit: an error bit stays for finish() to report.
    uint8_t engine_status = status();
    cpu::outb(uint16_t(base_ + BM_STATUS), uint8_t((engine_status & ~BM_STATUS_ERROR) | BM_STATUS_INTERRUPT));
}

}  // namespace ata
