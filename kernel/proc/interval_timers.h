// kernel/proc/interval_timers.h -- alarm() and setitimer(ITIMER_REAL).
//
// Layer: processes. Each process has one real-time interval timer (POSIX's
// ITIMER_REAL, which alarm() also sets): a deadline on the monotonic clock
// and an interval. When the deadline passes, the process gets SIGALRM
// (si_code SI_KERNEL, as Linux sends it) and, with an interval, the timer
// is armed again one interval later -- several missed intervals give one
// signal, as a pending signal is not queued twice. The timer tick checks
// the deadlines (scheduler::set_tick_hook); a whole check is skipped until
// the earliest armed deadline, so an idle system pays one comparison a
// tick.
//
// Must stay true: fork gives the child no timer (POSIX), execve keeps it,
// a zombie's timer never fires. Times are kept in milliseconds, the tick;
// a timer set for part of a millisecond is rounded up, so it never fires
// early. ITIMER_VIRTUAL and ITIMER_PROF (user and CPU time) need time
// accounting per process that the kernel does not keep yet: EINVAL.
#pragma once

#include <cstdint>

struct Process;

struct IntervalTimer {
    uint64_t deadline_ms = 0;  // monotonic; 0: disarmed
    uint64_t interval_ms = 0;  // 0: fires once
};

// What is left of `process`'s real timer: the time to the deadline (0 when
// disarmed) and the interval.
struct TimerSetting {
    uint64_t value_ms;
    uint64_t interval_ms;
};
TimerSetting real_timer_of(const Process& process);

// Arms the current process's real timer (value 0 disarms it) and returns
// the setting it replaced.
TimerSetting set_real_timer(uint64_t value_ms, uint64_t interval_ms);

// Hooks the timer tick; called once at boot.
void install_interval_timers();
