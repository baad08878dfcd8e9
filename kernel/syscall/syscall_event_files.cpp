// kernel/syscall/syscall_event_files.cpp -- eventfd, timerfd and epoll.
//
// Layer: system calls, over fs/event/. The calls and their i386 numbers:
//   eventfd 323 (no flags), eventfd2 328      a counter (eventfd.h)
//   timerfd_create 322, timerfd_settime 325, timerfd_gettime 326,
//   and with 64-bit times timerfd_settime64 411, timerfd_gettime64 410
//                                             a timer (timerfd.h)
//   epoll_create 254, epoll_create1 329, epoll_ctl 255, epoll_wait 256,
//   epoll_pwait 319 (with a signal mask), epoll_pwait2 441 (a timespec)
//                                             a set of watched files (epoll.h)
// inotify_init (291) and inotify_init1 (332) stay unimplemented (ENOSYS).
//
// What Linux does and so do these:
//   - flags other than the call's *_CLOEXEC, *_NONBLOCK (and EFD_SEMAPHORE,
//     TFD_TIMER_ABSTIME) are EINVAL; epoll_create's size must be positive.
//   - timerfd: clocks REALTIME, MONOTONIC and BOOTTIME; an itimerspec with
//     nanoseconds outside 0..999999999 or negative seconds is EINVAL; a file
//     that is no timer is EINVAL.
//   - epoll_ctl: EBADF for a closed descriptor, EINVAL when epfd is no epoll
//     or is fd itself, EPERM for a regular file, EEXIST/ENOENT, ELOOP.
//   - epoll_wait: maxevents of 0 or less is EINVAL; the timeout is in ms,
//     negative for none; a signal ends the wait with EINTR.
#include "fs/event/epoll.h"
#include "fs/event/eventfd.h"
#include "fs/event/timerfd.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/syscall/temporary_signal_mask.h"
#include "kernel/syscall/user_time.h"

