// kernel/syscall/user_time.cpp -- see user_time.h.
#include "kernel/syscall/user_time.h"

#include "kernel/lib/errno.h"
#include "kernel/proc/user_memory.h"

Result<int64_t> read_timespec(uint32_t address, bool time64) {
    int64_t seconds, nanoseconds;
    if (time64) {
        int64_t t[2];
        TRY(copy_from_user(t, address, sizeof t));
        seconds = t[0], nanoseconds = int32_t(t[1]);  // i386 Linux drops the high half
    } else {
        int32_t t[2];
        TRY(copy_from_user(t, address, sizeof t));
        seconds = t[0], nanoseconds = t[1];
    }
    if (seconds < 0 || nanoseconds < 0 || nanoseconds >= NANOSECONDS_PER_SECOND) return Error(EINVAL);
    if (seconds > INT64_MAX / NANOSECONDS_PER_SECOND - 1) seconds = INT64_MAX / NANOSECONDS_PER_SECOND - 1;
    return seconds * NANOSECONDS_PER_SECOND + nanoseconds;
}

Result<void> write_timespec(uint32_t address, int64_t seconds, int64_t nanoseconds, bool time64) {
    if (time64) {
        int64_t t[2] = {seconds, nanoseconds};
        return copy_to_user(address, t, sizeof t);
    }
    int32_t t[2] = {int32_t(seconds), int32_t(nanoseconds)};
    return copy_to_user(address, t, sizeof t);
}
