// fs/ext2/ext2_vfs.cpp -- mounting ext2, its super_operations and
// inode_operations. See ext2_vfs.h for the rules.
#include "fs/ext2/ext2_vfs.h"

#include "drivers/block/block_device_registry.h"
#include "fs/ext2/ext2_directory.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/file_mode.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

Error refuse_mount(const char* device_name, int error) {
    const char* reason = error == EINVAL   ? "not a supported ext2 file system"
                         : error == ENOMEM ? "out of memory"
                                           : "damaged file system";
    log_error("ext2: cannot mount %s: %s (%s)", device_name, reason, errno_name(error));
    return Error{error == EINVAL || error == ENOMEM ? error : EIO};
}

// ext2 times are signed 32-bit seconds (Linux reads them as such), so a
// file can be older than 1970.
Timestamp timestamp_of(uint32_t seconds) {
    Timestamp time;
    time.seconds = int32_t(seconds);
    return time;
}

}  // namespace

// --- Ext2FileSystemType ------------------------------------------------------------

Result<SuperBlock*> Ext2FileSystemType::mount(BlockDevice* device, uint32_t flags, const char* /*options*/) {
    if (device == nullptr) {
        log_error("ext2: mount without a block device");
        return Error{EINVAL};
    }
    Result<Ext2Volume*> opened = Ext2Volume::open(cache_, *device);
    if (opened.is_error()) {
        (void)cache_.invalidate_device(*device);
        return refuse_mount(device->name(), opened.error());
    }
    // Read-only until the write side exists, whatever the caller asked.
    auto* super_block = new (std::nothrow) Ext2SuperBlock(*this, *device, cache_, opened.value(), flags | MS_RDONLY);
    if (super_block == nullptr) {
        delete opened.value();
        (void)cache_.invalidate_device(*device);
        return refuse_mount(device->name(), ENOMEM);
    }
    Result<void> root = super_block->load_root();
    if (root.is_error()) {
        destroy_super_block(super_block);
        return refuse_mount(device->name(), root.error());
    }
    return static_cast<SuperBlock*>(super_block);
}

// --- Ext2SuperBlock ------------------------------------------------------------------

Ext2SuperBlock::Ext2SuperBlock(FileSystemType& type, BlockDevice& device, BufferCache& cache, Ext2Volume* volume,
                               uint32_t flags)
    : SuperBlock(type, &device, flags), cache_(cache), volume_(volume) {
    block_size_ = volume->block_size();
    uint32_t major = block_device_major(device);
    if (major != 0) set_device_number(make_device_number(major, block_device_minor(device)));
}

Ext2SuperBlock::~Ext2SuperBlock() { delete volume_; }

Result<Inode*> Ext2SuperBlock::read_inode(uint64_t number) {
    if (number == 0 || number > volume_->inodes_count()) return Error{ENOENT};
    Ext2InodeData data = TRY(Ext2InodeData::read(*volume_, uint32_t(number)));
    auto* inode = new (std::nothrow) Ext2Inode(*this, data);
    if (inode == nullptr) return Error{ENOMEM};
    return static_cast<Inode*>(inode);
}

Result<FileSystemStatistics> Ext2SuperBlock::statfs() {
    const Ext2SuperBlockRecord& record = volume_->superblock();
    FileSystemStatistics statistics;
    statistics.magic = EXT2_STATFS_MAGIC;
    statistics.block_size = volume_->block_size();
    statistics.total_blocks = record.blocks_count;
    statistics.free_blocks = record.free_blocks_count;
    statistics.available_blocks = record.free_blocks_count > record.reserved_blocks_count
                                      ? record.free_blocks_count - record.reserved_blocks_count
                                      : 0;
    statistics.total_inodes = record.inodes_count;
    statistics.free_inodes = record.free_inodes_count;
    statistics.max_name_length = EXT2_MAX_NAME_LENGTH;
    return statistics;
}

void Ext2SuperBlock::put_super() {
    BlockDevice& device = volume_->device();
    delete volume_;
    volume_ = nullptr;
    Result<void> dropped = cache_.invalidate_device(device);
    if (dropped.is_error())
        log_warning("ext2 (%s): some buffers were still in use at unmount: %s", device.name(),
                    errno_name(dropped.error()));
}

// --- Ext2Inode ---------------------------------------------------------------------------

Ext2Inode::Ext2Inode(Ext2SuperBlock& super_block, const Ext2InodeData& data)
    : Inode(super_block, data.number), data_(data) {
    mode_ = data.mode;
    link_count_ = data.link_count;
    uid_ = data.uid;
    gid_ = data.gid;
    size_ = data.size;
    access_time_ = timestamp_of(data.access_time);
    modification_time_ = timestamp_of(data.modification_time);
    change_time_ = timestamp_of(data.change_time);
    device_number_ = data.device_number;
    block_count_ = data.block_count;
}

uint8_t Ext2Inode::directory_entry_type_of(uint8_t ext2_file_type) const {
    static constexpr uint8_t TYPES[EXT2_FT_MAX] = {DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK, DT_LNK};
    return ext2_file_type < EXT2_FT_MAX ? TYPES[ext2_file_type] : uint8_t(DT_UNKNOWN);
}

Result<InodeRef> Ext2Inode::lookup(const char* name) {
    if (!is_directory()) return Error{ENOTDIR};
    size_t length = klib::strlen(name);
    if (length > EXT2_MAX_NAME_LENGTH) return Error{ENAMETOOLONG};
    Ext2DirectoryEntry entry = TRY(ext2_find_in_directory(volume(), data_, name, length));
    return super_block().get_inode(entry.inode);
}

Result<void> Ext2Inode::read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) {
    if (!is_directory()) return Error{ENOTDIR};
    return ext2_for_each_directory_entry(volume(), data_, cookie, [&](const Ext2DirectoryEntry& entry) {
        uint8_t type = directory_entry_type_of(entry.file_type);
        bool taken = visitor.visit(entry.name, entry.name_length, entry.inode, type, entry.next_position);
        return taken ? Ext2Walk::Continue : Ext2Walk::Stop;
    });
}

Result<size_t> Ext2Inode::readlink(char* buffer, size_t size) {
    if (!is_symbolic_link()) return Error{EINVAL};
    return data_.read_link(volume(), buffer, size);
}

Result<size_t> Ext2Inode::read_at(uint64_t offset, void* buffer, size_t size) {
    if (!is_regular_file()) return Inode::read_at(offset, buffer, size);
    return data_.read(volume(), offset, buffer, size);
}
