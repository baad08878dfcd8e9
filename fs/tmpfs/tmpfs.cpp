// fs/tmpfs/tmpfs.cpp -- tmpfs's super block, its node table and the type.
//
// Layer: concrete file system (Linux: mm/shmem.c -- shmem_fill_super,
// shmem_parse_options, shmem_statfs, shmem_evict_inode, shmem_put_super).
// See tmpfs.h for the whole picture and tmpfs_inode.h for the node/inode
// split. Here: the nodes of one mount (new_node, free_node, read_inode), the
// space limit (charge_page), and mount/unmount.
#include "fs/tmpfs/tmpfs.h"

#include "fs/tmpfs/tmpfs_inode.h"
#include "kernel/lib/string.h"

namespace {

constexpr size_t BOGO_DIRECTORY_ENTRY_SIZE = 20;  // Linux BOGO_DIRENT_SIZE, for a directory's st_size
constexpr uint64_t MAX_SIZE_KIB = uint64_t(1) << 32;

// "size=N" (KiB), options separated by commas; "" means the defaults.
Result<uint64_t> parse_size_option(const char* options) {
    uint64_t size_kib = TMPFS_DEFAULT_SIZE_KIB;
    while (*options != '\0') {
        const char* end = klib::strchr(options, ',');
        size_t length = end == nullptr ? klib::strlen(options) : size_t(end - options);
        char option[64];
        if (length >= sizeof(option)) return Error{EINVAL};
        klib::memcpy(option, options, length);
        option[length] = '\0';
        if (length > 0) {
            unsigned long long value = 0;
            if (!klib::starts_with(option, "size=") || !klib::parse_unsigned(option + 5, 10, &value) ||
                value == 0 || value > MAX_SIZE_KIB)
                return Error{EINVAL};
            size_kib = value;
        }
        options += length;
        if (*options == ',') ++options;
    }
    return size_kib;
}

}  // namespace

// --- TmpfsSuperBlock ------------------------------------------------------------------

TmpfsSuperBlock::TmpfsSuperBlock(FileSystemType& type, uint32_t flags, uint64_t page_limit)
    : SuperBlock(type, nullptr, flags), page_limit_(page_limit) {
    block_size_ = TMPFS_PAGE_SIZE;
    nodes_.init(node_buckets_, NODE_HASH_BUCKETS);
}

Result<void> TmpfsSuperBlock::create_root() {
    TmpfsNode* root = TRY(new_node(S_IFDIR | 01777, 0, 0));
    root->parent = root->number;
    return load_root_inode(root->number);
}

Result<TmpfsNode*> TmpfsSuperBlock::new_node(uint32_t mode, uint32_t uid, uint32_t gid) {
    TmpfsNode* node = new (std::nothrow) TmpfsNode;
    if (node == nullptr) return Error{ENOMEM};
    node->mode = mode;
    node->uid = uid;
    node->gid = gid;
    node->link_count = ::is_directory(mode) ? 2 : 1;
    node->access_time = node->modification_time = node->change_time = current_time();
    MutexLocker locker(nodes_lock_);
    node->number = next_number_++;
    nodes_.insert(*node);
    return node;
}

void TmpfsSuperBlock::free_node(TmpfsNode* node) {
    {
        MutexLocker locker(nodes_lock_);
        nodes_.remove(*node);
    }
    uncharge_pages(tmpfs_free_pages_from(*node, 0));
    kfree(node->pages);
    kfree(node->target);
    // Only put_super frees a directory that still has entries; the children
    // are nodes of the table too and are freed on their own.
    while (TmpfsDirectoryEntry* entry = node->entries.pop_front()) kfree(entry);
    delete node;
}

Result<void> TmpfsSuperBlock::charge_page() {
    MutexLocker locker(nodes_lock_);
    if (used_pages_ >= page_limit_) return Error{ENOSPC};
    ++used_pages_;
    return {};
}

void TmpfsSuperBlock::uncharge_pages(size_t count) {
    if (count == 0) return;
    MutexLocker locker(nodes_lock_);
    KASSERT(used_pages_ >= count);
    used_pages_ -= count;
}

TmpfsNode* TmpfsSuperBlock::find_node(uint64_t number) {
    MutexLocker locker(nodes_lock_);
    return nodes_.find(number);
}

// The inode cache missed: a fresh view of a node that still exists.
Result<Inode*> TmpfsSuperBlock::read_inode(uint64_t number) {
    TmpfsNode* node = find_node(number);
    if (node == nullptr) return Error{ENOENT};
    TmpfsInode* inode = new (std::nothrow) TmpfsInode(*this, *node);
    if (inode == nullptr) return Error{ENOMEM};
    return inode;
}

// The last reference is gone; with no name left the file is gone too
// (Linux shmem_evict_inode: the pages of an unlinked, closed file are freed).
void TmpfsSuperBlock::evict_inode(Inode& inode) {
    TmpfsNode& node = static_cast<TmpfsInode&>(inode).node();
    if (node.link_count == 0) free_node(&node);
}

Result<FileSystemStatistics> TmpfsSuperBlock::statfs() {
    FileSystemStatistics statistics;
    statistics.magic = TMPFS_MAGIC;
    statistics.block_size = TMPFS_PAGE_SIZE;
    MutexLocker locker(nodes_lock_);
    statistics.total_blocks = page_limit_;
    statistics.free_blocks = statistics.available_blocks = page_limit_ - used_pages_;
    // No inode limit: report what exists and as many again free (Linux
    // reports the nr_inodes limit; ours is "as long as memory lasts").
    statistics.total_inodes = nodes_.size() * 2;
    statistics.free_inodes = nodes_.size();
    return statistics;
}

// Unmount: every inode is evicted by now; what is left is the named tree.
void TmpfsSuperBlock::put_super() {
    nodes_.for_each([this](TmpfsNode& node) { free_node(&node); });
    KASSERT(used_pages_ == 0);
}

// --- TmpfsInode attribute copy ------------------------------------------------------

TmpfsInode::TmpfsInode(TmpfsSuperBlock& super_block, TmpfsNode& node)
    : Inode(super_block, node.number), node_(node) {
    refresh();
}

void TmpfsInode::refresh() {
    mode_ = node_.mode;
    link_count_ = node_.link_count;
    uid_ = node_.uid;
    gid_ = node_.gid;
    device_number_ = node_.device_number;
    size_ = ::is_directory(node_.mode) ? node_.size * BOGO_DIRECTORY_ENTRY_SIZE : node_.size;
    block_count_ = uint64_t(node_.page_count) * (TMPFS_PAGE_SIZE / 512);
    access_time_ = node_.access_time;
    modification_time_ = node_.modification_time;
    change_time_ = node_.change_time;
}

// --- the file system type ---------------------------------------------------------------

Result<SuperBlock*> TmpfsFileSystemType::mount(BlockDevice* /*device*/, uint32_t flags, const char* options) {
    uint64_t size_kib = TRY(parse_size_option(options));
    uint64_t page_limit = (size_kib * 1024 + TMPFS_PAGE_SIZE - 1) / TMPFS_PAGE_SIZE;
    TmpfsSuperBlock* super_block = new (std::nothrow) TmpfsSuperBlock(*this, flags, page_limit);
    if (super_block == nullptr) return Error{ENOMEM};
    Result<void> created = super_block->create_root();
    if (created.is_error()) {
        destroy_super_block(super_block);  // put_super frees a root node made before the failure
        return Error{created.error()};
    }
    return super_block;
}

TmpfsFileSystemType& tmpfs_file_system_type() {
    static TmpfsFileSystemType type;
    return type;
}
