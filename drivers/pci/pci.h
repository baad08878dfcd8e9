// drivers/pci/pci.h -- finding devices on the PCI bus.
//
// Layer: device drivers (bus). PCI devices describe themselves in a 256-byte
// configuration space per function: who made them (vendor, device), what
// they are (class, subclass, programming interface), where their registers
// are (base address registers, BARs: I/O ports or memory) and which
// interrupt line they raise. This layer reads that space through
// configuration mechanism #1 (ports 0xCF8/0xCFC), enumerates every bus,
// device and function once at boot, and hands each function to the driver
// that registered for it, by vendor and device or by class.
//
// Must stay true: enumerate() runs once, after interrupts and the heap are
// up and before the storage stack looks for disks; drivers register before
// it. Configuration accesses are serialized by masking interrupts (the
// address port and the data port are one operation).
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

namespace pci {

struct Address {
    uint8_t bus, device, function;
};

struct Bar {
    enum class Kind : uint8_t { None, Io, Memory } kind = Kind::None;
    uint32_t base = 0;  // port number or physical address
    uint32_t size = 0;  // bytes, found by the standard all-ones probe
    bool prefetchable = false;
};

struct Device {
    Address address;
    uint16_t vendor_id, device_id;
    uint8_t class_code, subclass, prog_if, revision;
    uint8_t header_type;     // bit 7 cleared: 0 = a device, 1 = a PCI-to-PCI bridge
    uint8_t interrupt_line;  // the legacy IRQ the firmware routed it to (0xFF: none)
    uint8_t interrupt_pin;   // 1-4 for INTA#-INTD#, 0 for none
    uint16_t subsystem_vendor_id, subsystem_id;
    Bar bars[6];
    const char* driver = nullptr;  // the name of the driver that took it
};

// Configuration space access (offsets in bytes; aligned to the size).
uint32_t read32(const Address& address, uint8_t offset);
uint16_t read16(const Address& address, uint8_t offset);
uint8_t read8(const Address& address, uint8_t offset);
void write32(const Address& address, uint8_t offset, uint32_t value);
void write16(const Address& address, uint8_t offset, uint16_t value);

// The command register's bits a driver turns on for its device.
constexpr uint16_t COMMAND_IO_SPACE = 1u << 0, COMMAND_MEMORY_SPACE = 1u << 1, COMMAND_BUS_MASTER = 1u << 2,
                   COMMAND_INTERRUPT_DISABLE = 1u << 10;
void enable(const Device& device, uint16_t command_bits);

// A driver: matches by vendor and device (device_id 0xFFFF: any device of
// the vendor) or, with vendor_id 0xFFFF, by class and subclass. probe()
// returns an error when it cannot drive the device after all.
struct Driver {
    const char* name;
    uint16_t vendor_id, device_id;
    uint8_t class_code, subclass;
    Result<void> (*probe)(Device& device);
};
constexpr uint16_t ANY = 0xFFFF;

// At most MAX_DRIVERS; false when the table is full.
constexpr int MAX_DRIVERS = 8;
bool register_driver(const Driver& driver);

// Scans every bus and offers each function to the registered drivers.
void enumerate();

// The functions found, in bus/device/function order.
int device_count();
const Device* device_at(int index);

// "mass storage controller", "network controller", ... for listings.
const char* class_name(uint8_t class_code);

}  // namespace pci
