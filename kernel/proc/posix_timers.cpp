// kernel/proc/posix_timers.cpp -- see posix_timers.h.
#include "kernel/proc/posix_timers.h"

#include <new>

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/cpu_clocks.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_thread.h"
#include "kernel/time/monotonic_clock.h"
#include "kernel/time/wall_clock.h"

namespace posix_timers {

enum class Counts : uint8_t { Monotonic, ProcessCpu, ThreadCpu };

struct Timer {
    bool in_use = false;
    Counts counts = Counts::Monotonic;
    bool calendar = false;  // CLOCK_REALTIME: an absolute time is a calendar time
    int cpu_thread = 0;  // ThreadCpu: the thread whose time it counts
    Notification notification;
    uint64_t expiry_ms = 0;    // Monotonic: the deadline; CPU: ms of CPU time left. 0: disarmed
    uint64_t interval_ms = 0;  // 0: fires once
    int32_t last_overrun = 0;  // timer_getoverrun: of the signal delivered last (signal_taken)
};

struct Table {
    Timer timers[TIMERS_PER_PROCESS];
};

namespace {

constexpr uint32_t CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7;
constexpr uint64_t TICK_MS = 1000 / monotonic_clock::TICKS_PER_SECOND;

// The earliest monotonic deadline of any armed timer; may be early (a
// timer disarmed since), never late. Interrupts off.
uint64_t earliest_deadline_ms = UINT64_MAX;

uint64_t ms_rounded_up(int64_t ns) { return uint64_t((ns + 999999) / 1000000); }

Result<Timer*> timer_of(int timer_id) {
    Table* table = current_process()->posix_timers;
    if (!table || timer_id < 0 || timer_id >= TIMERS_PER_PROCESS || !table->timers[timer_id].in_use) {
        return Error(EINVAL);
    }
    return &table->timers[timer_id];
}

// The CPU time the timer's clock has counted so far, in ms.
uint64_t cpu_ms_of(const Timer& timer) {
    UserThread& self = *current_user_thread();
    CpuClock clock{self.process->pid, timer.counts == Counts::ThreadCpu ? timer.cpu_thread : 0};
    auto ms = cpu_clock_ms(clock);
    return ms.is_error() ? 0 : ms.value();
}

Setting setting_of(const Timer& timer) {
    int64_t interval_ns = int64_t(timer.interval_ms) * 1000000;
    if (timer.expiry_ms == 0) return {0, interval_ns};
    if (timer.counts != Counts::Monotonic) return {int64_t(timer.expiry_ms) * 1000000, interval_ns};
    uint64_t now = monotonic_clock::uptime_ms();
    // A due timer not yet seen by the tick reads as 1 ns left, never 0 (disarmed).
    int64_t left = timer.expiry_ms > now ? int64_t(timer.expiry_ms - now) * 1000000 : 1;
    return {left, interval_ns};
}

// The timer ran out `expiries` times (more than once when ticks came
// late): its signal goes out, the extra expiries counted as overruns -- or,
// while its last signal is still pending, all of them are. Then it starts
// again from its interval.
void expire(Process& process, int timer_id, Timer& timer, int32_t expiries = 1) {
    const Notification& notification = timer.notification;
    if (notification.kind != SIGEV_NONE) {
        UserThread* target = nullptr;
        if (notification.kind == SIGEV_THREAD_ID) target = find_thread_in(process, notification.thread_id);
        if (notification.kind != SIGEV_THREAD_ID || target) {
            if (!count_timer_overrun(process, target, notification.signal, timer_id, expiries)) {
                SignalInfo info;
                info.code = SI_TIMER;
                info.timer_id = timer_id;
                info.overrun = expiries - 1;
                info.value = notification.value;
                if (target) send_signal_to_thread(*target, notification.signal, info);
                else send_signal(process, notification.signal, info);
            }
        }
    }
    timer.expiry_ms = timer.interval_ms;  // CPU timers: time left; Monotonic: fixed up by the caller
}

void fire_due_real_timers(Process& process, uint64_t now_ms, uint64_t& next_deadline_ms) {
    if (!process.posix_timers || process.state != ProcessState::Running) return;
    for (int id = 0; id < TIMERS_PER_PROCESS; ++id) {
        Timer& timer = process.posix_timers->timers[id];
        if (!timer.in_use || timer.counts != Counts::Monotonic || timer.expiry_ms == 0) continue;
        if (timer.expiry_ms <= now_ms) {
            uint64_t due = timer.expiry_ms, interval = timer.interval_ms;
            uint64_t missed = interval ? (now_ms - due) / interval : 0;  // a late tick
            expire(process, id, timer, int32_t(missed + 1));
            if (interval) timer.expiry_ms = due + (missed + 1) * interval;
        }
        if (timer.expiry_ms && timer.expiry_ms < next_deadline_ms) next_deadline_ms = timer.expiry_ms;
    }
}

void count_down_cpu_timers(Process& process, int tid) {
    for (int id = 0; id < TIMERS_PER_PROCESS; ++id) {
        Timer& timer = process.posix_timers->timers[id];
        if (!timer.in_use || timer.counts == Counts::Monotonic || timer.expiry_ms == 0) continue;
        if (timer.counts == Counts::ThreadCpu && timer.cpu_thread != tid) continue;
        if (timer.expiry_ms > TICK_MS) {
            timer.expiry_ms -= TICK_MS;
            continue;
        }
        expire(process, id, timer);
    }
}

Result<Counts> counts_of(uint32_t clock_id, int* cpu_thread) {
    if (clock_id == CLOCK_REALTIME || clock_id == CLOCK_MONOTONIC || clock_id == CLOCK_BOOTTIME) {
        return Counts::Monotonic;
    }
    if (!is_cpu_clock(clock_id)) return Error(EINVAL);
    CpuClock clock = TRY(cpu_clock_of(clock_id));
    if (clock.pid != current_process()->pid) return Error(EINVAL);  // another process's CPU clock
    *cpu_thread = clock.tid;
    return clock.tid ? Counts::ThreadCpu : Counts::ProcessCpu;
}

Result<void> check_notification(const Notification& notification) {
    int kind = notification.kind;
    if (kind != SIGEV_SIGNAL && kind != SIGEV_NONE && kind != SIGEV_THREAD_ID) return Error(EINVAL);
    if (kind == SIGEV_NONE) return {};
    if (notification.signal < 1 || notification.signal > SIGNAL_COUNT) return Error(EINVAL);
    if (kind == SIGEV_THREAD_ID) {
        InterruptGuard atomic;
        if (!find_thread_in(*current_process(), notification.thread_id)) return Error(EINVAL);
    }
    return {};
}

}  // namespace

Result<int> create(uint32_t clock_id, const Notification& notification) {
    int cpu_thread = 0;
    Counts counts = TRY(counts_of(clock_id, &cpu_thread));
    TRY(check_notification(notification));
    Process& process = *current_process();
    if (!process.posix_timers) {
        auto* table = new (std::nothrow) Table;
        if (!table) return Error(ENOMEM);
        InterruptGuard atomic;
        process.posix_timers = table;
    }
    InterruptGuard atomic;
    for (int id = 0; id < TIMERS_PER_PROCESS; ++id) {
        Timer& timer = process.posix_timers->timers[id];
        if (timer.in_use) continue;
        timer = Timer{};
        timer.in_use = true;
        timer.counts = counts;
        timer.cpu_thread = cpu_thread;
        timer.calendar = clock_id == CLOCK_REALTIME;
        timer.notification = notification;
        if (notification.value_is_timer_id) timer.notification.value = uint32_t(id);
        return id;
    }
    return Error(EAGAIN);
}

Result<Setting> set(int timer_id, int64_t value_ns, int64_t interval_ns, bool absolute) {
    Timer& timer = *TRY(timer_of(timer_id));
    uint64_t value_ms = ms_rounded_up(value_ns);
    if (absolute && value_ns > 0) {
        // A time on the timer's clock: how far away it is now.
        int64_t now_ns;
        if (timer.counts != Counts::Monotonic) {
            now_ns = int64_t(cpu_ms_of(timer)) * 1000000;
        } else {
            wall_clock::Time now = timer.calendar ? wall_clock::realtime() : wall_clock::monotonic();
            now_ns = now.seconds * 1000000000LL + now.nanoseconds;
        }
        value_ms = value_ns > now_ns ? ms_rounded_up(value_ns - now_ns) : 1;  // past: at the next tick
    }
    InterruptGuard atomic;
    Setting old = setting_of(timer);
    timer.interval_ms = value_ns > 0 ? ms_rounded_up(interval_ns) : 0;
    if (value_ns <= 0) {
        timer.expiry_ms = 0;
        return old;
    }
    if (timer.counts != Counts::Monotonic) {
        timer.expiry_ms = value_ms;
        return old;
    }
    timer.expiry_ms = monotonic_clock::uptime_ms() + value_ms;
    if (timer.expiry_ms < earliest_deadline_ms) earliest_deadline_ms = timer.expiry_ms;
    return old;
}

Result<Setting> get(int timer_id) {
    Timer& timer = *TRY(timer_of(timer_id));
    InterruptGuard atomic;
    return setting_of(timer);
}

Result<int> overrun(int timer_id) {
    Timer& timer = *TRY(timer_of(timer_id));
    return timer.last_overrun;
}

Result<void> remove(int timer_id) {
    Timer& timer = *TRY(timer_of(timer_id));
    InterruptGuard atomic;
    timer = Timer{};
    return {};
}

void signal_taken(Process& process, int timer_id, int32_t overrun) {
    if (!process.posix_timers || timer_id < 0 || timer_id >= TIMERS_PER_PROCESS) return;
    Timer& timer = process.posix_timers->timers[timer_id];
    if (!timer.in_use) return;
    timer.last_overrun = overrun;
}

void delete_all(Process& process) {
    Table* table;
    {
        InterruptGuard atomic;
        table = process.posix_timers;
        process.posix_timers = nullptr;
    }
    delete table;
}

void on_tick(uint64_t now_ms, Process* process_running, int tid) {
    if (process_running && process_running->posix_timers) count_down_cpu_timers(*process_running, tid);
    if (now_ms < earliest_deadline_ms) return;
    struct Scan {
        uint64_t now_ms, next_deadline_ms;
    } scan{now_ms, UINT64_MAX};
    for_each_process(
        [](Process& process, void* context) {
            auto& pass = *static_cast<Scan*>(context);
            fire_due_real_timers(process, pass.now_ms, pass.next_deadline_ms);
        },
        &scan);
    earliest_deadline_ms = scan.next_deadline_ms;
}

}  // namespace posix_timers
