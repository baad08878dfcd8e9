// fs/vfs/linux_abi.h -- the file-system structures of the Linux i386 ABI.
//
// Layer: virtual file system, at its boundary with user space. The system-call
// layer copies these structures byte for byte to programs built for i386 Linux,
// so the layouts below are the ABI, not a choice:
//
//   linux_abi::stat64          stat64/lstat64/fstat64/fstatat64 (96 bytes;
//                              arch/x86/include/uapi/asm/stat.h, 32-bit part)
//   linux_abi::linux_dirent64  getdents64 records (include/linux/dirent.h)
//   linux_abi::statx           statx (256 bytes, the same on every architecture;
//                              include/uapi/linux/stat.h)
//   linux_abi::statfs64        statfs64/fstatfs64 (84 bytes; asm-generic/statfs.h)
//   encode_device(major, minor) / decode_device_*   st_rdev and mknod's dev_t
//                              (Linux new_encode_dev / new_decode_dev)
//
// Invariants: i386 aligns a 64-bit integer inside a struct to 4 bytes, x86-64
// to 8. The host tests run on x86-64, so each struct is declared packed with
// 4-byte alignment: member offsets are then the i386 ones on both builds, and
// the static_asserts below check every offset a program reads.
//
// Why the #undefs: glibc's <sys/stat.h> (which the host build always sees
// first, through gtest and file_mode.h) defines st_atime as a macro for
// st_atim.tv_sec. Our structure uses the kernel's member names, so the host
// build includes <sys/stat.h> here and removes those three macros once; its
// include guard keeps them from coming back.
#pragma once

#include <cstddef>
#include <cstdint>

#ifdef KERNEL_HOST_BUILD
#include <sys/stat.h>
#undef st_atime
#undef st_mtime
#undef st_ctime
#endif

namespace linux_abi {

struct __attribute__((packed, aligned(4))) stat64 {
    uint64_t st_dev;
    uint8_t __pad0[4];
    uint32_t __st_ino;  // the low 32 bits of st_ino, for old programs
    uint32_t st_mode;
    uint32_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    uint64_t st_rdev;
    uint8_t __pad3[4];
    int64_t st_size;
    uint32_t st_blksize;  // preferred I/O size
    uint64_t st_blocks;   // 512-byte units allocated, whatever the block size
    uint32_t st_atime;
    uint32_t st_atime_nsec;
    uint32_t st_mtime;
    uint32_t st_mtime_nsec;
    uint32_t st_ctime;
    uint32_t st_ctime_nsec;
    uint64_t st_ino;
};

static_assert(sizeof(stat64) == 96, "struct stat64 is 96 bytes on i386");
static_assert(offsetof(stat64, st_dev) == 0);
static_assert(offsetof(stat64, __st_ino) == 12);
static_assert(offsetof(stat64, st_mode) == 16);
static_assert(offsetof(stat64, st_nlink) == 20);
static_assert(offsetof(stat64, st_uid) == 24);
static_assert(offsetof(stat64, st_gid) == 28);
static_assert(offsetof(stat64, st_rdev) == 32);
static_assert(offsetof(stat64, st_size) == 44);
static_assert(offsetof(stat64, st_blksize) == 52);
static_assert(offsetof(stat64, st_blocks) == 56);
static_assert(offsetof(stat64, st_atime) == 64);
static_assert(offsetof(stat64, st_atime_nsec) == 68);
static_assert(offsetof(stat64, st_mtime) == 72);
static_assert(offsetof(stat64, st_ctime) == 80);
static_assert(offsetof(stat64, st_ino) == 88);

struct statx_timestamp {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t __reserved;
};

struct __attribute__((packed, aligned(8))) statx {
    uint32_t stx_mask;  // which fields are filled (STATX_* bits)
    uint32_t stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink;
    uint32_t stx_uid;
    uint32_t stx_gid;
    uint16_t stx_mode;
    uint16_t __spare0;
    uint64_t stx_ino;
    uint64_t stx_size;
    uint64_t stx_blocks;
    uint64_t stx_attributes_mask;
    statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    uint32_t stx_rdev_major, stx_rdev_minor;
    uint32_t stx_dev_major, stx_dev_minor;
    uint64_t __spare2[14];
};
static_assert(sizeof(statx) == 256, "struct statx is 256 bytes");
static_assert(offsetof(statx, stx_mode) == 28);
static_assert(offsetof(statx, stx_ino) == 32);
static_assert(offsetof(statx, stx_size) == 40);
static_assert(offsetof(statx, stx_atime) == 64);
static_assert(offsetof(statx, stx_mtime) == 112);
static_assert(offsetof(statx, stx_rdev_major) == 128);
static_assert(offsetof(statx, stx_dev_minor) == 140);

// statx's stx_mask: the basic fields every file system here fills (type,
// mode, nlink, uid, gid, atime, mtime, ctime, ino, size, blocks); no btime.
// (Linux's STATX_BASIC_STATS; renamed so glibc's macro of that name, seen
// by the host build, cannot clash.)
constexpr uint32_t STATX_BASIC_FIELDS = 0x7FF;

// One getdents64 record: the fixed header, then the NUL-terminated name, then
// padding up to d_reclen, a multiple of 8, so the next record is aligned.
// d_off is the position (the directory "cookie") of the *next* record: a
// program may lseek() there to resume reading after this entry.
struct __attribute__((packed)) linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;  // DT_* (file_mode.h)
    char d_name[];
};

