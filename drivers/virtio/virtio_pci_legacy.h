// drivers/virtio/virtio_pci_legacy.h -- the register block of a legacy
// (transitional) virtio PCI device.
//
// Layer: device drivers (virtio transport). QEMU's virtio devices are
// "transitional" by default: besides the modern capability-based interface
// they keep the legacy one, an I/O port block at BAR0 (virtio 1.x, 4.1.4.8
// "Legacy Interfaces: A Note on PCI Device Layout"):
//
//   offset  size  register
//    0      32    device features (bits 0-31; what the device offers)
//    4      32    driver (guest) features (what the driver accepts)
//    8      32    queue address: page frame number (physical >> 12) of the
//                 selected queue's ring memory; 0 releases the queue
//   12      16    queue size (of the selected queue; 0: no such queue)
//   14      16    queue select
//   16      16    queue notify (write a queue's index: "look at its ring")
//   18       8    device status
//   19       8    ISR status (read clears it and lowers the interrupt line)
//   20            device-specific configuration (without MSI-X; with MSI-X
//                 enabled two vector registers come first and it starts at 24)
//
// Transitional devices have PCI vendor 0x1AF4, device 0x1000 + (type - 1)
// for the legacy id (block: 0x1001) and the virtio device type in the
// subsystem id (block: 2).
//
// Initialisation order for a legacy driver (3.1.2 "Legacy Interface:
// Device Initialization"): reset (status 0), ACKNOWLEDGE, DRIVER, read the
// features and write the accepted subset, set up the queues, DRIVER_OK.
// There is no FEATURES_OK step in the legacy interface: the device takes
// the features as written.
//
// What must stay true: this class only touches its own port block; it has
// no state besides the base port, so any number of devices coexist.
#pragma once

#include <cstdint>

namespace virtio {

// Device status bits (2.1 "Device Status Field").
constexpr uint8_t STATUS_ACKNOWLEDGE = 1;  // the guest noticed the device
constexpr uint8_t STATUS_DRIVER = 2;       // ...and has a driver for it
constexpr uint8_t STATUS_DRIVER_OK = 4;    // the driver is ready: the device may go
constexpr uint8_t STATUS_FEATURES_OK = 8;  // modern interface only
constexpr uint8_t STATUS_FAILED = 128;     // the driver gave up on the device

// ISR status bits (4.1.4.5).
constexpr uint8_t ISR_QUEUE = 1;           // a virtqueue has new used entries
constexpr uint8_t ISR_CONFIGURATION = 2;   // the device configuration changed

constexpr uint16_t PCI_VENDOR_ID = 0x1AF4;
constexpr uint16_t PCI_DEVICE_ID_LEGACY_BLOCK = 0x1001;
constexpr uint16_t DEVICE_TYPE_BLOCK = 2;

class LegacyPciRegisters {
public:
    explicit LegacyPciRegisters(uint16_t base_port) : base_(base_port) {}

    uint16_t base_port() const { return base_; }

    uint32_t device_features() const;
    void set_driver_features(uint32_t features);

    uint8_t status() const;
    void set_status(uint8_t status);
    void add_status(uint8_t bits) { set_status(uint8_t(status() | bits)); }
    void reset() { set_status(0); }

    void select_queue(uint16_t queue);
    uint16_t selected_queue_size() const;
    // Physical address of the selected queue's ring memory (4096-aligned, below 16 TiB).
    void set_selected_queue_address(uint32_t physical);
    void notify_queue(uint16_t queue);

    // Reading acknowledges the interrupt (and lowers a level-triggered line).
    uint8_t read_and_clear_isr();

    // The device-specific configuration, by offset within it.
    uint8_t config8(uint16_t offset) const;
    uint16_t config16(uint16_t offset) const;
    uint32_t config32(uint16_t offset) const;
    // Two 32-bit reads; the legacy interface has no generation counter, so
    // a value the device changes between them could tear (a capacity
    // change is announced by ISR_CONFIGURATION, and this kernel reads it
    // once at probe time).
    uint64_t config64(uint16_t offset) const;

private:
    uint16_t base_;
};

}  // namespace virtio
