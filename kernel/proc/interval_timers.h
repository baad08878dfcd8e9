// kernel/proc/interval_timers.h -- alarm() and setitimer()'s three timers.
//
// Layer: processes. Each process has POSIX's three interval timers, each a
// value and an interval:
//   ITIMER_REAL     real time: a deadline on the monotonic clock; SIGALRM
//                   (alarm() sets this one too)
//   ITIMER_VIRTUAL  the process's user time; SIGVTALRM
//   ITIMER_PROF     its user and system time; SIGPROF
// When a timer runs out the process gets its signal (si_code SI_KERNEL, as
// Linux sends it) and, with an interval, the timer starts again from the
// interval -- missed intervals give one signal, as a pending signal is not
// queued twice. The timer tick drives all three (scheduler::set_tick_hook):
// the CPU-time timers count down the ticks charged to the running process
// (user ticks for VIRTUAL, every tick for PROF: the same sampling as
// times()); the real timers are checked only once the earliest armed
// deadline is due, so an idle system pays one comparison a tick.
//
// Must stay true: fork gives the child no timers (POSIX), execve keeps
// them, a zombie's timers never fire. Times are kept in milliseconds, the
// tick; a timer set for part of a millisecond is rounded up, so it never
// fires early.
#pragma once

#include <cstdint>

struct Process;

enum class TimerKind : uint8_t { Real = 0, Virtual = 1, Profiling = 2 };
constexpr int TIMER_KIND_COUNT = 3;

struct IntervalTimer {
    uint64_t value_ms = 0;     // Real: the monotonic deadline; CPU timers: ms left. 0: disarmed
    uint64_t interval_ms = 0;  // 0: fires once
};

// A timer's setting as setitimer and getitimer speak of it: the time to the
// next expiry (0 when disarmed) and the interval.
struct TimerSetting {
    uint64_t value_ms;
    uint64_t interval_ms;
};
TimerSetting timer_setting(const Process& process, TimerKind kind);

// Arms one of the current process's timers (value 0 disarms it) and
// returns the setting it replaced.
TimerSetting set_timer(TimerKind kind, uint64_t value_ms, uint64_t interval_ms);

// Hooks the timer tick; called once at boot.
void install_interval_timers();
