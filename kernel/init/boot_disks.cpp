// kernel/init/boot_disks.cpp -- RAM disks over the boot modules. See the header.
#include "kernel/init/boot_disks.h"

#include "drivers/ata/ata_pci.h"
#include "drivers/block/block_device_registry.h"
#include "drivers/block/partition_device.h"
#include "drivers/block/ramdisk.h"
#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio_blk.h"
#include "kernel/lib/format.h"
#include "kernel/log.h"
#include "kernel/mm/memory_layout.h"

void create_boot_ram_disks(const BootInfo& boot_info) {
    for (size_t i = 0; i < boot_info.module_count; ++i) {
        const BootModule& module = boot_info.modules[i];
        char name[16];
        klib::format(name, sizeof name, "ram%u", unsigned(i));
        if (module.end_physical > memory_layout::DIRECT_MAP_LIMIT_PHYSICAL) {
            log_error("%s: module %s lies above the direct map; not usable", name, module.name);
            continue;
        }
        void* memory = memory_layout::physical_to_pointer<void>(module.start_physical);
        auto* disk = new (std::nothrow) RamDisk(name, memory, module.end_physical - module.start_physical, false);
        if (!disk) {
            log_error("%s: out of memory", name);
            return;
        }
        if (auto registered = register_block_device(*disk); registered.is_error()) {
            log_error("%s: cannot register: %s", name, errno_name(registered.error()));
            delete disk;
            continue;
        }
        log_info("%s: RAM disk of %u KiB from boot module %s", name, unsigned(disk->capacity_bytes() / 1024),
                 module.name);
        scan_partitions(*disk);
    }
}

void find_pci_disks() {
    // Each disk driver registers what it drives here, before the scan.
    ata::register_pci_driver();
    virtio::register_block_driver();
    pci::enumerate();
    // Every disk the drivers registered gets its partitions; scan_partitions
    // skips partitions themselves (the loop sees those it adds) and disks
    // scanned before (the RAM disks).
    for (size_t i = 0; BlockDevice* device = block_device_at(i); ++i) scan_partitions(*device);
}
