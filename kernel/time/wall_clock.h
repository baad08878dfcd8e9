// kernel/time/wall_clock.h -- what time it is: the clocks of clock_gettime.
//
// Layer: time, above the clock drivers. Two clocks, as Linux has them:
//   monotonic  time since boot, from the PIT's millisecond ticks; never
//              goes backwards (CLOCK_MONOTONIC, CLOCK_BOOTTIME, ...)
//   realtime   the calendar: the RTC's reading at boot plus the monotonic
//              time since (CLOCK_REALTIME, time(), gettimeofday())
// Without a readable RTC the realtime clock starts at 1970 and says so in
// the log. The kernel never sets the RTC back.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

namespace wall_clock {

// Sets the calendar from the RTC's one reading at boot (seconds since
// 1970, or the error of an unreadable RTC), once the timer started the
// monotonic clock. kernel_main reads the RTC (drivers/rtc/cmos_rtc.h)
// and hands the value in: the clock driver sits above this layer.
void initialize(Result<int64_t> rtc_unix_seconds);

struct Time {
    int64_t seconds;
    uint32_t nanoseconds;
};
Time monotonic();
Time realtime();

}  // namespace wall_clock
