// kernel/syscall/syscall_timers.cpp -- timers and the CPU time used.
//
// Layer: system calls. alarm, setitimer and getitimer over the process's
// three interval timers (kernel/proc/interval_timers.h: ITIMER_REAL 0,
// ITIMER_VIRTUAL 1, ITIMER_PROF 2), with Linux's i386 layouts: struct
// itimerval is two struct timevals of 32-bit seconds and microseconds, the
// interval first. alarm(seconds) is setitimer with no interval and answers
// the seconds that were left, rounded as Linux rounds them (half a second
// or more counts as a second, and a pending alarm is never reported as 0).
//
// timer_create, timer_settime, timer_gettime, timer_getoverrun and
// timer_delete over the process's POSIX timers (kernel/proc/posix_timers.h),
// with struct itimerspec in both timespec layouts (timer_settime64 and
// timer_gettime64 take the time64 one); struct sigevent is Linux's 64 bytes:
// sigev_value, sigev_signo, sigev_notify, then the thread id.
//
// times and getrusage report the CPU time of kernel/proc/process.h's
// cpu_time_of (ticks sampled as user or system) and of the children reaped
// so far. times counts in clock ticks of USER_HZ = 100, as Linux's
// sysconf(_SC_CLK_TCK), and returns the ticks since boot. getrusage fills
// ru_utime and ru_stime (RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD); the other fields (maximum resident size, faults,
// context switches...) are not counted and read 0.
#include "kernel/lib/errno.h"
#include "kernel/proc/cpu_clocks.h"
#include "kernel/proc/interval_timers.h"
#include "kernel/proc/posix_timers.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/syscall/user_time.h"
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
    if (who == RUSAGE_SELF) {
        time = cpu_time_of(self());
    } else if (who == RUSAGE_THREAD) {
        uint64_t all = thread_cpu_ticks(*current_user_thread(), &time.user_ticks);
        time.system_ticks = all - time.user_ticks;
    } else if (who == RUSAGE_CHILDREN) {
        time = self().children_cpu_time;
    }
    else return -EINVAL;
    Rusage32 usage{timeval_of_ticks(time.user_ticks), timeval_of_ticks(time.system_ticks), {}};
    return copy_to_user(a.arg[1], &usage, sizeof usage).is_error() ? -EFAULT : 0;
}

// struct sigevent's start (the rest is padding, or SIGEV_THREAD's
// function and attributes, which only the C library uses).
struct SigEvent {
    uint32_t value;
    int32_t signal, notify, thread_id;
};

// timer_create(clock, const sigevent*, timer_t*): without a sigevent,
// SIGALRM to the process with the timer's id as its value, as Linux.
int32_t sys_timer_create(const SyscallArguments& a) {
    posix_timers::Notification notification;
    notification.signal = SIGALRM;
    notification.value_is_timer_id = true;
    if (a.arg[1]) {
        SigEvent event;
        if (copy_from_user(&event, a.arg[1], sizeof event).is_error()) return -EFAULT;
        notification = {event.notify, event.signal, event.value, event.thread_id, false};
    }
    auto created = posix_timers::create(a.arg[0], notification);
    if (created.is_error()) return -created.error();
    int id = created.value();
    if (copy_to_user(a.arg[2], &id, sizeof id).is_error()) {
        (void)posix_timers::remove(id);
        return -EFAULT;
    }
    return 0;
}

Result<void> write_itimerspec(uint32_t address, const posix_timers::Setting& setting, bool time64) {
    uint32_t timespec_size = time64 ? 16 : 8;
    TRY(write_timespec_ns(address, setting.interval_ns, time64));
    return write_timespec_ns(address + timespec_size, setting.value_ns, time64);
}

// timer_settime(id, flags, const itimerspec* new, itimerspec* old)
int32_t timer_settime_common(const SyscallArguments& a, bool time64) {
    constexpr uint32_t TIMER_ABSTIME = 1;
    if (a.arg[1] & ~TIMER_ABSTIME) return -EINVAL;
    uint32_t timespec_size = time64 ? 16 : 8;
    auto interval = read_timespec(a.arg[2], time64);
    if (interval.is_error()) return -interval.error();
    auto value = read_timespec(a.arg[2] + timespec_size, time64);
    if (value.is_error()) return -value.error();
    auto old = posix_timers::set(int(a.arg[0]), value.value(), interval.value(), a.arg[1] & TIMER_ABSTIME);
    if (old.is_error()) return -old.error();
    if (a.arg[3] && write_itimerspec(a.arg[3], old.value(), time64).is_error()) return -EFAULT;
    return 0;
}
int32_t sys_timer_settime(const SyscallArguments& a) { return timer_settime_common(a, false); }
int32_t sys_timer_settime64(const SyscallArguments& a) { return timer_settime_common(a, true); }

int32_t timer_gettime_common(const SyscallArguments& a, bool time64) {
    auto setting = posix_timers::get(int(a.arg[0]));
    if (setting.is_error()) return -setting.error();
    return write_itimerspec(a.arg[1], setting.value(), time64).is_error() ? -EFAULT : 0;
}
int32_t sys_timer_gettime(const SyscallArguments& a) { return timer_gettime_common(a, false); }
int32_t sys_timer_gettime64(const SyscallArguments& a) { return timer_gettime_common(a, true); }

int32_t sys_timer_getoverrun(const SyscallArguments& a) { return syscall_result(posix_timers::overrun(int(a.arg[0]))); }

int32_t sys_timer_delete(const SyscallArguments& a) {
    auto removed = posix_timers::remove(int(a.arg[0]));
    return removed.is_error() ? -removed.error() : 0;
}

}  // namespace

void register_timer_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {27, {"alarm", sys_alarm}}, {104, {"setitimer", sys_setitimer}}, {105, {"getitimer", sys_getitimer}},
        {43, {"times", sys_times}}, {77, {"getrusage", sys_getrusage}},
        {259, {"timer_create", sys_timer_create}}, {260, {"timer_settime", sys_timer_settime}},
        {261, {"timer_gettime", sys_timer_gettime}}, {262, {"timer_getoverrun", sys_timer_getoverrun}},
        {263, {"timer_delete", sys_timer_delete}}, {408, {"timer_gettime64", sys_timer_gettime64}},
        {409, {"timer_settime64", sys_timer_settime64}},
    };
    add_system_calls(table, size, calls);
}
