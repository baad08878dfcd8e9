// fs/vfs/open_flags.h -- the flags of open(2), lseek(2) and the *at calls.
//
// Layer: virtual file system, definitions shared with the system-call layer.
//
// Interface:
//   O_RDONLY, O_WRONLY, O_RDWR   the access mode (the two low bits, O_ACCMODE)
//   O_CREAT ... O_CLOEXEC        Linux i386 values (asm-generic/fcntl.h; x86 uses
//                                the generic table unchanged)
//   SEEK_SET, SEEK_CUR, SEEK_END lseek whence
//   AT_FDCWD, AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_EMPTY_PATH  for the *at calls
//   open_flags_allow_read/write, open_flags_are_valid
//
// Which flags are kept where (as in Linux): O_CLOEXEC belongs to the file
// *descriptor* (FileDescriptorTable); O_CREAT, O_EXCL, O_NOCTTY and O_TRUNC act
// once, at open; everything else stays in File::flags() for the life of the
// open file (O_APPEND and O_NONBLOCK may later change through fcntl).
//
// Invariants: values are exactly Linux i386's; the macros are #ifndef-guarded
// and static_asserted like file_mode.h, because the host build sees glibc's
// <fcntl.h> first. One exception: glibc on x86-64 defines O_LARGEFILE as 0, so
// the i386 bit has its own name, O_LARGEFILE_I386. It is accepted and ignored:
// every file here is a large file (positions are 64-bit).
#pragma once

#include <cstdint>

#ifdef KERNEL_HOST_BUILD
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#endif

#ifndef O_ACCMODE
#define O_ACCMODE 00000003
#endif
#ifndef O_RDONLY
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#endif
#ifndef O_CREAT
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#endif
#ifndef O_DSYNC
#define O_DSYNC 00010000
#endif
#ifndef O_DIRECT
#define O_DIRECT 00040000
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY 00200000
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW 00400000
#endif
#ifndef O_NOATIME
#define O_NOATIME 01000000
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 02000000
#endif
#ifndef O_SYNC
#define O_SYNC 04010000
#endif
#ifndef O_PATH
#define O_PATH 010000000
#endif
constexpr uint32_t O_LARGEFILE_I386 = 00100000;

#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif

#ifndef AT_FDCWD
#define AT_FDCWD (-100)
#endif
#ifndef AT_SYMLINK_NOFOLLOW
#define AT_SYMLINK_NOFOLLOW 0x100
#endif
#ifndef AT_REMOVEDIR
#define AT_REMOVEDIR 0x200
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef AT_NO_AUTOMOUNT
#define AT_NO_AUTOMOUNT 0x800
#endif
#ifndef AT_STATX_SYNC_TYPE
#define AT_STATX_SYNC_TYPE 0x6000
#endif

// Flags that act at open time only and are not remembered in the File.
constexpr uint32_t OPEN_TIME_ONLY_FLAGS = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;

// Every flag this VFS understands; anything else is refused with EINVAL
// rather than silently ignored, so a program learns early that, say, O_PATH
// is missing here.
constexpr uint32_t SUPPORTED_OPEN_FLAGS = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |
                                          O_APPEND | O_NONBLOCK | O_DSYNC | O_DIRECT |
                                          O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |
                                          O_SYNC | O_LARGEFILE_I386;

inline constexpr uint32_t open_access_mode(uint32_t flags) { return flags & O_ACCMODE; }
inline constexpr bool open_flags_allow_read(uint32_t flags) {
    return open_access_mode(flags) == O_RDONLY || open_access_mode(flags) == O_RDWR;
}
inline constexpr bool open_flags_allow_write(uint32_t flags) {
    return open_access_mode(flags) == O_WRONLY || open_access_mode(flags) == O_RDWR;
}
// O_ACCMODE == 3 is Linux's odd "neither read nor write" mode; we refuse it.
inline constexpr bool open_flags_are_valid(uint32_t flags) {
    return open_access_mode(flags) != O_ACCMODE && (flags & ~SUPPORTED_OPEN_FLAGS) == 0;
}

static_assert(O_RDONLY == 0 && O_WRONLY == 1 && O_RDWR == 2 && O_ACCMODE == 3);
static_assert(O_CREAT == 0100 && O_EXCL == 0200 && O_NOCTTY == 0400 && O_TRUNC == 01000);
static_assert(O_APPEND == 02000 && O_NONBLOCK == 04000 && O_DSYNC == 010000);
static_assert(O_DIRECT == 040000 && O_DIRECTORY == 0200000 && O_NOFOLLOW == 0400000);
static_assert(O_NOATIME == 01000000 && O_CLOEXEC == 02000000 && O_SYNC == 04010000);
static_assert(O_PATH == 010000000);
static_assert(SEEK_SET == 0 && SEEK_CUR == 1 && SEEK_END == 2);
static_assert(AT_FDCWD == -100 && AT_SYMLINK_NOFOLLOW == 0x100 && AT_REMOVEDIR == 0x200);
static_assert(AT_EMPTY_PATH == 0x1000);
