// kernel/proc/posix_timers.h -- timer_create() and its timers.
//
// Layer: processes. Beside setitimer's three fixed timers
// (interval_timers.h) a process may create POSIX timers, each on a clock of
// its choice and each with its own way to tell the program it expired:
//   SIGEV_SIGNAL     a signal to the process, si_code SI_TIMER, carrying
//                    the timer's id and the sigval the program chose
//   SIGEV_THREAD_ID  the same signal, to one thread of the process (glibc's
//                    SIGEV_THREAD timers are built on this)
//   SIGEV_NONE       nothing: the program asks timer_gettime
// Clocks: REALTIME, MONOTONIC and BOOTTIME run on the monotonic clock (a
// REALTIME timer set for an absolute time turns it into a monotonic
// deadline when set: a later settimeofday does not move it);
// PROCESS_CPUTIME_ID and THREAD_CPUTIME_ID count down the ticks charged to
// the process or the thread that created the timer (cpu_clocks.h).
// An expiry while the timer's last signal is still pending is an overrun:
// counted in that signal's si_overrun and by timer_getoverrun, never
// queued twice -- as Linux.
//
// Must stay true: timers are the process's, POSIX_TIMERS_PER_PROCESS at
// most; fork gives the child none, execve and the process's end delete
// them all; the timer tick (interval_timers.cpp's hook) drives them with
// interrupts off.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

struct Process;

namespace posix_timers {

constexpr int TIMERS_PER_PROCESS = 32;
constexpr int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;

struct Notification {
    int kind = SIGEV_SIGNAL;  // SIGEV_*
    int signal = 0;
    uint32_t value = 0;       // sigval
    int thread_id = 0;        // SIGEV_THREAD_ID
    bool value_is_timer_id = false;  // timer_create without a sigevent: the value is the new id
};

// A timer's time to expiry and interval in ns (timer_gettime's itimerspec).
struct Setting {
    int64_t value_ns;
    int64_t interval_ns;
};

// timer_create: a new timer of the calling process, disarmed; returns its
// id. EINVAL for an unknown clock or a bad notification (an invalid
// signal, a thread not of this process), EAGAIN when the process has all
// the timers it may.
Result<int> create(uint32_t clock_id, const Notification& notification);
// timer_settime: arms (`value_ns` > 0; with `absolute`, a time on the
// timer's clock) or disarms (0) the timer; returns the old setting. EINVAL
// for an unknown id.
Result<Setting> set(int timer_id, int64_t value_ns, int64_t interval_ns, bool absolute);
Result<Setting> get(int timer_id);
Result<int> overrun(int timer_id);
Result<void> remove(int timer_id);

// The timer's signal was delivered (or taken by sigwaitinfo) carrying
// `overrun`: what timer_getoverrun reports from now. Interrupts off.
void signal_taken(Process& process, int timer_id, int32_t overrun);

// execve and the end of the process: every timer of it goes.
void delete_all(Process& process);
// From the timer interrupt (interrupts off): `process_running` is the
// process whose thread the tick found (nullptr: a kernel thread), `tid`
// that thread.
void on_tick(uint64_t now_ms, Process* process_running, int tid);

}  // namespace posix_timers
