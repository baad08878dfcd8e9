// kernel/proc/signals.cpp -- see signals.h.
#include "kernel/proc/signals.h"

#include "drivers/console/console.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/errno.h"
#include "kernel/log.h"
#include "kernel/proc/job_control.h"
#include "kernel/proc/posix_timers.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal_frame.h"
#include "kernel/proc/user_thread.h"

namespace {

constexpr uint64_t UNBLOCKABLE = signal_bit(SIGKILL) | signal_bit(SIGSTOP);
constexpr uint64_t FAULT_SIGNALS = signal_bit(SIGSEGV) | signal_bit(SIGBUS) | signal_bit(SIGFPE) | signal_bit(SIGILL);

bool valid_signal(int signal) { return signal >= 1 && signal <= SIGNAL_COUNT; }

// A fault of the program's own (not the same signal sent by kill or raise).
bool raised_by_fault(int signal, const SignalInfo& info) {
    return (FAULT_SIGNALS & signal_bit(signal)) && info.code > 0;
}

constexpr uint64_t STOP_SIGNALS =
    signal_bit(SIGSTOP) | signal_bit(SIGTSTP) | signal_bit(SIGTTIN) | signal_bit(SIGTTOU);

bool is_stop_signal(int signal) { return STOP_SIGNALS & signal_bit(signal); }

// The default action: true to ignore; the stop signals stop (is_stop_signal);
// every other signal ends the process.
bool ignored_by_default(int signal) {
    switch (signal) {
    case SIGCHLD:
    case SIGWINCH:
    case SIGURG:
    case SIGCONT: return true;
    default: return false;
    }
}

// The parent learns that its child stopped or continued: its wait4 looks
// again, and SIGCHLD comes unless the parent asked for SA_NOCLDSTOP.
// Interrupts off.
void notify_parent_of_job_change(Process& child, int32_t code, int status) {
    Process* parent = child.parent;
    if (!parent || parent->state != ProcessState::Running) return;
    parent->children_changed.wake_all();
    if (parent->signals.actions[SIGCHLD - 1].flags & SA_NOCLDSTOP) return;
    SignalInfo info;
    info.code = code;
    info.sender_pid = child.pid;
    info.sender_uid = child.credentials.uid;
    info.child_status = status;
    send_signal(*parent, SIGCHLD, info);
}

// Every thread of `process` that sleeps wakes up to look again (a stop, a
// continue, the end of the group). Interrupts off.
void wake_all_threads(Process& process) {
    for (UserThread& thread : process.threads) {
        if (thread.thread->state == ThreadState::Blocked) scheduler::wake(*thread.thread);
    }
}

// A thread's signals to act on, its own and its process's, SIGKILL first;
// 0 if none.
uint64_t deliverable_set(const UserThread& thread) {
    return (thread.signals.pending | thread.process->signals.pending) & ~thread.signals.blocked;
}

// SIGCONT acts when it is sent, whatever its disposition: pending stop
// signals are dropped, and a stopped process runs again. Interrupts off.
void continue_process(Process& process) {
    process.signals.pending &= ~STOP_SIGNALS;
    for (UserThread& thread : process.threads) thread.signals.pending &= ~STOP_SIGNALS;
    if (!process.stopped) return;
    process.stopped = false;
    process.stop_to_report = false;
    process.continue_to_report = true;
    notify_parent_of_job_change(process, CLD_CONTINUED, SIGCONT);
    wake_all_threads(process);
}

// Should `thread` stay stopped? Until SIGCONT (continue_process), or SIGKILL
// or the group's end.
bool stays_stopped(const UserThread& thread) {
    const Process& process = *thread.process;
    uint64_t kill = signal_bit(SIGKILL);
    return process.stopped && !thread.must_exit && !((thread.signals.pending | process.signals.pending) & kill);
}

// A stopped process's threads sleep here, each on its way back to user
// mode, until the process continues. Interrupts off.
void sleep_while_stopped(UserThread& thread) {
    while (stays_stopped(thread)) scheduler::block_current();
}

// The default action of a stop signal: the whole process stops. The
// other threads are woken to find it stopped (Linux's group stop).
void stop_current_process(UserThread& thread, int signal) {
    Process& process = *thread.process;
    InterruptGuard atomic;
    process.stopped = true;
    process.stop_signal = signal;
    process.stop_to_report = true;
    process.continue_to_report = false;
    notify_parent_of_job_change(process, CLD_STOPPED, signal);
    wake_all_threads(process);
    sleep_while_stopped(thread);
}

// init is special as on Linux: a signal it has no handler for is
// ignored, SIGKILL included, so Ctrl-C or a stray kill cannot take the
// console's shell keeper away. Only its own faults (forced) end it.
bool is_ignored(const Process& process, int signal, bool forced = false) {
    uint32_t handler = process.signals.actions[signal - 1].handler;
    if (process.is_init && !forced && (handler == SIG_DFL || signal == SIGKILL || signal == SIGSTOP)) {
        return true;
    }
    if (signal == SIGKILL || signal == SIGSTOP) return false;
    return handler == SIG_IGN || (handler == SIG_DFL && ignored_by_default(signal));
}

// The thread that takes a signal sent to the whole process: the calling
// thread if it is one of the process's and does not block it, else the
// first that does not; nullptr when all block it (it stays pending for
// the first that unblocks it). Interrupts off.
UserThread* taker_of(Process& process, int signal) {
    UserThread* self = current_user_thread();
    if (self && self->process == &process && !(self->signals.blocked & signal_bit(signal))) return self;
    for (UserThread& thread : process.threads) {
        if (!(thread.signals.blocked & signal_bit(signal))) return &thread;
    }
    return nullptr;
}

// A thread of `process` in rt_sigtimedwait for `signal`, which it blocks;
// nullptr if none. Interrupts off.
UserThread* waiter_for(Process& process, int signal) {
    for (UserThread& thread : process.threads) {
        if (thread.signals.waiting_for & signal_bit(signal)) return &thread;
    }
    return nullptr;
}

// Marks `signal` pending for `target` (one thread) or, without one, for the
// process, and wakes a thread to act on it.
void queue_signal(Process& process, UserThread* target, int signal, const SignalInfo& info, bool forced) {
    InterruptGuard atomic;
    if (process.state != ProcessState::Running) return;
    // A stop and a continue cancel each other: the later one wins.
    if (signal == SIGCONT) continue_process(process);
    if (is_stop_signal(signal)) {
        process.signals.pending &= ~signal_bit(SIGCONT);
        for (UserThread& thread : process.threads) thread.signals.pending &= ~signal_bit(SIGCONT);
    }
    // As Linux's sig_ignored: a blocked signal is never dropped -- its
    // handler may change before it is unblocked, or sigwait may take it.
    const UserThread* blocker = target ? target : process.threads.front();
    bool blocked = blocker && (blocker->signals.blocked & signal_bit(signal));
    if (!blocked && is_ignored(process, signal, forced)) return;
    uint64_t& pending = target ? target->signals.pending : process.signals.pending;
    SignalInfo* infos = target ? target->signals.info : process.signals.info;
    if (!(pending & signal_bit(signal))) infos[signal - 1] = info;
    pending |= signal_bit(signal);
    // A thread asleep in a system call is woken so it can notice: sleeps
    // that a signal may cut short end with EINTR (scheduler::signal_pending);
    // others re-check their condition and sleep again, and the signal acts
    // when that call returns. SIGKILL wakes them all: the group ends.
    if (signal == SIGKILL) {
        wake_all_threads(process);
        return;
    }
    UserThread* taker = target ? target : taker_of(process, signal);
    if (!taker) taker = waiter_for(process, signal);
    if (taker && ((deliverable_set(*taker) | taker->signals.waiting_for) & signal_bit(signal)) &&
        taker->thread->state == ThreadState::Blocked) {
        scheduler::wake(*taker->thread);
    }
}

struct GroupSignal {
    int group, signal;
    const SignalInfo* info;
    bool found;
};

void signal_if_in_group(Process& process, void* context) {
    auto* request = static_cast<GroupSignal*>(context);
    if (process.process_group != request->group || process.state != ProcessState::Running) return;
    send_signal(process, request->signal, *request->info);
    request->found = true;
}

// The lowest-numbered signal `thread` can act on, SIGKILL first; 0 if none.
int next_deliverable(const UserThread& thread) {
    uint64_t deliverable = deliverable_set(thread);
    if (!deliverable) return 0;
    if (deliverable & signal_bit(SIGKILL)) return SIGKILL;
    for (int signal = 1; signal <= SIGNAL_COUNT; ++signal) {
        if (deliverable & signal_bit(signal)) return signal;
    }
    return 0;
}

// Takes `signal` off the thread's own pending set, or else the process's
// (Linux dequeues the thread's first), with what it says. Interrupts off.
SignalInfo take_pending(UserThread& thread, int signal) {
    ThreadSignalState& own = thread.signals;
    SignalState& shared = thread.process->signals;
    SignalInfo info;
    if (own.pending & signal_bit(signal)) {
        own.pending &= ~signal_bit(signal);
        info = own.info[signal - 1];
    } else {
        shared.pending &= ~signal_bit(signal);
        info = shared.info[signal - 1];
    }
    // A timer's signal tells its timer the overruns it carried (timer_getoverrun).
    if (info.code == SI_TIMER) posix_timers::signal_taken(*thread.process, info.timer_id, info.overrun);
    return info;
}

// The default action that ends a process; faults say where, as Linux does.
[[noreturn]] void terminate(Process& process, int signal, const SignalInfo& info, const InterruptFrame& frame) {
    if (raised_by_fault(signal, info)) {
        const char* what = signal == SIGSEGV ? "segfault"
                           : signal == SIGFPE ? "arithmetic fault"
                           : signal == SIGILL ? "illegal instruction"
                                              : "bus error";
        kprintf("%s[%d]: %s at %#x ip %#x sp %#x in %s\n", process.name, process.pid, what, info.fault_address,
                frame.eip, frame.user_esp, process.name);
    }
    exit_thread_group(killed_by_signal(signal));
}

// Runs the handler of `signal`: its frame on the user stack, its mask.
void run_handler(UserThread& thread, int signal, const SignalInfo& info, InterruptFrame& frame) {
    Process& process = *thread.process;
    ThreadSignalState& state = thread.signals;
    SignalAction action = process.signals.actions[signal - 1];
    // SA_RESETHAND: only the handler goes back to SIG_DFL; Linux keeps the
    // flags and the mask, and rt_sigaction reports them.
    if (action.flags & SA_RESETHAND) process.signals.actions[signal - 1].handler = SIG_DFL;
    // A call interrupted by this signal starts again after the handler
    // with SA_RESTART: back to its `int 0x80` (2 bytes), number in EAX.
    if (state.restartable_call && frame.vector == interrupts::SYSCALL_VECTOR && int32_t(frame.eax) == -EINTR &&
        (action.flags & SA_RESTART)) {
        frame.eax = state.restartable_call;
        frame.eip -= 2;
    }
    state.restartable_call = state.call_to_resume_after_stop = 0;
    state.resume_sleep_after_stop = false;  // a handler ran: the sleep ends with EINTR
    state.sleep_resume_deadline_ms = 0;
    uint64_t mask_to_restore = state.restore_mask_after_delivery ? state.mask_after_delivery : state.blocked;
    state.restore_mask_after_delivery = false;
    if (push_signal_frame(frame, signal, action, info, mask_to_restore, state.alternate_stack).is_error()) {
        // No room for the frame (a bad stack pointer): like Linux, SIGSEGV
        // with its default action.
        kprintf("%s[%d]: cannot deliver signal %d: the stack at %#x is not writable\n", process.name,
                process.pid, signal, frame.user_esp);
        exit_thread_group(killed_by_signal(SIGSEGV));
    }
    state.blocked |= action.mask;
    if (!(action.flags & SA_NODEFER)) state.blocked |= signal_bit(signal);
    state.blocked &= ~UNBLOCKABLE;
}

}  // namespace

