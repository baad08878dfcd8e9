// drivers/ata/ata_pci.h -- finding IDE controllers on the PCI bus.
//
// Layer: device driver (ATA), the bus glue. An IDE controller is PCI class
// 0x01 (mass storage), subclass 0x01 (IDE). Its programming interface
// byte says, per channel, whether it sits at the ISA ports and IRQs of the
// PC/AT (compatibility mode: 0x1F0/0x3F6 IRQ 14, 0x170/0x376 IRQ 15) or
// at its own BARs with the PCI interrupt (native mode), and whether it has
// a bus master for DMA (BAR4, eight ports per channel). QEMU's PIIX3
// (8086:7010) is in compatibility mode with a bus master.
//
// For each channel the probe resets it, asks both places what sits there
// (ata_probe.h), makes an AtaDisk per ATA disk, named by place -- hda, hdb
// (primary master, slave), hdc, hdd (secondary), and on for a further
// controller -- registers it, and starts the channel's worker.
//
// Kernel command line: `ata=pio` turns DMA off for every disk.
//
// Must stay true: register_pci_driver() runs before pci::enumerate(), on a
// thread that may sleep (a channel reset waits); channel numbers only grow,
// so a disk name is never given twice, and a channel with no disk is
// forgotten without touching its interrupt line.
#pragma once

namespace ata {

// Registers the driver with the PCI layer; call before pci::enumerate().
void register_pci_driver();

}  // namespace ata
