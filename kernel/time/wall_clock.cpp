// kernel/time/wall_clock.cpp -- the two clocks of clock_gettime; see wall_clock.h.
//
// The calendar is kept as one offset, in nanoseconds, from the monotonic
// clock: set at boot from the RTC and moved by set_realtime(). Reading and
// writing the 64-bit offset is two 32-bit accesses on i386, so both happen
// with interrupts off (the kernel runs on one CPU).
#include "kernel/time/wall_clock.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/log.h"
#include "kernel/time/monotonic_clock.h"

namespace {

constexpr int64_t NANOSECONDS_PER_SECOND = 1000000000;

// Realtime minus monotonic time, in nanoseconds.
int64_t realtime_offset_ns = 0;

int64_t monotonic_ns() { return int64_t(monotonic_clock::uptime_ms()) * 1000000; }

wall_clock::Time from_ns(int64_t ns) {
    int64_t seconds = ns / NANOSECONDS_PER_SECOND, rest = ns % NANOSECONDS_PER_SECOND;
    if (rest < 0) seconds -= 1, rest += NANOSECONDS_PER_SECOND;
    return {seconds, uint32_t(rest)};
}

}  // namespace

namespace wall_clock {

void initialize(Result<int64_t> now) {
    if (now.is_error()) {
        log_warning("clock: the RTC gives no valid date; the calendar starts at 1970");
        return;
    }
    {
        InterruptGuard atomic;
        realtime_offset_ns = now.value() * NANOSECONDS_PER_SECOND - monotonic_ns();
    }
    log_info("clock: RTC says %lld seconds since 1970 (UTC)", static_cast<long long>(now.value()));
}

Time monotonic() { return from_ns(monotonic_ns()); }

Time realtime() {
    InterruptGuard atomic;
    return from_ns(monotonic_ns() + realtime_offset_ns);
}

void set_realtime(Time now) {
    int64_t wanted = now.seconds * NANOSECONDS_PER_SECOND + int64_t(now.nanoseconds);
    InterruptGuard atomic;
    realtime_offset_ns = wanted - monotonic_ns();
}

}  // namespace wall_clock
