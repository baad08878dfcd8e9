// kernel/syscall/syscall_legacy.cpp -- the old i386 calls Linux still keeps.
//
// Layer: system calls. Before large files, 32-bit ids and 64 signals,
// i386 Linux had stat/lstat/fstat with a smaller struct stat, statfs and
// fstatfs with a 32-bit struct statfs, getdents with struct linux_dirent,
// chown/lchown/fchown with 16-bit ids (syscall_names.cpp, beside their
// 32-bit forms), and signal, sigaction,
// sigprocmask, sigpending, sigsuspend, sgetmask and ssetmask with a 32-bit
// mask of signals 1-32. Linux 6.1 still answers them for old binaries; so
// does this kernel, each one a translation to its modern call: a value
// that does not fit the old layout is EOVERFLOW, as Linux says.
#include "fs/vfs/file_mode.h"
#include "fs/vfs/linux_abi.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_thread.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

// struct stat of i386 (asm/stat.h): 64 bytes.
struct OldStat {
    uint32_t st_dev, st_ino;
    uint16_t st_mode, st_nlink, st_uid, st_gid;
    uint32_t st_rdev, st_size, st_blksize, st_blocks;
    uint32_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
    uint32_t unused[2];
};
static_assert(sizeof(OldStat) == 64);

Result<void> write_old_stat(uint32_t address, const linux_abi::stat64& s) {
    if (s.st_ino > UINT32_MAX || uint64_t(s.st_size) > INT32_MAX || s.st_nlink > UINT16_MAX ||
        s.st_uid > UINT16_MAX || s.st_gid > UINT16_MAX || s.st_blocks > UINT32_MAX) {
        return Error(EOVERFLOW);
    }
    OldStat out;
    klib::memset(&out, 0, sizeof out);
    out.st_dev = uint32_t(s.st_dev);
    out.st_ino = uint32_t(s.st_ino);
    out.st_mode = uint16_t(s.st_mode);
    out.st_nlink = uint16_t(s.st_nlink);
    out.st_uid = uint16_t(s.st_uid);
    out.st_gid = uint16_t(s.st_gid);
    out.st_rdev = uint32_t(s.st_rdev);
    out.st_size = uint32_t(s.st_size);
    out.st_blksize = s.st_blksize;
    out.st_blocks = uint32_t(s.st_blocks);
    out.st_atime = s.st_atime, out.st_atime_nsec = s.st_atime_nsec;
    out.st_mtime = s.st_mtime, out.st_mtime_nsec = s.st_mtime_nsec;
    out.st_ctime = s.st_ctime, out.st_ctime_nsec = s.st_ctime_nsec;
    return copy_to_user(address, &out, sizeof out);
}

int32_t old_stat_of_name(const SyscallArguments& a, bool follow) {
    UserPath path;
    auto name = path.copy(a.arg[0]);
    if (name.is_error()) return -name.error();
    linux_abi::stat64 status;
    if (auto r = vfs_stat(self().working_directory, name.value(), follow, self().credentials, &status); r.is_error()) {
        return -r.error();
    }
    auto written = write_old_stat(a.arg[1], status);
    return written.is_error() ? -written.error() : 0;
}

int32_t sys_stat(const SyscallArguments& a) { return old_stat_of_name(a, true); }
int32_t sys_lstat(const SyscallArguments& a) { return old_stat_of_name(a, false); }

int32_t sys_fstat(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    linux_abi::stat64 status;
    if (auto r = vfs_fstat(*file.value(), &status); r.is_error()) return -r.error();
    auto written = write_old_stat(a.arg[1], status);
    return written.is_error() ? -written.error() : 0;
}

// struct statfs of i386: 32-bit counts (64 bytes).
struct OldStatfs {
    uint32_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    uint32_t f_fsid[2];
    uint32_t f_namelen, f_frsize, f_flags;
    uint32_t f_spare[4];
};
static_assert(sizeof(OldStatfs) == 64);

