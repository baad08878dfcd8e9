// kernel/syscall/user_time.h -- struct timespec across the user boundary.
//
// Layer: system calls. Linux i386 has two layouts: the old one of 32-bit
// seconds and nanoseconds (clock_gettime, nanosleep, futex, ppoll...) and
// the time64 one of two 64-bit fields (clock_gettime64, futex_time64,
// ppoll_time64...), whose upper half of the nanoseconds Linux ignores on
// i386. Every call that takes or gives a timespec goes through here.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

constexpr int64_t NANOSECONDS_PER_SECOND = 1000000000;

// A timespec from user space as nanoseconds; EFAULT, or EINVAL for a
// negative time or nanoseconds outside 0..999,999,999. Times too large to
// count in int64 nanoseconds are cut to the largest (as good as forever).
Result<int64_t> read_timespec(uint32_t address, bool time64);
// Writes `seconds` and `nanoseconds` in the layout; EFAULT.
Result<void> write_timespec(uint32_t address, int64_t seconds, int64_t nanoseconds, bool time64);
// The same for a count of nanoseconds.
inline Result<void> write_timespec_ns(uint32_t address, int64_t nanoseconds, bool time64) {
    return write_timespec(address, nanoseconds / NANOSECONDS_PER_SECOND, nanoseconds % NANOSECONDS_PER_SECOND,
                          time64);
}