void send_signal(Process& process, int signal, const SignalInfo& info) {
    queue_signal(process, nullptr, signal, info, false);
}

void send_signal_to_thread(UserThread& thread, int signal, const SignalInfo& info) {
    queue_signal(*thread.process, &thread, signal, info, false);
}

void send_signal_to_current_thread(int signal, const SignalInfo& info) {
    send_signal_to_thread(*current_user_thread(), signal, info);
}

void force_signal(int signal, const SignalInfo& info) {
    UserThread& thread = *current_user_thread();
    Process& process = *thread.process;
    {
        InterruptGuard atomic;
        SignalAction& action = process.signals.actions[signal - 1];
        if (action.handler == SIG_IGN || (thread.signals.blocked & signal_bit(signal))) {
            action.handler = SIG_DFL;
            thread.signals.blocked &= ~signal_bit(signal);
        }
    }
    queue_signal(process, &thread, signal, info, true);
}

Result<void> send_signal_to_process(int pid, int signal, const SignalInfo& info) {
    if (signal < 0 || signal > SIGNAL_COUNT) return Error(EINVAL);
    Process* process = find_process(pid);
    if (!process || process->state != ProcessState::Running) return Error(ESRCH);
    if (signal != 0) send_signal(*process, signal, info);
    return {};
}

