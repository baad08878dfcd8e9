// drivers/rtc/cmos_rtc.cpp -- reads the CMOS real-time clock; see cmos_rtc.h.
#include "drivers/rtc/cmos_rtc.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"

namespace {

constexpr uint16_t INDEX_PORT = 0x70, DATA_PORT = 0x71;
constexpr uint8_t NMI_DISABLE = 0x80;  // bit 7 of the index: keep NMIs off while we talk
enum Register : uint8_t {
    SECONDS = 0x00, MINUTES = 0x02, HOURS = 0x04, DAY = 0x07, MONTH = 0x08, YEAR = 0x09,
    STATUS_A = 0x0A, STATUS_B = 0x0B,
};
// The CMOS holds 128 bytes (index 0x00-0x7F); a FADT century index beyond
// that is firmware nonsense and is ignored.
constexpr uint8_t LAST_REGISTER = 0x7F;
constexpr uint8_t STATUS_A_UPDATE_IN_PROGRESS = 0x80;
constexpr uint8_t STATUS_B_24_HOUR = 0x02, STATUS_B_BINARY = 0x04;
constexpr uint8_t HOUR_PM = 0x80;

uint8_t read_register(uint8_t index) {
    cpu::outb(INDEX_PORT, NMI_DISABLE | index);
    return cpu::inb(DATA_PORT);
}

struct Reading {
    uint8_t seconds, minutes, hours, day, month, year, century;
    bool operator==(const Reading&) const = default;
};

Reading read_all(uint8_t century_register) {
    return {read_register(SECONDS), read_register(MINUTES), read_register(HOURS), read_register(DAY),
            read_register(MONTH),   read_register(YEAR),
            uint8_t(century_register ? read_register(century_register) : 0)};
}

// Once a second the clock updates its registers for about 2 ms; a reading
// during the update can mix old and new fields. Read until two agree.
Reading stable_reading(uint8_t century_register) {
    Reading previous{}, current{};
    for (int attempt = 0; attempt < 1000; ++attempt) {
        // An update lasts about 2 ms; a port read takes about a microsecond.
        // A clock stuck "in update" is given up on, not waited for forever.
        for (int spins = 0; spins < 100000 && (read_register(STATUS_A) & STATUS_A_UPDATE_IN_PROGRESS); ++spins) {
        }
        current = read_all(century_register);
        if (attempt > 0 && current == previous) break;
        previous = current;
    }
    return current;
}

uint8_t from_bcd(uint8_t value) { return uint8_t((value >> 4) * 10 + (value & 0x0F)); }

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

Result<int64_t> read_unix_time(uint8_t century_register) {
    if (century_register > LAST_REGISTER || century_register <= STATUS_B) century_register = 0;
    Reading r;
    uint8_t status_b;
    {
        InterruptGuard atomic;  // the index port must not change between our out and in
        r = stable_reading(century_register);
        status_b = read_register(STATUS_B);
    }
    bool pm = r.hours & HOUR_PM;
    r.hours &= uint8_t(~HOUR_PM);
    if (!(status_b & STATUS_B_BINARY)) {
        r.seconds = from_bcd(r.seconds), r.minutes = from_bcd(r.minutes), r.hours = from_bcd(r.hours);
        r.day = from_bcd(r.day), r.month = from_bcd(r.month), r.year = from_bcd(r.year);
        r.century = from_bcd(r.century);
    }
    if (!(status_b & STATUS_B_24_HOUR)) r.hours = uint8_t(r.hours % 12 + (pm ? 12 : 0));
    // Without a century register, or with one that reads as nonsense, 20xx.
    int century = century_register && r.century >= 19 && r.century <= 99 ? r.century : 20;
    int year = century * 100 + r.year;
    if (r.year > 99 || r.month < 1 || r.month > 12 || r.day < 1 || r.day > 31 || r.hours > 23 || r.minutes > 59 || r.seconds > 59) {
        return Error(EIO);
    }
    return days_since_epoch(year, r.month, r.day) * 86400 + r.hours * 3600 + r.minutes * 60 + r.seconds;
}

}  // namespace cmos_rtc
