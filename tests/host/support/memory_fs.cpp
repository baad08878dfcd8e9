// tests/host/support/memory_fs.cpp -- see memory_fs.h.
//
// Layer: a concrete file system for the host tests. Written the way a disk
// file system is written against the VFS: a SuperBlock subclass that reads
// inodes from "the disk" (the MemoryImage), an Inode subclass that answers
// lookups and reads from its record, and write-side operations that change
// the record and then refresh the in-memory inode's attributes.
#include "tests/host/support/memory_fs.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

[[noreturn]] void image_misuse(const char* what, const std::string& path) {
    std::fprintf(stderr, "memory_fs: %s: %s\n", what, path.c_str());
    std::abort();
}

class MemorySuperBlock final : public SuperBlock {
public:
    MemorySuperBlock(FileSystemType& type, MemoryImage& image, uint32_t flags)
        : SuperBlock(type, nullptr, flags), image_(image) {
        block_size_ = 4096;
    }

    Result<void> load_root() { return load_root_inode(MemoryImage::ROOT_NUMBER); }
    MemoryImage& image() { return image_; }

    Result<Inode*> read_inode(uint64_t number) override;
    void evict_inode(Inode& inode) override;
    Result<FileSystemStatistics> statfs() override;

private:
    MemoryImage& image_;
};

class MemoryInode final : public Inode {
public:
    MemoryInode(MemorySuperBlock& super_block, uint64_t number)
        : Inode(super_block, number), image_(super_block.image()) {
        refresh();
    }

    // Copies the record's attributes into the VFS's fields.
    void refresh() {
        MemoryNode& record = node();
        mode_ = record.mode;
        link_count_ = record.link_count;
        uid_ = record.uid;
        gid_ = record.gid;
        size_ = ::is_directory(record.mode) ? 4096 : record.data.size();
        access_time_ = modification_time_ = change_time_ = record.time;
        device_number_ = record.device_number;
        block_count_ = (size_ + 511) / 512;
    }
    MemoryNode& node() { return *image_.node(number()); }

    Result<InodeRef> lookup(const char* name) override;
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override;
    Result<InodeRef> create(const char* name, uint32_t mode, const Credentials& credentials) override {
        return add_child(name, mode, credentials, 0, "");
    }
    Result<InodeRef> mkdir(const char* name, uint32_t mode, const Credentials& credentials) override {
        return add_child(name, mode, credentials, 0, "");
    }
    Result<InodeRef> mknod(const char* name, uint32_t mode, uint32_t device_number,
                           const Credentials& credentials) override {
        return add_child(name, mode, credentials, device_number, "");
    }
    Result<InodeRef> symlink(const char* name, const char* target, const Credentials& credentials) override {
        return add_child(name, S_IFLNK | 0777, credentials, 0, target);
    }
    Result<void> link(const char* name, Inode& target) override;
    Result<void> unlink(const char* name, Inode& victim) override;
    Result<void> rmdir(const char* name, Inode& victim) override;
    Result<void> rename(const char* old_name, Inode& moved, Inode& new_directory, const char* new_name,
                        Inode* replaced) override;
    Result<size_t> readlink(char* buffer, size_t size) override;
    Result<size_t> read_at(uint64_t offset, void* buffer, size_t size) override;
    Result<size_t> write_at(uint64_t offset, const void* buffer, size_t size) override;
    Result<void> truncate(uint64_t size) override;
    Result<void> setattr(const AttributeChange& change) override;

private:
    static MemoryInode& of(Inode& inode) { return static_cast<MemoryInode&>(inode); }
    Result<InodeRef> add_child(const char* name, uint32_t mode, const Credentials& credentials,
                               uint32_t device_number, const char* data);

    MemoryImage& image_;
};

Result<Inode*> MemorySuperBlock::read_inode(uint64_t number) {
    if (image_.node(number) == nullptr) return Error{ENOENT};
    ++image_.counters().inodes_read;
    MemoryInode* inode = new (std::nothrow) MemoryInode(*this, number);
    if (inode == nullptr) return Error{ENOMEM};
    return inode;
}

