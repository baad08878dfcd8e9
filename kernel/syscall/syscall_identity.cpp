// kernel/syscall/syscall_identity.cpp -- who a process is: its user and
// group ids, its supplementary groups, its capabilities.
//
// Layer: system calls. The uid/gid family with Linux's rules
// (kernel/sys.c): the real, effective and saved ids and the file-system
// ones (Credentials in fs/vfs/file_mode.h; uid and gid there are the
// file-system ids the VFS checks). Root -- effective uid 0, which holds
// CAP_SETUID and CAP_SETGID -- may set any id; any other process may only
// move between the ids it already has, or gets EPERM. Every change of the
// effective id takes the file-system id along. Both ABIs are here: the
// 32-bit calls (setuid32...) and the old 16-bit ones of Linux i386
// (setuid...), where an id above 65535 reads as 65534 (overflowuid) and
// 0xFFFF means -1, "unchanged".
//
// Capabilities are root's: capget reports all of them while an effective
// (or, for the permitted set, a real or saved) id is 0 and none otherwise,
// as Linux's uid-change rules leave them without SECBIT_KEEP_CAPS. The
// kernel keeps no sets of its own, so capset accepts only the sets a
// process already has (EPERM for any other).
//
// Supplementary groups: at most Credentials::MAX_GROUPS (32; Linux allows
// 65536, more is EINVAL here), kept sorted, as Linux's groups_sort keeps
// them, so getgroups answers in ascending order.
//
// These calls replace the one-identity getters of syscall_process.cpp
// (registered after them: see install_system_calls).
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

constexpr uint32_t UNCHANGED = 0xFFFFFFFF;  // -1: "leave this id"

// One of the two families of ids in a Credentials: the user's or the group's.
struct IdFamily {
    uint32_t* real;
    uint32_t* effective;
    uint32_t* saved;
    uint32_t* file_system;
};
IdFamily user_ids(Credentials& c) { return {&c.real_uid, &c.effective_uid, &c.saved_uid, &c.uid}; }
IdFamily group_ids(Credentials& c) { return {&c.real_gid, &c.effective_gid, &c.saved_gid, &c.gid}; }

// Root's capabilities (CAP_SETUID, CAP_SETGID) follow the effective uid.
bool may_set_ids() { return self().credentials.effective_uid == 0; }

bool is_one_of(uint32_t id, const IdFamily& ids) {
    return id == *ids.real || id == *ids.effective || id == *ids.saved;
}

// --- the 16-bit ABI -----------------------------------------------------------------
constexpr uint32_t OVERFLOW_ID = 65534;
uint16_t narrow_to_old_id(uint32_t id) { return id > 0xFFFF ? uint16_t(OVERFLOW_ID) : uint16_t(id); }

// --- getters -------------------------------------------------------------------------
int32_t sys_getuid(const SyscallArguments&) { return int32_t(self().credentials.real_uid); }
int32_t sys_geteuid(const SyscallArguments&) { return int32_t(self().credentials.effective_uid); }
int32_t sys_getgid(const SyscallArguments&) { return int32_t(self().credentials.real_gid); }
int32_t sys_getegid(const SyscallArguments&) { return int32_t(self().credentials.effective_gid); }
int32_t sys_getuid16(const SyscallArguments&) { return narrow_to_old_id(self().credentials.real_uid); }
int32_t sys_geteuid16(const SyscallArguments&) { return narrow_to_old_id(self().credentials.effective_uid); }
int32_t sys_getgid16(const SyscallArguments&) { return narrow_to_old_id(self().credentials.real_gid); }
int32_t sys_getegid16(const SyscallArguments&) { return narrow_to_old_id(self().credentials.effective_gid); }

// getres[ug]id(real, effective, saved): three pointers, each written.
int32_t copy_three_ids(const SyscallArguments& a, const IdFamily& ids, bool old_abi) {
    uint32_t values[3] = {*ids.real, *ids.effective, *ids.saved};
    for (int i = 0; i < 3; ++i) {
        uint16_t narrow = narrow_to_old_id(values[i]);
        Result<void> copied = old_abi ? copy_to_user(a.arg[i], &narrow, sizeof narrow)
                                      : copy_to_user(a.arg[i], &values[i], sizeof values[i]);
        if (copied.is_error()) return -EFAULT;
    }
    return 0;
}
int32_t sys_getresuid(const SyscallArguments& a) { return copy_three_ids(a, user_ids(self().credentials), false); }
int32_t sys_getresgid(const SyscallArguments& a) { return copy_three_ids(a, group_ids(self().credentials), false); }
int32_t sys_getresuid16(const SyscallArguments& a) { return copy_three_ids(a, user_ids(self().credentials), true); }
int32_t sys_getresgid16(const SyscallArguments& a) { return copy_three_ids(a, group_ids(self().credentials), true); }

