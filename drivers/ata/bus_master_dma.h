// drivers/ata/bus_master_dma.h -- one channel's bus master: the DMA engine.
//
// Layer: device driver (ATA). A PCI IDE controller that offers bus
// mastering (prog_if bit 7, registers at BAR4) moves the data of DMA
// commands itself, following a PRD table in memory (prd_table.h). For one
// transfer (SFF-8038i, "Standard Programming Sequence"):
//
//   prepare(request)    build the PRD table, load its address, clear status
//   (the driver issues READ DMA / WRITE DMA to the device)
//   start(direction)    the engine runs; the device interrupts at the end
//   finish()            stop the engine, return and clear its status
//
// Must stay true: the PRD table is one page of physically contiguous
// memory below 4 GiB (so it never crosses a 64 KiB boundary, as the
// engine requires); it belongs to the channel and is rewritten for each
// command, which is safe because a channel runs one command at a time.
#pragma once

#include <cstdint>

#include "drivers/ata/prd_table.h"
#include "drivers/block/request.h"

namespace ata {

class BusMasterDma {
public:
    // `base`: this channel's eight bus master ports; 0 for a controller
    // without bus mastering (then present() is false and nothing else may
    // be called).
    explicit BusMasterDma(uint16_t base) : base_(base) {}
    ~BusMasterDma();
    BusMasterDma(const BusMasterDma&) = delete;
    BusMasterDma& operator=(const BusMasterDma&) = delete;

    bool present() const { return base_ != 0 && table_ != nullptr; }
    // Allocates the PRD table; false (and not present()) when out of memory.
    bool initialize();
    // Does the controller's status say the firmware set this drive up for DMA?
    // (Informational: QEMU and most controllers work without it.)
    bool drive_marked_capable(int drive) const;

    // Describes the whole chain of `leader` in the PRD table. False when the
    // memory cannot be described (odd address or length, an unmapped page,
    // more pieces than the table holds): the caller then uses PIO.
    bool prepare(const Request& leader);
    void start(bool device_to_memory);
    // Stops the engine and returns the status it had (BM_STATUS_* bits),
    // clearing its interrupt and error bits.
    uint8_t finish();

    // For the interrupt handler: the status, and acknowledging the
    // engine's copy of the interrupt.
    uint8_t status() const;
    void acknowledge_interrupt();

    // PRD entries in the table (one page of them).
    static constexpr uint32_t TABLE_CAPACITY = PRD_PAGE_SIZE / sizeof(PrdEntry);

private:
    uint16_t base_;
    PrdEntry* table_ = nullptr;       // kernel virtual address of the page
    uint32_t table_physical_ = 0;
};

}  // namespace ata