Result<void> send_signal_to_thread_id(int thread_group, int tid, int signal, const SignalInfo& info) {
    if (signal < 0 || signal > SIGNAL_COUNT) return Error(EINVAL);
    InterruptGuard atomic;
    UserThread* thread = nullptr;
    if (thread_group > 0) {
        Process* process = find_process(thread_group);
        thread = process ? find_thread_in(*process, tid) : nullptr;
    } else {
        thread = find_thread(tid);
    }
    if (!thread) return Error(ESRCH);
    if (signal != 0) send_signal_to_thread(*thread, signal, info);
    return {};
}

Result<void> send_signal_to_group(int process_group, int signal, const SignalInfo& info) {
    if (signal < 0 || signal > SIGNAL_COUNT) return Error(EINVAL);
    GroupSignal request{process_group, signal, &info, false};
    for_each_process(signal_if_in_group, &request);
    return request.found ? Result<void>() : Result<void>(Error(ESRCH));
}

bool count_timer_overrun(Process& process, UserThread* target, int signal, int timer_id, int32_t expiries) {
    uint64_t pending = target ? target->signals.pending : process.signals.pending;
    SignalInfo* infos = target ? target->signals.info : process.signals.info;
    if (!(pending & signal_bit(signal))) return false;
    SignalInfo& info = infos[signal - 1];
    if (info.code != SI_TIMER || info.timer_id != timer_id) return false;
    info.overrun += expiries;
    return true;
}

