// kernel/syscall/syscall_timers.cpp -- alarm, setitimer, getitimer; the
// CPU time a process used: times, getrusage.
//
// Layer: system calls. The three calls over the process's real-time
// interval timer (kernel/proc/interval_timers.h), with Linux's i386
// layouts: struct itimerval is two struct timevals of 32-bit seconds and
// microseconds, the interval first. setitimer and getitimer take ITIMER_REAL
// (0); ITIMER_VIRTUAL (1) and ITIMER_PROF (2) are EINVAL until the kernel
// accounts user and CPU time per process. alarm(seconds) is setitimer with
// no interval and answers the seconds that were left, rounded as Linux
// rounds them (half a second or more counts as a second, and a pending
// alarm is never reported as 0).
//
// times and getrusage report the CPU time of kernel/proc/process.h's
// cpu_time_of (ticks sampled as user or system) and of the children reaped
// so far. times counts in clock ticks of USER_HZ = 100, as Linux's
// sysconf(_SC_CLK_TCK), and returns the ticks since boot. getrusage fills
// ru_utime and ru_stime (RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD -- one
// thread a process); the other fields (maximum resident size, faults,
// context switches...) are not counted and read 0.
#include "kernel/lib/errno.h"
#include "kernel/proc/interval_timers.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/time/monotonic_clock.h"

namespace {


struct Timeval32 {
    int32_t seconds;
    int32_t microseconds;
};
struct Itimerval32 {
    Timeval32 interval;
    Timeval32 value;
};

// Microseconds are rounded up to the tick (1 ms): a timer never fires early.
Result<uint64_t> milliseconds_of(const Timeval32& time) {
    if (time.seconds < 0 || time.microseconds < 0 || time.microseconds >= 1000000) return Error(EINVAL);
    return uint64_t(time.seconds) * 1000 + (uint64_t(time.microseconds) + 999) / 1000;
}

Timeval32 timeval_of(uint64_t milliseconds) {
    return {int32_t(milliseconds / 1000), int32_t(milliseconds % 1000 * 1000)};
}

Itimerval32 itimerval_of(const TimerSetting& setting) {
    return {timeval_of(setting.interval_ms), timeval_of(setting.value_ms)};
}

// ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF are TimerKind's numbers.
Result<TimerKind> timer_kind(uint32_t which) {
    if (which >= uint32_t(TIMER_KIND_COUNT)) return Error(EINVAL);
    return TimerKind(which);
}

Result<int32_t> get_interval_timer(uint32_t which, uint32_t user_value) {
    TimerKind kind = TRY(timer_kind(which));
    Itimerval32 value = itimerval_of(timer_setting(self(), kind));
    TRY(copy_to_user(user_value, &value, sizeof value));
    return 0;
}

Result<int32_t> set_interval_timer(uint32_t which, uint32_t user_new, uint32_t user_old) {
    TimerKind kind = TRY(timer_kind(which));
    Itimerval32 wanted{};
    if (user_new != 0) TRY(copy_from_user(&wanted, user_new, sizeof wanted));  // NULL disarms, as Linux
    uint64_t value_ms = TRY(milliseconds_of(wanted.value));
    uint64_t interval_ms = TRY(milliseconds_of(wanted.interval));
    if (user_old != 0) {
        // Checked before the timer changes: a bad pointer changes nothing.
        Itimerval32 before = itimerval_of(timer_setting(self(), kind));
        TRY(copy_to_user(user_old, &before, sizeof before));
    }
    set_timer(kind, value_ms, interval_ms);
    return 0;
}

int32_t sys_getitimer(const SyscallArguments& a) { return syscall_result(get_interval_timer(a.arg[0], a.arg[1])); }
int32_t sys_setitimer(const SyscallArguments& a) {
    return syscall_result(set_interval_timer(a.arg[0], a.arg[1], a.arg[2]));
}

int32_t sys_alarm(const SyscallArguments& a) {
    TimerSetting old = set_timer(TimerKind::Real, uint64_t(a.arg[0]) * 1000, 0);
    uint32_t seconds = uint32_t(old.value_ms / 1000);
    uint64_t rest_ms = old.value_ms % 1000;
    if (rest_ms >= 500 || (seconds == 0 && rest_ms > 0)) ++seconds;
    return int32_t(seconds);
}

constexpr uint64_t USER_HZ = 100;
constexpr uint64_t TICKS_PER_CLOCK_TICK = monotonic_clock::TICKS_PER_SECOND / USER_HZ;

int32_t sys_times(const SyscallArguments& a) {
    CpuTime own = cpu_time_of(self()), children = self().children_cpu_time;
    int32_t counts[4] = {int32_t(own.user_ticks / TICKS_PER_CLOCK_TICK), int32_t(own.system_ticks / TICKS_PER_CLOCK_TICK),
                         int32_t(children.user_ticks / TICKS_PER_CLOCK_TICK),
                         int32_t(children.system_ticks / TICKS_PER_CLOCK_TICK)};
    if (a.arg[0] != 0 && copy_to_user(a.arg[0], counts, sizeof counts).is_error()) return -EFAULT;
    return int32_t(monotonic_clock::ticks() / TICKS_PER_CLOCK_TICK);
}

// The i386 struct rusage: two struct timevals, then 14 longs.
struct Rusage32 {
    Timeval32 user_time, system_time;
    int32_t counts[14];
};

Timeval32 timeval_of_ticks(uint64_t ticks) { return timeval_of(ticks * 1000 / monotonic_clock::TICKS_PER_SECOND); }

int32_t sys_getrusage(const SyscallArguments& a) {
    constexpr int32_t RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
    int32_t who = int32_t(a.arg[0]);
    CpuTime time;
    if (who == RUSAGE_SELF || who == RUSAGE_THREAD) time = cpu_time_of(self());
    else if (who == RUSAGE_CHILDREN) time = self().children_cpu_time;
    else return -EINVAL;
    Rusage32 usage{timeval_of_ticks(time.user_ticks), timeval_of_ticks(time.system_ticks), {}};
    return copy_to_user(a.arg[1], &usage, sizeof usage).is_error() ? -EFAULT : 0;
}

}  // namespace

void register_timer_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {27, {"alarm", sys_alarm}}, {104, {"setitimer", sys_setitimer}}, {105, {"getitimer", sys_getitimer}},
        {43, {"times", sys_times}}, {77, {"getrusage", sys_getrusage}},
    };
    add_system_calls(table, size, calls);
}
