// kernel/syscall/syscall_host_names.cpp -- the machine's names: uname and
// its old forms, sethostname, setdomainname.
//
// Layer: system calls. The system's name, release, version and machine
// are the kernel's constants (kernel/version.h); the node name (the host
// name, `uname -n`) and the NIS domain name are the two that root may
// change, for the whole machine (Linux: kernel/sys.c, one UTS namespace).
// They start as kernel_version::NODE_NAME and "(none)", as Linux's do.
// A name is at most 64 bytes, stored NUL-padded (longer is EINVAL; a
// caller other than root gets EPERM).
//
// The old uname calls of Linux i386: olduname (109) fills struct
// old_utsname (five fields of 65 bytes, no domain name), oldolduname (59)
// struct oldold_utsname (five of 9 bytes, each name cut to 8).
// uname replaces the one of syscall_process.cpp (registered after it:
// see install_system_calls).
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/version.h"

namespace {

constexpr uint32_t NAME_LENGTH = 64;  // __NEW_UTS_LEN
constexpr uint32_t FIELD_SIZE = NAME_LENGTH + 1;

// Written only by the calls below, read by uname: a name is copied in
// whole before it replaces the old one (one CPU, and these calls do not
// sleep in between).
struct MachineName {
    bool set = false;  // until then, the name it starts as
    char text[FIELD_SIZE] = {};
};
MachineName node_name, domain_name;

const char* current_node_name() { return node_name.set ? node_name.text : kernel_version::NODE_NAME; }
const char* current_domain_name() { return domain_name.set ? domain_name.text : "(none)"; }

// The six fields of struct new_utsname, in order.
void fill_fields(char (&fields)[6][FIELD_SIZE]) {
    klib::memset(fields, 0, sizeof fields);
    klib::strlcpy(fields[0], kernel_version::SYSTEM_NAME, FIELD_SIZE);
    klib::strlcpy(fields[1], current_node_name(), FIELD_SIZE);
    klib::strlcpy(fields[2], kernel_version::RELEASE, FIELD_SIZE);
    klib::strlcpy(fields[3], kernel_version::BUILD, FIELD_SIZE);
    klib::strlcpy(fields[4], kernel_version::MACHINE, FIELD_SIZE);
    klib::strlcpy(fields[5], current_domain_name(), FIELD_SIZE);
}

int32_t sys_uname(const SyscallArguments& a) {
    char fields[6][FIELD_SIZE];
    fill_fields(fields);
    return copy_to_user(a.arg[0], fields, sizeof fields).is_error() ? -EFAULT : 0;
}

int32_t sys_olduname(const SyscallArguments& a) {
    char fields[6][FIELD_SIZE];
    fill_fields(fields);
    return copy_to_user(a.arg[0], fields, 5 * FIELD_SIZE).is_error() ? -EFAULT : 0;
}

int32_t sys_oldolduname(const SyscallArguments& a) {
    constexpr uint32_t OLD_FIELD_SIZE = 9;  // __OLD_UTS_LEN + 1
    char fields[6][FIELD_SIZE];
    char old[5][OLD_FIELD_SIZE] = {};
    fill_fields(fields);
    for (int i = 0; i < 5; ++i) klib::memcpy(old[i], fields[i], OLD_FIELD_SIZE - 1);
    return copy_to_user(a.arg[0], old, sizeof old).is_error() ? -EFAULT : 0;
}

int32_t set_name(MachineName& name, uint32_t user_name, uint32_t length) {
    if (self().credentials.effective_uid != 0) return -EPERM;  // CAP_SYS_ADMIN
    if (length > NAME_LENGTH) return -EINVAL;                  // also a negative length
    char copy[FIELD_SIZE] = {};
    if (copy_from_user(copy, user_name, length).is_error()) return -EFAULT;
    klib::memcpy(name.text, copy, sizeof copy);
    name.set = true;
    return 0;
}
int32_t sys_sethostname(const SyscallArguments& a) { return set_name(node_name, a.arg[0], a.arg[1]); }
int32_t sys_setdomainname(const SyscallArguments& a) { return set_name(domain_name, a.arg[0], a.arg[1]); }

}  // namespace

void register_host_name_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {59, {"oldolduname", sys_oldolduname}}, {74, {"sethostname", sys_sethostname}},
        {109, {"olduname", sys_olduname}},      {121, {"setdomainname", sys_setdomainname}},
        {122, {"uname", sys_uname}},
    };
    add_system_calls(table, size, calls);
}