Result<void> change_signal_action(int signal, const SignalAction* new_action, SignalAction* old_action) {
    if (!valid_signal(signal)) return Error(EINVAL);
    if (new_action && (signal == SIGKILL || signal == SIGSTOP)) return Error(EINVAL);
    Process& process = *current_process();
    InterruptGuard atomic;
    SignalAction& action = process.signals.actions[signal - 1];
    if (old_action) *old_action = action;
    if (new_action) {
        action = *new_action;
        action.mask &= ~UNBLOCKABLE;
        // POSIX: setting a pending signal to be ignored discards it, in every thread.
        if (is_ignored(process, signal)) {
            process.signals.pending &= ~signal_bit(signal);
            for (UserThread& thread : process.threads) thread.signals.pending &= ~signal_bit(signal);
        }
    }
    return {};
}

Result<void> change_blocked_signals(int how, const uint64_t* set, uint64_t* old_set) {
    constexpr int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    ThreadSignalState& state = current_user_thread()->signals;
    if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) return Error(EINVAL);
    InterruptGuard atomic;
    if (old_set) *old_set = state.blocked;
    if (!set) return {};
    if (how == SIG_BLOCK) state.blocked |= *set;
    else if (how == SIG_UNBLOCK) state.blocked &= ~*set;
    else state.blocked = *set;
    state.blocked &= ~UNBLOCKABLE;
    return {};
}

