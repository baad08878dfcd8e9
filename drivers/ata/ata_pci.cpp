// drivers/ata/ata_pci.cpp -- the PCI probe of IDE controllers. See the header.
#include "drivers/ata/ata_pci.h"

#include "drivers/ata/ata_channel.h"
#include "drivers/ata/ata_disk.h"
#include "drivers/ata/ata_probe.h"
#include "drivers/ata/ata_registers.h"
#include "drivers/block/block_device_registry.h"
#include "drivers/pci/pci.h"
#include "kernel/command_line.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

namespace ata {
namespace {

constexpr uint8_t CLASS_MASS_STORAGE = 0x01, SUBCLASS_IDE = 0x01;

// Channels are numbered across controllers, so names never repeat.
int next_channel_index = 0;

bool dma_disabled_on_command_line() {
    const char* setting = kernel_command_line.get("ata");
    return setting && klib::strcmp(setting, "pio") == 0;
}

void log_disk(const AtaDisk& disk) {
    const IdentifyData& identify = disk.identify();
    uint64_t bytes = identify.sectors * SECTOR_BYTES;
    char size[32];
    if (bytes >= (1ull << 20)) klib::format(size, sizeof size, "%llu MiB", (unsigned long long)(bytes >> 20));
    else klib::format(size, sizeof size, "%llu KiB", (unsigned long long)(bytes >> 10));
    char transfer[32];
    if (disk.uses_dma()) klib::format(transfer, sizeof transfer, "DMA (%s)", best_dma_mode_name(identify));
    else klib::format(transfer, sizeof transfer, "PIO (%u sectors per interrupt)", unsigned(disk.sectors_per_block()));
    log_info("%s: %s, %s (%llu sectors), %s, %s, serial %s", disk.name(), identify.model, size,
             (unsigned long long)identify.sectors, identify.lba48 ? "LBA48" : "LBA28", transfer, identify.serial);
}

// Makes, sets up and registers the disk at one place; false when there is none.
bool add_disk(AtaChannel& channel, int drive, const char* name, const uint16_t identify_words[256]) {
    IdentifyData identify = parse_identify_data(identify_words);
    if (!identify.lba || identify.sectors == 0) {
        log_warning("%s: %s has no LBA addressing; not used", name, identify.model);
        return false;
    }
    auto* disk = new (std::nothrow) AtaDisk(name, channel, drive, identify, !dma_disabled_on_command_line());
    if (!disk) {
        log_error("%s: out of memory", name);
        return false;
    }
    disk->restore_settings();
    if (auto registered = register_block_device(*disk); registered.is_error()) {
        log_error("%s: cannot register: %s", name, errno_name(registered.error()));
        delete disk;
        return false;
    }
    channel.attach(drive, *disk);
    log_disk(*disk);
    return true;
}

void probe_channel(const ChannelPorts& ports) {
    int index = next_channel_index++;
    auto* channel = new (std::nothrow) AtaChannel(index, ports);
    if (!channel) return;
    channel->set_device_interrupts(false);  // probing polls
    if (channel->alternate_status() == STATUS_FLOATING_BUS || !channel->reset()) {
        log_info("ata%d: no devices at %#x", index, ports.command_base);
        delete channel;
        return;
    }
    if (ports.bus_master_base && !channel->dma().initialize()) log_warning("ata%d: no memory for DMA; PIO only", index);
    int disks = 0;
    for (int drive = 0; drive < 2; ++drive) {
        char name[8];
        klib::format(name, sizeof name, "hd%c", char('a' + index * 2 + drive));
        uint16_t identify_words[WORDS_PER_SECTOR];
        DriveKind kind = probe_drive(*channel, drive, identify_words);
        if (kind == DriveKind::Absent) continue;
        if (kind != DriveKind::Ata) {
            log_info("%s: %s (%s), skipped: only ATA disks are driven", name, drive_kind_name(kind),
                     drive == 0 ? "master" : "slave");
            continue;
        }
        if (add_disk(*channel, drive, name, identify_words)) ++disks;
    }
    if (disks == 0) {
        delete channel;
        return;
    }
    if (auto started = channel->start_worker(); started.is_error())
        log_error("ata%d: cannot start: %s; its disks will not answer", index, errno_name(started.error()));
}

ChannelPorts channel_ports(const pci::Device& device, int channel, uint16_t bus_master_base) {
    bool native = device.prog_if & (channel == 0 ? PROG_IF_PRIMARY_NATIVE : PROG_IF_SECONDARY_NATIVE);
    uint16_t bus_master = bus_master_base ? uint16_t(bus_master_base + channel * BUS_MASTER_CHANNEL_STRIDE) : 0;
    if (!native) {
        const LegacyChannelPorts& legacy = channel == 0 ? LEGACY_PRIMARY : LEGACY_SECONDARY;
        return {legacy.command_base, legacy.control_base, bus_master, legacy.irq, false};
    }
    // Native mode: BAR0/1 (primary) or BAR2/3 (secondary); the control
    // block register is at offset 2 of its four-port BAR.
    const pci::Bar& command = device.bars[channel * 2];
    const pci::Bar& control = device.bars[channel * 2 + 1];
    if (command.kind != pci::Bar::Kind::Io || control.kind != pci::Bar::Kind::Io) return {0, 0, 0, 0, true};
    return {uint16_t(command.base), uint16_t(control.base + 2), bus_master, device.interrupt_line, true};
}

Result<void> probe(pci::Device& device) {
    const pci::Bar& bar4 = device.bars[4];
    uint16_t bus_master_base =
        (device.prog_if & PROG_IF_BUS_MASTER) && bar4.kind == pci::Bar::Kind::Io ? uint16_t(bar4.base) : 0;
    pci::enable(device, pci::COMMAND_IO_SPACE | (bus_master_base ? pci::COMMAND_BUS_MASTER : 0));
    if (dma_disabled_on_command_line()) log_info("ata: ata=pio on the command line: DMA is off");
    for (int channel = 0; channel < 2; ++channel) {
        ChannelPorts ports = channel_ports(device, channel, bus_master_base);
        if (ports.command_base == 0) {
            log_warning("ata: channel %d of the controller has no I/O ports; skipped", channel);
            continue;
        }
        probe_channel(ports);
    }
    return {};
}

}  // namespace

void register_pci_driver() {
    static const pci::Driver driver = {"ata", pci::ANY, pci::ANY, CLASS_MASS_STORAGE, SUBCLASS_IDE, probe};
    if (!pci::register_driver(driver)) log_error("ata: the PCI driver table is full");
}

}  // namespace ata
