// fs/ext2/ext2_format.h -- the ext2 on-disk layout: superblock, group
// descriptor, inode, directory entry, feature bits.
//
// Layer: concrete file system (ext2), the bottom: plain structures that are
// the bytes on the disk, nothing else. Every other ext2 file reads the disk
// through these and checks the numbers before trusting them (ext2_super.h).
//
// What must stay true:
//   - Each struct is exactly the on-disk record (static_asserts below pin
//     every offset the code uses and every size). All fields are
//     little-endian, as is the i686 (and the x86-64 host of the tests), so a
//     record is read by copying the bytes into the struct (never by casting a
//     pointer into a buffer: alignment and strict aliasing).
//   - Layout facts (the ext2 specification, "The Second Extended File
//     System", sections Superblock, Block Group Descriptor Table, Inode
//     Table, Directory, and Linux's Documentation/filesystems/ext2.rst):
//       the superblock is 1024 bytes at byte 1024 of the device, whatever the
//       block size (1024 << s_log_block_size: 1, 2 or 4 KiB here);
//       block groups start at s_first_data_block (1 for 1 KiB blocks, else 0);
//       the group descriptor table starts in the block after the superblock's;
//       inode n (counting from 1) is record (n - 1) % s_inodes_per_group of the
//       inode table of group (n - 1) / s_inodes_per_group;
//       i_block[0..11] map file blocks directly, [12] single, [13] double and
//       [14] triple indirect; a block number 0 is a hole (reads as zeros).
//   - Revision 0 has fixed 128-byte inodes and first usable inode 11; the
//     fields from s_first_ino on are valid only in revision 1 (dynamic).
#pragma once

#include <cstddef>
#include <cstdint>

constexpr uint16_t EXT2_SUPER_MAGIC = 0xEF53;
constexpr uint32_t EXT2_SUPERBLOCK_OFFSET = 1024;
constexpr uint32_t EXT2_SUPERBLOCK_SIZE = 1024;
constexpr uint32_t EXT2_MIN_BLOCK_SIZE = 1024;
constexpr uint32_t EXT2_MAX_BLOCK_SIZE = 4096;  // what this kernel supports (the page size)
constexpr uint32_t EXT2_ROOT_INODE = 2;
constexpr uint32_t EXT2_GOOD_OLD_REVISION = 0;
constexpr uint32_t EXT2_DYNAMIC_REVISION = 1;
constexpr uint32_t EXT2_GOOD_OLD_INODE_SIZE = 128;
constexpr uint32_t EXT2_GOOD_OLD_FIRST_INODE = 11;
constexpr uint32_t EXT2_MAX_NAME_LENGTH = 255;
constexpr uint32_t EXT2_LINK_MAX = 32000;         // i_links_count limit (Linux EXT2_LINK_MAX)

// s_state: set while the file system is clean (unmounted properly).
constexpr uint16_t EXT2_VALID_FS = 0x0001;
constexpr uint16_t EXT2_ERROR_FS = 0x0002;

// i_flags bits this driver acts on.
constexpr uint32_t EXT2_INDEX_FL = 0x00001000;    // hash-indexed directory (dir_index)

// i_block slots.
constexpr uint32_t EXT2_DIRECT_BLOCKS = 12;
constexpr uint32_t EXT2_SINGLE_INDIRECT = 12;
constexpr uint32_t EXT2_DOUBLE_INDIRECT = 13;
constexpr uint32_t EXT2_TRIPLE_INDIRECT = 14;
constexpr uint32_t EXT2_BLOCK_POINTERS = 15;
// A fast symbolic link keeps its target in i_block itself: at most 60 bytes.
constexpr uint32_t EXT2_FAST_SYMLINK_CAPACITY = EXT2_BLOCK_POINTERS * 4;

// s_feature_compat: nothing here changes how a reader must read the disk.
constexpr uint32_t EXT2_FEATURE_COMPAT_DIR_PREALLOC = 0x0001;
constexpr uint32_t EXT2_FEATURE_COMPAT_IMAGIC_INODES = 0x0002;
constexpr uint32_t EXT2_FEATURE_COMPAT_HAS_JOURNAL = 0x0004;
constexpr uint32_t EXT2_FEATURE_COMPAT_EXT_ATTR = 0x0008;
constexpr uint32_t EXT2_FEATURE_COMPAT_RESIZE_INODE = 0x0010;
constexpr uint32_t EXT2_FEATURE_COMPAT_DIR_INDEX = 0x0020;

