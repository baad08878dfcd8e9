// kernel/proc/signals.h -- signals: sending, blocking, and what they do.
//
// Layer: processes. A signal sent to a process (kill, Ctrl-C on the
// console, a child's end) or to one of its threads (tgkill, a fault, a
// write to a pipe nobody reads) is marked pending, in the process or in
// that thread; it takes effect when a thread that does not block it next
// returns to user mode, from a system call, an interrupt or the fault
// itself. What it does is the process's disposition for it (rt_sigaction),
// shared by all its threads:
//   - SIG_IGN: nothing (an ignored signal is not even made pending);
//   - SIG_DFL: the default action -- SIGCHLD, SIGWINCH, SIGURG and SIGCONT
//     are ignored; SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU stop the process
//     (all its threads sleep until SIGCONT or SIGKILL; its parent gets SIGCHLD with
//     CLD_STOPPED unless SA_NOCLDSTOP, and wait4 with WUNTRACED reports it;
//     SIGTSTP, SIGTTIN and SIGTTOU are dropped in an orphaned process
//     group); every other signal ends the process, every thread of it
//     ("killed by signal N");
//   - a handler: the kernel builds Linux's i386 signal frame on the user
//     stack (signal_frame.h), and the program runs the handler, which
//     returns through sigreturn/rt_sigreturn to where it was interrupted.
// The first program (init) ignores every signal it has no handler for, SIGKILL
// included, except its own faults -- as on Linux.
// A blocked signal (rt_sigprocmask, or the mask while a handler runs) stays
// pending until it is unblocked. SIGKILL and SIGSTOP can be neither caught,
// blocked nor ignored. Like Linux's standard signals, a signal that is
// already pending is not queued twice.
//
// SIGCONT acts when it is sent, even when ignored or blocked: a stopped
// process continues (its parent gets SIGCHLD with CLD_CONTINUED, wait4
// with WCONTINUED reports it), and pending stop signals are dropped; a stop
// signal sent drops a pending SIGCONT. A system call that a stop cut short
// starts again when the process continues.
//
// A fault (SIGSEGV, SIGFPE, SIGILL) goes through force_signal(): when the
// program blocks or ignores it, the default action is restored first, so a
// fault can never be silently retried forever.
//
// The console's foreground process group receives SIGINT on Ctrl-C
// (job_control.h).
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

struct InterruptFrame;
struct Process;
struct UserThread;

constexpr int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
              SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
              SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23,
              SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGNAL_COUNT = 64;

constexpr uint32_t SIG_DFL = 0, SIG_IGN = 1;

// sa_flags bits (Linux i386 values).
constexpr uint32_t SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_ONSTACK = 0x08000000,
                   SA_RESTORER = 0x04000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000,
                   SA_RESETHAND = 0x80000000;

// siginfo si_code values: who or what sent the signal. Positive codes
// mean the kernel itself (a fault, a child's end); kill() is SI_USER, and
// tkill()/tgkill() -- raise() -- are SI_TKILL.
constexpr int32_t SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6, SEGV_MAPERR = 1, SEGV_ACCERR = 2, FPE_INTDIV = 1,
                  FPE_FLTINV = 7, ILL_ILLOPN = 2, CLD_EXITED = 1, CLD_KILLED = 2,
                  CLD_STOPPED = 5, CLD_CONTINUED = 6;

constexpr uint64_t signal_bit(int signal) { return uint64_t(1) << (signal - 1); }

// One rt_sigaction disposition, as the kernel keeps it.
struct SignalAction {
    uint32_t handler = SIG_DFL;  // SIG_DFL, SIG_IGN or a function address
    uint32_t flags = 0;          // SA_*
    uint32_t restorer = 0;       // with SA_RESTORER: where the handler returns to
    uint64_t mask = 0;           // blocked while the handler runs
};

// What the handler's siginfo_t will say about one pending signal.
struct SignalInfo {
    int32_t code = SI_KERNEL;
    int32_t sender_pid = 0;
    uint32_t sender_uid = 0;
    uint32_t fault_address = 0;  // SIGSEGV, SIGFPE, SIGILL
    int32_t child_status = 0;    // SIGCHLD: exit code or signal
    uint32_t value = 0;          // SI_QUEUE, SI_TIMER: the sigval the sender chose
    int32_t timer_id = 0;        // SI_TIMER: which timer, and how many
    int32_t overrun = 0;         // expiries were missed while it was pending
};

// sigaltstack: a thread's alternate stack for handlers with SA_ONSTACK.
constexpr uint32_t SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1u << 31;
constexpr uint32_t MINIMUM_SIGNAL_STACK = 2048;  // MINSIGSTKSZ on i386
struct AlternateStack {
    uint32_t base = 0;
    uint32_t size = 0;  // 0: none (SS_DISABLE)
    bool auto_disarm = false;
    // Is `stack_pointer` on it? (It grows down from base + size.)
    bool holds(uint32_t stack_pointer) const {
        return size != 0 && stack_pointer > base && stack_pointer - base <= size;
    }
};

// A process's signal state, shared by its threads (Linux: sighand_struct
// and the shared pending set of signal_struct): the dispositions, and the
// signals sent to the process as a whole, which any one of its threads
// that does not block them takes.
struct SignalState {
    SignalAction actions[SIGNAL_COUNT];  // index: signal - 1
    SignalInfo info[SIGNAL_COUNT];       // of each pending signal
    uint64_t pending = 0;
};

