// kernel/time/monotonic_clock.h -- the kernel's tick clock, as the base sees it.
//
// Layer: time, in the base (below the scheduler). The scheduler's sleeps
// and time slices, the log's timestamps and the storage stack's
// platform::now_ms() all read this clock; none of them knows which timer
// drives it. A timer driver (drivers/timer/pit.cpp) programs its hardware
// to TICKS_PER_SECOND and registers its tick counter with set_source().
//
// Must stay true: the source never goes backwards; before a source is set
// the clock reads 0 (early boot, before the timer is initialised).
#pragma once

#include <cstdint>

namespace monotonic_clock {

constexpr uint32_t TICKS_PER_SECOND = 1000;

// The timer driver's counter of ticks since it started; callable with
// interrupts on or off.
void set_source(uint64_t (*read_ticks)());

uint64_t ticks();
// Milliseconds since the timer started; never goes backwards.
inline uint64_t uptime_ms() { return ticks() * 1000 / TICKS_PER_SECOND; }

}  // namespace monotonic_clock