int32_t write_old_statfs(uint32_t address, const linux_abi::statfs64& s) {
    uint64_t counts[] = {s.f_blocks, s.f_bfree, s.f_bavail, s.f_files, s.f_ffree};
    for (uint64_t count : counts) {
        if (count > UINT32_MAX) return -EOVERFLOW;
    }
    OldStatfs out;
    klib::memset(&out, 0, sizeof out);
    out.f_type = s.f_type, out.f_bsize = s.f_bsize;
    out.f_blocks = uint32_t(s.f_blocks), out.f_bfree = uint32_t(s.f_bfree), out.f_bavail = uint32_t(s.f_bavail);
    out.f_files = uint32_t(s.f_files), out.f_ffree = uint32_t(s.f_ffree);
    klib::memcpy(out.f_fsid, &s.f_fsid, sizeof out.f_fsid);
    out.f_namelen = s.f_namelen, out.f_frsize = s.f_frsize, out.f_flags = s.f_flags;
    return copy_to_user(address, &out, sizeof out).is_error() ? -EFAULT : 0;
}

int32_t sys_statfs(const SyscallArguments& a) {
    UserPath path;
    auto name = path.copy(a.arg[0]);
    if (name.is_error()) return -name.error();
    linux_abi::statfs64 out;
    if (auto r = vfs_statfs(self().working_directory, name.value(), self().credentials, &out); r.is_error()) {
        return -r.error();
    }
    return write_old_statfs(a.arg[1], out);
}

int32_t sys_fstatfs(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    linux_abi::statfs64 out;
    if (auto r = vfs_fstatfs(*file.value(), &out); r.is_error()) return -r.error();
    return write_old_statfs(a.arg[1], out);
}

// getdents(fd, struct linux_dirent*, size): the records of getdents64
// (linux_dirent64: ino 8, off 8, reclen 2, type 1, name) rewritten as
// linux_dirent (ino 4, off 4, reclen 2, name, NUL, type at the end),
// which is never longer, so what getdents64 fits in `size` fits here too.
int32_t sys_getdents(const SyscallArguments& a) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    size_t size = a.arg[2] > 64 * 1024 ? 64 * 1024 : a.arg[2];
    auto* records = static_cast<uint8_t*>(kmalloc(size ? size : 1));
    auto* converted = static_cast<uint8_t*>(kmalloc(size ? size : 1));
    auto release = [&](int32_t result) {
        kfree(records);
        kfree(converted);
        return result;
    };
    if (!records || !converted) return release(-ENOMEM);
    auto read = vfs_getdents64(*file.value(), records, size);
    if (read.is_error()) return release(-read.error());
    size_t out = 0;
    for (size_t at = 0; at < read.value();) {
        linux_abi::linux_dirent64 entry;
        klib::memcpy(&entry, records + at, linux_abi::DIRENT64_HEADER_SIZE);
        const char* name = reinterpret_cast<const char*>(records + at + linux_abi::DIRENT64_HEADER_SIZE);
        size_t length = klib::strlen(name);
        if (entry.d_ino > UINT32_MAX || uint64_t(entry.d_off) > UINT32_MAX) return release(-EOVERFLOW);
        uint16_t record_length = uint16_t((10 + length + 2 + 3) & ~size_t(3));
        uint32_t head[2] = {uint32_t(entry.d_ino), uint32_t(entry.d_off)};
        klib::memcpy(converted + out, head, sizeof head);
        klib::memcpy(converted + out + 8, &record_length, 2);
        klib::memcpy(converted + out + 10, name, length + 1);
        converted[out + record_length - 1] = entry.d_type;
        out += record_length;
        at += entry.d_reclen;
    }
    if (copy_to_user(a.arg[1], converted, out).is_error()) return release(-EFAULT);
    return release(int32_t(out));
}

// The old signal calls: a mask of signals 1-32 in one word.
constexpr uint64_t HIGH_SIGNALS = ~uint64_t(0xFFFFFFFF);

// struct old_sigaction of i386: handler, mask (one word), flags, restorer.
struct OldSigaction {
    uint32_t handler, mask, flags, restorer;
};

