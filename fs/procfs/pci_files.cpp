// fs/procfs/pci_files.cpp -- /proc/bus/pci: the PCI functions as Linux shows them.
//
// Layer: concrete file system (Linux: drivers/pci/proc.c). The tree:
//   /proc/bus                  ProcfsBusInode: just "pci"
//   /proc/bus/pci              ProcfsPciDirectoryInode: "devices", then one
//                              directory per bus that has functions ("00")
//   /proc/bus/pci/devices      one line per function (show_device's format):
//       BBDF \t VVVVDDDD \t IRQ, 7 x \t start|flags, 7 x \t size (%16llx), \t driver
//   /proc/bus/pci/BB           ProcfsPciBusInode: "DD.F" per function of the bus
//   /proc/bus/pci/BB/DD.F      the function's configuration space, 256 bytes,
//                              binary (what pciutils' proc back end reads)
// Everything comes from procfs_sources (the PCI list found at boot, and the
// configuration space read at each read from offset 0), so this builds and is tested on the
// host. The numbers are procfs_internal.h's PROCFS_PCI_* ones.
//
// Must stay true: a name is found only while a function of that bus,
// device and function exists; nothing here writes to a device.
#include "fs/procfs/procfs_internal.h"
#include "fs/procfs/procfs_sources.h"
#include "fs/vfs/super_block.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

