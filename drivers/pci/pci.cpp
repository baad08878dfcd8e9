// drivers/pci/pci.cpp -- see pci.h.
#include "drivers/pci/pci.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"

namespace {

constexpr uint16_t CONFIG_ADDRESS = 0xCF8, CONFIG_DATA = 0xCFC;
constexpr uint32_t CONFIG_ENABLE = 1u << 31;

// Offsets in the type 0 header (PCI Local Bus Specification 3.0, 6.1).
enum Offset : uint8_t {
    VENDOR_ID = 0x00, DEVICE_ID = 0x02, COMMAND = 0x04, REVISION = 0x08, PROG_IF = 0x09, SUBCLASS = 0x0A,
    CLASS_CODE = 0x0B, HEADER_TYPE = 0x0E, BAR0 = 0x10, SUBSYSTEM_VENDOR_ID = 0x2C, SUBSYSTEM_ID = 0x2E,
    INTERRUPT_LINE = 0x3C, INTERRUPT_PIN = 0x3D,
    BRIDGE_SECONDARY_BUS = 0x19,  // type 1 header
};
constexpr uint8_t HEADER_MULTIFUNCTION = 0x80;
constexpr uint8_t CLASS_BRIDGE = 0x06, SUBCLASS_PCI_TO_PCI = 0x04;
constexpr uint16_t NO_DEVICE = 0xFFFF;
constexpr int MAX_DEVICES = 64;

pci::Driver drivers[pci::MAX_DRIVERS];
int driver_count = 0;
pci::Device* devices[MAX_DEVICES];
int found = 0;

uint32_t config_address(const pci::Address& a, uint8_t offset) {
    return CONFIG_ENABLE | uint32_t(a.bus) << 16 | uint32_t(a.device) << 11 | uint32_t(a.function) << 8 |
           (offset & 0xFC);
}

// Sizes a BAR: write all ones, read back which bits stuck, restore.
pci::Bar read_bar(const pci::Address& address, int index, bool* takes_two) {
    uint8_t offset = uint8_t(BAR0 + index * 4);
    uint32_t original = pci::read32(address, offset);
    pci::Bar bar;
    *takes_two = false;
    InterruptGuard atomic;
    pci::write32(address, offset, 0xFFFFFFFF);
    uint32_t probe = pci::read32(address, offset);
    pci::write32(address, offset, original);
    if (probe == 0 || probe == 0xFFFFFFFF) return bar;  // unimplemented
    if (original & 1) {
        bar.kind = pci::Bar::Kind::Io;
        bar.base = original & ~3u;
        bar.size = ~(probe & ~3u) + 1;
        bar.size &= 0xFFFF;  // I/O space is 64 KiB
    } else {
        bar.kind = pci::Bar::Kind::Memory;
        bar.base = original & ~15u;
        bar.size = ~(probe & ~15u) + 1;
        bar.prefetchable = original & 8;
        *takes_two = ((original >> 1) & 3) == 2;  // a 64-bit BAR: the next one is its high half
    }
    return bar;
}

bool matches(const pci::Driver& driver, const pci::Device& device) {
    if (driver.vendor_id == pci::ANY) {
        return driver.class_code == device.class_code && driver.subclass == device.subclass;
    }
    return driver.vendor_id == device.vendor_id && (driver.device_id == pci::ANY || driver.device_id == device.device_id);
}

void offer_to_drivers(pci::Device& device) {
    for (int i = 0; i < driver_count; ++i) {
        if (!matches(drivers[i], device)) continue;
        auto probed = drivers[i].probe(device);
        if (!probed.is_error()) {
            device.driver = drivers[i].name;
            return;
        }
        log_warning("pci %02x:%02x.%x: %s cannot drive it: %s", device.address.bus, device.address.device,
                    device.address.function, drivers[i].name, errno_message(probed.error()));
    }
}

void scan_bus(uint8_t bus, int depth);

void record_function(const pci::Address& address, int depth) {
    if (found == MAX_DEVICES) return;
    auto* device = new (std::nothrow) pci::Device{};
    if (!device) return;
    device->address = address;
    device->vendor_id = pci::read16(address, VENDOR_ID);
    device->device_id = pci::read16(address, DEVICE_ID);
    device->revision = pci::read8(address, REVISION);
    device->prog_if = pci::read8(address, PROG_IF);
    device->subclass = pci::read8(address, SUBCLASS);
    device->class_code = pci::read8(address, CLASS_CODE);
    device->header_type = pci::read8(address, HEADER_TYPE) & ~HEADER_MULTIFUNCTION;
    device->interrupt_line = pci::read8(address, INTERRUPT_LINE);
    device->interrupt_pin = pci::read8(address, INTERRUPT_PIN);
    if (device->header_type == 0) {
        device->subsystem_vendor_id = pci::read16(address, SUBSYSTEM_VENDOR_ID);
        device->subsystem_id = pci::read16(address, SUBSYSTEM_ID);
        for (int i = 0; i < 6; ++i) {
            bool takes_two = false;
            device->bars[i] = read_bar(address, i, &takes_two);
            if (takes_two) ++i;
        }
    }
    devices[found++] = device;
    // Behind a PCI-to-PCI bridge is another bus (QEMU's pc has none, real machines do).
    if (device->class_code == CLASS_BRIDGE && device->subclass == SUBCLASS_PCI_TO_PCI && depth < 8) {
        scan_bus(pci::read8(address, BRIDGE_SECONDARY_BUS), depth + 1);
    }
}

void scan_bus(uint8_t bus, int depth) {
    for (uint8_t slot = 0; slot < 32; ++slot) {
        pci::Address first{bus, slot, 0};
        if (pci::read16(first, VENDOR_ID) == NO_DEVICE) continue;
        bool multifunction = pci::read8(first, HEADER_TYPE) & HEADER_MULTIFUNCTION;
        for (uint8_t function = 0; function < (multifunction ? 8 : 1); ++function) {
            pci::Address address{bus, slot, function};
            if (pci::read16(address, VENDOR_ID) == NO_DEVICE) continue;
            record_function(address, depth);
        }
    }
}

}  // namespace

