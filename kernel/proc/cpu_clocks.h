// kernel/proc/cpu_clocks.h -- the clocks that count CPU time.
//
// Layer: processes. Besides the calendar and the monotonic clock
// (kernel/time/wall_clock.h), clock_gettime reads CPU-time clocks: how
// long a process's threads, or one thread, have run -- ticks sampled as
// times() samples them (process.h's CpuTime), so a clock advances in whole
// milliseconds. Their ids are Linux's: CLOCK_PROCESS_CPUTIME_ID (2) and
// CLOCK_THREAD_CPUTIME_ID (3) for the caller, and for another process or
// thread the negative ids that clock_getcpuclockid() and
// pthread_getcpuclockid() make: (~id << 3) | 2, with 4 added for a thread
// (CPUCLOCK_SCHED, CPUCLOCK_PERTHREAD_MASK). POSIX timers on these clocks:
// posix_timers.h.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

struct UserThread;

constexpr uint32_t CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;

bool is_cpu_clock(uint32_t clock_id);

// What a CPU-time clock counts: the whole process, or one thread.
struct CpuClock {
    int pid;     // the process (thread group)
    int tid;     // 0: the whole process
};
// Which process or thread `clock_id` names; EINVAL for an id that is not a
// CPU clock or a kind this kernel does not keep (the PROF and VIRT kinds),
// ESRCH when the process or thread does not exist.
Result<CpuClock> cpu_clock_of(uint32_t clock_id);

// The milliseconds of CPU time on `clock` so far; ESRCH once it is gone.
Result<uint64_t> cpu_clock_ms(const CpuClock& clock);

// One thread's CPU time, in ticks (RUSAGE_THREAD).
uint64_t thread_cpu_ticks(const UserThread& thread, uint64_t* user_ticks = nullptr);
