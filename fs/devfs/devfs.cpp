// fs/devfs/devfs.cpp -- the /dev directory, made up from the drivers' lists.
//
// Layer: concrete file system. See devfs.h for what the tree shows. Written
// like any file system against the VFS, just without a disk:
//   DevfsSuperBlock   read_inode builds an inode from its number alone
//                     (super_operations: read_inode, statfs)
//   DevfsRootInode    the one directory: lookup and read_directory walk the
//                     fixed character nodes, then the block registry
//                     (inode_operations: lookup, iterate; the rest EPERM)
//   DevfsNodeInode    a device node: attributes only; opening it is the
//                     VFS's generic device-table path (Inode::open_file)
// Directory cookies: 0 ".", 1 "..", 2.. the character nodes, then
// FIRST_DISK_COOKIE + registry index for each disk. Both lists only grow,
// so a cookie always names the same entry.
#include "fs/devfs/devfs.h"

#include "drivers/block/block_device_registry.h"
#include "fs/devfs/block_device_file.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/super_block.h"
#include "fs/vfs/synthetic_directory_inode.h"
#include "kernel/lib/string.h"

namespace {

struct CharacterNode {
    const char* name;
    uint64_t inode_number;
    uint32_t mode;
    uint32_t major;
    uint32_t minor;
};

constexpr CharacterNode CHARACTER_NODES[] = {
    {"console", DEVFS_CONSOLE_INODE, S_IFCHR | 0600, TTY_AUXILIARY_MAJOR, CONSOLE_MINOR},
    {"null", DEVFS_NULL_INODE, S_IFCHR | 0666, MEMORY_DEVICES_MAJOR, NULL_MINOR},
    {"zero", DEVFS_ZERO_INODE, S_IFCHR | 0666, MEMORY_DEVICES_MAJOR, ZERO_MINOR},
};
constexpr size_t CHARACTER_NODE_COUNT = sizeof(CHARACTER_NODES) / sizeof(CHARACTER_NODES[0]);
constexpr uint64_t FIRST_CHARACTER_COOKIE = 2;  // after "." and ".."
constexpr uint64_t FIRST_DISK_COOKIE = FIRST_CHARACTER_COOKIE + CHARACTER_NODE_COUNT;
constexpr uint32_t DISK_NODE_MODE = S_IFBLK | 0660;

const CharacterNode* character_node_numbered(uint64_t inode_number) {
    for (const CharacterNode& node : CHARACTER_NODES)
        if (node.inode_number == inode_number) return &node;
    return nullptr;
}

class DevfsSuperBlock final : public SuperBlock {
public:
    DevfsSuperBlock(FileSystemType& type, uint32_t flags) : SuperBlock(type, nullptr, flags) {
        block_size_ = 4096;
    }

    Result<void> load_root() { return load_root_inode(DEVFS_ROOT_INODE); }

    Result<Inode*> read_inode(uint64_t number) override;
    Result<FileSystemStatistics> statfs() override;
};

// The directory. Every write-side operation is refused: the drivers own the tree.
class DevfsRootInode final : public SyntheticDirectoryInode {
public:
    explicit DevfsRootInode(SuperBlock& super_block) : SyntheticDirectoryInode(super_block, DEVFS_ROOT_INODE, 0755) {}

    Result<InodeRef> lookup(const char* name) override;
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override;
};

// A device node: a mode and a device number, nothing else.
class DevfsNodeInode final : public Inode {
public:
    DevfsNodeInode(SuperBlock& super_block, uint64_t number, uint32_t mode, uint32_t device_number)
        : Inode(super_block, number) {
        mode_ = mode;
        link_count_ = 1;
        device_number_ = device_number;
    }

