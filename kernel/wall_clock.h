// kernel/wall_clock.h -- what time it is: the clocks of clock_gettime.
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

namespace wall_clock {

// Reads the RTC once; after the timer (pit::initialize) started the monotonic clock.
void initialize();

struct Time {
    int64_t seconds;
    uint32_t nanoseconds;
};
Time monotonic();
Time realtime();

}  // namespace wall_clock
