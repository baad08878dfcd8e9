// drivers/timer/cmos_rtc.h -- the PC's battery-backed real-time clock.
//
// Layer: device driver (clock). The MC146818-compatible RTC in the CMOS
// chipset keeps the date while the machine is off. It is read once at boot
// to learn the wall-clock time; the PIT (pit.h) counts from there (see
// kernel/time/wall_clock.h). Registers are read through the index port 0x70
// and the data port 0x71; the clock may store BCD or binary and 12- or
// 24-hour time, as its status register B says. QEMU's RTC runs in UTC.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

namespace cmos_rtc {

// Seconds since 1970-01-01 00:00 UTC, read from the RTC (waiting out an
// update in progress). EIO when the clock reads as an impossible date.
Result<int64_t> read_unix_time();

// Days since 1970-01-01 of a Gregorian date (exposed for tests).
int64_t days_since_epoch(int year, int month, int day);

}  // namespace cmos_rtc