    Result<void> setattr(const AttributeChange&) override { return Error{EPERM}; }
};

// --- DevfsSuperBlock ---------------------------------------------------------------

Result<Inode*> DevfsSuperBlock::read_inode(uint64_t number) {
    Inode* inode = nullptr;
    if (number == DEVFS_ROOT_INODE) {
        inode = new (std::nothrow) DevfsRootInode(*this);
    } else if (const CharacterNode* node = character_node_numbered(number)) {
        inode = new (std::nothrow)
            DevfsNodeInode(*this, number, node->mode, make_device_number(node->major, node->minor));
    } else if (number >= DEVFS_FIRST_DISK_INODE) {
        BlockDevice* device = block_device_at(number - DEVFS_FIRST_DISK_INODE);
        if (device == nullptr) return Error{ENOENT};
        uint32_t device_number = make_device_number(block_device_major(*device), block_device_minor(*device));
        inode = new (std::nothrow) DevfsNodeInode(*this, number, DISK_NODE_MODE, device_number);
    } else {
        return Error{ENOENT};
    }
    if (inode == nullptr) return Error{ENOMEM};
    return inode;
}

Result<FileSystemStatistics> DevfsSuperBlock::statfs() {
    // Like any memory file system: no blocks, nothing free; one inode per entry.
    size_t disks = 0;
    while (block_device_at(disks) != nullptr) ++disks;
    FileSystemStatistics statistics;
    statistics.magic = DEVFS_SUPER_MAGIC;
    statistics.block_size = block_size();
    statistics.total_inodes = 1 + CHARACTER_NODE_COUNT + disks;
    statistics.max_name_length = 255;
    return statistics;
}

// --- DevfsRootInode ----------------------------------------------------------------

Result<InodeRef> DevfsRootInode::lookup(const char* name) {
    for (const CharacterNode& node : CHARACTER_NODES)
        if (klib::strcmp(node.name, name) == 0) return super_block().get_inode(node.inode_number);
    for (size_t index = 0;; ++index) {
        BlockDevice* device = block_device_at(index);
        if (device == nullptr) return Error{ENOENT};
        if (klib::strcmp(device->name(), name) == 0)
            return super_block().get_inode(DEVFS_FIRST_DISK_INODE + index);
    }
}

Result<void> DevfsRootInode::read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) {
    if (!emit_dot_entries(cookie, number(), number(), visitor)) return {};
    for (; cookie < FIRST_DISK_COOKIE; ++cookie) {
        const CharacterNode& node = CHARACTER_NODES[cookie - FIRST_CHARACTER_COOKIE];
        if (!visitor.visit(node.name, klib::strlen(node.name), node.inode_number, DT_CHR, cookie + 1))
            return {};
    }
    for (;; ++cookie) {
        uint64_t index = cookie - FIRST_DISK_COOKIE;
        BlockDevice* device = block_device_at(index);
        if (device == nullptr) return {};
        if (!visitor.visit(device->name(), klib::strlen(device->name()), DEVFS_FIRST_DISK_INODE + index,
                           DT_BLK, cookie + 1))
            return {};
    }
}

}  // namespace

// --- the file system type and the registrations ------------------------------------

Result<SuperBlock*> DevfsFileSystemType::mount(BlockDevice* /*device*/, uint32_t flags, const char* /*options*/) {
    DevfsSuperBlock* super_block = new (std::nothrow) DevfsSuperBlock(*this, flags);
    if (super_block == nullptr) return Error{ENOMEM};
    Result<void> loaded = super_block->load_root();
    if (loaded.is_error()) {
        destroy_super_block(super_block);
        return Error{loaded.error()};
    }
    return super_block;
}

DevfsFileSystemType& devfs_file_system_type() {
    static DevfsFileSystemType type;
    return type;
}

Result<void> register_devfs_drivers() {
    TRY(register_memory_devices());
    TRY(register_block_device_files());
#ifndef KERNEL_HOST_BUILD
    // The console driver needs the real console (drivers/console/): the host
    // build leaves console_device.cpp out, and with it this call.
    TRY(register_console_device());
#endif
    return {};
}

Result<void> register_devfs() {
    TRY(register_filesystem(devfs_file_system_type()));
    return register_devfs_drivers();
}
