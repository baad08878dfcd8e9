// kernel/time/wall_clock.cpp -- see wall_clock.h.
#include "kernel/time/wall_clock.h"

#include "kernel/log.h"
#include "kernel/time/monotonic_clock.h"

namespace {

// The realtime clock's value when the monotonic clock read zero.
int64_t realtime_at_boot_seconds = 0;

wall_clock::Time from_ms(uint64_t ms) { return {int64_t(ms / 1000), uint32_t(ms % 1000) * 1000000}; }

}  // namespace

namespace wall_clock {

void initialize(Result<int64_t> now) {
    if (now.is_error()) {
        log_warning("clock: the RTC gives no valid date; the calendar starts at 1970");
        return;
    }
    realtime_at_boot_seconds = now.value() - int64_t(monotonic_clock::uptime_ms() / 1000);
    log_info("clock: RTC says %lld seconds since 1970 (UTC)", static_cast<long long>(now.value()));
}

Time monotonic() { return from_ms(monotonic_clock::uptime_ms()); }

Time realtime() {
    Time since_boot = monotonic();
    return {realtime_at_boot_seconds + since_boot.seconds, since_boot.nanoseconds};
}

}  // namespace wall_clock