void MemorySuperBlock::evict_inode(Inode& inode) {
    ++image_.counters().evictions;
    MemoryNode* record = image_.node(inode.number());
    if (record != nullptr && record->link_count == 0) image_.erase(inode.number());
}

Result<FileSystemStatistics> MemorySuperBlock::statfs() {
    FileSystemStatistics statistics;
    statistics.magic = MEMORY_FS_MAGIC;
    statistics.block_size = block_size();
    statistics.total_blocks = 1000;
    statistics.free_blocks = 600;
    statistics.available_blocks = 500;
    statistics.total_inodes = 1000;
    statistics.free_inodes = 1000 - image_.node_count();
    return statistics;
}

Result<InodeRef> MemoryInode::lookup(const char* name) {
    ++image_.counters().lookups;
    MemoryNode& directory = node();
    auto found = directory.slot_of_name.find(name);
    if (found == directory.slot_of_name.end()) return Error{ENOENT};
    return super_block().get_inode(directory.entries[found->second].second);
}

Result<void> MemoryInode::read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) {
    ++image_.counters().directory_reads;
    MemoryNode& directory = node();
    if (!emit_dot_entries(cookie, number(), directory.parent, visitor)) return {};
    for (auto entry = directory.entries.lower_bound(cookie); entry != directory.entries.end(); ++entry) {
        const std::string& name = entry->second.first;
        MemoryNode* child = image_.node(entry->second.second);
        if (!visitor.visit(name.c_str(), name.size(), child->number, directory_entry_type(child->mode),
                           entry->first + 1))
            return {};
    }
    return {};
}

Result<InodeRef> MemoryInode::add_child(const char* name, uint32_t mode, const Credentials& credentials,
                                        uint32_t device_number, const char* data) {
    MemoryNode& child = image_.new_node(mode, credentials.uid, credentials.gid);
    child.device_number = device_number;
    child.data = data;
    child.parent = number();
    image_.add_entry(node(), name, child.number);
    if (::is_directory(mode)) ++node().link_count;
    refresh();
    MemoryInode* inode = new (std::nothrow) MemoryInode(static_cast<MemorySuperBlock&>(super_block()), child.number);
    if (inode == nullptr) return Error{ENOMEM};
    return super_block().insert_new_inode(inode);
}

Result<void> MemoryInode::link(const char* name, Inode& target) {
    image_.add_entry(node(), name, target.number());
    ++of(target).node().link_count;
    of(target).refresh();
    return {};
}

Result<void> MemoryInode::unlink(const char* name, Inode& victim) {
    image_.remove_entry(node(), name);
    --of(victim).node().link_count;
    of(victim).refresh();
    return {};
}

Result<void> MemoryInode::rmdir(const char* name, Inode& victim) {
    if (!of(victim).node().entries.empty()) return Error{ENOTEMPTY};
    image_.remove_entry(node(), name);
    of(victim).node().link_count = 0;
    --node().link_count;
    of(victim).refresh();
    refresh();
    return {};
}

Result<void> MemoryInode::rename(const char* old_name, Inode& moved, Inode& new_directory, const char* new_name,
                                 Inode* replaced) {
    MemoryInode& destination = of(new_directory);
    if (replaced != nullptr) {
        MemoryNode& old_target = of(*replaced).node();
        if (::is_directory(old_target.mode)) {
            if (!old_target.entries.empty()) return Error{ENOTEMPTY};
            old_target.link_count = 0;
            --destination.node().link_count;
        } else {
            --old_target.link_count;
        }
        image_.remove_entry(destination.node(), new_name);
        of(*replaced).refresh();
    }
    image_.remove_entry(node(), old_name);
    image_.add_entry(destination.node(), new_name, moved.number());
    if (moved.is_directory() && &destination != this) {
        of(moved).node().parent = destination.number();
        --node().link_count;
        ++destination.node().link_count;
    }
    refresh();
    destination.refresh();
    of(moved).refresh();
    return {};
}

Result<size_t> MemoryInode::readlink(char* buffer, size_t size) {
    if (!is_symbolic_link()) return Error{EINVAL};
    size_t length = std::min(size, node().data.size());
    std::memcpy(buffer, node().data.data(), length);
    return length;
}

