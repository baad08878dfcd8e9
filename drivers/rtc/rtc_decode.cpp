// drivers/rtc/rtc_decode.cpp -- the CMOS clock's register values as a time; see rtc_decode.h.
#include "drivers/rtc/rtc_decode.h"

#include "kernel/lib/errno.h"

namespace {

// A BCD byte's value, or -1 when a digit is above 9.
int from_bcd(uint8_t value) {
    if ((value >> 4) > 9 || (value & 0x0F) > 9) return -1;
    return (value >> 4) * 10 + (value & 0x0F);
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : DAYS[month - 1];
}

}  // namespace

namespace cmos_rtc {

int64_t days_since_epoch(int year, int month, int day) {
    // Count from March so that February's leap day ends the year.
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int year_of_era = y - era * 400;
    int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return int64_t(era) * 146097 + day_of_era - 719468;
}

Result<int64_t> decode(const RegisterValues& r) {
    bool binary = r.status_b & STATUS_B_BINARY;
    bool pm = !(r.status_b & STATUS_B_24_HOUR) && (r.hours & HOUR_PM);
    uint8_t raw_hours = (r.status_b & STATUS_B_24_HOUR) ? r.hours : uint8_t(r.hours & ~HOUR_PM);
    auto value = [binary](uint8_t raw) { return binary ? int(raw) : from_bcd(raw); };
    int seconds = value(r.seconds), minutes = value(r.minutes), hours = value(raw_hours);
    int day = value(r.day), month = value(r.month), year_in_century = value(r.year);
    int century = r.has_century ? value(r.century) : 20;
    if (seconds < 0 || minutes < 0 || hours < 0 || day < 0 || month < 0 || year_in_century < 0) return Error(EIO);
    // A century register that reads as nonsense is passed over: 20xx.
    if (century < 19 || century > 99) century = 20;
    if (!(r.status_b & STATUS_B_24_HOUR)) {
        if (hours < 1 || hours > 12) return Error(EIO);
        hours = hours % 12 + (pm ? 12 : 0);
    }
    int year = century * 100 + year_in_century;
    if (year_in_century > 99 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
        hours > 23 || minutes > 59 || seconds > 59) {
        return Error(EIO);
    }
    return days_since_epoch(year, month, day) * 86400 + hours * 3600 + minutes * 60 + seconds;
}

}  // namespace cmos_rtc