// One thread's own (Linux: task_struct's blocked, pending, restart_block):
// the signals sent to it alone (tgkill, its faults, SIGPIPE of its write),
// its mask, and the state of its system call that a signal cut short.
struct ThreadSignalState {
    SignalInfo info[SIGNAL_COUNT];
    uint64_t pending = 0;
    uint64_t blocked = 0;
    // rt_sigsuspend: the mask to put back once a signal was delivered.
    uint64_t mask_after_delivery = 0;
    bool restore_mask_after_delivery = false;
    // A system call that just ended with EINTR and may be made again when
    // the handler of the interrupting signal has SA_RESTART; 0: none.
    uint32_t restartable_call = 0;
    // The same for a stop that no handler saw: the call goes on once the
    // process continues (Linux's restart of ERESTARTNOHAND and friends).
    uint32_t call_to_resume_after_stop = 0;
    // A timed sleep that a stop cut short goes on as restart_syscall (0)
    // until this monotonic deadline, in ms (0: none), as Linux's restart_block.
    bool resume_sleep_after_stop = false;
    uint64_t sleep_resume_deadline_ms = 0;
    AlternateStack alternate_stack;
    // rt_sigtimedwait: the signals the thread sleeps for (blocked, yet
    // they wake it); 0 when not waiting.
    uint64_t waiting_for = 0;
};

// Marks `signal` pending in `process` as a whole, unless it is ignored;
// the first of its threads that does not block it acts on it (and is woken
// if it sleeps). `info` says where it came from.
void send_signal(Process& process, int signal, const SignalInfo& info = SignalInfo{});
// The same for one thread (tgkill; the SIGPIPE or SIGXFSZ of its own call).
void send_signal_to_thread(UserThread& thread, int signal, const SignalInfo& info = SignalInfo{});
void send_signal_to_current_thread(int signal, const SignalInfo& info = SignalInfo{});
// For faults, to the calling thread: makes sure the signal is acted on --
// a blocked or ignored one gets its default action back (Linux's force_sig).
void force_signal(int signal, const SignalInfo& info);
// kill(): EINVAL for a bad signal number, ESRCH when nothing matched.
// Signal 0 only checks that the target exists.
Result<void> send_signal_to_process(int pid, int signal, const SignalInfo& info = SignalInfo{});
Result<void> send_signal_to_group(int process_group, int signal, const SignalInfo& info = SignalInfo{});
// tgkill(thread_group, tid) and, with thread_group 0, tkill(tid).
Result<void> send_signal_to_thread_id(int thread_group, int tid, int signal, const SignalInfo& info);

// A POSIX timer expired `expiries` times more (posix_timers.h): if its
// last signal is still pending (for `target`, or the process when
// nullptr), that signal's si_overrun grows by as many and true says the
// timer need not send another. Interrupts off.
bool count_timer_overrun(Process& process, UserThread* target, int signal, int timer_id, int32_t expiries);

// rt_sigaction for the current process: EINVAL for a bad number, SIGKILL or SIGSTOP.
Result<void> change_signal_action(int signal, const SignalAction* new_action, SignalAction* old_action);
// rt_sigprocmask, for the calling thread: how = SIG_BLOCK (0), SIG_UNBLOCK (1), SIG_SETMASK (2).
Result<void> change_blocked_signals(int how, const uint64_t* set, uint64_t* old_set);
// Would a pending signal (or the stop or end of its process) interrupt the
// calling thread's sleep?
bool has_deliverable_signal();
// The signals pending for `thread`: its own and its process's.
uint64_t pending_signals_of(const UserThread& thread);
// rt_sigsuspend: waits with `mask` blocked until a signal is delivered
// (the old mask comes back after it). Always EINTR.
Result<void> suspend_until_signal(uint64_t mask);
// rt_sigtimedwait: takes a pending signal of `set` (the thread's own
// first) without running its handler, waiting for one until the monotonic
// `deadline_ms` (UINT64_MAX: none; EAGAIN when it passes) or until another
// signal is delivered (EINTR). Returns the signal and what it says.
struct TakenSignal {
    int signal;
    SignalInfo info;
};
Result<TakenSignal> wait_for_signal_in(uint64_t set, uint64_t deadline_ms);
// stack_t, as sigaltstack and a ucontext's uc_stack describe a stack.
struct StackSetting {
    uint32_t base, flags, size;
};
// sigaltstack, for the calling thread, whose program's stack pointer is
// `stack_pointer`: returns the old setting; with `new_setting`, EPERM while
// running on the stack, EINVAL for bad flags, ENOMEM when smaller than
// MINSIGSTKSZ.
Result<StackSetting> change_alternate_stack(const StackSetting* new_setting, uint32_t stack_pointer);
// The setting of `stack` seen from `stack_pointer` (SS_ONSTACK when on it).
StackSetting describe_alternate_stack(const AlternateStack& stack, uint32_t stack_pointer);

// ppoll and pselect6 wait with another mask: replace_blocked_signals()
// installs it and returns the old one; restore_blocked_signals_after_call()
// puts the old one back -- at once, or, when the call was interrupted,
// after the interrupting signal's handler was set up (as rt_sigsuspend).
uint64_t replace_blocked_signals(uint64_t mask);
void restore_blocked_signals_after_call(uint64_t old_mask, bool interrupted);

// fork: the child has the parent's dispositions, nothing pending (its
// thread has the mask of the thread that forked: user_thread.h).
void inherit_signals(Process& child, const Process& parent);
// execve: handlers are gone with the old program (back to SIG_DFL);
// ignored signals stay ignored, the mask and pending signals stay.
void reset_signal_handlers_for_exec(Process& process);

// On the way back to user mode: acts on the calling thread's deliverable
// signals -- ends the thread or the process, stops it, or redirects
// `frame` into a handler.
void deliver_pending_signals(InterruptFrame& frame);

// The console's foreground process group (kept by job_control.cpp).
int console_foreground_group();

// Wires Ctrl-C on the console and the return-to-user hook.
void install_signals();
