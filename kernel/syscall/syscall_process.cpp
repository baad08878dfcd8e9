// kernel/syscall/syscall_process.cpp -- process, memory and time calls.
//
// Layer: system calls. exit, the identity calls, the program break (brk)
// and anonymous mmap2, thread-local storage for static glibc
// (set_thread_area, set_tid_address), uname, and time. There is no
// real-time clock yet: CLOCK_REALTIME and gettimeofday count from boot.
#include "drivers/acpi/acpi.h"
#include "drivers/timer/pit.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"
#include "kernel/storage_init.h"
#include "kernel/syscall/syscall.h"
#include "kernel/log.h"
#include "kernel/version.h"

namespace {

Process& self() { return *current_process(); }

int32_t sys_exit(const SyscallArguments& a) { exit_current_process(exit_status(int(a.arg[0]))); }
int32_t sys_getpid(const SyscallArguments&) { return self().pid; }
int32_t sys_getppid(const SyscallArguments&) { return self().parent ? self().parent->pid : 0; }
int32_t sys_getuid(const SyscallArguments&) { return int32_t(self().credentials.uid); }
int32_t sys_getgid(const SyscallArguments&) { return int32_t(self().credentials.gid); }

int32_t sys_umask(const SyscallArguments& a) {
    uint32_t old = self().umask;
    self().umask = a.arg[0] & 0777;
    return int32_t(old);
}

// brk(address): moves the program break; returns the (new or unchanged) break.
int32_t sys_brk(const SyscallArguments& a) {
    Process& process = self();
    uint32_t requested = a.arg[0];
    if (requested < process.break_start || requested >= 0x40000000) return int32_t(process.break_end);
    uint32_t old_top = memory_layout::page_round_up(process.break_end);
    uint32_t new_top = memory_layout::page_round_up(requested);
    if (new_top > old_top) {
        if (process.address_space->map_anonymous(old_top, new_top - old_top, true).is_error()) {
            return int32_t(process.break_end);
        }
    } else if (new_top < old_top) {
        process.address_space->unmap(new_top, old_top - new_top);
    }
    process.break_end = requested;
    return int32_t(requested);
}

constexpr uint32_t MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, PROT_WRITE = 0x2;

// mmap2(address, length, protection, flags, fd, page offset): anonymous
// private mappings only, for now.
int32_t sys_mmap2(const SyscallArguments& a) {
    uint32_t length = a.arg[1], protection = a.arg[2], flags = a.arg[3];
    if (length == 0 || !(flags & MAP_PRIVATE)) return -EINVAL;
    if (!(flags & MAP_ANONYMOUS)) return -ENODEV;
    Process& process = self();
    uint32_t size = memory_layout::page_round_up(length);
    uint32_t address = (flags & MAP_FIXED) ? a.arg[0] : process.next_mapping;
    if (address % memory_layout::PAGE_SIZE || uint64_t(address) + size > 0xB0000000) return -ENOMEM;
    if (flags & MAP_FIXED) process.address_space->unmap(address, size);
    if (auto mapped = process.address_space->map_anonymous(address, size, protection & PROT_WRITE); mapped.is_error()) {
        return -mapped.error();
    }
    if (!(flags & MAP_FIXED)) process.next_mapping = address + size + memory_layout::PAGE_SIZE;
    return int32_t(address);
}

int32_t sys_munmap(const SyscallArguments& a) {
    if (a.arg[0] % memory_layout::PAGE_SIZE || a.arg[0] >= AddressSpace::USER_END) return -EINVAL;
    self().address_space->unmap(a.arg[0], a.arg[1]);
    return 0;
}

// struct user_desc of set_thread_area(2).
struct [[gnu::packed]] UserDescriptor {
    uint32_t entry_number, base_address, limit;
    uint32_t flags;  // seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1 useable:1
};

int32_t sys_set_thread_area(const SyscallArguments& a) {
    UserDescriptor descriptor;
    if (auto copied = copy_from_user(&descriptor, a.arg[0], sizeof descriptor); copied.is_error()) return -EFAULT;
    constexpr uint32_t our_entry = gdt::USER_TLS >> 3;
    if (descriptor.entry_number != uint32_t(-1) && descriptor.entry_number != our_entry) return -EINVAL;
    bool limit_in_pages = descriptor.flags & (1 << 4), not_present = descriptor.flags & (1 << 5);
    Thread& thread = scheduler::current();
    thread.tls_base = descriptor.base_address;
    thread.tls_limit_pages = limit_in_pages ? descriptor.limit : descriptor.limit >> 12;
    thread.tls_present = !not_present;
    gdt::set_user_tls(thread.tls_base, thread.tls_limit_pages, thread.tls_present);
    descriptor.entry_number = our_entry;
    if (auto copied = copy_to_user(a.arg[0], &descriptor, sizeof descriptor); copied.is_error()) return -EFAULT;
    return 0;
}

int32_t sys_set_tid_address(const SyscallArguments&) { return self().pid; }

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

struct Timespec32 {
    int32_t seconds, nanoseconds;
};

int32_t sys_nanosleep(const SyscallArguments& a) {
    Timespec32 request;
    if (copy_from_user(&request, a.arg[0], sizeof request).is_error()) return -EFAULT;
    if (request.seconds < 0 || request.nanoseconds < 0 || request.nanoseconds >= 1000000000) return -EINVAL;
    uint64_t ms = uint64_t(request.seconds) * 1000 + (uint32_t(request.nanoseconds) + 999999) / 1000000;
    uint64_t deadline = pit::uptime_ms() + ms;
    scheduler::sleep_ms(ms);
    // Woken early by a signal: report the time left, as Linux does.
    uint64_t now = pit::uptime_ms();
    if (now < deadline && self().pending_signals) {
        uint64_t left = deadline - now;
        Timespec32 remaining{int32_t(left / 1000), int32_t(left % 1000) * 1000000};
        if (a.arg[1]) (void)copy_to_user(a.arg[1], &remaining, sizeof remaining);
        return -EINTR;
    }
    return 0;
}

int32_t sys_clock_gettime(const SyscallArguments& a) {
    uint64_t ms = pit::uptime_ms();
    Timespec32 now{int32_t(ms / 1000), int32_t(ms % 1000) * 1000000};
    auto copied = copy_to_user(a.arg[1], &now, sizeof now);
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_gettimeofday(const SyscallArguments& a) {
    if (!a.arg[0]) return 0;
    uint64_t ms = pit::uptime_ms();
    int32_t now[2] = {int32_t(ms / 1000), int32_t(ms % 1000) * 1000};
    auto copied = copy_to_user(a.arg[0], now, sizeof now);
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_time(const SyscallArguments& a) {
    int32_t seconds = int32_t(pit::uptime_ms() / 1000);
    if (a.arg[0] && copy_to_user(a.arg[0], &seconds, sizeof seconds).is_error()) return -EFAULT;
    return seconds;
}

// reboot(magic1, magic2, command, argument): power off only, as root.
int32_t sys_reboot(const SyscallArguments& a) {
    constexpr uint32_t MAGIC1 = 0xfee1dead, MAGIC2 = 672274793, POWER_OFF = 0x4321fedc;
    if (a.arg[0] != MAGIC1 || a.arg[1] != MAGIC2) return -EINVAL;
    if (!self().credentials.is_superuser()) return -EPERM;
    if (a.arg[2] != POWER_OFF) return -EINVAL;
    if (auto synced = storage::mount_namespace().sync_all(); synced.is_error()) {
        log_error("poweroff: sync failed: %s", errno_message(synced.error()));
    }
    kprintf("Powering off.\n");
    acpi::power_off();
    return -EIO;  // still running: the firmware did not switch off
}

// mprotect(address, length, protection): read-only or writable pages.
int32_t sys_mprotect(const SyscallArguments& a) {
    uint32_t address = a.arg[0], length = a.arg[1];
    if (address % memory_layout::PAGE_SIZE || uint64_t(address) + length > AddressSpace::USER_END) return -EINVAL;
    for (uint64_t page = address; page < uint64_t(address) + length; page += memory_layout::PAGE_SIZE) {
        if (!self().address_space->is_mapped(uint32_t(page), false)) return -ENOMEM;
    }
    self().address_space->protect(address, length, a.arg[2] & PROT_WRITE);
    return 0;
}

// getrandom(buffer, length, flags): not a cryptographic source -- an
// xorshift generator seeded from the time-stamp counter and the clock.
int32_t sys_getrandom(const SyscallArguments& a) {
    static uint64_t state = 0;
    if (state == 0) {
        uint32_t low, high;
        asm volatile("rdtsc" : "=a"(low), "=d"(high));
        state = (uint64_t(high) << 32 | low) ^ (pit::ticks() * 0x9E3779B97F4A7C15ull) ^ 1;
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

// ugetrlimit(resource, struct rlimit*): no limits are enforced yet, so
// every resource reports "unlimited" -- except the stack, which is fixed.
int32_t sys_ugetrlimit(const SyscallArguments& a) {
    constexpr uint32_t RLIMIT_STACK = 3, RLIMIT_NLIMITS = 16, UNLIMITED = 0xFFFFFFFF;
    if (a.arg[0] >= RLIMIT_NLIMITS) return -EINVAL;
    uint32_t limit[2] = {UNLIMITED, UNLIMITED};
    if (a.arg[0] == RLIMIT_STACK) limit[0] = limit[1] = 256 * 1024;
    auto copied = copy_to_user(a.arg[1], limit, sizeof limit);
    return copied.is_error() ? -copied.error() : 0;
}

// set_robust_list: glibc registers its futex list; with one thread per
// process nothing ever needs it, so it is accepted and not used.
int32_t sys_set_robust_list(const SyscallArguments& a) { return a.arg[1] == 12 ? 0 : -EINVAL; }

}  // namespace

void register_process_system_calls(SyscallEntry* table, uint32_t size) {
    const struct {
        uint32_t number;
        SyscallEntry entry;
    } calls[] = {
        {1, {"exit", sys_exit}},           {13, {"time", sys_time}},            {20, {"getpid", sys_getpid}},
        {45, {"brk", sys_brk}},            {60, {"umask", sys_umask}},          {64, {"getppid", sys_getppid}},
        {78, {"gettimeofday", sys_gettimeofday}}, {88, {"reboot", sys_reboot}},  {91, {"munmap", sys_munmap}},
        {122, {"uname", sys_uname}},
        {162, {"nanosleep", sys_nanosleep}}, {192, {"mmap2", sys_mmap2}},       {199, {"getuid32", sys_getuid}},
        {200, {"getgid32", sys_getgid}},   {201, {"geteuid32", sys_getuid}},    {202, {"getegid32", sys_getgid}},
        {224, {"gettid", sys_getpid}},     {243, {"set_thread_area", sys_set_thread_area}},
        {252, {"exit_group", sys_exit}},   {258, {"set_tid_address", sys_set_tid_address}},
        {265, {"clock_gettime", sys_clock_gettime}}, {125, {"mprotect", sys_mprotect}},
        {191, {"ugetrlimit", sys_ugetrlimit}}, {311, {"set_robust_list", sys_set_robust_list}},
        {355, {"getrandom", sys_getrandom}},
    };
    for (const auto& call : calls) {
        if (call.number < size) table[call.number] = call.entry;
    }
}