// Should an interruptible sleep of `thread` end (EINTR)? For a signal to
// act on, and for the stop or end of its process.
static bool should_stop_sleeping(const UserThread& thread) {
    return thread.must_exit || thread.process->exiting || thread.process->stopped || deliverable_set(thread) != 0;
}

bool has_deliverable_signal() {
    UserThread* thread = current_user_thread();
    return thread && should_stop_sleeping(*thread);
}

uint64_t pending_signals_of(const UserThread& thread) {
    return thread.signals.pending | thread.process->signals.pending;
}

Result<void> suspend_until_signal(uint64_t mask) {
    ThreadSignalState& state = current_user_thread()->signals;
    InterruptGuard atomic;
    state.mask_after_delivery = state.blocked;
    state.restore_mask_after_delivery = true;
    state.blocked = mask & ~UNBLOCKABLE;
    while (!has_deliverable_signal()) scheduler::block_current();
    return Error(EINTR);
}

Result<TakenSignal> wait_for_signal_in(uint64_t set, uint64_t deadline_ms) {
    UserThread& thread = *current_user_thread();
    set &= ~UNBLOCKABLE;  // Linux: SIGKILL and SIGSTOP are never taken this way
    InterruptGuard atomic;
    for (;;) {
        uint64_t waiting = pending_signals_of(thread) & set;
        if (waiting) {
            int signal = 1;
            while (!(waiting & signal_bit(signal))) ++signal;
            return TakenSignal{signal, take_pending(thread, signal)};
        }
        if (has_deliverable_signal()) return Error(EINTR);
        if (deadline_ms != UINT64_MAX) {
            if (WaitQueue::now_ms() >= deadline_ms) return Error(EAGAIN);
            scheduler::arm_wake_deadline(deadline_ms);
        }
        // Sleeps until a signal comes: one of the set wakes it although it
        // may be blocked (the senders wake a thread that waits for it).
        thread.signals.waiting_for = set;
        scheduler::block_current();
        thread.signals.waiting_for = 0;
        scheduler::disarm_wake_deadline(*thread.thread);
    }
}

StackSetting describe_alternate_stack(const AlternateStack& stack, uint32_t stack_pointer) {
    uint32_t flags = stack.holds(stack_pointer) ? SS_ONSTACK : stack.size == 0 ? SS_DISABLE : 0;
    if (stack.auto_disarm) flags |= SS_AUTODISARM;
    return {stack.base, flags, stack.size};
}

Result<StackSetting> change_alternate_stack(const StackSetting* new_setting, uint32_t stack_pointer) {
    AlternateStack& stack = current_user_thread()->signals.alternate_stack;
    StackSetting old = describe_alternate_stack(stack, stack_pointer);
    if (!new_setting) return old;
    if (stack.holds(stack_pointer)) return Error(EPERM);
    uint32_t mode = new_setting->flags & ~SS_AUTODISARM;
    if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE) return Error(EINVAL);
    if (mode == SS_DISABLE) {
        stack = AlternateStack{};
        return old;
    }
    if (new_setting->size < MINIMUM_SIGNAL_STACK) return Error(ENOMEM);
    stack = AlternateStack{new_setting->base, new_setting->size, (new_setting->flags & SS_AUTODISARM) != 0};
    return old;
}

uint64_t replace_blocked_signals(uint64_t mask) {
    ThreadSignalState& state = current_user_thread()->signals;
    InterruptGuard atomic;
    uint64_t old_mask = state.blocked;
    state.blocked = mask & ~UNBLOCKABLE;
    return old_mask;
}

