// drivers/ata/ata_channel.h -- one ATA channel: its registers, its
// interrupt, and the one command it runs at a time.
//
// Layer: device driver (ATA), the register half. A channel (primary or
// secondary) is a cable with up to two devices, master (drive 0) and slave
// (drive 1), behind one set of registers: whichever device the device
// register selects answers. So only one command can run per channel, for
// either device. This class hides the ports behind named operations
// (select, issue a task file, read a data block, wait until not busy,
// reset) so that ata_disk.cpp reads as the protocol.
//
// How requests run: each disk hands its request to the channel
// (submit(), from start_request with interrupts off, never sleeping), and
// the channel's worker thread runs them one at a time, alternating between
// the drives, calling AtaDisk::execute(). The worker sleeps while the
// device works and is woken by the channel's interrupt (IRQ 14 or 15). We
// chose a thread over a state machine in the interrupt handler because
// the protocol then reads top to bottom -- issue, wait, move a block,
// wait -- and because error handling needs to sleep (a channel reset takes
// milliseconds, a retry waits for another interrupt), which an interrupt
// handler must never do.
//
// Must stay true: only the worker thread touches the command registers
// after start_worker() (before it, only the probing thread does); the
// interrupt handler reads only Status and the bus master status, and the
// fields it shares with the worker are guarded by interrupt masking.
#pragma once

#include <cstdint>

#include "drivers/ata/bus_master_dma.h"
#include "drivers/block/request.h"
#include "kernel/platform.h"

namespace ata {

class AtaDisk;

// The inputs of one command: what the command block registers get.
struct TaskFile {
    uint8_t command = 0;
    uint8_t features = 0;
    uint64_t lba = 0;
    uint32_t sector_count = 0;  // up to 256 (LBA28) or 65536 (LBA48); the register gets 0 for the maximum
    bool lba48 = false;         // write the high-order bytes too (the *_EXT commands)
};

struct ChannelPorts {
    uint16_t command_base;
    uint16_t control_base;
    uint16_t bus_master_base;  // 0: no bus master (no DMA)
    uint8_t irq;
    bool irq_shared;           // a PCI line (native mode), not ISA's own 14 or 15
};

class AtaChannel {
public:
    AtaChannel(int index, const ChannelPorts& ports);
    AtaChannel(const AtaChannel&) = delete;
    AtaChannel& operator=(const AtaChannel&) = delete;

    int index() const { return index_; }  // 0 for hda/hdb, 1 for hdc/hdd, ...
    BusMasterDma& dma() { return dma_; }

    // --- registers ---------------------------------------------------------
    uint8_t status();            // acknowledges the device's interrupt
    uint8_t alternate_status();  // does not
    uint8_t error();
    // Selects a drive and waits the 400 ns the device needs to answer.
    void select(int drive);
    // Selects the drive, loads the task file and writes the command.
    void issue(int drive, const TaskFile& task);
    // The address in the LBA registers: after an error, the failing sector.
    uint64_t read_lba(bool lba48);
    // The reset signature in LBA mid and high.
    void read_signature(uint8_t* mid, uint8_t* high);
    // A device answers at the selected place when its registers keep what
    // is written to them; a free place or a floating bus does not.
    bool selected_drive_responds();
    // PIO data: `words` 16-bit words through the data port.
    void read_data(void* buffer, uint32_t words);
    void write_data(const void* buffer, uint32_t words);
    void set_device_interrupts(bool enabled);

    // --- waiting -----------------------------------------------------------
    // Poll (without sleeping) until BSY clears; false on timeout. `status`
    // gets the last status read.
    bool wait_not_busy(uint32_t timeout_ms, uint8_t* status);
    // Poll until BSY clears and DRQ, ERR or DF is set; false on timeout.
    bool wait_for_data_request(uint32_t timeout_ms, uint8_t* status);
    // Interrupt-driven waits: arm before the act that makes the device
    // interrupt (issuing, moving a block), then sleep. False on timeout;
    // `status` is the status with BSY clear.
    void arm_interrupt();
    bool wait_for_interrupt(uint32_t timeout_ms, uint8_t* status);

    // Software reset of both devices (SRST). Sleeps. False when the master
    // stays busy; a floating bus answers at once.
    bool reset();

    // --- requests ----------------------------------------------------------
    void attach(int drive, AtaDisk& disk);
    // From AtaDisk::start_request (interrupts off; does not sleep).
    void submit(int drive, Request& request);
    // Registers the interrupt handler, enables the devices' interrupts and
    // starts the worker thread. Call once, after probing.
    Result<void> start_worker();
    // After a reset: the settings a reset undoes, for every attached disk.
    void reset_and_restore();

private:
    static void worker_main(void* channel);
    static void handle_interrupt(void* channel);
    void run_worker();
    void write_device_control(uint8_t bits);

    int index_;
    ChannelPorts ports_;
    BusMasterDma dma_;
    uint8_t device_control_ = 0;  // bits the channel keeps set (nIEN)
    AtaDisk* disks_[2] = {};

    // Shared with the interrupt handler (guarded by interrupt masking).
    volatile bool interrupt_arrived_ = false;
    volatile uint8_t interrupt_status_ = 0;
    WaitQueue interrupt_wait_;

    // Requests handed over by the disks (guarded by interrupt masking).
    Request* pending_[2] = {};
    int last_drive_ = 1;
    WaitQueue work_wait_;
};

}  // namespace ata
