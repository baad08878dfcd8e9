// fs/tmpfs/tmpfs_inode.cpp -- tmpfs's inode operations: directories, links, data.
//
// Layer: concrete file system (Linux: mm/shmem.c -- shmem_mknod, shmem_link,
// shmem_unlink, shmem_rmdir, shmem_rename2, shmem_symlink, shmem_file_read_iter,
// shmem_write_begin/end, shmem_setattr; directories there are the dcache's
// simple_* helpers, here a plain list of entries). Every operation changes the
// node (tmpfs_inode.h) and then refresh()es the inodes it touched. The VFS
// holds the locks of the inodes involved (inode.h), so nothing here locks,
// except the super block's leaf lock inside charge_page/new_node/free_node.
#include "fs/tmpfs/tmpfs_inode.h"

#include <cstddef>

#include "kernel/lib/string.h"

namespace {

constexpr uint64_t MAX_FILE_SIZE = uint64_t(1) << 32;  // st_size stays within 32-bit page indexes

size_t min_size(uint64_t a, uint64_t b) { return static_cast<size_t>(a < b ? a : b); }

}  // namespace

size_t tmpfs_free_pages_from(TmpfsNode& node, size_t first) {
    size_t freed = 0;
    for (size_t i = first; i < node.page_slots; ++i) {
        if (node.pages[i] == nullptr) continue;
        kfree(node.pages[i]);
        node.pages[i] = nullptr;
        ++freed;
    }
    node.page_count -= freed;
    return freed;
}

// --- directory entries -------------------------------------------------------------------

TmpfsDirectoryEntry* TmpfsInode::find_entry(const char* name) {
    for (TmpfsDirectoryEntry& entry : node_.entries)
        if (klib::strcmp(entry.name, name) == 0) return &entry;
    return nullptr;
}

// A change to a node: its ctime, and its mtime too when its contents
// (data, or a directory's names) changed. Access times are not kept up.
static void stamp(TmpfsNode& node, bool contents_changed) {
    node.change_time = current_time();
    if (contents_changed) node.modification_time = node.change_time;
}

Result<void> TmpfsInode::add_entry(const char* name, TmpfsNode& child) {
    size_t length = klib::strlen(name);
    void* memory = kmalloc(offsetof(TmpfsDirectoryEntry, name) + length + 1);
    if (memory == nullptr) return Error{ENOMEM};
    TmpfsDirectoryEntry* entry = new (memory) TmpfsDirectoryEntry;
    entry->node = &child;
    entry->cookie = node_.next_cookie++;
    entry->name_length = length;
    klib::memcpy(entry->name, name, length + 1);
    node_.entries.push_back(*entry);
    ++node_.size;
    stamp(node_, true);
    return {};
}

void TmpfsInode::remove_entry(TmpfsDirectoryEntry* entry) {
    node_.entries.remove(*entry);
    --node_.size;
    kfree(entry);
    stamp(node_, true);
}

Result<InodeRef> TmpfsInode::lookup(const char* name) {
    if (!is_directory()) return Error{ENOTDIR};
    TmpfsDirectoryEntry* entry = find_entry(name);
    if (entry == nullptr) return Error{ENOENT};
    return super_block().get_inode(entry->node->number);
}

Result<void> TmpfsInode::read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) {
    if (!is_directory()) return Error{ENOTDIR};
    if (!emit_dot_entries(cookie, number(), node_.parent, visitor)) return {};
    for (TmpfsDirectoryEntry& entry : node_.entries) {
        if (entry.cookie < cookie) continue;
        if (!visitor.visit(entry.name, entry.name_length, entry.node->number,
                           directory_entry_type(entry.node->mode), entry.cookie + 1))
            return {};
    }
    return {};
}

// --- creating names -------------------------------------------------------------------

Result<InodeRef> TmpfsInode::add_child(const char* name, uint32_t mode, uint32_t device_number,
                                       const char* target, const Credentials& credentials) {
    if (find_entry(name) != nullptr) return Error{EEXIST};
    TmpfsNode* child = TRY(tmpfs().new_node(mode, credentials.uid, credentials.gid));
    child->device_number = device_number;
    child->parent = number();
    if (target != nullptr) {
        size_t length = klib::strlen(target);
        child->target = static_cast<char*>(kmalloc(length + 1));
        if (child->target == nullptr) {
            tmpfs().free_node(child);
            return Error{ENOMEM};
        }
        klib::memcpy(child->target, target, length + 1);
        child->size = length;
    }
    TmpfsInode* inode = new (std::nothrow) TmpfsInode(tmpfs(), *child);
    if (inode == nullptr) {
        tmpfs().free_node(child);
        return Error{ENOMEM};
    }
    Result<void> added = add_entry(name, *child);
    if (added.is_error()) {
        delete inode;
        tmpfs().free_node(child);
        return Error{added.error()};
    }
    if (::is_directory(mode)) ++node_.link_count;  // the child's ".."
    refresh();
    // From here the inode cache owns the inode; if insertion fails the last
    // reference is dropped by the cache and the named node simply stays.
    return super_block().insert_new_inode(inode);
}