void restore_blocked_signals_after_call(uint64_t old_mask, bool interrupted) {
    ThreadSignalState& state = current_user_thread()->signals;
    InterruptGuard atomic;
    if (interrupted) {
        state.mask_after_delivery = old_mask;
        state.restore_mask_after_delivery = true;
    } else {
        state.blocked = old_mask;
    }
}

void inherit_signals(Process& child, const Process& parent) {
    for (int i = 0; i < SIGNAL_COUNT; ++i) child.signals.actions[i] = parent.signals.actions[i];
    child.signals.pending = 0;
}

void reset_signal_handlers_for_exec(Process& process) {
    for (SignalAction& action : process.signals.actions) {
        if (action.handler != SIG_IGN) action = SignalAction{};
    }
}

namespace {

// A system call that a stop cut short (EINTR) and no handler saw starts
// again once the process continues, as on Linux.
void restart_call_after_stop(ThreadSignalState& state, InterruptFrame& frame) {
    constexpr uint32_t RESTART_SYSCALL = 0;
    if (frame.vector == interrupts::SYSCALL_VECTOR && int32_t(frame.eax) == -EINTR) {
        if (state.resume_sleep_after_stop) {
            frame.eax = RESTART_SYSCALL;
            frame.eip -= 2;
        } else if (state.call_to_resume_after_stop) {
            frame.eax = state.call_to_resume_after_stop;
            frame.eip -= 2;
        }
    }
    state.restartable_call = state.call_to_resume_after_stop = 0;
    state.resume_sleep_after_stop = false;
}

// What the default action of `signal` does here: true when it stopped the
// process or was dropped (and the loop goes on), false when it is not a
// stop signal.
bool act_on_stop_signal(UserThread& thread, int signal) {
    Process& process = *thread.process;
    if (!is_stop_signal(signal) || (signal != SIGSTOP && process.signals.actions[signal - 1].handler != SIG_DFL)) {
        return false;
    }
    // POSIX: a stop from the terminal or a background read/write does
    // nothing to an orphaned group, which nobody could continue.
    if (signal == SIGSTOP || !process_group_is_orphaned(process.process_group)) stop_current_process(thread, signal);
    return true;
}

}  // namespace

void deliver_pending_signals(InterruptFrame& frame) {
    UserThread* thread = current_user_thread();
    if (!thread) return;
    Process& process = *thread->process;
    ThreadSignalState& state = thread->signals;
    bool stopped_or_discarded = false;
    for (;;) {
        SignalInfo info;
        int signal;
        {
            InterruptGuard atomic;
            if (thread->must_exit) {
                cpu::enable_interrupts();
                exit_current_thread(0);
            }
            if (stays_stopped(*thread)) {
                sleep_while_stopped(*thread);  // another thread stopped the process
                stopped_or_discarded = true;
                continue;
            }
            signal = next_deliverable(*thread);
            if (!signal) {
                if (state.restore_mask_after_delivery) state.blocked = state.mask_after_delivery;
                state.restore_mask_after_delivery = false;
                if (stopped_or_discarded) restart_call_after_stop(state, frame);
                return;
            }
            info = take_pending(*thread, signal);
        }
        if (is_ignored(process, signal, raised_by_fault(signal, info))) continue;  // became ignored while pending
        if (act_on_stop_signal(*thread, signal)) {
            stopped_or_discarded = true;
            continue;
        }
        if (signal == SIGKILL || process.signals.actions[signal - 1].handler == SIG_DFL) {
            terminate(process, signal, info, frame);
        }
        // One handler frame per return to user mode; another pending signal
        // is delivered on the next return (at the latest, its sigreturn).
        run_handler(*thread, signal, info, frame);
        return;
    }
}

void install_signals() {
    scheduler::set_signal_pending_check(
        [](Thread& thread) { return thread.user_thread && should_stop_sleeping(*thread.user_thread); });
    console::set_signal_hook(signal_foreground_group);
    interrupts::set_return_to_user_hook(deliver_pending_signals);
}
