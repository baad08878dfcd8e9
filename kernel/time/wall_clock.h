// kernel/time/wall_clock.h -- what time it is: the clocks of clock_gettime.
//
// Layer: time, above the clock drivers. Two clocks, as Linux has them:
//   monotonic  time since boot, from the PIT's millisecond ticks; never
//              goes backwards (CLOCK_MONOTONIC, CLOCK_BOOTTIME, ...)
//   realtime   the calendar: the RTC's reading at boot plus the monotonic
//              time since (CLOCK_REALTIME, time(), gettimeofday())
// Without a readable RTC the realtime clock starts at 1970 and says so in
// the log. settimeofday/clock_settime move the realtime clock (never the
// monotonic one); the kernel never writes the time back into the RTC.
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
// Sets the calendar to `now` (seconds since 1970, 0 <= nanoseconds < 1e9);
// realtime() goes on from there. The caller checks the right to do so.
void set_realtime(Time now);

}  // namespace wall_clock
