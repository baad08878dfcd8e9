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

// "Not ext2" during a probe (MS_SILENT) goes to the debug level only; the
// volume has logged any other reason (unsupported features) itself.
Error refuse_mount(const char* device_name, int error, uint32_t flags) {
    const char* reason = error == EINVAL   ? "not a supported ext2 file system"
                         : error == ENOMEM ? "out of memory"
                                           : "damaged file system";
    if (error == EINVAL && (flags & MS_SILENT))
        log_debug("ext2: %s: %s", device_name, reason);
    else
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
        return refuse_mount(device->name(), opened.error(), flags);
    }
    if (opened.value()->requires_read_only() && !(flags & MS_RDONLY)) {
        log_warning("ext2 (%s): unknown RO_COMPAT features: mounted read-only", device->name());
        flags |= MS_RDONLY;
    }
    auto* super_block = new (std::nothrow) Ext2SuperBlock(*this, *device, cache_, page_cache_, opened.value(), flags);
    if (super_block == nullptr) {
        delete opened.value();
        (void)cache_.invalidate_device(*device);
        return refuse_mount(device->name(), ENOMEM, flags);
    }
    Result<void> root = super_block->load_root();
    if (!root.is_error() && !(flags & MS_RDONLY)) root = super_block->begin_writing();
    if (root.is_error()) {
        destroy_super_block(super_block);
        return refuse_mount(device->name(), root.error(), flags);
    }
    return static_cast<SuperBlock*>(super_block);
}

// --- Ext2SuperBlock ------------------------------------------------------------------

