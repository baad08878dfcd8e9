// kernel/proc/resource_limits.h -- how many processes one user may have.
//
// Layer: processes. Linux's RLIMIT_NPROC: fork, vfork and clone fail with
// EAGAIN when the calling user already owns max_user_processes() processes
// (a zombie counts until it is reaped). Linux exempts root (a process with
// CAP_SYS_RESOURCE or CAP_SYS_ADMIN); here every program runs as root, so
// the limit binds root too -- that is what keeps a fork bomb from taking
// the machine down. Processes the kernel starts itself (init=, the
// monitor's `run`) count, but are not refused.
//
// Memory may run out before the limit is reached. fork then fails with
// ENOMEM while FORK_RESERVE_PAGES pages are still free: after a fork, parent
// and children copy their copy-on-write pages as they write them, and that
// reserve lets the processes already running do so -- including the parent
// that just saw fork fail.
//
// The limit is one value for the whole system, set at boot with
// `max_user_processes=N` on the kernel command line (default 64), and is
// what ugetrlimit(RLIMIT_NPROC) reports; there is no setrlimit yet.
#pragma once

#include <cstdint>

namespace resource_limits {

constexpr uint32_t DEFAULT_MAX_USER_PROCESSES = 64;
constexpr uint32_t FORK_RESERVE_PAGES = 256;  // 1 MiB

// Reads max_user_processes= from the kernel command line (a bad value is
// reported and the default kept).
void initialize();

uint32_t max_user_processes();

}  // namespace resource_limits
