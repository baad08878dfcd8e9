// fs/tmpfs/tmpfs_inode.h -- tmpfs's nodes, super block and inodes (internal).
//
// Layer: concrete file system; only fs/tmpfs/ includes this. (Linux:
// mm/shmem.c -- shmem_inode_info, shmem_sb_info, shmem_get_inode,
// shmem_dir_inode_operations, shmem_symlink_inode_operations.)
//
// Two objects per file, because the VFS deletes an Inode as soon as nobody
// references it, yet a tmpfs file must live on as long as a directory names it:
//   TmpfsNode   the record, owned by the super block (in its node table) from
//               creation until its last link *and* its last Inode are gone
//               (evict_inode with link_count 0, or put_super at unmount)
//   TmpfsInode  the VFS view: copies the node's attributes (refresh) after
//               every change it makes to the node
//
// Invariants:
//   - A node is reached only through its one TmpfsInode (the inode cache
//     keeps one per number), so the inode's lock() guards the node's data and
//     attributes, exactly as the VFS locking rules of inode.h say.
//   - used_pages_ of the super block == the data pages of all its nodes,
//     and never above page_limit_.
//   - Directory entries are kept in the order they were added, each with the
//     cookie it got then (2, 3, ...; 0 and 1 are "." and ".."), so a getdents
//     position stays valid while other entries come and go.
//
// Locking: the super block's nodes_lock_ guards the node table, next_number_
// and used_pages_. It is a leaf lock: held for a few instructions, never while
// calling into the VFS (get_inode, insert_new_inode, InodeRef copies).
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/super_block.h"
#include "kernel/lib/hash_table.h"
#include "kernel/lib/list.h"

constexpr size_t TMPFS_PAGE_SIZE = 4096;
constexpr uint64_t TMPFS_ROOT_INODE = 1;

struct TmpfsNode;

// One name in a directory. Allocated with room for the name behind it.
struct TmpfsDirectoryEntry {
    klib::ListNode link;  // in the directory's entries
    TmpfsNode* node;
    uint64_t cookie;      // getdents position of this entry
    size_t name_length;
    char name[1];         // NUL-terminated, name_length + 1 bytes allocated
};

struct TmpfsNode {
    uint64_t number = 0;
    uint32_t mode = 0;
    uint32_t uid = 0, gid = 0;
    uint32_t link_count = 0;
    uint32_t device_number = 0;
    uint64_t size = 0;  // bytes of a file or link target; for a directory, a count
    Timestamp access_time, modification_time, change_time;

    // Regular files: pages[i] holds bytes [i*4096, (i+1)*4096), nullptr is a
    // hole (reads as zeros). page_slots is the length of the array.
    uint8_t** pages = nullptr;
    size_t page_slots = 0;
    size_t page_count = 0;  // non-null pages

    // Symbolic links: the target (size bytes, plus a NUL).
    char* target = nullptr;

    // Directories.
    klib::IntrusiveList<TmpfsDirectoryEntry, &TmpfsDirectoryEntry::link> entries;
    uint64_t next_cookie = 2;
    uint64_t parent = 0;  // number of the directory holding it, for ".."

    klib::HashNode hash_node;  // in the super block's node table
};

struct TmpfsNodeHashTraits {
    using Key = uint64_t;
    static Key key_of(const TmpfsNode& node) { return node.number; }
    static uint32_t hash(const Key& key) { return klib::hash_u64(key); }
};

class TmpfsSuperBlock final : public SuperBlock {
public:
    TmpfsSuperBlock(FileSystemType& type, uint32_t flags, uint64_t page_limit);

    // Makes the root directory (mode 01777, owned by root) and loads it.
    Result<void> create_root();

    // A new node, entered in the table: link count 1 (2 for a directory).
    // ENOMEM. The caller fills in the rest.
    Result<TmpfsNode*> new_node(uint32_t mode, uint32_t uid, uint32_t gid);
    // Frees the node's data and the node itself (it must have no entries).
    void free_node(TmpfsNode* node);
    // Reserves one page of the mount's space: ENOSPC at the limit.
    Result<void> charge_page();
    void uncharge_pages(size_t count);

    Result<Inode*> read_inode(uint64_t number) override;
    void evict_inode(Inode& inode) override;
    Result<FileSystemStatistics> statfs() override;
    void put_super() override;

private:
    static constexpr size_t NODE_HASH_BUCKETS = 64;
    TmpfsNode* find_node(uint64_t number);

    Mutex nodes_lock_{"tmpfs nodes"};
    klib::IntrusiveHashTable<TmpfsNode, &TmpfsNode::hash_node, TmpfsNodeHashTraits> nodes_;
    klib::HashNode* node_buckets_[NODE_HASH_BUCKETS];
    uint64_t next_number_ = TMPFS_ROOT_INODE;
    const uint64_t page_limit_;
    uint64_t used_pages_ = 0;
};

class TmpfsInode final : public Inode {
public:
    TmpfsInode(TmpfsSuperBlock& super_block, TmpfsNode& node);

    // Copies the node's attributes into the VFS's fields.
    void refresh();
    TmpfsNode& node() { return node_; }

    Result<InodeRef> lookup(const char* name) override;
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override;
    Result<InodeRef> create(const char* name, uint32_t mode, const Credentials& credentials) override;
    Result<InodeRef> mkdir(const char* name, uint32_t mode, const Credentials& credentials) override;
    Result<InodeRef> mknod(const char* name, uint32_t mode, uint32_t device_number,
                           const Credentials& credentials) override;
    Result<InodeRef> symlink(const char* name, const char* target, const Credentials& credentials) override;
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
    static TmpfsInode& of(Inode& inode) { return static_cast<TmpfsInode&>(inode); }
    TmpfsSuperBlock& tmpfs() { return static_cast<TmpfsSuperBlock&>(super_block()); }

    // Directory entries of this directory.
    TmpfsDirectoryEntry* find_entry(const char* name);
    Result<void> add_entry(const char* name, TmpfsNode& child);
    void remove_entry(TmpfsDirectoryEntry* entry);
    // create/mkdir/mknod/symlink: a new node named `name` here.
    Result<InodeRef> add_child(const char* name, uint32_t mode, uint32_t device_number, const char* target,
                               const Credentials& credentials);

    // Regular file data.
    Result<void> ensure_page_slots(size_t slots);
    Result<void> resize_data(uint64_t size);

    TmpfsNode& node_;
};

// Frees every page of a regular file's node from page index `first` on.
// Returns how many were freed (the caller uncharges them).
size_t tmpfs_free_pages_from(TmpfsNode& node, size_t first);
