// fs/event/timerfd.h -- timerfd: a timer whose expirations are read from a file.
//
// Layer: VFS special files (Linux: fs/timerfd.c). A timer on
// CLOCK_MONOTONIC (or BOOTTIME, the same here) or CLOCK_REALTIME is armed
// with a first expiry -- relative, or absolute with TFD_TIMER_ABSTIME -- and
// an interval (0: once). read() of 8 bytes returns how many times it expired
// since the last read (or since it was set) and starts counting again from
// 0; with none yet it waits (EAGAIN when non-blocking). poll: readable when
// the count is above 0. Setting a timer forgets the expirations not read.
//
// Expirations are counted from the clock whenever someone looks (read,
// poll, gettime); a kernel thread, "timerfd", sleeps until the earliest
// armed expiry and wakes the readers and pollers of the timers that expired
// (the timer tick's one hook belongs to the interval timers). Times are in
// nanoseconds; the wake-ups come at the clock's millisecond ticks.
// Locking: every timer's state and the list of timers are guarded by
// InterruptGuard.
#pragma once

#include "fs/vfs/file.h"

namespace timer_clocks {
constexpr int REALTIME = 0, MONOTONIC = 1, BOOTTIME = 7;
}

struct TimerfdSetting {
    int64_t value_ns = 0;     // to the next expiry; 0: disarmed
    int64_t interval_ns = 0;  // 0: fires once
};

// A new timer, disarmed. EINVAL for another clock; `flags` may hold O_NONBLOCK.
Result<FileRef> create_timerfd(int clock, uint32_t flags);
// timerfd_settime: arms (value 0: disarms) and returns the old setting.
// `value_ns` is a time on the timer's clock when `absolute`. EINVAL when
// `file` is no timer.
Result<TimerfdSetting> set_timerfd(File& file, bool absolute, int64_t value_ns, int64_t interval_ns);
Result<TimerfdSetting> timerfd_setting(File& file);
