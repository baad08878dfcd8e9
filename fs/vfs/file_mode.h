// fs/vfs/file_mode.h -- the mode word of an inode, and whom it lets in.
//
// Layer: virtual file system (VFS), definitions shared by every file system
// and by the system-call layer.
//
// Interface:
//   S_IF* / S_IS* / S_IRWXU ...  Linux's mode bits (the values of
//                                <uapi/linux/stat.h>, identical on i386)
//   is_directory(mode) ...       readable spellings of S_ISDIR & co.
//   DT_*                         d_type values of struct linux_dirent64
//   directory_entry_type(mode)   the DT_* value for a mode (Linux: fs_umode_to_dtype)
//   Credentials                  who is asking: uid, gid, supplementary groups
//   MAY_READ/MAY_WRITE/MAY_EXEC  what is asked for
//   mode_permits(...)            Linux generic_permission(): the owner/group/other
//                                triplet decides, uid 0 passes everything except
//                                executing a file with no x bit at all
//
// Invariants:
//   - Every value is exactly Linux's, because these numbers reach user space
//     unchanged in st_mode and d_type (our programs are i386 Linux binaries).
//   - Like kernel/lib/errno.h, each macro is wrapped in #ifndef: the host build
//     includes the C library's headers first (they define the same names), and
//     the static_asserts at the end prove the two agree.
#pragma once

#include <cstddef>
#include <cstdint>

#ifdef KERNEL_HOST_BUILD
#include <dirent.h>
#include <sys/stat.h>
#endif

// --- file type: the top four bits of the mode -------------------------------
#ifndef S_IFMT
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#endif

// --- special bits and permissions ---------------------------------------------
#ifndef S_ISUID
#define S_ISUID 0004000
#define S_ISGID 0002000
#define S_ISVTX 0001000
#endif
#ifndef S_IRWXU
#define S_IRWXU 00700
#define S_IRUSR 00400
#define S_IWUSR 00200
#define S_IXUSR 00100
#define S_IRWXG 00070
#define S_IRGRP 00040
#define S_IWGRP 00020
#define S_IXGRP 00010
#define S_IRWXO 00007
#define S_IROTH 00004
#define S_IWOTH 00002
#define S_IXOTH 00001
#endif

#ifndef S_ISDIR
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
#endif

// The bits chmod may change; the rest of the mode is the file type.
constexpr uint32_t MODE_PERMISSION_BITS = 07777;

// --- d_type values (struct linux_dirent64) ------------------------------------
#ifndef DT_UNKNOWN
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
#endif

// --- what an access asks for (Linux: MAY_EXEC, MAY_WRITE, MAY_READ) -----------
// Same bit order as one rwx triplet of the mode, so a triplet can be compared
// with a request directly.
constexpr int MAY_EXEC = 1;
constexpr int MAY_WRITE = 2;
constexpr int MAY_READ = 4;

inline constexpr uint32_t file_type_of(uint32_t mode) { return mode & S_IFMT; }
inline constexpr bool is_directory(uint32_t mode) { return file_type_of(mode) == S_IFDIR; }
inline constexpr bool is_regular_file(uint32_t mode) { return file_type_of(mode) == S_IFREG; }
inline constexpr bool is_symbolic_link(uint32_t mode) { return file_type_of(mode) == S_IFLNK; }
inline constexpr bool is_character_device(uint32_t mode) { return file_type_of(mode) == S_IFCHR; }
inline constexpr bool is_block_device(uint32_t mode) { return file_type_of(mode) == S_IFBLK; }
inline constexpr bool is_device(uint32_t mode) {
    return is_character_device(mode) || is_block_device(mode);
}

// The d_type getdents64 reports for an inode of this mode.
inline constexpr uint8_t directory_entry_type(uint32_t mode) {
    switch (file_type_of(mode)) {
        case S_IFIFO: return DT_FIFO;
        case S_IFCHR: return DT_CHR;
        case S_IFDIR: return DT_DIR;
        case S_IFBLK: return DT_BLK;
        case S_IFREG: return DT_REG;
        case S_IFLNK: return DT_LNK;
        case S_IFSOCK: return DT_SOCK;
        default: return DT_UNKNOWN;
    }
}

// --- who is asking --------------------------------------------------------------
// The file-system identity of a process (Linux: the fsuid/fsgid and groups of
// struct cred). Passed explicitly to every operation that checks permissions,
// so the VFS never reaches for a "current process".
//
// uid and gid are the ids every permission check uses (Linux's fsuid and
// fsgid). The process's real, effective and saved ids sit beside them for
// the set*id calls (kernel/syscall/syscall_identity.cpp), which keep uid ==
// effective_uid and gid == effective_gid unless setfsuid/setfsgid says
// otherwise -- as Linux keeps fsuid following euid.
struct Credentials {
    static constexpr size_t MAX_GROUPS = 32;

    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t group_count = 0;  // supplementary groups in use
    uint32_t groups[MAX_GROUPS] = {};
    uint32_t real_uid = 0, effective_uid = 0, saved_uid = 0;
    uint32_t real_gid = 0, effective_gid = 0, saved_gid = 0;

    bool is_superuser() const { return uid == 0; }
    bool is_in_group(uint32_t group) const {
        if (group == gid) return true;
        for (uint32_t i = 0; i < group_count && i < MAX_GROUPS; ++i)
            if (groups[i] == group) return true;
        return false;
    }

    static Credentials root() { return Credentials{}; }
    static Credentials user(uint32_t user_id, uint32_t group_id) {
        Credentials credentials;
        credentials.uid = credentials.real_uid = credentials.effective_uid = credentials.saved_uid = user_id;
        credentials.gid = credentials.real_gid = credentials.effective_gid = credentials.saved_gid = group_id;
        return credentials;
    }
};

// Linux generic_permission(): does `mode` (owned by owner_uid/owner_gid) grant
// every bit of `may` (MAY_* ored) to `credentials`? Exactly one triplet counts:
// the owner's if the uid matches, else the group's if a group matches, else
// the others' -- so an owner with mode 0077 is refused even though "others"
// may. The superuser may read and write anything and search any directory,
// but may execute a file only if at least one x bit is set, as in Linux.
inline bool mode_permits(uint32_t mode, uint32_t owner_uid, uint32_t owner_gid,
                         const Credentials& credentials, int may) {
    if (credentials.is_superuser()) {
        if (!(may & MAY_EXEC) || is_directory(mode)) return true;
        return (mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
    }
    uint32_t triplet;
    if (credentials.uid == owner_uid)
        triplet = (mode >> 6) & 7;
    else if (credentials.is_in_group(owner_gid))
        triplet = (mode >> 3) & 7;
    else
        triplet = mode & 7;
    return (triplet & uint32_t(may)) == uint32_t(may);
}

// The host's C library must agree with Linux on every number we hand out.
static_assert(S_IFMT == 0170000 && S_IFDIR == 0040000 && S_IFREG == 0100000);
static_assert(S_IFLNK == 0120000 && S_IFCHR == 0020000 && S_IFBLK == 0060000);
static_assert(S_IFIFO == 0010000 && S_IFSOCK == 0140000);
static_assert(S_ISUID == 04000 && S_ISGID == 02000 && S_ISVTX == 01000);
static_assert(S_IRUSR == 0400 && S_IWGRP == 020 && S_IXOTH == 01);
static_assert(DT_UNKNOWN == 0 && DT_FIFO == 1 && DT_CHR == 2 && DT_DIR == 4);
static_assert(DT_BLK == 6 && DT_REG == 8 && DT_LNK == 10 && DT_SOCK == 12);
