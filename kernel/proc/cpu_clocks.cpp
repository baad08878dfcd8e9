// kernel/proc/cpu_clocks.cpp -- see cpu_clocks.h.
#include "kernel/proc/cpu_clocks.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_thread.h"
#include "kernel/time/monotonic_clock.h"

namespace {

constexpr uint32_t CPUCLOCK_SCHED = 2, CPUCLOCK_PERTHREAD_MASK = 4, CPUCLOCK_CLOCK_MASK = 3;

uint64_t ms_of_ticks(uint64_t ticks) { return ticks * 1000 / monotonic_clock::TICKS_PER_SECOND; }

}  // namespace

bool is_cpu_clock(uint32_t clock_id) {
    return clock_id == CLOCK_PROCESS_CPUTIME_ID || clock_id == CLOCK_THREAD_CPUTIME_ID || int32_t(clock_id) < 0;
}

Result<CpuClock> cpu_clock_of(uint32_t clock_id) {
    UserThread& self = *current_user_thread();
    if (clock_id == CLOCK_PROCESS_CPUTIME_ID) return CpuClock{self.process->pid, 0};
    if (clock_id == CLOCK_THREAD_CPUTIME_ID) return CpuClock{self.process->pid, self.tid};
    if (int32_t(clock_id) >= 0 || (clock_id & CPUCLOCK_CLOCK_MASK) != CPUCLOCK_SCHED) return Error(EINVAL);
    int id = int(~int32_t(clock_id) >> 3);  // Linux: pid = ~(clock >> 3); 0 is the caller
    bool per_thread = clock_id & CPUCLOCK_PERTHREAD_MASK;
    InterruptGuard atomic;
    if (per_thread) {
        UserThread* thread = id == 0 ? &self : find_thread(id);
        if (!thread) return Error(ESRCH);
        return CpuClock{thread->process->pid, thread->tid};
    }
    Process* process = id == 0 ? self.process : find_process(id);
    if (!process || process->state != ProcessState::Running) return Error(ESRCH);
    return CpuClock{process->pid, 0};
}

uint64_t thread_cpu_ticks(const UserThread& thread, uint64_t* user_ticks) {
    InterruptGuard atomic;
    if (user_ticks) *user_ticks = thread.thread->user_ticks;
    return thread.thread->ticks_run;
}

Result<uint64_t> cpu_clock_ms(const CpuClock& clock) {
    InterruptGuard atomic;
    Process* process = find_process(clock.pid);
    if (!process) return Error(ESRCH);
    if (clock.tid != 0) {
        UserThread* thread = find_thread_in(*process, clock.tid);
        if (!thread) return Error(ESRCH);
        return ms_of_ticks(thread_cpu_ticks(*thread));
    }
    CpuTime used = cpu_time_of(*process);
    return ms_of_ticks(used.user_ticks + used.system_ticks);
}