namespace {

constexpr uint32_t FLAG_CLOEXEC = O_CLOEXEC, FLAG_NONBLOCK = O_NONBLOCK;  // EFD_/TFD_/EPOLL_ values are these
constexpr uint64_t NO_DEADLINE = UINT64_MAX;

int32_t install(Result<FileRef> made, uint32_t flags) {
    if (made.is_error()) return -made.error();
    return syscall_result(self().files->allocate(static_cast<FileRef&&>(made.value()), flags & FLAG_CLOEXEC));
}

// ---- eventfd --------------------------------------------------------------

int32_t eventfd_common(uint32_t initial, uint32_t flags) {
    if (flags & ~(FLAG_CLOEXEC | FLAG_NONBLOCK | EFD_SEMAPHORE)) return -EINVAL;
    return install(create_eventfd(initial, flags & (FLAG_NONBLOCK | EFD_SEMAPHORE)), flags);
}
int32_t sys_eventfd(const SyscallArguments& a) { return eventfd_common(a.arg[0], 0); }
int32_t sys_eventfd2(const SyscallArguments& a) { return eventfd_common(a.arg[0], a.arg[1]); }

// ---- timerfd --------------------------------------------------------------

constexpr uint32_t TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

// struct itimerspec: {interval, value}, each a timespec of 32 or 64 bits.
Result<TimerfdSetting> read_itimerspec(uint32_t address, bool time64) {
    uint32_t timespec_size = time64 ? 16 : 8;
    TimerfdSetting setting;
    setting.interval_ns = TRY(read_timespec(address, time64));
    setting.value_ns = TRY(read_timespec(address + timespec_size, time64));
    return setting;
}

Result<void> write_itimerspec(uint32_t address, const TimerfdSetting& setting, bool time64) {
    TRY(write_timespec_ns(address, setting.interval_ns, time64));
    return write_timespec_ns(address + (time64 ? 16 : 8), setting.value_ns, time64);
}

int32_t sys_timerfd_create(const SyscallArguments& a) {
    if (a.arg[1] & ~(FLAG_CLOEXEC | FLAG_NONBLOCK)) return -EINVAL;
    return install(create_timerfd(int32_t(a.arg[0]), a.arg[1] & FLAG_NONBLOCK), a.arg[1]);
}

// timerfd_settime(fd, flags, new*, old*)
int32_t timerfd_settime_common(const SyscallArguments& a, bool time64) {
    if (a.arg[1] & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -EINVAL;
    auto setting = read_itimerspec(a.arg[2], time64);
    if (setting.is_error()) return -setting.error();
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    auto old = set_timerfd(*file.value(), a.arg[1] & TFD_TIMER_ABSTIME, setting.value().value_ns,
                           setting.value().interval_ns);
    if (old.is_error()) return -old.error();
    if (a.arg[3] && write_itimerspec(a.arg[3], old.value(), time64).is_error()) return -EFAULT;
    return 0;
}
int32_t sys_timerfd_settime(const SyscallArguments& a) { return timerfd_settime_common(a, false); }
int32_t sys_timerfd_settime64(const SyscallArguments& a) { return timerfd_settime_common(a, true); }

int32_t timerfd_gettime_common(const SyscallArguments& a, bool time64) {
    auto file = file_of(a.arg[0]);
    if (file.is_error()) return -file.error();
    auto setting = timerfd_setting(*file.value());
    if (setting.is_error()) return -setting.error();
    return write_itimerspec(a.arg[1], setting.value(), time64).is_error() ? -EFAULT : 0;
}
int32_t sys_timerfd_gettime(const SyscallArguments& a) { return timerfd_gettime_common(a, false); }
int32_t sys_timerfd_gettime64(const SyscallArguments& a) { return timerfd_gettime_common(a, true); }

// ---- epoll ------------------------------------------------------------------

constexpr int MAX_EVENTS_A_CALL = 256;  // more may be ready: the next wait gets them

int32_t sys_epoll_create(const SyscallArguments& a) {
    if (int32_t(a.arg[0]) <= 0) return -EINVAL;
    return install(create_epoll(0), 0);
}
int32_t sys_epoll_create1(const SyscallArguments& a) {
    if (a.arg[0] & ~FLAG_CLOEXEC) return -EINVAL;
    return install(create_epoll(0), a.arg[0]);
}

// epoll_ctl(epfd, op, fd, event*)
int32_t sys_epoll_ctl(const SyscallArguments& a) {
    EpollEvent event = {0, 0};
    if (a.arg[1] != epoll_abi::EPOLL_CTL_DEL && copy_from_user(&event, a.arg[3], sizeof event).is_error()) {
        return -EFAULT;
    }
    auto epoll = file_of(a.arg[0]);
    if (epoll.is_error()) return -epoll.error();
    auto target = file_of(a.arg[2]);
    if (target.is_error()) return -target.error();
    auto done = epoll_control(*epoll.value(), a.arg[1], int32_t(a.arg[2]), *target.value(), event);
    return done.is_error() ? -done.error() : 0;
}

int32_t epoll_wait_common(uint32_t epfd, uint32_t user_events, int32_t max_events, uint64_t deadline) {
    if (max_events <= 0 || max_events > INT32_MAX / int32_t(sizeof(EpollEvent))) return -EINVAL;
    auto epoll = file_of(epfd);
    if (epoll.is_error()) return -epoll.error();
    int capacity = max_events < MAX_EVENTS_A_CALL ? max_events : MAX_EVENTS_A_CALL;
    auto* events = new (std::nothrow) EpollEvent[capacity];
    if (!events) return -ENOMEM;
    auto count = epoll_wait_for_events(*epoll.value(), events, capacity, deadline);
    int32_t result = syscall_result(count);
    if (!count.is_error() && copy_to_user(user_events, events, size_t(count.value()) * sizeof(EpollEvent)).is_error()) {
        result = -EFAULT;
    }
    delete[] events;
    return result;
}

uint64_t deadline_after_ms(int32_t timeout_ms) {
    if (timeout_ms < 0) return NO_DEADLINE;
    return WaitQueue::now_ms() + uint64_t(timeout_ms);
}

int32_t sys_epoll_wait(const SyscallArguments& a) {
    return epoll_wait_common(a.arg[0], a.arg[1], int32_t(a.arg[2]), deadline_after_ms(int32_t(a.arg[3])));
}

// epoll_pwait(epfd, events*, maxevents, timeout_ms, sigmask*, sigsetsize)
int32_t sys_epoll_pwait(const SyscallArguments& a) {
    TemporarySignalMask mask;
    if (auto installed = mask.install(a.arg[4], a.arg[5]); installed.is_error()) return -installed.error();
    return mask.finish(
        epoll_wait_common(a.arg[0], a.arg[1], int32_t(a.arg[2]), deadline_after_ms(int32_t(a.arg[3]))));
}

// epoll_pwait2(epfd, events*, maxevents, timespec64*, sigmask*, sigsetsize)
int32_t sys_epoll_pwait2(const SyscallArguments& a) {
    uint64_t deadline = NO_DEADLINE;
    if (a.arg[3]) {
        auto timeout = read_timespec(a.arg[3], true);
        if (timeout.is_error()) return -timeout.error();
        constexpr int64_t FOREVER_MS = int64_t(100000000) * 1000;  // over three years: as good as forever
        int64_t milliseconds = timeout.value() / 1000000 + (timeout.value() % 1000000 != 0);
        deadline = WaitQueue::now_ms() + uint64_t(milliseconds < FOREVER_MS ? milliseconds : FOREVER_MS);
    }
    TemporarySignalMask mask;
    if (auto installed = mask.install(a.arg[4], a.arg[5]); installed.is_error()) return -installed.error();
    return mask.finish(epoll_wait_common(a.arg[0], a.arg[1], int32_t(a.arg[2]), deadline));
}

}  // namespace

void register_event_file_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {254, {"epoll_create", sys_epoll_create}},         {255, {"epoll_ctl", sys_epoll_ctl}},
        {256, {"epoll_wait", sys_epoll_wait}},             {319, {"epoll_pwait", sys_epoll_pwait}},
        {322, {"timerfd_create", sys_timerfd_create}},     {323, {"eventfd", sys_eventfd}},
        {325, {"timerfd_settime", sys_timerfd_settime}},   {326, {"timerfd_gettime", sys_timerfd_gettime}},
        {328, {"eventfd2", sys_eventfd2}},                 {329, {"epoll_create1", sys_epoll_create1}},
        {410, {"timerfd_gettime64", sys_timerfd_gettime64}}, {411, {"timerfd_settime64", sys_timerfd_settime64}},
        {441, {"epoll_pwait2", sys_epoll_pwait2}},
    };
    add_system_calls(table, size, calls);
}