Result<InodeRef> TmpfsInode::create(const char* name, uint32_t mode, const Credentials& credentials) {
    return add_child(name, S_IFREG | (mode & 07777), 0, nullptr, credentials);
}

Result<InodeRef> TmpfsInode::mkdir(const char* name, uint32_t mode, const Credentials& credentials) {
    return add_child(name, S_IFDIR | (mode & 07777), 0, nullptr, credentials);
}

Result<InodeRef> TmpfsInode::mknod(const char* name, uint32_t mode, uint32_t device_number,
                                   const Credentials& credentials) {
    return add_child(name, mode, device_number, nullptr, credentials);
}

Result<InodeRef> TmpfsInode::symlink(const char* name, const char* target, const Credentials& credentials) {
    return add_child(name, S_IFLNK | 0777, 0, target, credentials);
}

Result<void> TmpfsInode::link(const char* name, Inode& target) {
    if (find_entry(name) != nullptr) return Error{EEXIST};
    TRY(add_entry(name, of(target).node()));
    ++of(target).node().link_count;
    stamp(of(target).node(), false);
    of(target).refresh();
    refresh();
    return {};
}

// --- removing names -------------------------------------------------------------------

Result<void> TmpfsInode::unlink(const char* name, Inode& victim) {
    TmpfsDirectoryEntry* entry = find_entry(name);
    if (entry == nullptr) return Error{ENOENT};
    remove_entry(entry);
    --of(victim).node().link_count;  // evict_inode frees the node once unused
    stamp(of(victim).node(), false);
    of(victim).refresh();
    refresh();
    return {};
}

Result<void> TmpfsInode::rmdir(const char* name, Inode& victim) {
    TmpfsNode& directory = of(victim).node();
    if (!directory.entries.empty()) return Error{ENOTEMPTY};
    TmpfsDirectoryEntry* entry = find_entry(name);
    if (entry == nullptr) return Error{ENOENT};
    remove_entry(entry);
    directory.link_count = 0;
    --node_.link_count;
    of(victim).refresh();
    refresh();
    return {};
}

// Entries are only unlinked and relinked, never reallocated, except the new
// name's: it is added first, so running out of memory changes nothing.
Result<void> TmpfsInode::rename(const char* old_name, Inode& moved, Inode& new_directory, const char* new_name,
                                Inode* replaced) {
    TmpfsInode& destination = of(new_directory);
    TmpfsDirectoryEntry* old_entry = find_entry(old_name);
    if (old_entry == nullptr) return Error{ENOENT};
    if (replaced != nullptr && replaced->is_directory() && !of(*replaced).node().entries.empty())
        return Error{ENOTEMPTY};
    TmpfsDirectoryEntry* replaced_entry = destination.find_entry(new_name);
    if (replaced_entry == old_entry) return {};  // same name, same directory
    TRY(destination.add_entry(new_name, of(moved).node()));
    if (replaced_entry != nullptr) destination.remove_entry(replaced_entry);
    remove_entry(old_entry);
    if (replaced != nullptr) {
        TmpfsNode& old_target = of(*replaced).node();
        if (::is_directory(old_target.mode)) {
            old_target.link_count = 0;
            --destination.node().link_count;
        } else {
            --old_target.link_count;
        }
        stamp(old_target, false);
        of(*replaced).refresh();
    }
    stamp(of(moved).node(), false);
    if (moved.is_directory() && &destination != this) {
        of(moved).node().parent = destination.number();
        --node_.link_count;
        ++destination.node().link_count;
    }
    refresh();
    destination.refresh();
    of(moved).refresh();
    return {};
}

Result<size_t> TmpfsInode::readlink(char* buffer, size_t size) {
    if (!is_symbolic_link()) return Error{EINVAL};
    size_t length = min_size(size, node_.size);
    klib::memcpy(buffer, node_.target, length);
    return length;
}

// --- file data ----------------------------------------------------------------------------

Result<void> TmpfsInode::ensure_page_slots(size_t slots) {
    if (slots <= node_.page_slots) return {};
    size_t grown = node_.page_slots == 0 ? 4 : node_.page_slots * 2;
    if (grown < slots) grown = slots;
    auto** pages = static_cast<uint8_t**>(kzalloc(grown * sizeof(uint8_t*)));
    if (pages == nullptr) return Error{ENOMEM};
    if (node_.page_slots != 0) klib::memcpy(pages, node_.pages, node_.page_slots * sizeof(uint8_t*));
    kfree(node_.pages);
    node_.pages = pages;
    node_.page_slots = grown;
    return {};
}