// getgroups(size, list): size 0 asks how many; a smaller size is EINVAL.
int32_t get_groups(uint32_t size, uint32_t user_list, bool old_abi) {
    const Credentials& credentials = self().credentials;
    uint32_t count = credentials.group_count;
    if (int32_t(size) < 0) return -EINVAL;
    if (size == 0) return int32_t(count);
    if (size < count) return -EINVAL;
    for (uint32_t i = 0; i < count; ++i) {
        uint16_t narrow = narrow_to_old_id(credentials.groups[i]);
        uint32_t address = user_list + i * (old_abi ? 2 : 4);
        Result<void> copied = old_abi ? copy_to_user(address, &narrow, sizeof narrow)
                                      : copy_to_user(address, &credentials.groups[i], 4);
        if (copied.is_error()) return -EFAULT;
    }
    return int32_t(count);
}
int32_t sys_getgroups(const SyscallArguments& a) { return get_groups(a.arg[0], a.arg[1], false); }
int32_t sys_getgroups16(const SyscallArguments& a) { return get_groups(a.arg[0], a.arg[1], true); }

// --- setters (Linux: __sys_setuid, __sys_setreuid, __sys_setresuid, __sys_setfsuid) --
int32_t set_id(IdFamily ids, uint32_t id) {
    if (id == UNCHANGED) return -EINVAL;
    if (may_set_ids()) *ids.real = *ids.saved = id;
    else if (id != *ids.real && id != *ids.saved) return -EPERM;
    *ids.effective = *ids.file_system = id;
    return 0;
}

int32_t set_real_and_effective_ids(IdFamily ids, uint32_t real, uint32_t effective) {
    bool privileged = may_set_ids();
    uint32_t old_real = *ids.real, old_effective = *ids.effective;
    if (real != UNCHANGED && !privileged && real != old_real && real != old_effective) return -EPERM;
    if (effective != UNCHANGED && !privileged && !is_one_of(effective, ids)) return -EPERM;
    if (real != UNCHANGED) *ids.real = real;
    if (effective != UNCHANGED) *ids.effective = effective;
    // The saved id follows when the real one was set or the effective one left it.
    if (real != UNCHANGED || (effective != UNCHANGED && effective != old_real)) *ids.saved = *ids.effective;
    *ids.file_system = *ids.effective;
    return 0;
}

int32_t set_three_ids(IdFamily ids, uint32_t real, uint32_t effective, uint32_t saved) {
    if (!may_set_ids()) {
        for (uint32_t id : {real, effective, saved})
            if (id != UNCHANGED && !is_one_of(id, ids)) return -EPERM;
    }
    if (real != UNCHANGED) *ids.real = real;
    if (effective != UNCHANGED) *ids.effective = effective;
    if (saved != UNCHANGED) *ids.saved = saved;
    *ids.file_system = *ids.effective;
    return 0;
}

// Never fails: answers the old file-system id, and changes it only to an
// id the process has (or anything, for root).
int32_t set_file_system_id(IdFamily ids, uint32_t id) {
    uint32_t old = *ids.file_system;
    if (id != UNCHANGED && (may_set_ids() || is_one_of(id, ids) || id == old)) *ids.file_system = id;
    return int32_t(old);
}

IdFamily own_users() { return user_ids(self().credentials); }
IdFamily own_groups() { return group_ids(self().credentials); }

int32_t sys_setuid(const SyscallArguments& a) { return set_id(own_users(), a.arg[0]); }
int32_t sys_setgid(const SyscallArguments& a) { return set_id(own_groups(), a.arg[0]); }
int32_t sys_setreuid(const SyscallArguments& a) { return set_real_and_effective_ids(own_users(), a.arg[0], a.arg[1]); }
int32_t sys_setregid(const SyscallArguments& a) { return set_real_and_effective_ids(own_groups(), a.arg[0], a.arg[1]); }
int32_t sys_setresuid(const SyscallArguments& a) { return set_three_ids(own_users(), a.arg[0], a.arg[1], a.arg[2]); }
int32_t sys_setresgid(const SyscallArguments& a) { return set_three_ids(own_groups(), a.arg[0], a.arg[1], a.arg[2]); }
int32_t sys_setfsuid(const SyscallArguments& a) { return set_file_system_id(own_users(), a.arg[0]); }
int32_t sys_setfsgid(const SyscallArguments& a) { return set_file_system_id(own_groups(), a.arg[0]); }