constexpr size_t DIRENT64_HEADER_SIZE = 19;  // offsetof(linux_dirent64, d_name)
static_assert(offsetof(linux_dirent64, d_ino) == 0);
static_assert(offsetof(linux_dirent64, d_off) == 8);
static_assert(offsetof(linux_dirent64, d_reclen) == 16);
static_assert(offsetof(linux_dirent64, d_type) == 18);
static_assert(offsetof(linux_dirent64, d_name) == DIRENT64_HEADER_SIZE);

// The d_reclen of a record for a name of `name_length` bytes.
constexpr size_t dirent64_record_length(size_t name_length) {
    return (DIRENT64_HEADER_SIZE + name_length + 1 + 7) & ~size_t(7);
}
static_assert(dirent64_record_length(1) == 24 && dirent64_record_length(4) == 24);
static_assert(dirent64_record_length(5) == 32);

struct __attribute__((packed, aligned(4))) statfs64 {
    uint32_t f_type;  // the file system's magic number (EXT2_SUPER_MAGIC ...)
    uint32_t f_bsize;
    uint64_t f_blocks;
    uint64_t f_bfree;
    uint64_t f_bavail;
    uint64_t f_files;
    uint64_t f_ffree;
    int32_t f_fsid[2];
    uint32_t f_namelen;
    uint32_t f_frsize;
    uint32_t f_flags;  // ST_RDONLY ... (the mount's flags)
    uint32_t f_spare[4];
};
static_assert(sizeof(statfs64) == 84, "struct statfs64 is 84 bytes on i386");
static_assert(offsetof(statfs64, f_blocks) == 8);
static_assert(offsetof(statfs64, f_fsid) == 48);
static_assert(offsetof(statfs64, f_namelen) == 56);
static_assert(offsetof(statfs64, f_flags) == 64);

// statfs64 f_flags bits.
constexpr uint32_t ST_RDONLY = 1;
constexpr uint32_t ST_NOSUID = 2;

// The 32-bit dev_t user space sees (Linux new_encode_dev): minor bits 0-7,
// major bits 8-19, minor bits 8-19 in bits 20-31. Old 8:8 numbers (3:1 for
// hda1) therefore encode to the same value as they always did (0x0301).
constexpr uint32_t encode_device(uint32_t major, uint32_t minor) {
    return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffu) << 12);
}
constexpr uint32_t decode_device_major(uint32_t encoded) { return (encoded & 0xfff00) >> 8; }
constexpr uint32_t decode_device_minor(uint32_t encoded) {
    return (encoded & 0xff) | ((encoded >> 12) & 0xfff00);
}
static_assert(encode_device(3, 1) == 0x0301 && encode_device(1, 3) == 0x0103);
static_assert(decode_device_major(encode_device(259, 70000)) == 259);
static_assert(decode_device_minor(encode_device(259, 70000)) == 70000);

}  // namespace linux_abi