Result<size_t> MemoryInode::read_at(uint64_t offset, void* buffer, size_t size) {
    if (is_directory()) return Error{EISDIR};
    const std::string& data = node().data;
    if (offset >= data.size()) return size_t(0);
    size_t length = std::min<uint64_t>(size, data.size() - offset);
    std::memcpy(buffer, data.data() + offset, length);
    return length;
}

Result<size_t> MemoryInode::write_at(uint64_t offset, const void* buffer, size_t size) {
    if (is_directory()) return Error{EISDIR};
    std::string& data = node().data;
    if (offset + size > data.size()) data.resize(offset + size, '\0');
    std::memcpy(data.data() + offset, buffer, size);
    refresh();
    return size;
}

Result<void> MemoryInode::truncate(uint64_t size) {
    node().data.resize(size, '\0');
    refresh();
    return {};
}

Result<void> MemoryInode::setattr(const AttributeChange& change) {
    MemoryNode& record = node();
    if (change.valid & AttributeChange::MODE) record.mode = file_type_of(record.mode) | (change.mode & 07777);
    if (change.valid & AttributeChange::UID) record.uid = change.uid;
    if (change.valid & AttributeChange::GID) record.gid = change.gid;
    if (change.valid & AttributeChange::SIZE) record.data.resize(change.size, '\0');
    if (change.valid & AttributeChange::MODIFICATION_TIME) record.time = change.modification_time;
    refresh();
    return {};
}

}  // namespace

// --- MemoryImage ------------------------------------------------------------------

MemoryImage::MemoryImage() {
    MemoryNode& root = new_node(S_IFDIR | 0755, 0, 0);
    root.parent = root.number;
    root.link_count = 2;
}

MemoryNode* MemoryImage::node(uint64_t number) {
    auto found = nodes_.find(number);
    return found == nodes_.end() ? nullptr : &found->second;
}

MemoryNode& MemoryImage::new_node(uint32_t mode, uint32_t uid, uint32_t gid) {
    MemoryNode& record = nodes_[next_number_];
    record.number = next_number_++;
    record.mode = mode;
    record.uid = uid;
    record.gid = gid;
    record.link_count = ::is_directory(mode) ? 2 : 1;
    return record;
}

void MemoryImage::add_entry(MemoryNode& directory, const std::string& name, uint64_t number) {
    uint64_t slot = directory.next_slot++;
    directory.entries[slot] = {name, number};
    directory.slot_of_name[name] = slot;
}

void MemoryImage::remove_entry(MemoryNode& directory, const std::string& name) {
    auto found = directory.slot_of_name.find(name);
    if (found == directory.slot_of_name.end()) return;
    directory.entries.erase(found->second);
    directory.slot_of_name.erase(found);
}

MemoryNode* MemoryImage::find(const std::string& path) {
    MemoryNode* current = node(ROOT_NUMBER);
    size_t position = 0;
    while (current != nullptr && position < path.size()) {
        size_t start = path.find_first_not_of('/', position);
        if (start == std::string::npos) break;
        size_t end = path.find('/', start);
        std::string name = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        position = end == std::string::npos ? path.size() : end;
        auto found = current->slot_of_name.find(name);
        if (found == current->slot_of_name.end()) return nullptr;
        current = node(current->entries[found->second].second);
    }
    return current;
}

uint64_t MemoryImage::add_node(const std::string& path, uint32_t mode, uint32_t uid, uint32_t gid) {
    size_t slash = path.find_last_of('/');
    if (slash == std::string::npos || slash + 1 == path.size()) image_misuse("bad path", path);
    MemoryNode* parent = find(path.substr(0, slash));
    if (parent == nullptr || !::is_directory(parent->mode)) image_misuse("no parent directory", path);
    std::string name = path.substr(slash + 1);
    if (parent->slot_of_name.count(name)) image_misuse("exists already", path);
    MemoryNode& directory = *parent;  // std::map: inserting new records moves no old one
    MemoryNode& record = new_node(mode, uid, gid);
    record.parent = directory.number;
    add_entry(directory, name, record.number);
    if (::is_directory(mode)) ++directory.link_count;
    return record.number;
}

