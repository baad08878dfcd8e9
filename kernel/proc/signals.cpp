// kernel/proc/signals.cpp -- see signals.h.
#include "kernel/proc/signals.h"

#include "drivers/console/console.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/errno.h"
#include "kernel/log.h"
#include "kernel/proc/process.h"

namespace {

int foreground_group = 1;

uint64_t bit(int signal) { return uint64_t(1) << (signal - 1); }

bool ignored_by_default(int signal) { return signal == SIGCHLD || signal == SIGWINCH || signal == SIGURG; }

struct GroupSignal {
    int group, signal;
    bool found;
};

void signal_if_in_group(Process& process, void* context) {
    auto* request = static_cast<GroupSignal*>(context);
    if (process.process_group != request->group || process.state != ProcessState::Running) return;
    send_signal(process, request->signal);
    request->found = true;
}

void on_console_interrupt() {
    // ESRCH (nobody in the group, e.g. only the monitor runs) is fine.
    auto sent = send_signal_to_group(foreground_group, SIGINT);
    (void)sent;
}

}  // namespace

void send_signal(Process& process, int signal) {
    InterruptGuard atomic;
    if (signal != SIGKILL && (process.ignored_signals & bit(signal))) return;
    if (signal != SIGKILL && ignored_by_default(signal)) return;
    process.pending_signals |= bit(signal);
    // A process asleep in a system call is woken so it can notice: sleeps
    // (nanosleep) end with EINTR; waits for a condition re-check it and
    // sleep again, so the signal acts when that call returns.
    if (process.thread && process.thread->state == ThreadState::Blocked) scheduler::wake(*process.thread);
}

Result<void> send_signal_to_process(int pid, int signal) {
    if (signal < 0 || signal > SIGNAL_COUNT) return Error(EINVAL);
    Process* process = find_process(pid);
    if (!process || process->state != ProcessState::Running) return Error(ESRCH);
    if (signal != 0) send_signal(*process, signal);
    return {};
}

Result<void> send_signal_to_group(int process_group, int signal) {
    if (signal < 0 || signal > SIGNAL_COUNT) return Error(EINVAL);
    GroupSignal request{process_group, signal, false};
    if (signal != 0) for_each_process(signal_if_in_group, &request);
    return request.found ? Result<void>() : Result<void>(Error(ESRCH));
}

Result<uint32_t> set_signal_disposition(int signal, uint32_t handler) {
    if (signal < 1 || signal > SIGNAL_COUNT || signal == SIGKILL || signal == 19 /* SIGSTOP */) return Error(EINVAL);
    Process& process = *current_process();
    uint32_t old = (process.ignored_signals & bit(signal)) ? 1 : 0;
    if (handler == 1) process.ignored_signals |= bit(signal);
    else process.ignored_signals &= ~bit(signal);
    if (handler > 1) {
        log_warning("%s[%d]: a handler for signal %d was set; handlers do not run yet (default action)",
                    process.name, process.pid, signal);
    }
    return old;
}

void deliver_pending_signals(InterruptFrame&) {
    Process* process = current_process();
    if (!process || !process->pending_signals) return;
    for (int signal = 1; signal <= SIGNAL_COUNT; ++signal) {
        if (!(process->pending_signals & bit(signal))) continue;
        process->pending_signals &= ~bit(signal);
        if (signal != SIGKILL && (process->ignored_signals & bit(signal))) continue;
        exit_current_process(killed_by_signal(signal));
    }
}

int console_foreground_group() { return foreground_group; }
void set_console_foreground_group(int process_group) { foreground_group = process_group; }

void install_signals() {
    console::set_interrupt_hook(on_console_interrupt);
    interrupts::set_return_to_user_hook(deliver_pending_signals);
}