namespace {

using u64 = unsigned long long;  // what %llx expects, on the host as in the kernel

uint16_t location_of(const PciFunctionSnapshot& function) {
    return uint16_t(function.bus << 8 | function.device << 3 | function.function);
}

// The index of the function at `location` (bus << 8 | devfn); -1 if none is there.
int find_function(uint16_t location) {
    PciFunctionSnapshot function;
    for (int i = 0; procfs_sources::snapshot_pci_function(i, function); ++i)
        if (location_of(function) == location) return i;
    return -1;
}

bool bus_has_functions(uint8_t bus) {
    PciFunctionSnapshot function;
    for (int i = 0; procfs_sources::snapshot_pci_function(i, function); ++i)
        if (function.bus == bus) return true;
    return false;
}

// "1f" -> 0x1f: exactly two lower-case hex digits, as Linux names them.
bool parse_hex_digits(const char* text, size_t count, unsigned& value) {
    value = 0;
    for (size_t i = 0; i < count; ++i) {
        char c = text[i];
        unsigned digit;
        if (c >= '0' && c <= '9') digit = unsigned(c - '0');
        else if (c >= 'a' && c <= 'f') digit = unsigned(c - 'a' + 10);
        else return false;
        value = value * 16 + digit;
    }
    return true;
}

Result<void> generate_devices(const ProcfsContext& /*context*/, ProcfsText& text) {
    PciFunctionSnapshot f;
    for (int i = 0; procfs_sources::snapshot_pci_function(i, f); ++i) {
        text.print("%02x%02x\t%04x%04x\t%x", unsigned(f.bus), unsigned(location_of(f) & 0xFF),
                   unsigned(f.vendor_id), unsigned(f.device_id), unsigned(f.irq));
        for (size_t r = 0; r < PROCFS_PCI_RESOURCES; ++r) text.print("\t%16llx", u64(f.resource_start[r]));
        for (size_t r = 0; r < PROCFS_PCI_RESOURCES; ++r) text.print("\t%16llx", u64(f.resource_size[r]));
        text.put('\t');
        text.append(f.driver);
        text.put('\n');
    }
    return {};
}

Result<void> generate_config(const ProcfsContext& context, ProcfsText& text) {
    uint8_t config[PROCFS_PCI_CONFIG_SIZE];
    int index = find_function(context.pci_function);
    if (index < 0 || !procfs_sources::read_pci_config(index, config)) return Error{ENOENT};
    text.append(reinterpret_cast<const char*>(config), sizeof config);
    return {};
}

const ProcfsEntry DEVICES_ENTRY = {"devices", S_IFREG | 0444, generate_devices};
const ProcfsEntry CONFIG_ENTRY = {"config", S_IFREG | 0444, generate_config};

// A file of this tree: the devices list or one function's configuration space.
class ProcfsPciFileInode final : public Inode {
public:
    ProcfsPciFileInode(SuperBlock& super_block, uint64_t number, const ProcfsEntry& entry, uint16_t location)
        : Inode(super_block, number), entry_(entry), location_(location) {
        mode_ = entry.mode;
        link_count_ = 1;
        if (&entry == &CONFIG_ENTRY) size_ = PROCFS_PCI_CONFIG_SIZE;  // as Linux gives it
    }
    Result<FileRef> open_file(Path&& path, uint32_t flags) override {
        ProcfsContext subject;
        subject.pci_function = location_;
        return open_procfs_file(static_cast<Path&&>(path), flags, entry_, subject);
    }
    Result<void> truncate(uint64_t) override { return Error{EACCES}; }
    Result<void> setattr(const AttributeChange&) override { return Error{EPERM}; }

private:
    const ProcfsEntry& entry_;
    const uint16_t location_;
};

class ProcfsBusInode final : public ProcfsDirectoryInode {
public:
    using ProcfsDirectoryInode::ProcfsDirectoryInode;
    Result<InodeRef> lookup(const char* name) override {
        if (klib::strcmp(name, "pci") != 0) return Error{ENOENT};
        return super_block().get_inode(PROCFS_PCI_DIRECTORY_INODE);
    }
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override {
        if (!emit_dot_entries(cookie, number(), PROCFS_ROOT_INODE, visitor)) return {};
        if (cookie == 2) visitor.visit("pci", 3, PROCFS_PCI_DIRECTORY_INODE, DT_DIR, 3);
        return {};
    }
};

// The number of /proc/bus, the parent of /proc/bus/pci.
uint64_t bus_directory_inode() {
    for (size_t i = 0; i < PROCFS_SYSTEM_ENTRY_COUNT; ++i)
        if (klib::strcmp(PROCFS_SYSTEM_ENTRIES[i].name, "bus") == 0) return PROCFS_FIRST_SYSTEM_INODE + i;
    return PROCFS_ROOT_INODE;
}

// Cookies: 0 ".", 1 "..", 2 "devices", 3 + bus for the bus directories.
class ProcfsPciDirectoryInode final : public ProcfsDirectoryInode {
public:
    using ProcfsDirectoryInode::ProcfsDirectoryInode;
    Result<InodeRef> lookup(const char* name) override {
        if (klib::strcmp(name, "devices") == 0) return super_block().get_inode(PROCFS_PCI_DEVICES_INODE);
        unsigned bus;
        if (klib::strlen(name) != 2 || !parse_hex_digits(name, 2, bus) || !bus_has_functions(uint8_t(bus)))
            return Error{ENOENT};
        return super_block().get_inode(procfs_pci_bus_inode(uint8_t(bus)));
    }
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override {
        if (!emit_dot_entries(cookie, number(), bus_directory_inode(), visitor)) return {};
        if (cookie == 2) {
            if (!visitor.visit("devices", 7, PROCFS_PCI_DEVICES_INODE, DT_REG, 3)) return {};
            cookie = 3;
        }
        for (unsigned bus = unsigned(cookie - 3); bus < 256; ++bus) {
            if (!bus_has_functions(uint8_t(bus))) continue;
            char name[4];
            klib::format(name, sizeof name, "%02x", bus);
            if (!visitor.visit(name, 2, procfs_pci_bus_inode(uint8_t(bus)), DT_DIR, 3 + bus + 1)) return {};
        }
        return {};
    }
};

// Cookies: 0 ".", 1 "..", 2 + devfn for each function of the bus.
class ProcfsPciBusInode final : public ProcfsDirectoryInode {
public:
    ProcfsPciBusInode(SuperBlock& super_block, uint8_t bus)
        : ProcfsDirectoryInode(super_block, procfs_pci_bus_inode(bus)), bus_(bus) {}
    Result<InodeRef> lookup(const char* name) override {
        unsigned device, function;
        if (klib::strlen(name) != 4 || name[2] != '.' || !parse_hex_digits(name, 2, device) || device > 31 ||
            name[3] < '0' || name[3] > '7')
            return Error{ENOENT};
        function = unsigned(name[3] - '0');
        uint16_t location = uint16_t(bus_ << 8 | device << 3 | function);
        if (find_function(location) < 0) return Error{ENOENT};
        return super_block().get_inode(procfs_pci_function_inode(location));
    }
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override {
        if (!emit_dot_entries(cookie, number(), PROCFS_PCI_DIRECTORY_INODE, visitor)) return {};
        PciFunctionSnapshot f;
        for (int i = 0; procfs_sources::snapshot_pci_function(i, f); ++i) {
            uint16_t location = location_of(f);
            if (f.bus != bus_ || 2u + (location & 0xFF) < cookie) continue;
            char name[8];
            klib::format(name, sizeof name, "%02x.%u", unsigned(f.device), unsigned(f.function));
            if (!visitor.visit(name, 4, procfs_pci_function_inode(location), DT_REG, 2u + (location & 0xFF) + 1))
                return {};
        }
        return {};
    }

private:
    const uint8_t bus_;
};

Result<Inode*> made(Inode* inode) {
    if (inode == nullptr) return Error{ENOMEM};
    return inode;
}

}  // namespace

Result<Inode*> make_procfs_bus_directory(SuperBlock& super_block, uint64_t number) {
    return made(new (std::nothrow) ProcfsBusInode(super_block, number));
}

Result<Inode*> read_procfs_pci_inode(SuperBlock& super_block, uint64_t number) {
    if (number == PROCFS_PCI_DIRECTORY_INODE)
        return made(new (std::nothrow) ProcfsPciDirectoryInode(super_block, number));
    if (number == PROCFS_PCI_DEVICES_INODE)
        return made(new (std::nothrow) ProcfsPciFileInode(super_block, number, DEVICES_ENTRY, 0));
    uint64_t offset = number - PROCFS_PCI_FIRST_INODE;
    if (offset < 0x100) {
        if (!bus_has_functions(uint8_t(offset))) return Error{ENOENT};
        return made(new (std::nothrow) ProcfsPciBusInode(super_block, uint8_t(offset)));
    }
    if (offset >= 0x10000 && offset < 0x20000) {
        uint16_t location = uint16_t(offset - 0x10000);
        if (find_function(location) < 0) return Error{ENOENT};
        return made(new (std::nothrow) ProcfsPciFileInode(super_block, number, CONFIG_ENTRY, location));
    }
    return Error{ENOENT};
}
