// drivers/rtc/rtc_decode.h -- what the CMOS clock's registers mean.
//
// Layer: device driver (clock), the part of drivers/rtc that touches no
// hardware (so the host tests build it too). cmos_rtc.cpp reads the
// registers; decode() turns them into seconds since 1970 (UTC):
//   status register B bit 2 (binary) clear: every field is BCD (0x59 = 59);
//   bit 1 (24-hour) clear: hours are 1-12, bit 7 of the hour register PM;
//   the year register is the year in its century; the century comes from
//   the register the ACPI FADT names (has_century), else 20xx.
// Must stay true: an impossible reading (a BCD digit above 9, month 13,
// 30 February, hour 24, a 12-hour clock at 0 o'clock) is EIO, never a time.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

namespace cmos_rtc {

struct RegisterValues {
    uint8_t seconds, minutes, hours, day, month, year;
    uint8_t century;      // read only when has_century
    bool has_century;
    uint8_t status_b;
};

constexpr uint8_t STATUS_B_24_HOUR = 0x02, STATUS_B_BINARY = 0x04;
constexpr uint8_t HOUR_PM = 0x80;

Result<int64_t> decode(const RegisterValues& registers);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
int64_t days_since_epoch(int year, int month, int day);

}  // namespace cmos_rtc
