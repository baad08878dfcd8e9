// kernel/syscall/syscall_time.cpp -- clocks and sleeping.
//
// Layer: system calls. time, gettimeofday, clock_gettime, clock_getres,
// nanosleep and clock_nanosleep over the two clocks of wall_clock.h;
// settimeofday and clock_settime (CLOCK_REALTIME only) set the calendar,
// for root only (EPERM), as Linux without CAP_SYS_TIME. i386
// has two layouts of struct timespec: the old one with 32-bit seconds and
// the "time64" one (64-bit seconds and nanoseconds) that glibc 2.34+ tries
// first, for the year 2038; every call here takes both.
//
// Clock ids (Linux): REALTIME 0, MONOTONIC 1, PROCESS_CPUTIME_ID 2,
// THREAD_CPUTIME_ID 3, MONOTONIC_RAW 4, REALTIME_COARSE 5,
// MONOTONIC_COARSE 6, BOOTTIME 7, and the CPU-time clocks of a process or
// thread (kernel/proc/cpu_clocks.h); other ids are EINVAL.
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/proc/cpu_clocks.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_thread.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/syscall/user_time.h"
#include "kernel/time/monotonic_clock.h"
#include "kernel/time/wall_clock.h"

namespace {

constexpr uint32_t CLOCK_REALTIME = 0, CLOCK_REALTIME_COARSE = 5, CLOCK_COUNT = 8;
constexpr uint32_t TIMER_ABSTIME = 1;

Result<wall_clock::Time> read_clock(uint32_t clock) {
    if (is_cpu_clock(clock)) {
        CpuClock cpu_clock = TRY(cpu_clock_of(clock));
        uint64_t ms = TRY(cpu_clock_ms(cpu_clock));
        return wall_clock::Time{int64_t(ms / 1000), uint32_t(ms % 1000 * 1000000)};
    }
    if (clock >= CLOCK_COUNT) return Error(EINVAL);
    bool calendar = clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE;
    return calendar ? wall_clock::realtime() : wall_clock::monotonic();
}

int32_t clock_gettime_common(const SyscallArguments& a, bool time64) {
    auto now = read_clock(a.arg[0]);
    if (now.is_error()) return -now.error();
    auto copied = write_timespec(a.arg[1], now.value().seconds, now.value().nanoseconds, time64);
    return copied.is_error() ? -copied.error() : 0;
}
int32_t sys_clock_gettime(const SyscallArguments& a) { return clock_gettime_common(a, false); }
int32_t sys_clock_gettime64(const SyscallArguments& a) { return clock_gettime_common(a, true); }

// clock_getres: every clock advances in whole timer ticks (1 ms).
int32_t clock_getres_common(const SyscallArguments& a, bool time64) {
    if (is_cpu_clock(a.arg[0])) {
        auto clock = cpu_clock_of(a.arg[0]);
        if (clock.is_error()) return -clock.error();
    } else if (a.arg[0] >= CLOCK_COUNT) {
        return -EINVAL;
    }
    if (!a.arg[1]) return 0;
    auto copied = write_timespec(a.arg[1], 0, NANOSECONDS_PER_SECOND / monotonic_clock::TICKS_PER_SECOND, time64);
    return copied.is_error() ? -copied.error() : 0;
}
int32_t sys_clock_getres(const SyscallArguments& a) { return clock_getres_common(a, false); }
int32_t sys_clock_getres64(const SyscallArguments& a) { return clock_getres_common(a, true); }

int32_t sys_gettimeofday(const SyscallArguments& a) {
    if (!a.arg[0]) return 0;
    wall_clock::Time now = wall_clock::realtime();
    int32_t timeval[2] = {int32_t(now.seconds), int32_t(now.nanoseconds / 1000)};
    auto copied = copy_to_user(a.arg[0], timeval, sizeof timeval);
    return copied.is_error() ? -copied.error() : 0;
}

int32_t sys_time(const SyscallArguments& a) {
    int32_t seconds = int32_t(wall_clock::realtime().seconds);
    if (a.arg[0] && copy_to_user(a.arg[0], &seconds, sizeof seconds).is_error()) return -EFAULT;
    return seconds;
}

// Sets the calendar to `ns` nanoseconds since 1970, checking the caller.
int32_t set_calendar(int64_t ns) {
    if (!self().credentials.is_superuser()) return -EPERM;
    wall_clock::set_realtime({ns / NANOSECONDS_PER_SECOND, uint32_t(ns % NANOSECONDS_PER_SECOND)});
    return 0;
}

// settimeofday(tv, tz): the time zone is obsolete and ignored, as glibc
// ignores it; with tv NULL nothing changes.
int32_t sys_settimeofday(const SyscallArguments& a) {
    if (!a.arg[0]) return self().credentials.is_superuser() ? 0 : -EPERM;
    int32_t timeval[2];
    if (copy_from_user(timeval, a.arg[0], sizeof timeval).is_error()) return -EFAULT;
    if (timeval[0] < 0 || timeval[1] < 0 || timeval[1] >= 1000000) return -EINVAL;
    return set_calendar(int64_t(timeval[0]) * NANOSECONDS_PER_SECOND + int64_t(timeval[1]) * 1000);
}

int32_t clock_settime_common(const SyscallArguments& a, bool time64) {
    if (is_cpu_clock(a.arg[0])) return -EPERM;  // CPU time is counted, never set
    if (a.arg[0] >= CLOCK_COUNT) return -EINVAL;
    auto wanted = read_timespec(a.arg[1], time64);
    if (wanted.is_error()) return -wanted.error();
    if (a.arg[0] != CLOCK_REALTIME) return -EINVAL;   // the other clocks cannot be set
    return set_calendar(wanted.value());
}
int32_t sys_clock_settime(const SyscallArguments& a) { return clock_settime_common(a, false); }
int32_t sys_clock_settime64(const SyscallArguments& a) { return clock_settime_common(a, true); }

// Sleeps `duration_ns` on the monotonic clock, at millisecond granularity
// (rounded up: never shorter than asked). A signal to act on ends it early
// with EINTR and the time left.
Result<void> sleep_for(int64_t duration_ns, int64_t* left_ns) {
    uint64_t ms = uint64_t((duration_ns + 999999) / 1000000);
    uint64_t deadline = monotonic_clock::uptime_ms() + ms;
    scheduler::sleep_ms(ms);
    uint64_t now = monotonic_clock::uptime_ms();
    if (now < deadline && has_deliverable_signal()) {
        *left_ns = int64_t(deadline - now) * 1000000;
        current_user_thread()->signals.sleep_resume_deadline_ms = deadline;  // for a stop (restart_syscall)
        return Error(EINTR);
    }
    return {};
}

// restart_syscall (0): a sleep that a stop cut short goes on until its
// deadline (signals.h); without one, EINTR, as Linux answers a stray call.
int32_t sys_restart_syscall(const SyscallArguments&) {
    ThreadSignalState& state = current_user_thread()->signals;
    uint64_t deadline = state.sleep_resume_deadline_ms;
    state.sleep_resume_deadline_ms = 0;
    uint64_t now = monotonic_clock::uptime_ms();
    if (deadline == 0) return -EINTR;
    if (now >= deadline) return 0;
    int64_t left = 0;
    auto slept = sleep_for(int64_t(deadline - now) * 1000000, &left);
    return slept.is_error() ? -slept.error() : 0;
}

int32_t report_sleep(const Result<void>& slept, int64_t left_ns, uint32_t remaining_address, bool time64) {
    if (!slept.is_error()) return 0;
    if (remaining_address) {
        (void)write_timespec(remaining_address, left_ns / NANOSECONDS_PER_SECOND, left_ns % NANOSECONDS_PER_SECOND,
                             time64);
    }
    return -slept.error();
}

int32_t sys_nanosleep(const SyscallArguments& a) {
    auto duration = read_timespec(a.arg[0], false);
    if (duration.is_error()) return -duration.error();
    int64_t left = 0;
    auto slept = sleep_for(duration.value(), &left);
    return report_sleep(slept, left, a.arg[1], false);
}

// clock_nanosleep(clock, flags, request, remaining): with TIMER_ABSTIME the
// request is a time on `clock` to sleep until (and `remaining` is unused).
// Not on a CPU-time clock: EINVAL for a thread's, as Linux; a process's
// CPU clock, which Linux sleeps on, is ENOTSUP here.
int32_t clock_nanosleep_common(const SyscallArguments& a, bool time64) {
    if (is_cpu_clock(a.arg[0])) {
        auto clock = cpu_clock_of(a.arg[0]);
        if (clock.is_error()) return -clock.error();
        return clock.value().tid ? -EINVAL : -ENOTSUP;
    }
    auto now = read_clock(a.arg[0]);
    if (now.is_error()) return -now.error();
    auto request = read_timespec(a.arg[2], time64);
    if (request.is_error()) return -request.error();
    int64_t duration = request.value();
    bool absolute = a.arg[1] & TIMER_ABSTIME;
    if (absolute) {
        int64_t current = now.value().seconds * NANOSECONDS_PER_SECOND + now.value().nanoseconds;
        duration = duration > current ? duration - current : 0;
    }
    int64_t left = 0;
    auto slept = sleep_for(duration, &left);
    return report_sleep(slept, left, absolute ? 0 : a.arg[3], time64);
}
int32_t sys_clock_nanosleep(const SyscallArguments& a) { return clock_nanosleep_common(a, false); }
int32_t sys_clock_nanosleep64(const SyscallArguments& a) { return clock_nanosleep_common(a, true); }

}  // namespace

void register_time_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {0, {"restart_syscall", sys_restart_syscall}},
        {13, {"time", sys_time}},          {78, {"gettimeofday", sys_gettimeofday}},
        {79, {"settimeofday", sys_settimeofday}}, {264, {"clock_settime", sys_clock_settime}},
        {404, {"clock_settime64", sys_clock_settime64}},
        {162, {"nanosleep", sys_nanosleep}}, {265, {"clock_gettime", sys_clock_gettime}},
        {266, {"clock_getres", sys_clock_getres}}, {267, {"clock_nanosleep", sys_clock_nanosleep}},
        {403, {"clock_gettime64", sys_clock_gettime64}}, {406, {"clock_getres_time64", sys_clock_getres64}},
        {407, {"clock_nanosleep_time64", sys_clock_nanosleep64}},
    };
    add_system_calls(table, size, calls);
}
