// kernel/proc/resource_limits.h -- a process's resource limits (getrlimit).
//
// Layer: processes. Each process has Linux's sixteen limits, a soft and a
// hard value each (struct rlimit64; RLIM64_INFINITY for none), inherited by
// fork and kept over execve. Defaults are Linux's: RLIMIT_STACK 8 MiB soft,
// RLIMIT_CORE 0, RLIMIT_NOFILE the descriptor table's size, RLIMIT_NPROC the
// boot-time value below, the rest unlimited. The ones that act:
//   STACK   how far the user stack may grow (program_loader, address_space)
//   NOFILE  the highest descriptor + 1 (file_descriptor_table; never above
//           its capacity: a larger hard limit is EPERM, like Linux's nr_open)
//   FSIZE   a write beyond it: SIGXFSZ and EFBIG (syscall_files)
//   NPROC   fork: EAGAIN when the user already owns that many processes
//   AS, DATA  brk and mmap beyond them: ENOMEM (syscall_memory)
// CORE is accepted and reported; there are no core dumps.
//
// Every program runs as root, and root may raise a hard limit (Linux's
// CAP_SYS_RESOURCE), so set() refuses only soft > hard and bad resources.
//
// The NPROC default is one value for the whole system, set at boot with
// `max_user_processes=N` on the kernel command line (default 64). Linux
// exempts root from NPROC; here the limit binds root too -- that is what
// keeps a fork bomb from taking the machine down. Processes the kernel
// starts itself (init=, the monitor's `run`) count, but are not refused.
//
// Memory may run out before the limit is reached. fork then fails with
// ENOMEM while FORK_RESERVE_PAGES pages are still free: after a fork, parent
// and children copy their copy-on-write pages as they write them, and that
// reserve lets the processes already running do so -- including the parent
// that just saw fork fail.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

namespace resource_limits {

constexpr uint32_t DEFAULT_MAX_USER_PROCESSES = 64;
constexpr uint32_t FORK_RESERVE_PAGES = 256;  // 1 MiB

constexpr uint64_t UNLIMITED = ~uint64_t(0);  // RLIM64_INFINITY
constexpr uint32_t CPU = 0, FSIZE = 1, DATA = 2, STACK = 3, CORE = 4, RSS = 5, NPROC = 6, NOFILE = 7,
                   MEMLOCK = 8, AS = 9, LOCKS = 10, SIGPENDING = 11, MSGQUEUE = 12, NICE = 13, RTPRIO = 14,
                   RTTIME = 15, COUNT = 16;
constexpr uint64_t DEFAULT_STACK = 8 * 1024 * 1024;

struct Limit {
    uint64_t soft = UNLIMITED;
    uint64_t hard = UNLIMITED;
};

// One process's limits; a fresh one holds the defaults.
class Limits {
public:
    Limits();
    // EINVAL for a resource out of range.
    Result<Limit> get(uint32_t resource) const;
    // EINVAL for a bad resource or soft > hard; EPERM for NOFILE above the
    // descriptor table's capacity.
    Result<void> set(uint32_t resource, Limit limit);
    uint64_t soft(uint32_t resource) const { return resource < COUNT ? limits_[resource].soft : UNLIMITED; }

private:
    Limit limits_[COUNT];
};

// Reads max_user_processes= from the kernel command line (a bad value is
// reported and the default kept).
void initialize();

uint32_t max_user_processes();

}  // namespace resource_limits
