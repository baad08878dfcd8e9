// drivers/virtio/virtio_blk_probe.cpp -- finding, negotiating with and
// registering virtio-blk devices.
//
// Layer: device drivers. The PCI layer hands us each device with vendor
// 0x1AF4 and the transitional block id 0x1001. probe() walks the legacy
// initialisation sequence (virtio_pci_legacy.h): reset, ACKNOWLEDGE,
// DRIVER, features, configuration, queue 0, and -- once the BlockDevice
// exists, is registered as vdX and its interrupt handler is in place --
// DRIVER_OK. On any failure the device is marked FAILED and everything
// allocated is given back, so a bad device costs nothing but a log line.
//
// Names: the next free letter, in the order the PCI scan offers devices
// (vda, vdb, ...), taken only by devices that work.
#include "drivers/block/block_device_registry.h"
#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio_blk.h"
#include "kernel/lib/format.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"

namespace virtio {

namespace {

constexpr uint32_t WANTED_FEATURES = BLOCK_F_SIZE_MAX | BLOCK_F_SEG_MAX | BLOCK_F_RO | BLOCK_F_BLK_SIZE | BLOCK_F_FLUSH;
constexpr uint8_t NO_IRQ_LIMIT = 16;  // lines of the two 8259s
constexpr int MAX_DISKS = 26;         // vda .. vdz

int disks_named = 0;

// Reads what the accepted features make valid; the rest keeps its default.
void read_configuration(const LegacyPciRegisters& registers, BlockDeviceSetup& setup) {
    setup.capacity_sectors = registers.config64(BLOCK_CONFIG_CAPACITY);
    setup.size_max = (setup.features & BLOCK_F_SIZE_MAX) ? registers.config32(BLOCK_CONFIG_SIZE_MAX) : 0;
    setup.seg_max = (setup.features & BLOCK_F_SEG_MAX) ? registers.config32(BLOCK_CONFIG_SEG_MAX) : 0;
    setup.block_size = SECTOR_SIZE;
    if (setup.features & BLOCK_F_BLK_SIZE) {
        uint32_t size = registers.config32(BLOCK_CONFIG_BLK_SIZE);
        // Only sizes the block layer can use; others are a warning, not a failure.
        if (size >= SECTOR_SIZE && size <= memory_layout::PAGE_SIZE && (size & (size - 1)) == 0) {
            setup.block_size = size;
        } else {
            log_warning("virtio-blk: block size %u ignored, using %u", size, SECTOR_SIZE);
        }
    }
}

// Queue 0: its size from the device, ring memory from the page allocator,
// the page number to the device.
Result<void> set_up_queue(LegacyPciRegisters& registers, BlockDeviceSetup& setup) {
    registers.select_queue(0);
    uint16_t size = registers.selected_queue_size();
    if (!SplitVirtqueue::is_valid_size(size) || size < 3) return Error{ENODEV};
    size_t bytes = SplitVirtqueue::legacy_ring_bytes(size);
    setup.ring_pages = bytes / memory_layout::PAGE_SIZE;
    setup.ring_physical = physical_allocator::allocate_contiguous(setup.ring_pages);
    if (setup.ring_physical == 0) return Error{ENOMEM};
    auto queue = SplitVirtqueue::create(size, memory_layout::physical_to_pointer<void>(setup.ring_physical));
    if (queue.is_error()) {
        physical_allocator::free_contiguous(setup.ring_physical, setup.ring_pages);
        return Error{queue.error()};
    }
    setup.queue = queue.value();
    registers.set_selected_queue_address(setup.ring_physical);
    return {};
}

// Everything up to (not including) DRIVER_OK.
Result<void> negotiate(const pci::Device& device, BlockDeviceSetup& setup) {
    if (device.subsystem_id != DEVICE_TYPE_BLOCK) return Error{ENODEV};
    if (device.bars[0].kind != pci::Bar::Kind::Io) return Error{ENODEV};
    if (device.interrupt_line >= NO_IRQ_LIMIT) return Error{ENODEV};
    setup.base_port = uint16_t(device.bars[0].base);
    setup.irq = device.interrupt_line;
    pci::enable(device, pci::COMMAND_IO_SPACE | pci::COMMAND_BUS_MASTER);

    LegacyPciRegisters registers(setup.base_port);
    registers.reset();
    registers.add_status(STATUS_ACKNOWLEDGE);
    registers.add_status(STATUS_DRIVER);
    setup.features = registers.device_features() & WANTED_FEATURES;
    registers.set_driver_features(setup.features);
    read_configuration(registers, setup);
    return set_up_queue(registers, setup);
}

void log_disk(const VirtioBlockDevice& disk, const BlockDeviceSetup& setup) {
    char size[32];
    uint64_t kib = disk.capacity_bytes() / 1024;
    if (kib >= 1024) klib::format(size, sizeof size, "%u MiB", unsigned(kib / 1024));
    else klib::format(size, sizeof size, "%u KiB", unsigned(kib));
    char size_max[24] = "";
    if (setup.size_max != 0) klib::format(size_max, sizeof size_max, ", size_max %u", unsigned(setup.size_max));
    log_info("%s: virtio-blk, %s, seg_max %u%s, block %u, queue %u, depth %u%s%s, irq %u", disk.name(), size,
             unsigned(setup.seg_max), size_max, unsigned(disk.logical_block_size()), unsigned(setup.queue->size()),
             unsigned(disk.limits().queue_depth), (setup.features & BLOCK_F_FLUSH) ? ", flush" : "",
             disk.is_read_only() ? ", read-only" : "", unsigned(setup.irq));
}

Result<void> probe(pci::Device& device) {
    if (disks_named >= MAX_DISKS) return Error{ENOSPC};
    BlockDeviceSetup setup = {};
    LegacyPciRegisters registers(uint16_t(device.bars[0].base));
    if (auto negotiated = negotiate(device, setup); negotiated.is_error()) {
        if (device.bars[0].kind == pci::Bar::Kind::Io) registers.add_status(STATUS_FAILED);
        return negotiated;
    }
    char name[8];
    klib::format(name, sizeof name, "vd%c", char('a' + disks_named));
    auto created = VirtioBlockDevice::create(name, setup);  // on success it owns the queue and ring
    if (created.is_error()) {
        registers.reset();  // the device lets go of the ring before it is freed
        delete setup.queue;
        physical_allocator::free_contiguous(setup.ring_physical, setup.ring_pages);
        registers.add_status(STATUS_FAILED);
        return Error{created.error()};
    }
    VirtioBlockDevice* disk = created.value();
    if (auto registered = register_block_device(*disk); registered.is_error()) {
        delete disk;
        registers.add_status(STATUS_FAILED);
        return registered;
    }
    ++disks_named;
    disk->start_device();
    log_disk(*disk, setup);
    return {};
}

}  // namespace

void register_block_driver() {
    pci::Driver driver = {"virtio-blk", PCI_VENDOR_ID, PCI_DEVICE_ID_LEGACY_BLOCK, 0, 0, probe};
    if (!pci::register_driver(driver)) log_error("virtio-blk: the PCI driver table is full");
}

}  // namespace virtio
