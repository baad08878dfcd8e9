// kernel/syscall/syscall_memory_locks.cpp -- keeping memory in RAM and
// ordering it: mlock, munlock, mlockall, munlockall, mlock2, membarrier.
//
// Layer: system calls, over the process's AddressSpace. This kernel has no
// swap and never takes a page from a program while it is mapped, so every
// page is already locked; the lock calls check their arguments as Linux
// does (mm/mlock.c) and then have nothing to do. Without root (Linux:
// CAP_IPC_LOCK) a lock is bounded by RLIMIT_MEMLOCK: none allowed at all
// is EPERM, more than allowed ENOMEM. A range must be mapped throughout
// (ENOMEM for a hole); it is widened to whole pages.
//
// membarrier (kernel/sched/membarrier.c): with one CPU, every thread that
// runs sees this thread's memory in program order, and the entry into the
// kernel is a full barrier, so the global commands are done on arrival.
// QUERY answers the commands offered: GLOBAL, GLOBAL_EXPEDITED and its
// registration. The private-expedited commands (which Linux offers only
// after a registration per address space) are not: EINVAL, as from a
// Linux built without them.
#include "kernel/lib/errno.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

bool may_lock_without_limit() { return self().credentials.effective_uid == 0; }  // CAP_IPC_LOCK

// The pages of [address, address + length), widened to page boundaries,
// must all be mapped; `limit_checked` also applies RLIMIT_MEMLOCK.
int32_t check_range(uint32_t address, uint32_t length, bool limit_checked) {
    uint64_t start = address & ~uint32_t(memory_layout::PAGE_SIZE - 1);
    uint64_t end = (uint64_t(address) + length + memory_layout::PAGE_SIZE - 1) & ~uint64_t(memory_layout::PAGE_SIZE - 1);
    if (limit_checked && !may_lock_without_limit()) {
        uint64_t limit = self().limits.soft(resource_limits::MEMLOCK);
        if (limit < memory_layout::PAGE_SIZE) return -EPERM;
        if (end - start > limit) return -ENOMEM;
    }
    if (end == start) return 0;
    if (end > AddressSpace::USER_END) return -ENOMEM;
    for (uint64_t page = start; page < end; page += memory_layout::PAGE_SIZE)
        if (!self().address_space->is_mapped(uint32_t(page), false)) return -ENOMEM;
    return 0;
}

int32_t sys_mlock(const SyscallArguments& a) { return check_range(a.arg[0], a.arg[1], true); }
int32_t sys_munlock(const SyscallArguments& a) { return check_range(a.arg[0], a.arg[1], false); }

int32_t sys_mlock2(const SyscallArguments& a) {
    constexpr uint32_t MLOCK_ONFAULT = 1;
    if (a.arg[2] & ~MLOCK_ONFAULT) return -EINVAL;
    return check_range(a.arg[0], a.arg[1], true);
}

int32_t sys_mlockall(const SyscallArguments& a) {
    constexpr uint32_t MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;
    uint32_t flags = a.arg[0];
    if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT) return -EINVAL;
    if (may_lock_without_limit()) return 0;
    uint64_t limit = self().limits.soft(resource_limits::MEMLOCK);
    if (limit < memory_layout::PAGE_SIZE) return -EPERM;
    uint64_t mapped = uint64_t(self().address_space->virtual_pages()) * memory_layout::PAGE_SIZE;
    return (flags & MCL_CURRENT) && mapped > limit ? -ENOMEM : 0;
}

int32_t sys_munlockall(const SyscallArguments&) { return 0; }

int32_t sys_membarrier(const SyscallArguments& a) {
    constexpr uint32_t QUERY = 0, GLOBAL = 1, GLOBAL_EXPEDITED = 2, REGISTER_GLOBAL_EXPEDITED = 4;
    constexpr uint32_t PRIVATE_EXPEDITED_RSEQ = 128, FLAG_CPU = 1;
    uint32_t command = a.arg[0], flags = a.arg[1];
    if (command == PRIVATE_EXPEDITED_RSEQ ? (flags != 0 && flags != FLAG_CPU) : flags != 0) return -EINVAL;
    switch (command) {
    case QUERY: return int32_t(GLOBAL | GLOBAL_EXPEDITED | REGISTER_GLOBAL_EXPEDITED);
    case GLOBAL:
    case GLOBAL_EXPEDITED:
    case REGISTER_GLOBAL_EXPEDITED: return 0;
    default: return -EINVAL;
    }
}

}  // namespace

void register_memory_lock_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {150, {"mlock", sys_mlock}},         {151, {"munlock", sys_munlock}},
        {152, {"mlockall", sys_mlockall}},   {153, {"munlockall", sys_munlockall}},
        {375, {"membarrier", sys_membarrier}}, {376, {"mlock2", sys_mlock2}},
    };
    add_system_calls(table, size, calls);
}