// s_feature_incompat: a reader that does not know one of these cannot read
// the disk correctly at all, so the mount is refused.
constexpr uint32_t EXT2_FEATURE_INCOMPAT_COMPRESSION = 0x0001;
constexpr uint32_t EXT2_FEATURE_INCOMPAT_FILETYPE = 0x0002;
constexpr uint32_t EXT2_FEATURE_INCOMPAT_RECOVER = 0x0004;
constexpr uint32_t EXT2_FEATURE_INCOMPAT_JOURNAL_DEV = 0x0008;
constexpr uint32_t EXT2_FEATURE_INCOMPAT_META_BG = 0x0010;
constexpr uint32_t EXT2_SUPPORTED_INCOMPAT = EXT2_FEATURE_INCOMPAT_FILETYPE;

// s_feature_ro_compat: unknown ones still allow reading, not writing.
constexpr uint32_t EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER = 0x0001;
constexpr uint32_t EXT2_FEATURE_RO_COMPAT_LARGE_FILE = 0x0002;
constexpr uint32_t EXT2_FEATURE_RO_COMPAT_BTREE_DIR = 0x0004;
constexpr uint32_t EXT2_SUPPORTED_RO_COMPAT =
    EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE;

// Directory entry file_type values (with the filetype feature).
enum Ext2DirectoryFileType : uint8_t {
    EXT2_FT_UNKNOWN = 0,
    EXT2_FT_REGULAR_FILE = 1,
    EXT2_FT_DIRECTORY = 2,
    EXT2_FT_CHARACTER_DEVICE = 3,
    EXT2_FT_BLOCK_DEVICE = 4,
    EXT2_FT_FIFO = 5,
    EXT2_FT_SOCKET = 6,
    EXT2_FT_SYMBOLIC_LINK = 7,
    EXT2_FT_MAX = 8,
};

struct Ext2SuperBlockRecord {
    uint32_t inodes_count;
    uint32_t blocks_count;
    uint32_t reserved_blocks_count;
    uint32_t free_blocks_count;
    uint32_t free_inodes_count;
    uint32_t first_data_block;
    uint32_t log_block_size;      // block size = 1024 << log_block_size
    uint32_t log_fragment_size;
    uint32_t blocks_per_group;
    uint32_t fragments_per_group;
    uint32_t inodes_per_group;
    uint32_t mount_time;
    uint32_t write_time;
    uint16_t mount_count;
    int16_t max_mount_count;
    uint16_t magic;               // EXT2_SUPER_MAGIC
    uint16_t state;               // 1 clean, 2 has errors
    uint16_t errors;
    uint16_t minor_revision_level;
    uint32_t last_check_time;
    uint32_t check_interval;
    uint32_t creator_os;
    uint32_t revision_level;
    uint16_t default_reserved_uid;
    uint16_t default_reserved_gid;
    // --- revision 1 (dynamic) only -------------------------------------------
    uint32_t first_inode;         // first non-reserved inode
    uint16_t inode_size;
    uint16_t block_group_number;  // of this copy of the superblock
    uint32_t feature_compat;
    uint32_t feature_incompat;
    uint32_t feature_ro_compat;
    uint8_t uuid[16];
    char volume_name[16];
    char last_mounted[64];
    uint32_t algorithm_usage_bitmap;
    uint8_t prealloc_blocks;
    uint8_t prealloc_directory_blocks;
    uint16_t reserved_gdt_blocks;  // resize_inode: blocks kept after the descriptors
    uint8_t journal_uuid[16];
    uint32_t journal_inode;
    uint32_t journal_device;
    uint32_t last_orphan;
    uint32_t hash_seed[4];
    uint8_t default_hash_version;
    uint8_t reserved_char_pad;
    uint16_t reserved_word_pad;
    uint32_t default_mount_options;
    uint32_t first_meta_block_group;
    uint8_t unused[760];
};

struct Ext2GroupDescriptor {
    uint32_t block_bitmap;
    uint32_t inode_bitmap;
    uint32_t inode_table;         // first block of this group's inode table
    uint16_t free_blocks_count;
    uint16_t free_inodes_count;
    uint16_t used_directories_count;
    uint16_t pad;
    uint8_t reserved[12];
};

