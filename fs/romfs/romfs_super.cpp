// fs/romfs/romfs_super.cpp -- mounting a romfs image, and its super_operations.
//
// Layer: concrete file system (romfs), VFS half. See romfs_super.h for the
// rules (always read-only, which errors a bad image gets, inode numbers).
// (Linux: fs/romfs/super.c -- romfs_fill_super, romfs_iget, romfs_statfs,
// romfs_kill_sb.)
#include "fs/romfs/romfs_super.h"

#include "drivers/block/block_device_registry.h"
#include "fs/romfs/romfs_inode.h"
#include "fs/vfs/device_table.h"
#include "kernel/lib/errno.h"

namespace {

// What a refused mount says, in words, for each error romfs reports.
const char* refusal_reason(int error) {
    switch (error) {
        case EINVAL: return "not a romfs image";
        case ENOMEM: return "out of memory";
        case ELOOP: return "damaged image: its directories form a loop";
        case ENOTDIR: return "damaged image: the root is not a directory";
        default: return "damaged image";
    }
}

// Logs the refusal and turns the error into mount's: EINVAL ("no romfs
// here") and ENOMEM as they are, every kind of damage as EIO. The image
// layer has already logged the details (which offset, which check). "No
// romfs here" during a probe (MS_SILENT) goes to the debug level only.
Error refuse_mount(const char* device_name, int error, uint32_t flags) {
    if (error == EINVAL && (flags & MS_SILENT))
        log_debug("romfs: %s: %s", device_name, refusal_reason(error));
    else
        log_error("romfs: cannot mount %s: %s (%s)", device_name, refusal_reason(error), errno_name(error));
    return Error{error == EINVAL || error == ENOMEM ? error : EIO};
}

}  // namespace

// --- RomfsFileSystemType ---------------------------------------------------------

Result<SuperBlock*> RomfsFileSystemType::mount(BlockDevice* device, uint32_t flags, const char* /*options*/) {
    if (device == nullptr) {
        log_error("romfs: mount without a block device");
        return Error{EINVAL};
    }
    Result<RomfsImage*> opened = RomfsImage::open(cache_, *device);
    if (opened.is_error()) {
        (void)cache_.invalidate_device(*device);  // what the failed probe read is of no use
        return refuse_mount(device->name(), opened.error(), flags);
    }
    // romfs never writes: the super block says so, whatever the caller asked.
    auto* super_block =
        new (std::nothrow) RomfsSuperBlock(*this, *device, cache_, opened.value(), flags | MS_RDONLY);
    if (super_block == nullptr) {
        delete opened.value();
        (void)cache_.invalidate_device(*device);
        return refuse_mount(device->name(), ENOMEM, flags);
    }
    Result<void> root = super_block->load_root();
    if (root.is_error()) {
        destroy_super_block(super_block);  // put_super frees the image and the buffers
        return refuse_mount(device->name(), root.error(), flags);
    }
    return static_cast<SuperBlock*>(super_block);
}

// --- RomfsSuperBlock -----------------------------------------------------------------

RomfsSuperBlock::RomfsSuperBlock(FileSystemType& type, BlockDevice& device, BufferCache& cache,
                                 RomfsImage* image, uint32_t flags)
    : SuperBlock(type, &device, flags), cache_(cache), image_(image) {
    block_size_ = ROMFS_BLOCK_SIZE;  // st_blksize: the storage's read unit
    // A registered device has a number (ram0 is 1:0); st_dev shows it.
    uint32_t major = block_device_major(device);
    if (major != 0) set_device_number(make_device_number(major, block_device_minor(device)));
}

RomfsSuperBlock::~RomfsSuperBlock() {
    delete image_;  // normally put_super() has done it already
}

Result<void> RomfsSuperBlock::load_root() { return load_root_inode(image_->root_offset()); }

Result<Inode*> RomfsSuperBlock::read_inode(uint64_t number) {
    // Inode numbers are header offsets: 32 bits, and read_entry checks that
    // the offset holds a valid header (aligned, inside the image, checksum).
    if (number > 0xffffffffu) return Error{ENOENT};
    RomfsEntry entry = TRY(image_->read_entry(uint32_t(number)));
    if (entry.is_hard_link()) {
        // Lookups resolve hard links first; a link's own offset names no inode.
        log_warning("romfs (%s): inode %u is a hard link, not a file", romfs_device().name(), entry.header_offset);
        return Error{ENOENT};
    }
    RomfsInode* inode = TRY(RomfsInode::create(*this, entry));
    return static_cast<Inode*>(inode);
}

Result<FileSystemStatistics> RomfsSuperBlock::statfs() {
    FileSystemStatistics statistics;
    statistics.magic = ROMFS_STATFS_MAGIC;
    statistics.block_size = ROMFS_BLOCK_SIZE;
    uint64_t image_size = image_->image_size();
    statistics.total_blocks = (image_size + ROMFS_BLOCK_SIZE - 1) / ROMFS_BLOCK_SIZE;
    // Nothing is free in a read-only image, and romfs has no inode table to count.
    statistics.free_blocks = statistics.available_blocks = 0;
    statistics.total_inodes = statistics.free_inodes = 0;
    statistics.max_name_length = ROMFS_MAX_NAME_LENGTH;
    return statistics;
}

void RomfsSuperBlock::put_super() {
    delete image_;
    image_ = nullptr;
    // Every inode is gone, so no buffer of this device is referenced any more:
    // dropping them keeps a later mount of another image on the same device
    // from seeing stale blocks.
    Result<void> dropped = cache_.invalidate_device(romfs_device());
    if (dropped.is_error())
        log_warning("romfs (%s): some buffers were still in use at unmount: %s", romfs_device().name(),
                    errno_name(dropped.error()));
}
