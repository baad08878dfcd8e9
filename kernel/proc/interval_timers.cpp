// kernel/proc/interval_timers.cpp -- see interval_timers.h.
#include "kernel/proc/interval_timers.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/sched/scheduler.h"
#include "kernel/time/monotonic_clock.h"

namespace {

// The earliest armed deadline of any process; UINT64_MAX: none. It may be
// early (a timer disarmed since), never late. Changed with interrupts off.
uint64_t earliest_deadline_ms = UINT64_MAX;

struct TickScan {
    uint64_t now_ms;
    uint64_t next_deadline_ms;
};

void fire_if_due(Process& process, void* context) {
    auto& scan = *static_cast<TickScan*>(context);
    IntervalTimer& timer = process.real_timer;
    if (timer.deadline_ms == 0 || process.state != ProcessState::Running) return;
    if (timer.deadline_ms <= scan.now_ms) {
        send_signal(process, SIGALRM);  // SignalInfo's default: SI_KERNEL
        if (timer.interval_ms == 0) {
            timer.deadline_ms = 0;
            return;
        }
        // Intervals missed while the signal was pending give no more signals.
        uint64_t late = scan.now_ms - timer.deadline_ms;
        timer.deadline_ms += (late / timer.interval_ms + 1) * timer.interval_ms;
    }
    if (timer.deadline_ms < scan.next_deadline_ms) scan.next_deadline_ms = timer.deadline_ms;
}

// From the timer interrupt (interrupts off).
void on_tick(uint64_t now_ms) {
    if (now_ms < earliest_deadline_ms) return;
    TickScan scan{now_ms, UINT64_MAX};
    for_each_process(fire_if_due, &scan);
    earliest_deadline_ms = scan.next_deadline_ms;
}

}  // namespace

TimerSetting real_timer_of(const Process& process) {
    InterruptGuard atomic;
    const IntervalTimer& timer = process.real_timer;
    uint64_t now = monotonic_clock::uptime_ms();
    uint64_t left = timer.deadline_ms == 0 ? 0 : timer.deadline_ms > now ? timer.deadline_ms - now : 1;
    return {left, timer.interval_ms};
}

TimerSetting set_real_timer(uint64_t value_ms, uint64_t interval_ms) {
    Process& process = *current_process();
    InterruptGuard atomic;
    TimerSetting old = real_timer_of(process);
    if (value_ms == 0) {
        process.real_timer = IntervalTimer{};
        return old;
    }
    process.real_timer = IntervalTimer{monotonic_clock::uptime_ms() + value_ms, interval_ms};
    if (process.real_timer.deadline_ms < earliest_deadline_ms) earliest_deadline_ms = process.real_timer.deadline_ms;
    return old;
}

void install_interval_timers() { scheduler::set_tick_hook(on_tick); }