struct Ext2InodeRecord {
    uint16_t mode;
    uint16_t uid;                 // low 16 bits
    uint32_t size;                // low 32 bits
    uint32_t access_time;
    uint32_t change_time;
    uint32_t modification_time;
    uint32_t deletion_time;
    uint16_t gid;                 // low 16 bits
    uint16_t links_count;
    uint32_t blocks;              // 512-byte units, metadata and ext_attr block included
    uint32_t flags;
    uint32_t os_dependent_1;
    uint32_t block[EXT2_BLOCK_POINTERS];
    uint32_t generation;
    uint32_t file_acl;            // the extended-attribute block, 0 when none
    uint32_t size_high;           // regular files with large_file: bits 32..63 of the size
    uint32_t fragment_address;
    uint8_t fragment_number;
    uint8_t fragment_size;
    uint16_t pad;
    uint16_t uid_high;            // Linux's use of osd2: bits 16..31 of uid and gid
    uint16_t gid_high;
    uint32_t reserved;
};

// The fixed part of a directory entry; the name (not NUL-terminated) follows.
struct Ext2DirectoryEntryHeader {
    uint32_t inode;               // 0: an unused entry
    uint16_t record_length;       // to the next entry; the last one reaches the block's end
    uint8_t name_length;
    uint8_t file_type;            // filetype feature; otherwise the high byte of a 16-bit name_length
};
constexpr uint32_t EXT2_DIRECTORY_ENTRY_HEADER_SIZE = 8;

static_assert(sizeof(Ext2SuperBlockRecord) == EXT2_SUPERBLOCK_SIZE);
static_assert(offsetof(Ext2SuperBlockRecord, first_data_block) == 20);
static_assert(offsetof(Ext2SuperBlockRecord, log_block_size) == 24);
static_assert(offsetof(Ext2SuperBlockRecord, blocks_per_group) == 32);
static_assert(offsetof(Ext2SuperBlockRecord, inodes_per_group) == 40);
static_assert(offsetof(Ext2SuperBlockRecord, magic) == 56);
static_assert(offsetof(Ext2SuperBlockRecord, revision_level) == 76);
static_assert(offsetof(Ext2SuperBlockRecord, first_inode) == 84);
static_assert(offsetof(Ext2SuperBlockRecord, inode_size) == 88);
static_assert(offsetof(Ext2SuperBlockRecord, feature_compat) == 92);
static_assert(offsetof(Ext2SuperBlockRecord, feature_incompat) == 96);
static_assert(offsetof(Ext2SuperBlockRecord, feature_ro_compat) == 100);
static_assert(offsetof(Ext2SuperBlockRecord, volume_name) == 120);
static_assert(offsetof(Ext2SuperBlockRecord, reserved_gdt_blocks) == 206);
static_assert(offsetof(Ext2SuperBlockRecord, journal_uuid) == 208);
static_assert(offsetof(Ext2SuperBlockRecord, hash_seed) == 236);
static_assert(offsetof(Ext2SuperBlockRecord, default_mount_options) == 256);
static_assert(offsetof(Ext2SuperBlockRecord, first_meta_block_group) == 260);

static_assert(sizeof(Ext2GroupDescriptor) == 32);
static_assert(offsetof(Ext2GroupDescriptor, inode_table) == 8);
static_assert(offsetof(Ext2GroupDescriptor, free_blocks_count) == 12);
static_assert(offsetof(Ext2GroupDescriptor, used_directories_count) == 16);

static_assert(sizeof(Ext2InodeRecord) == EXT2_GOOD_OLD_INODE_SIZE);
static_assert(offsetof(Ext2InodeRecord, size) == 4);
static_assert(offsetof(Ext2InodeRecord, modification_time) == 16);
static_assert(offsetof(Ext2InodeRecord, gid) == 24);
static_assert(offsetof(Ext2InodeRecord, links_count) == 26);
static_assert(offsetof(Ext2InodeRecord, blocks) == 28);
static_assert(offsetof(Ext2InodeRecord, block) == 40);
static_assert(offsetof(Ext2InodeRecord, file_acl) == 104);
static_assert(offsetof(Ext2InodeRecord, size_high) == 108);
static_assert(offsetof(Ext2InodeRecord, uid_high) == 120);
static_assert(offsetof(Ext2InodeRecord, gid_high) == 122);

static_assert(sizeof(Ext2DirectoryEntryHeader) == EXT2_DIRECTORY_ENTRY_HEADER_SIZE);
static_assert(offsetof(Ext2DirectoryEntryHeader, record_length) == 4);
static_assert(offsetof(Ext2DirectoryEntryHeader, name_length) == 6);