Result<size_t> TmpfsInode::read_at(uint64_t offset, void* buffer, size_t size) {
    if (is_directory()) return Error{EISDIR};
    if (offset >= node_.size) return size_t(0);
    size_t length = min_size(size, node_.size - offset);
    auto* out = static_cast<uint8_t*>(buffer);
    for (size_t done = 0; done < length;) {
        uint64_t position = offset + done;
        size_t index = static_cast<size_t>(position / TMPFS_PAGE_SIZE);
        size_t within = static_cast<size_t>(position % TMPFS_PAGE_SIZE);
        size_t chunk = min_size(length - done, TMPFS_PAGE_SIZE - within);
        const uint8_t* page = index < node_.page_slots ? node_.pages[index] : nullptr;
        if (page == nullptr)
            klib::memset(out + done, 0, chunk);  // a hole
        else
            klib::memcpy(out + done, page + within, chunk);
        done += chunk;
    }
    return length;
}

// Writes page by page; when space or memory runs out part-way, the bytes
// written so far stay and count (a short write), as in Linux.
Result<size_t> TmpfsInode::write_at(uint64_t offset, const void* buffer, size_t size) {
    if (is_directory()) return Error{EISDIR};
    if (size == 0) return size_t(0);
    if (offset >= MAX_FILE_SIZE || size > MAX_FILE_SIZE - offset) return Error{EFBIG};
    const auto* in = static_cast<const uint8_t*>(buffer);
    Error failure{0};
    size_t done = 0;
    Result<void> slots = ensure_page_slots(static_cast<size_t>((offset + size - 1) / TMPFS_PAGE_SIZE) + 1);
    if (slots.is_error()) return Error{slots.error()};
    while (done < size) {
        uint64_t position = offset + done;
        size_t index = static_cast<size_t>(position / TMPFS_PAGE_SIZE);
        size_t within = static_cast<size_t>(position % TMPFS_PAGE_SIZE);
        size_t chunk = min_size(size - done, TMPFS_PAGE_SIZE - within);
        if (node_.pages[index] == nullptr) {
            Result<void> charged = tmpfs().charge_page();
            if (charged.is_error()) {
                failure = Error{charged.error()};
                break;
            }
            auto* page = static_cast<uint8_t*>(kzalloc(TMPFS_PAGE_SIZE));
            if (page == nullptr) {
                tmpfs().uncharge_pages(1);
                failure = Error{ENOMEM};
                break;
            }
            node_.pages[index] = page;
            ++node_.page_count;
        }
        klib::memcpy(node_.pages[index] + within, in + done, chunk);
        done += chunk;
    }
    if (done > 0 && offset + done > node_.size) node_.size = offset + done;
    if (done > 0) stamp(node_, true);
    refresh();
    if (done == 0) return failure;
    return done;
}

// Shrinking frees the pages past the end and zeroes the tail of the last one,
// so growing again shows zeros; growing only moves the end (a hole).
Result<void> TmpfsInode::resize_data(uint64_t size) {
    if (size > MAX_FILE_SIZE) return Error{EFBIG};
    if (size < node_.size) {
        size_t keep = static_cast<size_t>((size + TMPFS_PAGE_SIZE - 1) / TMPFS_PAGE_SIZE);
        tmpfs().uncharge_pages(tmpfs_free_pages_from(node_, keep));
        size_t within = static_cast<size_t>(size % TMPFS_PAGE_SIZE);
        if (within != 0 && keep - 1 < node_.page_slots && node_.pages[keep - 1] != nullptr)
            klib::memset(node_.pages[keep - 1] + within, 0, TMPFS_PAGE_SIZE - within);
    }
    node_.size = size;
    stamp(node_, true);
    refresh();
    return {};
}

Result<void> TmpfsInode::truncate(uint64_t size) {
    if (!is_regular_file()) return Error{EINVAL};
    return resize_data(size);
}

Result<void> TmpfsInode::setattr(const AttributeChange& change) {
    if (change.valid & AttributeChange::SIZE) {
        if (!is_regular_file()) return Error{EINVAL};
        TRY(resize_data(change.size));
    }
    if (change.valid & AttributeChange::MODE) node_.mode = file_type_of(node_.mode) | (change.mode & 07777);
    if (change.valid & AttributeChange::UID) node_.uid = change.uid;
    if (change.valid & AttributeChange::GID) node_.gid = change.gid;
    stamp(node_, false);
    if (change.valid & AttributeChange::ACCESS_TIME) node_.access_time = change.access_time;
    if (change.valid & AttributeChange::MODIFICATION_TIME) node_.modification_time = change.modification_time;
    if (change.valid & AttributeChange::CHANGE_TIME) node_.change_time = change.change_time;
    refresh();
    return {};
}