namespace pci {

uint32_t read32(const Address& address, uint8_t offset) {
    InterruptGuard atomic;
    cpu::outl(CONFIG_ADDRESS, config_address(address, offset));
    return cpu::inl(CONFIG_DATA);
}

uint16_t read16(const Address& address, uint8_t offset) {
    return uint16_t(read32(address, offset) >> ((offset & 2) * 8));
}

uint8_t read8(const Address& address, uint8_t offset) { return uint8_t(read32(address, offset) >> ((offset & 3) * 8)); }

void write32(const Address& address, uint8_t offset, uint32_t value) {
    InterruptGuard atomic;
    cpu::outl(CONFIG_ADDRESS, config_address(address, offset));
    cpu::outl(CONFIG_DATA, value);
}

void write16(const Address& address, uint8_t offset, uint16_t value) {
    InterruptGuard atomic;
    uint32_t word = read32(address, offset);
    int shift = (offset & 2) * 8;
    word = (word & ~(0xFFFFu << shift)) | uint32_t(value) << shift;
    write32(address, offset, word);
}

void enable(const Device& device, uint16_t command_bits) {
    write16(device.address, COMMAND, uint16_t(read16(device.address, COMMAND) | command_bits));
}

bool register_driver(const Driver& driver) {
    if (driver_count == MAX_DRIVERS) return false;
    drivers[driver_count++] = driver;
    return true;
}

void enumerate() {
    scan_bus(0, 0);
    for (int i = 0; i < found; ++i) {
        Device& d = *devices[i];
        offer_to_drivers(d);
        log_info("pci %02x:%02x.%x: %04x:%04x %s (%02x.%02x.%02x) irq %u%s%s", d.address.bus, d.address.device,
                 d.address.function, d.vendor_id, d.device_id, class_name(d.class_code), d.class_code, d.subclass,
                 d.prog_if, d.interrupt_line, d.driver ? ", driver " : "", d.driver ? d.driver : "");
    }
}

int device_count() { return found; }
const Device* device_at(int index) { return index >= 0 && index < found ? devices[index] : nullptr; }

const char* class_name(uint8_t class_code) {
    static const char* const names[] = {
        "unclassified device",  "mass storage controller", "network controller",  "display controller",
        "multimedia controller", "memory controller",      "bridge",              "communication controller",
        "system peripheral",    "input device",            "docking station",     "processor",
        "serial bus controller", "wireless controller",    "intelligent controller", "satellite controller",
        "encryption controller", "signal processing controller",
    };
    return class_code < sizeof names / sizeof names[0] ? names[class_code] : "other device";
}

}  // namespace pci
