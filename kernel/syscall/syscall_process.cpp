// kernel/syscall/syscall_process.cpp -- the calls about the process itself.
//
// Layer: system calls. The identity calls, uname, resource limits, prctl,
// sysinfo, getrandom and reboot. (exit and the threads' calls:
// syscall_threads.cpp; memory: syscall_memory.cpp; clocks: syscall_time.cpp.)
#include "drivers/acpi/acpi.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/proc/process.h"
#include "kernel/proc/resource_limits.h"
#include "kernel/proc/user_memory.h"
#include "kernel/storage/storage.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/log.h"
#include "kernel/time/monotonic_clock.h"
#include "kernel/version.h"

namespace {

int32_t sys_getpid(const SyscallArguments&) { return self().pid; }
int32_t sys_getppid(const SyscallArguments&) { return self().parent ? self().parent->pid : 0; }
int32_t sys_getuid(const SyscallArguments&) { return int32_t(self().credentials.uid); }
int32_t sys_getgid(const SyscallArguments&) { return int32_t(self().credentials.gid); }

int32_t sys_umask(const SyscallArguments& a) {
    uint32_t old = self().umask;
    self().umask = a.arg[0] & 0777;
    return int32_t(old);
}


int32_t sys_uname(const SyscallArguments& a) {
    char fields[6][65] = {};
    klib::strlcpy(fields[0], kernel_version::SYSTEM_NAME, 65);
    klib::strlcpy(fields[1], kernel_version::NODE_NAME, 65);
    klib::strlcpy(fields[2], kernel_version::RELEASE, 65);
    klib::strlcpy(fields[3], kernel_version::BUILD, 65);
    klib::strlcpy(fields[4], kernel_version::MACHINE, 65);
    klib::strlcpy(fields[5], "(none)", 65);  // domainname
    auto copied = copy_to_user(a.arg[0], fields, sizeof fields);
    return copied.is_error() ? -copied.error() : 0;
}

// reboot(magic1, magic2, command, argument): power off only, as root.
int32_t sys_reboot(const SyscallArguments& a) {
    constexpr uint32_t MAGIC1 = 0xfee1dead, MAGIC2 = 672274793, POWER_OFF = 0x4321fedc;
    if (a.arg[0] != MAGIC1 || a.arg[1] != MAGIC2) return -EINVAL;
    if (!self().credentials.is_superuser()) return -EPERM;
    if (a.arg[2] != POWER_OFF) return -EINVAL;
    if (auto synced = storage::shut_down_file_systems(); synced.is_error()) {
        log_error("poweroff: writing the disks failed: %s", errno_message(synced.error()));
    }
    kprintf("Powering off.\n");
    acpi::power_off();
    return -EIO;  // still running: the firmware did not switch off
}

// getrandom(buffer, length, flags): not a cryptographic source -- an
// xorshift generator seeded from the time-stamp counter and the clock.
int32_t sys_getrandom(const SyscallArguments& a) {
    static uint64_t state = 0;
    if (state == 0) {
        uint32_t low, high;
        asm volatile("rdtsc" : "=a"(low), "=d"(high));
        state = (uint64_t(high) << 32 | low) ^ (monotonic_clock::ticks() * 0x9E3779B97F4A7C15ull) ^ 1;
    }
    uint32_t length = a.arg[1] < 256 ? a.arg[1] : 256;
    uint8_t bytes[256];
    for (uint32_t i = 0; i < length; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes[i] = uint8_t(state >> 24);
    }
    auto copied = copy_to_user(a.arg[0], bytes, length);
    return copied.is_error() ? -copied.error() : int32_t(length);
}

// Resource limits (resource_limits.h). Four calls, Linux's i386 layouts:
// getrlimit (old: values above 0x7FFFFFFF read as 0x7FFFFFFF),
// ugetrlimit and setrlimit (struct rlimit of two unsigned longs, ~0 for
// RLIM_INFINITY) and prlimit64 (struct rlimit64, any process: all run as root).
constexpr uint32_t RLIMIT32_INFINITY = 0xFFFFFFFF, OLD_RLIMIT_INFINITY = 0x7FFFFFFF;

Result<void> set_limit(Process& process, uint32_t resource, resource_limits::Limit limit) {
    TRY(process.limits.set(resource, limit));
    if (resource == resource_limits::NOFILE && process.files) process.files->set_limit(limit.soft);
    return {};
}

int32_t copy_limit_out(uint32_t user_address, uint32_t resource, uint64_t most) {
    auto limit = self().limits.get(resource);
    if (limit.is_error()) return -limit.error();
    uint32_t values[2] = {uint32_t(limit.value().soft > most ? most : limit.value().soft),
                          uint32_t(limit.value().hard > most ? most : limit.value().hard)};
    auto copied = copy_to_user(user_address, values, sizeof values);
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_getrlimit(const SyscallArguments& a) { return copy_limit_out(a.arg[1], a.arg[0], OLD_RLIMIT_INFINITY); }
int32_t sys_ugetrlimit(const SyscallArguments& a) { return copy_limit_out(a.arg[1], a.arg[0], RLIMIT32_INFINITY); }

int32_t sys_setrlimit(const SyscallArguments& a) {
    uint32_t values[2];
    if (copy_from_user(values, a.arg[1], sizeof values).is_error()) return -EFAULT;
    auto widen = [](uint32_t value) { return value == RLIMIT32_INFINITY ? resource_limits::UNLIMITED : value; };
    auto set = set_limit(self(), a.arg[0], {widen(values[0]), widen(values[1])});
    return set.is_error() ? -set.error() : 0;
}

// prlimit64(pid, resource, new or NULL, old or NULL): the old limit is the
// one before the change. ESRCH when there is no such process.
int32_t sys_prlimit64(const SyscallArguments& a) {
    uint32_t resource = a.arg[1];
    if (resource >= resource_limits::COUNT) return -EINVAL;
    resource_limits::Limit wanted;
    if (a.arg[2] && copy_from_user(&wanted, a.arg[2], sizeof wanted).is_error()) return -EFAULT;
    int pid = int32_t(a.arg[0]);
    Process* target = pid == 0 ? &self() : find_process(pid);
    if (!target || pid < 0 || target->state != ProcessState::Running) return -ESRCH;
    resource_limits::Limit old = target->limits.get(resource).value();
    if (a.arg[2]) {
        auto set = set_limit(*target, resource, wanted);
        if (set.is_error()) return -set.error();
    }
    if (a.arg[3] && copy_to_user(a.arg[3], &old, sizeof old).is_error()) return -EFAULT;
    return 0;
}

// getresuid32/getresgid32(real, effective, saved): one identity for all three.
int32_t copy_three_ids(const SyscallArguments& a, uint32_t id) {
    for (int i = 0; i < 3; ++i) {
        if (copy_to_user(a.arg[i], &id, sizeof id).is_error()) return -EFAULT;
    }
    return 0;
}
int32_t sys_getresuid(const SyscallArguments& a) { return copy_three_ids(a, self().credentials.uid); }
int32_t sys_getresgid(const SyscallArguments& a) { return copy_three_ids(a, self().credentials.gid); }

// getgroups32(size, list): the supplementary groups; size 0 asks how many.
int32_t sys_getgroups(const SyscallArguments& a) {
    const Credentials& credentials = self().credentials;
    uint32_t count = credentials.group_count;
    if (a.arg[0] == 0) return int32_t(count);
    if (a.arg[0] < count) return -EINVAL;
    auto copied = copy_to_user(a.arg[1], credentials.groups, count * sizeof(uint32_t));
    return copied.is_error() ? -copied.error() : int32_t(count);
}

// prctl(option, ...): the process's name (PR_SET_NAME, PR_GET_NAME: 16
// bytes with the NUL, as in Linux); other options are not supported.
int32_t sys_prctl(const SyscallArguments& a) {
    constexpr uint32_t PR_SET_NAME = 15, PR_GET_NAME = 16, TASK_COMM_LEN = 16;
    Process& process = self();
    if (a.arg[0] == PR_SET_NAME) {
        char name[TASK_COMM_LEN];
        auto copied = copy_string_from_user(name, a.arg[1], sizeof name);
        if (copied.is_error() && copied.error() != ENAMETOOLONG) return -copied.error();
        name[TASK_COMM_LEN - 1] = '\0';  // longer names are cut, not refused
        klib::strlcpy(process.name, name, sizeof process.name);
        return 0;
    }
    if (a.arg[0] == PR_GET_NAME) {
        char name[TASK_COMM_LEN] = {};
        klib::strlcpy(name, process.name, sizeof name);
        auto copied = copy_to_user(a.arg[1], name, sizeof name);
        return copied.is_error() ? -copied.error() : 0;
    }
    return -EINVAL;
}

// sysinfo(struct sysinfo*): uptime, memory in bytes (mem_unit 1), the
// number of processes. No load averages are kept (zeros), and no swap.
struct SystemInformation {
    int32_t uptime;
    uint32_t loads[3];
    uint32_t total_ram, free_ram, shared_ram, buffer_ram, total_swap, free_swap;
    uint16_t processes, padding;
    uint32_t total_high, free_high, memory_unit;
    char reserved[8];
};
static_assert(sizeof(SystemInformation) == 64, "struct sysinfo is 64 bytes on i386");

void count_one(Process&, void* count) { ++*static_cast<uint32_t*>(count); }

int32_t sys_sysinfo(const SyscallArguments& a) {
    SystemInformation info = {};
    auto pages = physical_allocator::statistics();
    info.uptime = int32_t(monotonic_clock::uptime_ms() / 1000);
    info.total_ram = uint32_t(pages.total_pages * memory_layout::PAGE_SIZE);
    info.free_ram = uint32_t(pages.free_pages * memory_layout::PAGE_SIZE);
    uint32_t processes = 0;
    for_each_process(count_one, &processes);
    info.processes = uint16_t(processes);
    info.memory_unit = 1;
    auto copied = copy_to_user(a.arg[0], &info, sizeof info);
    return copied.is_error() ? -copied.error() : 0;
}


}  // namespace

void register_process_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {20, {"getpid", sys_getpid}},        {60, {"umask", sys_umask}},
        {64, {"getppid", sys_getppid}},    {88, {"reboot", sys_reboot}},        {116, {"sysinfo", sys_sysinfo}},
        {122, {"uname", sys_uname}},       {172, {"prctl", sys_prctl}},         {191, {"ugetrlimit", sys_ugetrlimit}},
        {75, {"setrlimit", sys_setrlimit}}, {76, {"getrlimit", sys_getrlimit}}, {340, {"prlimit64", sys_prlimit64}},
        {199, {"getuid32", sys_getuid}},   {200, {"getgid32", sys_getgid}},     {201, {"geteuid32", sys_getuid}},
        {202, {"getegid32", sys_getgid}},  {205, {"getgroups32", sys_getgroups}},
        {209, {"getresuid32", sys_getresuid}}, {211, {"getresgid32", sys_getresgid}},
        {355, {"getrandom", sys_getrandom}},
    };
    add_system_calls(table, size, calls);
}
