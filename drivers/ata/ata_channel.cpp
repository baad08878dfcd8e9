// drivers/ata/ata_channel.cpp -- register access, waits, reset, the
// interrupt and the worker thread of one channel. See the header.
#include "drivers/ata/ata_channel.h"

#include "drivers/ata/ata_disk.h"
#include "drivers/ata/ata_registers.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/format.h"
#include "kernel/sched/scheduler.h"

namespace ata {

AtaChannel::AtaChannel(int index, const ChannelPorts& ports)
    : index_(index), ports_(ports), dma_(ports.bus_master_base) {}

// --- registers ---------------------------------------------------------------

uint8_t AtaChannel::status() { return cpu::inb(uint16_t(ports_.command_base + REG_STATUS)); }

uint8_t AtaChannel::alternate_status() { return cpu::inb(uint16_t(ports_.control_base + REG_ALTERNATE_STATUS)); }

uint8_t AtaChannel::error() { return cpu::inb(uint16_t(ports_.command_base + REG_ERROR)); }

void AtaChannel::write_device_control(uint8_t bits) {
    cpu::outb(uint16_t(ports_.control_base + REG_DEVICE_CONTROL), bits);
}

void AtaChannel::set_device_interrupts(bool enabled) {
    device_control_ = enabled ? 0 : CONTROL_INTERRUPTS_DISABLED;
    write_device_control(device_control_);
}

void AtaChannel::select(int drive) {
    cpu::outb(uint16_t(ports_.command_base + REG_DEVICE),
              uint8_t(DEVICE_OBSOLETE_BITS | DEVICE_LBA | (drive ? DEVICE_SLAVE : 0)));
    // The newly selected device needs 400 ns before its status is valid;
    // each read of the alternate status takes at least 100 ns on the bus.
    for (int i = 0; i < 4; ++i) alternate_status();
}

void AtaChannel::issue(int drive, const TaskFile& task) {
    uint16_t base = ports_.command_base;
    uint8_t device = uint8_t(DEVICE_OBSOLETE_BITS | DEVICE_LBA | (drive ? DEVICE_SLAVE : 0));
    uint32_t count = task.sector_count;
    if (task.lba48) {
        // Each LBA48 register is a two-byte FIFO: the high-order byte is
        // written first, then the low-order one.
        cpu::outb(uint16_t(base + REG_DEVICE), device);
        cpu::outb(uint16_t(base + REG_FEATURES), 0);
        cpu::outb(uint16_t(base + REG_SECTOR_COUNT), uint8_t(count >> 8));
        cpu::outb(uint16_t(base + REG_LBA_LOW), uint8_t(task.lba >> 24));
        cpu::outb(uint16_t(base + REG_LBA_MID), uint8_t(task.lba >> 32));
        cpu::outb(uint16_t(base + REG_LBA_HIGH), uint8_t(task.lba >> 40));
    } else {
        device |= uint8_t((task.lba >> 24) & 0x0F);
        cpu::outb(uint16_t(base + REG_DEVICE), device);
    }
    for (int i = 0; i < 4; ++i) alternate_status();  // the 400 ns after a select
    cpu::outb(uint16_t(base + REG_FEATURES), task.features);
    cpu::outb(uint16_t(base + REG_SECTOR_COUNT), uint8_t(count));  // 256 or 65536 become 0
    cpu::outb(uint16_t(base + REG_LBA_LOW), uint8_t(task.lba));
    cpu::outb(uint16_t(base + REG_LBA_MID), uint8_t(task.lba >> 8));
    cpu::outb(uint16_t(base + REG_LBA_HIGH), uint8_t(task.lba >> 16));
    cpu::outb(uint16_t(base + REG_COMMAND), task.command);
    // The device sets BSY within 400 ns of a command; status read sooner may be stale.
    for (int i = 0; i < 4; ++i) alternate_status();
}

uint64_t AtaChannel::read_lba(bool lba48) {
    uint16_t base = ports_.command_base;
    auto read_three = [&] {
        return uint64_t(cpu::inb(uint16_t(base + REG_LBA_LOW))) |
               uint64_t(cpu::inb(uint16_t(base + REG_LBA_MID))) << 8 |
               uint64_t(cpu::inb(uint16_t(base + REG_LBA_HIGH))) << 16;
    };
    uint64_t lba = read_three();
    if (lba48) {
        write_device_control(device_control_ | CONTROL_HIGH_ORDER_BYTE);
        lba |= read_three() << 24;
        write_device_control(device_control_);
    } else {
        lba |= uint64_t(cpu::inb(uint16_t(base + REG_DEVICE)) & 0x0F) << 24;
    }
    return lba;
}

void AtaChannel::read_signature(uint8_t* mid, uint8_t* high) {
    *mid = cpu::inb(uint16_t(ports_.command_base + REG_LBA_MID));
    *high = cpu::inb(uint16_t(ports_.command_base + REG_LBA_HIGH));
}

bool AtaChannel::selected_drive_responds() {
    uint16_t base = ports_.command_base;
    cpu::outb(uint16_t(base + REG_SECTOR_COUNT), 0x55);
    cpu::outb(uint16_t(base + REG_LBA_LOW), 0xAA);
    cpu::outb(uint16_t(base + REG_SECTOR_COUNT), 0xAA);
    cpu::outb(uint16_t(base + REG_LBA_LOW), 0x55);
    return cpu::inb(uint16_t(base + REG_SECTOR_COUNT)) == 0xAA && cpu::inb(uint16_t(base + REG_LBA_LOW)) == 0x55;
}

void AtaChannel::read_data(void* buffer, uint32_t words) {
    asm volatile("cld; rep insw"
                 : "+D"(buffer), "+c"(words)
                 : "d"(uint16_t(ports_.command_base + REG_DATA))
                 : "memory");
}

void AtaChannel::write_data(const void* buffer, uint32_t words) {
    asm volatile("cld; rep outsw" : "+S"(buffer), "+c"(words) : "d"(uint16_t(ports_.command_base + REG_DATA)));
}

// --- waiting -----------------------------------------------------------------

bool AtaChannel::wait_not_busy(uint32_t timeout_ms, uint8_t* status_out) {
    uint64_t deadline = platform::now_ms() + timeout_ms;
    for (;;) {
        uint8_t value = alternate_status();
        *status_out = value;
        // A floating bus reads all ones, BSY included: no device will ever clear it.
        if (value == STATUS_FLOATING_BUS) return false;
        if (!(value & STATUS_BUSY)) return true;
        if (platform::now_ms() > deadline) return false;
        asm volatile("pause");
    }
}

bool AtaChannel::wait_for_data_request(uint32_t timeout_ms, uint8_t* status_out) {
    uint64_t deadline = platform::now_ms() + timeout_ms;
    for (;;) {
        if (!wait_not_busy(timeout_ms, status_out)) return false;
        if (*status_out & (STATUS_DATA_REQUEST | STATUS_ERROR | STATUS_DEVICE_FAULT)) return true;
        if (platform::now_ms() > deadline) return false;
        asm volatile("pause");
    }
}

void AtaChannel::arm_interrupt() {
    InterruptGuard atomic;
    interrupt_arrived_ = false;
}

bool AtaChannel::wait_for_interrupt(uint32_t timeout_ms, uint8_t* status_out) {
    bool arrived = interrupt_wait_.wait_until_or_timeout([&] { return interrupt_arrived_; }, timeout_ms);
    if (!arrived) {
        *status_out = alternate_status();
        return false;
    }
    // INTRQ comes with BSY clear; should a shared line have woken us early,
    // the short poll covers it.
    *status_out = interrupt_status_;
    if (*status_out & STATUS_BUSY) return wait_not_busy(timeout_ms, status_out);
    return true;
}

bool AtaChannel::reset() {
    if (alternate_status() == STATUS_FLOATING_BUS) return false;
    // SRST for at least 5 us, then released; the devices need 2 ms before
    // BSY means anything (ATA/ATAPI-6, "Software reset protocol").
    write_device_control(device_control_ | CONTROL_SOFTWARE_RESET);
    for (int i = 0; i < 10; ++i) cpu::io_wait();
    write_device_control(device_control_);
    scheduler::sleep_ms(2);
    select(0);
    uint8_t value;
    return wait_not_busy(5000, &value);
}

// --- requests and the worker -------------------------------------------------

void AtaChannel::attach(int drive, AtaDisk& disk) { disks_[drive] = &disk; }

void AtaChannel::submit(int drive, Request& request) {
    InterruptGuard atomic;
    // Each disk's queue_depth is 1, so a drive never has two requests here.
    KASSERT(pending_[drive] == nullptr);
    pending_[drive] = &request;
    work_wait_.wake_one();
}

Result<void> AtaChannel::start_worker() {
    char name[16];
    klib::format(name, sizeof name, "ata%d", index_);
    interrupts::register_irq_handler(ports_.irq, handle_interrupt, this);
    status();  // drop any interrupt left over from probing
    set_device_interrupts(true);
    TRY(scheduler::spawn(name, worker_main, this));
    return {};
}

void AtaChannel::handle_interrupt(void* context) {
    auto& channel = *static_cast<AtaChannel*>(context);
    if (channel.dma_.present()) {
        // A shared PCI line may be someone else's: the bus master copies
        // INTRQ into its status, so it can tell.
        if (channel.ports_.irq_shared && !(channel.dma_.status() & BM_STATUS_INTERRUPT)) return;
        channel.dma_.acknowledge_interrupt();
    }
    channel.interrupt_status_ = channel.status();  // reading Status acknowledges INTRQ
    channel.interrupt_arrived_ = true;
    channel.interrupt_wait_.wake_all();
}

void AtaChannel::worker_main(void* channel) { static_cast<AtaChannel*>(channel)->run_worker(); }

void AtaChannel::run_worker() {
    for (;;) {
        int drive;
        Request* request;
        {
            InterruptGuard atomic;
            work_wait_.wait_until([&] { return pending_[0] != nullptr || pending_[1] != nullptr; });
            // Alternate when both drives wait, so neither starves the other.
            drive = pending_[1 - last_drive_] ? 1 - last_drive_ : last_drive_;
            request = pending_[drive];
            pending_[drive] = nullptr;
            last_drive_ = drive;
        }
        int error = disks_[drive]->execute(*request);
        disks_[drive]->queue().complete(*request, error);
    }
}

void AtaChannel::reset_and_restore() {
    if (!reset()) log_warning("ata%d: the channel stays busy after a reset", index_);
    for (AtaDisk* disk : disks_) {
        if (disk) disk->restore_settings();
    }
}

}  // namespace ata
