// kernel/init/boot_disks.h -- the block devices that exist from the start.
//
// Layer: init, the top floor (storage bring-up). Each Multiboot module becomes a
// RAM disk: the first ram0 (the root file system image), the next ram1, ...
// Then the disk drivers register with the PCI layer and the bus is
// enumerated, so each controller's disks appear (hda..., vda...). All are
// registered in the block device registry, so devfs shows them and mount
// finds them, and so is each partition of their MBR tables (hda1, ram1p2...).
#pragma once

#include "kernel/multiboot.h"

void create_boot_ram_disks(const BootInfo& boot_info);
// Registers the PCI disk drivers and enumerates the bus. Sleeps (drivers
// wait for their devices), so it runs in a thread, not at early boot.
void find_pci_disks();
