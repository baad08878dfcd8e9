// drivers/rtc/cmos_rtc.cpp -- reads the CMOS real-time clock; see cmos_rtc.h.
#include "drivers/rtc/cmos_rtc.h"

#include "drivers/rtc/rtc_decode.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupt_guard.h"

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

}  // namespace

namespace cmos_rtc {

Result<int64_t> read_unix_time(uint8_t century_register) {
    if (century_register > LAST_REGISTER || century_register <= STATUS_B) century_register = 0;
    Reading r;
    uint8_t status_b;
    {
        InterruptGuard atomic;  // the index port must not change between our out and in
        r = stable_reading(century_register);
        status_b = read_register(STATUS_B);
    }
    return decode({r.seconds, r.minutes, r.hours, r.day, r.month, r.year, r.century, century_register != 0,
                   status_b});
}

}  // namespace cmos_rtc