Ext2SuperBlock::Ext2SuperBlock(FileSystemType& type, BlockDevice& device, BufferCache& cache,
                               PageCache& page_cache, Ext2Volume* volume, uint32_t flags)
    : SuperBlock(type, &device, flags), cache_(cache), page_cache_(page_cache), volume_(volume),
      allocator_(*volume) {
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

Result<void> Ext2SuperBlock::begin_writing() {
    Ext2SuperBlockRecord& record = volume_->mutable_superblock();
    state_at_mount_ = record.state;
    if (!(record.state & EXT2_VALID_FS))
        log_warning("ext2 (%s): mounting a file system that was not cleanly unmounted; run e2fsck",
                    volume_->device_name());
    else if (record.state & EXT2_ERROR_FS)
        log_warning("ext2 (%s): mounting a file system with errors; run e2fsck", volume_->device_name());
    record.state = uint16_t(record.state & ~EXT2_VALID_FS);
    record.mount_count = uint16_t(record.mount_count + 1);
    record.mount_time = uint32_t(current_time().seconds);
    TRY(volume_->write_superblock());
    return volume_->sync();
}

Result<void> Ext2SuperBlock::write_inode(Inode& inode) {
    Ext2InodeData& data = static_cast<Ext2Inode&>(inode).data();
    data.encode(*volume_);
    return volume_->write_inode_record(data.number, data.record);
}

// A file with no name left: its extended-attribute block (shared blocks
// carry a reference count: h_refcount, the u32 at byte 4, after the magic
// 0xEA020000), its blocks, its inode.
Result<void> Ext2SuperBlock::free_inode_on_disk(Ext2Inode& inode) {
    Ext2InodeData& data = inode.data();
    if (inode.has_block_map()) {
        Ext2BlockMap map(allocator_, data);
        TRY(map.free_from(0));
    }
    if (data.record.file_acl != 0) {
        uint32_t attribute_block = data.record.file_acl;
        BufferHandle block = TRY(volume_->read_block(attribute_block));
        uint32_t header[2];
        klib::memcpy(header, block.data(), sizeof header);
        if (header[0] == 0xEA020000 && header[1] > 1) {
            header[1] -= 1;
            klib::memcpy(block.data(), header, sizeof header);
            block.mark_dirty();
        } else {
            block.release();
            TRY(allocator_.free_blocks(attribute_block, 1));
        }
        data.record.file_acl = 0;
        data.block_count -= volume_->block_size() / 512;
    }
    data.link_count = 0;
    data.size = 0;
    data.record.deletion_time = uint32_t(current_time().seconds);
    data.encode(*volume_);
    TRY(volume_->write_inode_record(data.number, data.record));
    return allocator_.free_inode(data.number, ::is_directory(data.mode));
}

void Ext2SuperBlock::evict_inode(Inode& inode) {
    Ext2Inode& file = static_cast<Ext2Inode&>(inode);
    bool deleted = inode.link_count() == 0 && !is_read_only();
    Result<void> released = file.release_pages(deleted);
    if (released.is_error())
        log_warning("ext2 (%s): writing inode %llu's data failed: %s", volume_->device_name(),
                    (unsigned long long)inode.number(), errno_name(released.error()));
    if (!deleted) return;
    Result<void> freed = free_inode_on_disk(file);
    if (freed.is_error())
        log_warning("ext2 (%s): freeing inode %llu failed: %s; e2fsck will find its blocks",
                    volume_->device_name(), (unsigned long long)inode.number(), errno_name(freed.error()));
}

// File data first (the page cache's pages of files on this disk), then the
// superblock and the metadata buffers.
Result<void> Ext2SuperBlock::sync_fs() {
    if (is_read_only()) return {};
    TRY(page_cache_.sync_all(&volume_->device()));
    volume_->mutable_superblock().write_time = uint32_t(current_time().seconds);
    TRY(volume_->write_superblock());
    return volume_->sync();
}

// Read-only: the disk gets back the state it had at mount ("clean" if it
// was); read-write: counted as a mount again, "in use" on disk.
Result<void> Ext2SuperBlock::remount(uint32_t flags) {
    bool read_only = (flags & MS_RDONLY) != 0;
    if (read_only == is_read_only()) return {};
    if (!read_only) {
        if (volume_->requires_read_only()) {
            log_warning("ext2 (%s): unknown RO_COMPAT features: stays read-only", volume_->device_name());
            return Error{EROFS};
        }
        set_read_only(false);
        Result<void> begun = begin_writing();
        if (begun.is_error()) set_read_only(true);
        return begun;
    }
    volume_->mutable_superblock().state = state_at_mount_;
    TRY(sync_fs());
    set_read_only(true);
    return {};
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
    // Every inode has left memory: its pages are orphans of this device.
    Result<void> pages = page_cache_.release_device(device);
    if (pages.is_error())
        log_warning("ext2 (%s): writing file data at unmount failed: %s", device.name(), errno_name(pages.error()));
    if (!is_read_only()) {
        volume_->mutable_superblock().state = state_at_mount_;
        Result<void> written = sync_fs();
        if (written.is_error())
            log_warning("ext2 (%s): writing the superblock at unmount failed: %s", device.name(),
                        errno_name(written.error()));
    }
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
    load_attributes();
    // Its pages may have outlived its last time in memory (page_cache.h).
    if (is_regular_file()) mapping_ = super_block.page_cache().adopt(super_block.volume().device(), data.number, *this);
}

Ext2Inode::~Ext2Inode() { delete mapping_; }  // nullptr: evict_inode handed the mapping on

void Ext2Inode::load_attributes() {
    const Ext2InodeData& data = data_;
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

bool Ext2Inode::has_block_map() const {
    if (is_regular_file() || is_directory()) return true;
    return is_symbolic_link() && !data_.is_fast_symbolic_link(volume());
}

void Ext2Inode::changed(bool contents) {
    uint32_t now = uint32_t(current_time().seconds);
    data_.change_time = now;
    if (contents) data_.modification_time = now;
    load_attributes();
    mark_dirty();
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
    if (offset >= data_.size) return size_t(0);
    FileMapping* pages = TRY(mapping());
    return pages->read(offset, buffer, size, data_.size);
}

Result<size_t> Ext2Inode::read_pages(uint64_t offset, size_t size, PageConsumer& consumer) {
    if (!is_regular_file()) return Inode::read_pages(offset, size, consumer);
    if (offset >= data_.size) return size_t(0);
    FileMapping* pages = TRY(mapping());
    return pages->read_pages(offset, size, data_.size, consumer);
}