int32_t sys_setuid16(const SyscallArguments& a) { return set_id(own_users(), widen_old_id(a.arg[0])); }
int32_t sys_setgid16(const SyscallArguments& a) { return set_id(own_groups(), widen_old_id(a.arg[0])); }
int32_t sys_setreuid16(const SyscallArguments& a) {
    return set_real_and_effective_ids(own_users(), widen_old_id(a.arg[0]), widen_old_id(a.arg[1]));
}
int32_t sys_setregid16(const SyscallArguments& a) {
    return set_real_and_effective_ids(own_groups(), widen_old_id(a.arg[0]), widen_old_id(a.arg[1]));
}
int32_t sys_setresuid16(const SyscallArguments& a) {
    return set_three_ids(own_users(), widen_old_id(a.arg[0]), widen_old_id(a.arg[1]), widen_old_id(a.arg[2]));
}
int32_t sys_setresgid16(const SyscallArguments& a) {
    return set_three_ids(own_groups(), widen_old_id(a.arg[0]), widen_old_id(a.arg[1]), widen_old_id(a.arg[2]));
}
int32_t sys_setfsuid16(const SyscallArguments& a) {
    return narrow_to_old_id(uint32_t(set_file_system_id(own_users(), widen_old_id(a.arg[0]))));
}
int32_t sys_setfsgid16(const SyscallArguments& a) {
    return narrow_to_old_id(uint32_t(set_file_system_id(own_groups(), widen_old_id(a.arg[0]))));
}

// setgroups(size, list): root only; copied in whole before anything changes.
int32_t set_groups(uint32_t size, uint32_t user_list, bool old_abi) {
    if (!may_set_ids()) return -EPERM;
    constexpr uint32_t NGROUPS_MAX = 65536;
    if (size > NGROUPS_MAX || size > Credentials::MAX_GROUPS) return -EINVAL;
    uint32_t groups[Credentials::MAX_GROUPS];
    for (uint32_t i = 0; i < size; ++i) {
        uint16_t narrow = 0;
        Result<void> copied = old_abi ? copy_from_user(&narrow, user_list + i * 2, 2)
                                      : copy_from_user(&groups[i], user_list + i * 4, 4);
        if (copied.is_error()) return -EFAULT;
        if (old_abi) groups[i] = widen_old_id(narrow);
        if (groups[i] == UNCHANGED) return -EINVAL;  // -1 names no group
    }
    for (uint32_t i = 1; i < size; ++i)  // insertion sort: a handful of groups
        for (uint32_t j = i; j > 0 && groups[j - 1] > groups[j]; --j) {
            uint32_t swapped = groups[j];
            groups[j] = groups[j - 1];
            groups[j - 1] = swapped;
        }
    Credentials& credentials = self().credentials;
    for (uint32_t i = 0; i < size; ++i) credentials.groups[i] = groups[i];
    credentials.group_count = size;
    return 0;
}
int32_t sys_setgroups(const SyscallArguments& a) { return set_groups(a.arg[0], a.arg[1], false); }
int32_t sys_setgroups16(const SyscallArguments& a) { return set_groups(a.arg[0], a.arg[1], true); }

// --- capabilities (Linux: kernel/capability.c) ---------------------------------------
constexpr uint32_t CAPABILITY_VERSION_1 = 0x19980330, CAPABILITY_VERSION_2 = 0x20071026,
                   CAPABILITY_VERSION_3 = 0x20080522;
constexpr uint32_t CAP_LAST_CAP = 40;  // CAP_CHECKPOINT_RESTORE, Linux 6.1's last

struct CapabilityHeader {
    uint32_t version;
    int32_t pid;
};
struct CapabilityData {
    uint32_t effective, permitted, inheritable;
};

// 1 for version 1 (32 capabilities), 2 for versions 2 and 3 (64); 0 for
// another version, which is told the one the kernel prefers (EINVAL).
Result<uint32_t> capability_words(uint32_t user_header, CapabilityHeader& header) {
    TRY(copy_from_user(&header, user_header, sizeof header));
    if (header.version == CAPABILITY_VERSION_1) return 1u;
    if (header.version == CAPABILITY_VERSION_2 || header.version == CAPABILITY_VERSION_3) return 2u;
    uint32_t preferred = CAPABILITY_VERSION_3;
    TRY(copy_to_user(user_header, &preferred, sizeof preferred));
    return Error(EINVAL);
}

