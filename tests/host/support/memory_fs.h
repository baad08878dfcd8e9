// tests/host/support/memory_fs.h -- "testfs", a file system in host memory.
//
// Layer: a concrete file system below the VFS, for the host unit tests only.
// It plays the part ext2 or romfs will play in the kernel, with the "disk"
// replaced by a MemoryImage the test builds programmatically:
//
//   MemoryImage image;                         // holds the root directory
//   image.add_directory("/etc");
//   image.add_file("/etc/passwd", "root:x:0:0\n");
//   image.add_symlink("/etc/link", "passwd");
//   image.add_device("/dev/zero", S_IFCHR | 0666, make_device_number(1, 5));
//   memory_file_system_type().publish("root", &image);
//   namespace.mount_root("testfs", nullptr, 0, "root");   // options = image name
//
// What it implements: every super_operation (read_inode builds a MemoryInode
// from the image's record; evict_inode deletes the record of a file whose
// last link and last reference are gone), every inode_operation (lookup,
// read_directory with stable cookies, readlink, read_at/write_at/truncate,
// create/mkdir/mknod/symlink/link/unlink/rmdir/rename, setattr).
//
// What it counts, so tests can prove who answered: image.counters() --
// lookups (Inode::lookup calls: the dentry cache missed), inodes_read
// (read_inode: the inode cache missed), evictions, directory_reads.
//
// Invariants: the MemoryImage is the disk and the truth; a MemoryInode copies
// its record's attributes on creation and after every change it makes.
// Directory cookies: 0 is ".", 1 is "..", then each entry keeps the slot
// number it got when it was added (2, 3, ...) forever, so a getdents position
// survives entries being added or removed elsewhere in the directory.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "fs/vfs/device_table.h"
#include "fs/vfs/super_block.h"

struct MemoryNode {
    uint64_t number = 0;
    uint32_t mode = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t link_count = 0;
    uint32_t device_number = 0;
    uint64_t parent = 0;       // directories: for ".."
    std::string data;          // regular file contents, or a symbolic link's target
    Timestamp time{1700000000, 123456789};
    // Directories: slot -> (name, inode number), and name -> slot.
    std::map<uint64_t, std::pair<std::string, uint64_t>> entries;
    std::map<std::string, uint64_t> slot_of_name;
    uint64_t next_slot = 2;
};

struct MemoryFsCounters {
    uint64_t lookups = 0;
    uint64_t inodes_read = 0;
    uint64_t evictions = 0;
    uint64_t directory_reads = 0;
};

class MemoryImage {
public:
    static constexpr uint64_t ROOT_NUMBER = 1;

    MemoryImage();

    // Paths are absolute within the image; parents must exist. Each returns
    // the new inode number and aborts the test program on misuse.
    uint64_t add_directory(const std::string& path, uint32_t mode = 0755, uint32_t uid = 0, uint32_t gid = 0);
    uint64_t add_file(const std::string& path, const std::string& contents, uint32_t mode = 0644,
                      uint32_t uid = 0, uint32_t gid = 0);
    uint64_t add_symlink(const std::string& path, const std::string& target);
    uint64_t add_device(const std::string& path, uint32_t mode, uint32_t device_number);

    MemoryNode* node(uint64_t number);
    MemoryNode* find(const std::string& path);  // nullptr if absent (no symlinks followed)
    size_t node_count() const { return nodes_.size(); }
    MemoryFsCounters& counters() { return counters_; }

    // For the file system: new records and directory entries.
    MemoryNode& new_node(uint32_t mode, uint32_t uid, uint32_t gid);
    void add_entry(MemoryNode& directory, const std::string& name, uint64_t number);
    void remove_entry(MemoryNode& directory, const std::string& name);
    void erase(uint64_t number) { nodes_.erase(number); }

private:
    uint64_t add_node(const std::string& path, uint32_t mode, uint32_t uid, uint32_t gid);

    std::map<uint64_t, MemoryNode> nodes_;
    uint64_t next_number_ = ROOT_NUMBER;
    MemoryFsCounters counters_;
};

class MemoryFileSystemType : public FileSystemType {
public:
    MemoryFileSystemType() : FileSystemType("testfs", false) {}

    // mount(..., options = name) mounts the image published under that name.
    void publish(const std::string& name, MemoryImage* image) { images_[name] = image; }
    void withdraw(const std::string& name) { images_.erase(name); }

    Result<SuperBlock*> mount(BlockDevice* device, uint32_t flags, const char* options) override;

private:
    std::map<std::string, MemoryImage*> images_;
};

// A tree with something for every lookup rule, owned by root unless noted:
//   /bin/sh (0755)   /etc/passwd ("root:x:0:0\n", 0644)
//   /dev/zero (char 1:5)   /dev/hda (block 3:0)   /dev/nodriver (char 99:0)
//   /mnt/a/underneath   /mnt/b   /home/user (uid/gid 1000)
//   /private (0700) with secret   /search-only (0111) with file   /tmp (01777)
//   /links/abs -> /etc/passwd   /links/rel -> ../etc/passwd   /links/dir -> /etc
//   /links/loop1 <-> loop2   /links/dangling -> /nowhere
//   /links/chain1 -> chain2 -> ... -> chain41 -> /etc/passwd (41 links from chain1)
//   /many/file0 .. file<SAMPLE_TREE_MANY_FILES - 1> ("x" each)
constexpr int SAMPLE_TREE_MANY_FILES = 100;
void build_sample_tree(MemoryImage& image);

// The one "testfs" type, registered with the VFS on first use.
MemoryFileSystemType& memory_file_system_type();

constexpr uint32_t MEMORY_FS_MAGIC = 0x54455354;  // "TEST"
