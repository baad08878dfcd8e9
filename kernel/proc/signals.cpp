// kernel/proc/signals.cpp -- see signals.h.
#include "kernel/proc/signals.h"

#include "drivers/console/console.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/errno.h"
#include "kernel/log.h"
#include "kernel/proc/job_control.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal_frame.h"

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

// SIGCONT acts when it is sent, whatever its disposition: pending stop
// signals are dropped, and a stopped process runs again. Interrupts off.
void continue_process(Process& process) {
    process.signals.pending &= ~STOP_SIGNALS;
    if (!process.stopped) return;
    process.stopped = false;
    process.stop_to_report = false;
    process.continue_to_report = true;
    notify_parent_of_job_change(process, CLD_CONTINUED, SIGCONT);
    if (process.thread) scheduler::wake(*process.thread);
}

// The default action of a stop signal: the process sleeps here, on its way
// back to user mode, until SIGCONT (continue_process) or SIGKILL.
void stop_current_process(Process& process, int signal) {
    InterruptGuard atomic;
    process.stopped = true;
    process.stop_signal = signal;
    process.stop_to_report = true;
    process.continue_to_report = false;
    notify_parent_of_job_change(process, CLD_STOPPED, signal);
    while (process.stopped && !(process.signals.pending & signal_bit(SIGKILL))) scheduler::block_current();
    process.stopped = false;
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

void queue_signal(Process& process, int signal, const SignalInfo& info, bool forced) {
    InterruptGuard atomic;
    if (process.state != ProcessState::Running) return;
    SignalState& state = process.signals;
    // A stop and a continue cancel each other: the later one wins.
    if (signal == SIGCONT) continue_process(process);
    if (is_stop_signal(signal)) state.pending &= ~signal_bit(SIGCONT);
    if (is_ignored(process, signal, forced)) return;
    if (!(state.pending & signal_bit(signal))) state.info[signal - 1] = info;
    state.pending |= signal_bit(signal);
    // A process asleep in a system call is woken so it can notice: sleeps
    // that a signal may cut short end with EINTR (scheduler::signal_pending);
    // others re-check their condition and sleep again, and the signal acts
    // when that call returns.
    if ((state.pending & ~state.blocked) && process.thread && process.thread->state == ThreadState::Blocked) {
        scheduler::wake(*process.thread);
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

// The lowest-numbered deliverable signal, SIGKILL first; 0 if none.
int next_deliverable(const SignalState& state) {
    uint64_t deliverable = state.pending & ~state.blocked;
    if (!deliverable) return 0;
    if (deliverable & signal_bit(SIGKILL)) return SIGKILL;
    for (int signal = 1; signal <= SIGNAL_COUNT; ++signal) {
        if (deliverable & signal_bit(signal)) return signal;
    }
    return 0;
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
    exit_current_process(killed_by_signal(signal));
}

// Runs the handler of `signal`: its frame on the user stack, its mask.
void run_handler(Process& process, int signal, const SignalInfo& info, InterruptFrame& frame) {
    SignalState& state = process.signals;
    SignalAction action = state.actions[signal - 1];
    // SA_RESETHAND: only the handler goes back to SIG_DFL; Linux keeps the
    // flags and the mask, and rt_sigaction reports them.
    if (action.flags & SA_RESETHAND) state.actions[signal - 1].handler = SIG_DFL;
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
    if (push_signal_frame(frame, signal, action, info, mask_to_restore).is_error()) {
        // No room for the frame (a bad stack pointer): like Linux, SIGSEGV
        // with its default action.
        kprintf("%s[%d]: cannot deliver signal %d: the stack at %#x is not writable\n", process.name,
                process.pid, signal, frame.user_esp);
        exit_current_process(killed_by_signal(SIGSEGV));
    }
    state.blocked |= action.mask;
    if (!(action.flags & SA_NODEFER)) state.blocked |= signal_bit(signal);
    state.blocked &= ~UNBLOCKABLE;
}

}  // namespace

void send_signal(Process& process, int signal, const SignalInfo& info) { queue_signal(process, signal, info, false); }

void force_signal(Process& process, int signal, const SignalInfo& info) {
    {
        InterruptGuard atomic;
        SignalAction& action = process.signals.actions[signal - 1];
        if (action.handler == SIG_IGN || (process.signals.blocked & signal_bit(signal))) {
            action.handler = SIG_DFL;
            process.signals.blocked &= ~signal_bit(signal);
        }
    }
    queue_signal(process, signal, info, true);
}

Result<void> send_signal_to_process(int pid, int signal, const SignalInfo& info) {
    if (signal < 0 || signal > SIGNAL_COUNT) return Error(EINVAL);
    Process* process = find_process(pid);
    if (!process || process->state != ProcessState::Running) return Error(ESRCH);
    if (signal != 0) send_signal(*process, signal, info);
    return {};
}

Result<void> send_signal_to_group(int process_group, int signal, const SignalInfo& info) {
    if (signal < 0 || signal > SIGNAL_COUNT) return Error(EINVAL);
    GroupSignal request{process_group, signal, &info, false};
    for_each_process(signal_if_in_group, &request);
    return request.found ? Result<void>() : Result<void>(Error(ESRCH));
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
        // POSIX: setting a pending signal to be ignored discards it.
        if (is_ignored(process, signal)) process.signals.pending &= ~signal_bit(signal);
    }
    return {};
}

Result<void> change_blocked_signals(int how, const uint64_t* set, uint64_t* old_set) {
    constexpr int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    SignalState& state = current_process()->signals;
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

bool has_deliverable_signal(const Process& process) {
    return (process.signals.pending & ~process.signals.blocked) != 0;
}

Result<void> suspend_until_signal(uint64_t mask) {
    Process& process = *current_process();
    InterruptGuard atomic;
    SignalState& state = process.signals;
    state.mask_after_delivery = state.blocked;
    state.restore_mask_after_delivery = true;
    state.blocked = mask & ~UNBLOCKABLE;
    while (!has_deliverable_signal(process)) scheduler::block_current();
    return Error(EINTR);
}

uint64_t replace_blocked_signals(uint64_t mask) {
    SignalState& state = current_process()->signals;
    InterruptGuard atomic;
    uint64_t old_mask = state.blocked;
    state.blocked = mask & ~UNBLOCKABLE;
    return old_mask;
}

void restore_blocked_signals_after_call(uint64_t old_mask, bool interrupted) {
    SignalState& state = current_process()->signals;
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
    child.signals.blocked = parent.signals.blocked;
    child.signals.pending = 0;
}

void reset_signal_handlers_for_exec(Process& process) {
    for (SignalAction& action : process.signals.actions) {
        if (action.handler != SIG_IGN) action = SignalAction{};
    }
}

// A system call that a stop cut short (EINTR) and no handler saw starts
// again once the process continues, as on Linux.
void restart_call_after_stop(SignalState& state, InterruptFrame& frame) {
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

void deliver_pending_signals(InterruptFrame& frame) {
    Process* process = current_process();
    if (!process) return;
    SignalState& state = process->signals;
    bool stopped_or_discarded = false;
    for (;;) {
        SignalInfo info;
        int signal;
        {
            InterruptGuard atomic;
            signal = next_deliverable(state);
            if (!signal) {
                if (state.restore_mask_after_delivery) state.blocked = state.mask_after_delivery;
                state.restore_mask_after_delivery = false;
                if (stopped_or_discarded) restart_call_after_stop(state, frame);
                return;
            }
            state.pending &= ~signal_bit(signal);
            info = state.info[signal - 1];
        }
        if (is_ignored(*process, signal, raised_by_fault(signal, info))) continue;  // became ignored while pending
        if (is_stop_signal(signal) && (signal == SIGSTOP || state.actions[signal - 1].handler == SIG_DFL)) {
            // POSIX: a stop from the terminal or a background read/write
            // does nothing to an orphaned group, which nobody could continue.
            if (signal == SIGSTOP || !process_group_is_orphaned(process->process_group)) {
                stop_current_process(*process, signal);
            }
            stopped_or_discarded = true;
            continue;
        }
        if (signal == SIGKILL || state.actions[signal - 1].handler == SIG_DFL) {
            terminate(*process, signal, info, frame);
        }
        // One handler frame per return to user mode; another pending signal
        // is delivered on the next return (at the latest, its sigreturn).
        run_handler(*process, signal, info, frame);
        return;
    }
}


void install_signals() {
    scheduler::set_signal_pending_check([](Thread& thread) { return has_deliverable_signal(*thread.process); });
    console::set_signal_hook(signal_foreground_group);
    interrupts::set_return_to_user_hook(deliver_pending_signals);
}
