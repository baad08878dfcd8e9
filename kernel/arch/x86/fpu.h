// kernel/arch/x86/fpu.h -- the floating-point and SSE registers of programs.
//
// Layer: architecture. The x87 FPU and the SSE unit hold state that belongs
// to whichever program is running: eight x87 registers, eight XMM registers,
// their control and status words. The kernel itself never touches them (it
// is compiled with -mgeneral-regs-only), so the only moments that matter are
// the switch from one user thread to another, fork (the child starts with
// the parent's registers), execve (a program starts with the clean state)
// and signal delivery (a handler may use them; sigreturn restores them).
//
// The state is saved eagerly at every switch with FXSAVE into a 512-byte,
// 16-byte-aligned area per user thread, and restored with FXRSTOR. (Linux
// did this lazily for years, trapping the first FPU use after a switch with
// CR0.TS; eager saving is simpler and what Linux does today.)
//
// Must stay true: initialize() runs before any program; only threads with a
// State save and restore; every CPU this kernel runs on has FXSR and SSE
// (checked at boot, programs rely on them through AT_HWCAP).
#pragma once

#include <cstdint>

namespace fpu {

struct alignas(16) State {
    uint8_t bytes[512];  // the FXSAVE layout (Intel SDM vol. 1, 10.5.1)
};

// Enables the FPU and SSE (CR0.MP, CR0.NE, CR4.OSFXSR, CR4.OSXMMEXCPT) and
// records the clean state execve gives a new program.
void initialize();
bool available();

// Copies the live registers into `state` / loads them from it.
void save(State& state);
void restore(const State& state);
// Clears the MXCSR bits this CPU does not support, so that restoring a
// state a program supplied (sigreturn) cannot fault in the kernel.
void make_loadable(State& state);
// The state a program starts with (FNINIT, MXCSR = 0x1F80: all exceptions masked).
const State& initial_state();

}  // namespace fpu
