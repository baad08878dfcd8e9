// kernel/proc/interval_timers.cpp -- see interval_timers.h.
#include "kernel/proc/interval_timers.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/proc/posix_timers.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/sched/scheduler.h"
#include "kernel/time/monotonic_clock.h"

namespace {

constexpr int SIGNAL_OF[TIMER_KIND_COUNT] = {SIGALRM, SIGVTALRM, SIGPROF};

// The earliest armed real-time deadline of any process; UINT64_MAX: none.
// It may be early (a timer disarmed since), never late. Changed with
// interrupts off.
uint64_t earliest_deadline_ms = UINT64_MAX;

IntervalTimer& timer_of(Process& process, TimerKind kind) { return process.timers[int(kind)]; }

struct TickScan {
    uint64_t now_ms;
    uint64_t next_deadline_ms;
};

void fire_real_timer_if_due(Process& process, void* context) {
    auto& scan = *static_cast<TickScan*>(context);
    IntervalTimer& timer = timer_of(process, TimerKind::Real);
    if (timer.value_ms == 0 || process.state != ProcessState::Running) return;
    if (timer.value_ms <= scan.now_ms) {
        send_signal(process, SIGALRM);  // SignalInfo's default: SI_KERNEL
        if (timer.interval_ms == 0) {
            timer.value_ms = 0;
            return;
        }
        uint64_t late = scan.now_ms - timer.value_ms;
        timer.value_ms += (late / timer.interval_ms + 1) * timer.interval_ms;
    }
    if (timer.value_ms < scan.next_deadline_ms) scan.next_deadline_ms = timer.value_ms;
}

// One tick of CPU time for a CPU-time timer.
void count_down(Process& process, TimerKind kind) {
    IntervalTimer& timer = timer_of(process, kind);
    if (timer.value_ms == 0) return;
    constexpr uint64_t TICK_MS = 1000 / monotonic_clock::TICKS_PER_SECOND;
    if (timer.value_ms > TICK_MS) {
        timer.value_ms -= TICK_MS;
        return;
    }
    send_signal(process, SIGNAL_OF[int(kind)]);
    timer.value_ms = timer.interval_ms;
}

// From the timer interrupt (interrupts off).
void on_tick(uint64_t now_ms, bool in_user_mode) {
    Thread& running = scheduler::current();
    if (Process* process_running = running.process) {  // not a kernel thread
        Process& process = *process_running;
        if (in_user_mode) count_down(process, TimerKind::Virtual);
        count_down(process, TimerKind::Profiling);
    }
    posix_timers::on_tick(now_ms, running.process, running.user_thread ? running.user_thread->tid : 0);
    if (now_ms < earliest_deadline_ms) return;
    TickScan scan{now_ms, UINT64_MAX};
    for_each_process(fire_real_timer_if_due, &scan);
    earliest_deadline_ms = scan.next_deadline_ms;
}

}  // namespace

TimerSetting timer_setting(const Process& process, TimerKind kind) {
    InterruptGuard atomic;
    const IntervalTimer& timer = process.timers[int(kind)];
    if (kind != TimerKind::Real || timer.value_ms == 0) return {timer.value_ms, timer.interval_ms};
    uint64_t now = monotonic_clock::uptime_ms();
    return {timer.value_ms > now ? timer.value_ms - now : 1, timer.interval_ms};
}

TimerSetting set_timer(TimerKind kind, uint64_t value_ms, uint64_t interval_ms) {
    Process& process = *current_process();
    InterruptGuard atomic;
    TimerSetting old = timer_setting(process, kind);
    IntervalTimer& timer = timer_of(process, kind);
    if (value_ms == 0) {
        timer = IntervalTimer{};
        return old;
    }
    if (kind != TimerKind::Real) {
        timer = IntervalTimer{value_ms, interval_ms};
        return old;
    }
    timer = IntervalTimer{monotonic_clock::uptime_ms() + value_ms, interval_ms};
    if (timer.value_ms < earliest_deadline_ms) earliest_deadline_ms = timer.value_ms;
    return old;
}

void install_interval_timers() { scheduler::set_tick_hook(on_tick); }
