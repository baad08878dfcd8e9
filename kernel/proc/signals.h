// kernel/proc/signals.h -- signals, with their default actions.
//
// Layer: processes. A signal sent to a process (kill, Ctrl-C on the
// console, a write to a pipe nobody reads) is marked pending; it takes
// effect when the process next returns to user mode, from a system call or
// an interrupt. Dispositions are SIG_DFL and SIG_IGN: the default action of
// SIGCHLD, SIGWINCH and SIGURG is to ignore, of every other signal to end
// the process ("killed by signal N"); SIGKILL cannot be ignored. Handlers
// in the program (a function address) are recorded by rt_sigaction but not
// yet run: such a signal gets its default action, and the kernel log says so.
//
// The console's foreground process group receives SIGINT on Ctrl-C.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

struct InterruptFrame;
struct Process;

constexpr int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGSEGV = 11, SIGPIPE = 13, SIGTERM = 15,
              SIGCHLD = 17, SIGURG = 23, SIGWINCH = 28, SIGNAL_COUNT = 64;

void send_signal(Process& process, int signal);
// EINVAL for a bad signal number, ESRCH when nothing matched.
Result<void> send_signal_to_process(int pid, int signal);
Result<void> send_signal_to_group(int process_group, int signal);

// The disposition table of the current process: records `handler`
// (0 = SIG_DFL, 1 = SIG_IGN, else an address) and returns the old one.
Result<uint32_t> set_signal_disposition(int signal, uint32_t handler);

// On the way back to user mode: acts on the current process's pending signals.
void deliver_pending_signals(InterruptFrame& frame);

int console_foreground_group();
void set_console_foreground_group(int process_group);

// Wires Ctrl-C on the console and the return-to-user hook.
void install_signals();
