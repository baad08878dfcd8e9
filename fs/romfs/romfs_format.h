// fs/romfs/romfs_format.h -- the romfs on-disk layout, byte by byte.
//
// Layer: concrete file system (romfs), the format only: constants, field
// offsets and two pure helpers. Nothing here reads a device; romfs_storage.h
// fetches bytes and romfs_image.h interprets them. (Linux:
// include/uapi/linux/romfs_fs.h; the format is described in
// Documentation/filesystems/romfs.rst.)
//
// An image is one run of bytes. Every number is a 32-bit big-endian word and
// every structure starts at a multiple of 16 bytes:
//
//   offset 0   superblock
//     0   "-rom1fs-"            magic, 8 bytes
//     8   full size             bytes of the image that belong to the file system
//     12  checksum              chosen so that the 32-bit big-endian words of the
//                               first min(512, full size) bytes sum to 0
//     16  volume name           NUL-terminated, NUL-padded to a multiple of 16
//
//   then file headers, the first one right after the padded volume name:
//     0   next                  offset of the next header in the same directory
//                               (0: last one); its low 4 bits are not part of
//                               the offset: bits 0-2 the type, bit 3 "executable"
//     4   spec.info             meaning depends on the type, see RomfsFileType
//     8   size                  bytes of data (regular file, symlink target)
//     12  checksum              the words of this header *and its padded name*
//                               sum to 0
//     16  name                  NUL-terminated, NUL-padded to a multiple of 16
//     16 + padded name          the data: file contents, symlink target
//
// A directory's spec.info names its first entry; its entries are chained by
// `next`. genromfs writes the root directory as the first header, a
// directory entry called "." whose spec.info points at itself; every other
// directory's "." and ".." are hard links (type 0) to it and its parent.
//
// Invariants this header states (romfs_image.cpp checks them on every read,
// since an image is untrusted input): offsets are multiples of 16, names hold
// at most ROMFS_MAX_NAME_LENGTH bytes before their NUL, and nothing -- a
// header, its name, its data -- lies past the superblock's full size.
#pragma once

#include <cstddef>
#include <cstdint>

// --- superblock ---------------------------------------------------------
constexpr char ROMFS_MAGIC[8] = {'-', 'r', 'o', 'm', '1', 'f', 's', '-'};
constexpr uint32_t ROMFS_SUPERBLOCK_MAGIC = 0;
constexpr uint32_t ROMFS_SUPERBLOCK_FULL_SIZE = 8;
constexpr uint32_t ROMFS_SUPERBLOCK_CHECKSUM = 12;
constexpr uint32_t ROMFS_SUPERBLOCK_VOLUME_NAME = 16;
// The superblock checksum covers this many bytes (or the whole image when smaller).
constexpr uint32_t ROMFS_SUPERBLOCK_CHECKSUM_SPAN = 512;
// The smallest image: the superblock fields and one 16-byte slot of volume name.
constexpr uint32_t ROMFS_MIN_IMAGE_SIZE = 32;

// --- file headers -------------------------------------------------------
constexpr uint32_t ROMFS_ALIGNMENT = 16;
constexpr uint32_t ROMFS_HEADER_NEXT = 0;
constexpr uint32_t ROMFS_HEADER_SPEC_INFO = 4;
constexpr uint32_t ROMFS_HEADER_SIZE_FIELD = 8;
constexpr uint32_t ROMFS_HEADER_CHECKSUM = 12;
constexpr uint32_t ROMFS_HEADER_NAME = 16;
// The four fixed fields; the name follows them.
constexpr uint32_t ROMFS_HEADER_FIELDS_SIZE = 16;
// Fields plus the shortest padded name: no header occupies fewer bytes.
constexpr uint32_t ROMFS_MIN_HEADER_SIZE = ROMFS_HEADER_FIELDS_SIZE + ROMFS_ALIGNMENT;

// The low bits of `next` (and of spec.info where it holds an offset).
constexpr uint32_t ROMFS_NEXT_TYPE_MASK = 0x7;
constexpr uint32_t ROMFS_NEXT_EXECUTABLE = 0x8;
constexpr uint32_t ROMFS_OFFSET_MASK = ~uint32_t(ROMFS_ALIGNMENT - 1);

// Longest name we accept (Linux's limit for a path component); the romfs
// format itself has none, but genromfs cannot make longer ones either.
constexpr uint32_t ROMFS_MAX_NAME_LENGTH = 255;

// The type in the low 3 bits of `next`, and what spec.info and the data mean.
enum class RomfsFileType : uint8_t {
    HardLink = 0,     // spec.info: offset of the target's header; no data
    Directory = 1,    // spec.info: offset of the first entry's header (0: empty)
    RegularFile = 2,  // data: the contents; spec.info unused (zero)
    Symlink = 3,      // data: the target path (not NUL-terminated); spec.info unused
    BlockDevice = 4,  // spec.info: major << 16 | minor
    CharDevice = 5,   // spec.info: major << 16 | minor
    Socket = 6,       // spec.info unused
    Fifo = 7,         // spec.info unused
};

// --- pure helpers -------------------------------------------------------
constexpr uint32_t romfs_align_up(uint32_t value) {
    return (value + ROMFS_ALIGNMENT - 1) & ROMFS_OFFSET_MASK;
}

// Bytes a name of `length` characters occupies on disk: its NUL, padded to 16.
constexpr uint32_t romfs_padded_name_size(uint32_t length) { return romfs_align_up(length + 1); }

inline uint32_t romfs_read_be32(const uint8_t* bytes) {
    return uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 | uint32_t(bytes[2]) << 8 |
           uint32_t(bytes[3]);
}

inline void romfs_write_be32(uint8_t* bytes, uint32_t value) {
    bytes[0] = uint8_t(value >> 24);
    bytes[1] = uint8_t(value >> 16);
    bytes[2] = uint8_t(value >> 8);
    bytes[3] = uint8_t(value);
}

// The romfs checksum: the sum, modulo 2^32, of the big-endian words of
// `length` bytes (a trailing length % 4 is ignored, as Linux does). A valid
// superblock or header sums to 0.
inline uint32_t romfs_checksum(const uint8_t* bytes, size_t length) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 4 <= length; i += 4) sum += romfs_read_be32(bytes + i);
    return sum;
}

inline const char* romfs_type_name(RomfsFileType type) {
    switch (type) {
    case RomfsFileType::HardLink: return "hard link";
    case RomfsFileType::Directory: return "directory";
    case RomfsFileType::RegularFile: return "regular file";
    case RomfsFileType::Symlink: return "symlink";
    case RomfsFileType::BlockDevice: return "block device";
    case RomfsFileType::CharDevice: return "character device";
    case RomfsFileType::Socket: return "socket";
    case RomfsFileType::Fifo: return "fifo";
    }
    return "?";
}
