// drivers/virtio/virtio_pci_legacy.cpp -- port I/O on the legacy register
// block. See virtio_pci_legacy.h for the layout and its source.
#include "drivers/virtio/virtio_pci_legacy.h"

#include "kernel/arch/x86/cpu.h"

namespace virtio {

namespace {

enum Register : uint16_t {
    DEVICE_FEATURES = 0,
    DRIVER_FEATURES = 4,
    QUEUE_ADDRESS = 8,
    QUEUE_SIZE = 12,
    QUEUE_SELECT = 14,
    QUEUE_NOTIFY = 16,
    DEVICE_STATUS = 18,
    ISR_STATUS = 19,
    DEVICE_CONFIGURATION = 20,  // no MSI-X: this kernel never enables it
};

constexpr uint32_t QUEUE_ADDRESS_SHIFT = 12;  // the register holds a 4096-byte page number

}  // namespace

uint32_t LegacyPciRegisters::device_features() const { return cpu::inl(uint16_t(base_ + DEVICE_FEATURES)); }

void LegacyPciRegisters::set_driver_features(uint32_t features) {
    cpu::outl(uint16_t(base_ + DRIVER_FEATURES), features);
}

uint8_t LegacyPciRegisters::status() const { return cpu::inb(uint16_t(base_ + DEVICE_STATUS)); }

void LegacyPciRegisters::set_status(uint8_t status) { cpu::outb(uint16_t(base_ + DEVICE_STATUS), status); }

void LegacyPciRegisters::select_queue(uint16_t queue) { cpu::outw(uint16_t(base_ + QUEUE_SELECT), queue); }

uint16_t LegacyPciRegisters::selected_queue_size() const { return cpu::inw(uint16_t(base_ + QUEUE_SIZE)); }

void LegacyPciRegisters::set_selected_queue_address(uint32_t physical) {
    cpu::outl(uint16_t(base_ + QUEUE_ADDRESS), physical >> QUEUE_ADDRESS_SHIFT);
}

void LegacyPciRegisters::notify_queue(uint16_t queue) { cpu::outw(uint16_t(base_ + QUEUE_NOTIFY), queue); }

uint8_t LegacyPciRegisters::read_and_clear_isr() { return cpu::inb(uint16_t(base_ + ISR_STATUS)); }

uint8_t LegacyPciRegisters::config8(uint16_t offset) const {
    return cpu::inb(uint16_t(base_ + DEVICE_CONFIGURATION + offset));
}

uint16_t LegacyPciRegisters::config16(uint16_t offset) const {
    return cpu::inw(uint16_t(base_ + DEVICE_CONFIGURATION + offset));
}

uint32_t LegacyPciRegisters::config32(uint16_t offset) const {
    return cpu::inl(uint16_t(base_ + DEVICE_CONFIGURATION + offset));
}

uint64_t LegacyPciRegisters::config64(uint16_t offset) const {
    return uint64_t(config32(offset)) | uint64_t(config32(uint16_t(offset + 4))) << 32;
}

}  // namespace virtio
