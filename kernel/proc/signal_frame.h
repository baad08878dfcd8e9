// kernel/proc/signal_frame.h -- running a signal handler and coming back.
//
// Layer: processes, at the user ABI. To run a handler, the kernel saves
// the interrupted program's registers on its own user stack, in the frame
// layout of Linux i386, and changes the return-to-user frame so the CPU
// "returns" into the handler as if it had been called (with the direction
// flag clear and clean x87/SSE registers, as a function expects):
//
//   without SA_SIGINFO: handler(signal)                     struct sigframe
//   with SA_SIGINFO:    handler(signal, siginfo*, ucontext*) struct rt_sigframe
//
// The handler's return address (pretcode) is the program's restorer
// (SA_RESTORER, which glibc always sets: __restore / __restore_rt), or else
// eight bytes of code in the frame that make the call themselves. Either
// makes the system call sigreturn (119) or rt_sigreturn (173), which finds
// the frame just above the stack pointer, checks and reloads the registers
// (only user segments, only the flags a program may change), the x87/SSE
// state and the signal mask. The program continues where it was stopped.
//
// Must stay true: nothing from the frame is trusted on the way back -- a
// program may have scribbled over it; bad selectors or an unreadable frame
// end the program with SIGSEGV, never fault the kernel.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"
#include "kernel/proc/signals.h"

struct InterruptFrame;

// Builds the frame for `signal` below frame.user_esp -- or, for a handler
// with SA_ONSTACK, at the top of the thread's `alternate` stack (sigaltstack)
// unless it runs there already -- and redirects `frame` to the handler.
// `saved_mask` is the mask sigreturn will restore. EFAULT when the stack
// cannot hold the frame.
Result<void> push_signal_frame(InterruptFrame& frame, int signal, const SignalAction& action,
                               const SignalInfo& info, uint64_t saved_mask, AlternateStack& alternate);

// Writes the 128-byte siginfo_t a handler would get for `signal` (rt_sigtimedwait).
Result<void> write_siginfo(uint32_t address, int signal, const SignalInfo& info);

// sigreturn / rt_sigreturn: restores `frame`, the FPU state and the mask
// from the frame the handler returned through. EFAULT or EINVAL when the
// frame is unreadable or asks for what a program may not have.
Result<void> pop_signal_frame(InterruptFrame& frame, bool realtime);