int32_t sys_sigaction(const SyscallArguments& a) {
    SignalAction new_action, old_action;
    if (a.arg[1]) {
        OldSigaction in;
        if (copy_from_user(&in, a.arg[1], sizeof in).is_error()) return -EFAULT;
        new_action = {in.handler, in.flags, in.restorer, in.mask};
    }
    auto changed = change_signal_action(int(a.arg[0]), a.arg[1] ? &new_action : nullptr, &old_action);
    if (changed.is_error()) return -changed.error();
    OldSigaction out{old_action.handler, uint32_t(old_action.mask), old_action.flags, old_action.restorer};
    if (a.arg[2] && copy_to_user(a.arg[2], &out, sizeof out).is_error()) return -EFAULT;
    return 0;
}

// signal(signal, handler): System V semantics as Linux's sys_signal --
// the handler runs once (SA_RESETHAND) and does not block its signal
// (SA_NODEFER). Returns the old handler.
int32_t sys_signal(const SyscallArguments& a) {
    SignalAction new_action{a.arg[1], SA_RESETHAND | SA_NODEFER, 0, 0}, old_action;
    auto changed = change_signal_action(int(a.arg[0]), &new_action, &old_action);
    return changed.is_error() ? -changed.error() : int32_t(old_action.handler);
}

int32_t sys_sigprocmask(const SyscallArguments& a) {
    uint64_t set = 0, old = 0;
    if (a.arg[1]) {
        uint32_t low;
        if (copy_from_user(&low, a.arg[1], sizeof low).is_error()) return -EFAULT;
        set = low;
    }
    // The old call cannot name signals 33-64, so SETMASK keeps their bits.
    if (a.arg[1] && a.arg[0] == 2 /* SIG_SETMASK */) {
        uint64_t current = 0;
        (void)change_blocked_signals(0, nullptr, &current);
        set |= current & HIGH_SIGNALS;
    }
    auto changed = change_blocked_signals(int(a.arg[0]), a.arg[1] ? &set : nullptr, &old);
    if (changed.is_error()) return -changed.error();
    uint32_t low_old = uint32_t(old);
    if (a.arg[2] && copy_to_user(a.arg[2], &low_old, sizeof low_old).is_error()) return -EFAULT;
    return 0;
}

int32_t sys_sigpending(const SyscallArguments& a) {
    UserThread& thread = *current_user_thread();
    uint32_t pending = uint32_t(pending_signals_of(thread) & thread.signals.blocked);
    return copy_to_user(a.arg[0], &pending, sizeof pending).is_error() ? -EFAULT : 0;
}

// sigsuspend(unused, unused, mask): i386's three-argument form, mask last.
int32_t sys_sigsuspend(const SyscallArguments& a) {
    uint64_t mask = a.arg[2] | (current_user_thread()->signals.blocked & HIGH_SIGNALS);
    return -suspend_until_signal(mask).error();
}

int32_t sys_sgetmask(const SyscallArguments&) { return int32_t(uint32_t(current_user_thread()->signals.blocked)); }

int32_t sys_ssetmask(const SyscallArguments& a) {
    uint64_t old = 0;
    uint64_t mask = a.arg[0] | (current_user_thread()->signals.blocked & HIGH_SIGNALS);
    (void)change_blocked_signals(2 /* SIG_SETMASK */, &mask, &old);
    return int32_t(uint32_t(old));
}

}  // namespace

void register_legacy_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {48, {"signal", sys_signal}},
        {67, {"sigaction", sys_sigaction}},  {68, {"sgetmask", sys_sgetmask}},
        {69, {"ssetmask", sys_ssetmask}},    {72, {"sigsuspend", sys_sigsuspend}},
        {73, {"sigpending", sys_sigpending}},
        {99, {"statfs", sys_statfs}},        {100, {"fstatfs", sys_fstatfs}},
        {106, {"stat", sys_stat}},           {107, {"lstat", sys_lstat}},
        {108, {"fstat", sys_fstat}},         {126, {"sigprocmask", sys_sigprocmask}},
        {141, {"getdents", sys_getdents}},
    };
    add_system_calls(table, size, calls);
}
