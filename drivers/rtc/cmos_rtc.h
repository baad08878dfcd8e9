// drivers/rtc/cmos_rtc.h -- the PC's battery-backed real-time clock.
//
// Layer: device driver (clock), on the floor of the console and the timers.
// The MC146818-compatible RTC in the CMOS chipset keeps the date while the
// machine is off. kernel_main reads it once at boot to learn the calendar
// time; the PIT (drivers/timer/pit.h) counts from there (see
// kernel/time/wall_clock.h). Registers are read through the index port
// 0x70 and the data port 0x71, with NMIs masked (bit 7 of the index).
//
// Reading: wait until status register A says no update is in progress,
// read every field, and again until two readings agree (an update may
// start between the check and the reads). What the values mean -- BCD or
// binary, 12- or 24-hour, the century from the register the ACPI FADT
// names (its CENTURY field), else 20xx -- is rtc_decode.h's part. QEMU's
// RTC runs in UTC and starts at the host's time.
//
// Must stay true: a reading is never a mix of two seconds; an impossible
// date is an error (EIO), never a made-up time.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

namespace cmos_rtc {

// Seconds since 1970-01-01 00:00 UTC, read from the RTC. century_register
// is the CMOS index of the century (from the FADT), or 0 when the firmware
// names none. EIO when the clock reads as an impossible date.
Result<int64_t> read_unix_time(uint8_t century_register);

}  // namespace cmos_rtc