// The sets of `process`, as the uid rules leave root's capabilities.
void capabilities_of(const Process& process, CapabilityData (&data)[2]) {
    const Credentials& c = process.credentials;
    bool permitted = c.real_uid == 0 || c.effective_uid == 0 || c.saved_uid == 0;
    bool effective = permitted && c.effective_uid == 0;
    uint32_t all[2] = {0xFFFFFFFF, (1u << (CAP_LAST_CAP - 31)) - 1};
    for (int i = 0; i < 2; ++i)
        data[i] = {effective ? all[i] : 0, permitted ? all[i] : 0, 0};
}

Result<Process*> capability_target(int32_t pid) {
    if (pid < 0) return Error(EINVAL);
    if (pid == 0 || pid == self().pid) return &self();
    Process* process = find_process(pid);
    if (process == nullptr || process->state != ProcessState::Running) return Error(ESRCH);
    return process;
}

int32_t sys_capget(const SyscallArguments& a) {
    CapabilityHeader header;
    auto words = capability_words(a.arg[0], header);
    // No data: only asking which version is understood (told in the header).
    if (a.arg[1] == 0) return words.is_error() && words.error() != EINVAL ? -words.error() : 0;
    if (words.is_error()) return -words.error();
    auto target = capability_target(header.pid);
    if (target.is_error()) return -target.error();
    CapabilityData data[2];
    capabilities_of(*target.value(), data);
    return copy_to_user(a.arg[1], data, words.value() * sizeof data[0]).is_error() ? -EFAULT : 0;
}

int32_t sys_capset(const SyscallArguments& a) {
    CapabilityHeader header;
    auto words = capability_words(a.arg[0], header);
    if (words.is_error()) return -words.error();
    if (header.pid != 0 && header.pid != self().pid) return -EPERM;  // only one's own, as Linux
    CapabilityData wanted[2] = {}, held[2];
    if (copy_from_user(wanted, a.arg[1], words.value() * sizeof wanted[0]).is_error()) return -EFAULT;
    capabilities_of(self(), held);
    for (uint32_t i = 0; i < words.value(); ++i) {
        if (wanted[i].effective & ~wanted[i].permitted) return -EPERM;  // effective must be permitted
        bool same = wanted[i].effective == held[i].effective && wanted[i].permitted == held[i].permitted &&
                    wanted[i].inheritable == held[i].inheritable;
        if (!same) return -EPERM;  // the kernel cannot hold other sets than root's or none
    }
    return 0;
}

}  // namespace

void register_identity_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {23, {"setuid", sys_setuid16}},           {24, {"getuid", sys_getuid16}},
        {46, {"setgid", sys_setgid16}},           {47, {"getgid", sys_getgid16}},
        {49, {"geteuid", sys_geteuid16}},         {50, {"getegid", sys_getegid16}},
        {70, {"setreuid", sys_setreuid16}},       {71, {"setregid", sys_setregid16}},
        {80, {"getgroups", sys_getgroups16}},     {81, {"setgroups", sys_setgroups16}},
        {138, {"setfsuid", sys_setfsuid16}},      {139, {"setfsgid", sys_setfsgid16}},
        {164, {"setresuid", sys_setresuid16}},    {165, {"getresuid", sys_getresuid16}},
        {170, {"setresgid", sys_setresgid16}},    {171, {"getresgid", sys_getresgid16}},
        {184, {"capget", sys_capget}},            {185, {"capset", sys_capset}},
        {199, {"getuid32", sys_getuid}},          {200, {"getgid32", sys_getgid}},
        {201, {"geteuid32", sys_geteuid}},        {202, {"getegid32", sys_getegid}},
        {203, {"setreuid32", sys_setreuid}},      {204, {"setregid32", sys_setregid}},
        {205, {"getgroups32", sys_getgroups}},    {206, {"setgroups32", sys_setgroups}},
        {208, {"setresuid32", sys_setresuid}},    {209, {"getresuid32", sys_getresuid}},
        {210, {"setresgid32", sys_setresgid}},    {211, {"getresgid32", sys_getresgid}},
        {213, {"setuid32", sys_setuid}},          {214, {"setgid32", sys_setgid}},
        {215, {"setfsuid32", sys_setfsuid}},      {216, {"setfsgid32", sys_setfsgid}},
    };
    add_system_calls(table, size, calls);
}