uint64_t MemoryImage::add_directory(const std::string& path, uint32_t mode, uint32_t uid, uint32_t gid) {
    return add_node(path, S_IFDIR | (mode & 07777), uid, gid);
}

uint64_t MemoryImage::add_file(const std::string& path, const std::string& contents, uint32_t mode,
                               uint32_t uid, uint32_t gid) {
    uint64_t number = add_node(path, S_IFREG | (mode & 07777), uid, gid);
    node(number)->data = contents;
    return number;
}

uint64_t MemoryImage::add_symlink(const std::string& path, const std::string& target) {
    uint64_t number = add_node(path, S_IFLNK | 0777, 0, 0);
    node(number)->data = target;
    return number;
}

uint64_t MemoryImage::add_device(const std::string& path, uint32_t mode, uint32_t device_number) {
    uint64_t number = add_node(path, mode, 0, 0);
    node(number)->device_number = device_number;
    return number;
}

// --- the sample tree of the VFS tests --------------------------------------------------

void build_sample_tree(MemoryImage& image) {
    image.add_directory("/bin");
    image.add_file("/bin/sh", "#!/bin/sh\n", 0755);
    image.add_directory("/etc");
    image.add_file("/etc/passwd", "root:x:0:0\n");
    image.add_directory("/dev");
    image.add_device("/dev/zero", S_IFCHR | 0666, make_device_number(1, 5));
    image.add_device("/dev/hda", S_IFBLK | 0660, make_device_number(3, 0));
    image.add_device("/dev/nodriver", S_IFCHR | 0666, make_device_number(99, 0));
    image.add_directory("/mnt");
    image.add_directory("/mnt/a");
    image.add_file("/mnt/a/underneath", "hidden by mounts");
    image.add_directory("/mnt/b");
    image.add_directory("/home");
    image.add_directory("/home/user", 0755, 1000, 1000);
    image.add_directory("/private", 0700);
    image.add_file("/private/secret", "s");
    image.add_directory("/search-only", 0111);
    image.add_file("/search-only/file", "x");
    image.add_directory("/tmp", 01777);
    image.add_directory("/links");
    image.add_symlink("/links/abs", "/etc/passwd");
    image.add_symlink("/links/rel", "../etc/passwd");
    image.add_symlink("/links/dir", "/etc");
    image.add_symlink("/links/loop1", "loop2");
    image.add_symlink("/links/loop2", "loop1");
    image.add_symlink("/links/dangling", "/nowhere");
    // chain1 -> chain2 -> ... -> chain41 -> /etc/passwd: 41 links from chain1.
    for (int i = 1; i <= 40; ++i)
        image.add_symlink("/links/chain" + std::to_string(i), "chain" + std::to_string(i + 1));
    image.add_symlink("/links/chain41", "/etc/passwd");
    image.add_directory("/many");
    for (int i = 0; i < SAMPLE_TREE_MANY_FILES; ++i) image.add_file("/many/file" + std::to_string(i), "x");
}

// --- the file system type -------------------------------------------------------------

Result<SuperBlock*> MemoryFileSystemType::mount(BlockDevice* /*device*/, uint32_t flags, const char* options) {
    auto found = images_.find(options);
    if (found == images_.end()) return Error{EINVAL};  // like a device without this format
    MemorySuperBlock* super_block = new (std::nothrow) MemorySuperBlock(*this, *found->second, flags);
    if (super_block == nullptr) return Error{ENOMEM};
    Result<void> loaded = super_block->load_root();
    if (loaded.is_error()) {
        destroy_super_block(super_block);
        return Error{loaded.error()};
    }
    return super_block;
}

MemoryFileSystemType& memory_file_system_type() {
    static MemoryFileSystemType type;
    static bool registered = [] {
        Result<void> result = register_filesystem(type);
        if (result.is_error()) image_misuse("cannot register testfs", errno_name(result.error()));
        return true;
    }();
    (void)registered;
    return type;
}
