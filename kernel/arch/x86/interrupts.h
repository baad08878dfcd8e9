// kernel/arch/x86/interrupts.h -- the IDT and the dispatch of interrupts.
//
// Layer: architecture. Every interrupt and exception enters through a stub
// in interrupt_stubs.asm, which saves the registers as an InterruptFrame and
// calls interrupt_dispatch(). Exceptions (vectors 0-31) go to a registered
// handler or, without one, end in a panic that names the exception; device
// interrupts (IRQ 0-15 on vectors 32-47, through the 8259 PIC) go to the
// handlers drivers registered with register_irq_handler().
//
// Handlers run with interrupts off and must not sleep. When a handler has
// made a thread runnable that should run now, the dispatcher calls the
// scheduler after the end-of-interrupt, as its last act.
#pragma once

#include <cstdint>

// The stack as interrupt_common leaves it; lowest address first.
struct InterruptFrame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_at_pushad, ebx, edx, ecx, eax;
    uint32_t vector, error_code;
    uint32_t eip, cs, eflags;
    uint32_t user_esp, user_ss;  // only valid when the CPU came from ring 3

    bool from_user_mode() const { return (cs & 3) == 3; }
};

namespace interrupts {

constexpr int IRQ_BASE_VECTOR = 32;
constexpr int IRQ_COUNT = 16;
constexpr uint8_t SYSCALL_VECTOR = 0x80;

enum Irq : int { IRQ_TIMER = 0, IRQ_KEYBOARD = 1, IRQ_COM2 = 3, IRQ_COM1 = 4, IRQ_PRIMARY_ATA = 14, IRQ_SECONDARY_ATA = 15 };

using IrqHandler = void (*)(void* context);
using ExceptionHandler = bool (*)(InterruptFrame& frame);  // true: handled
using VectorHandler = void (*)(InterruptFrame& frame);

void initialize();

// Registers a handler for a PIC line and unmasks it. Several handlers may
// share a line (PCI interrupts are shared); each checks its own device.
void register_irq_handler(int irq, IrqHandler handler, void* context);

// While an IRQ handler runs: did the interrupt stop a program (user mode)
// rather than the kernel? The timer charges its tick to one or the other.
bool irq_interrupted_user_mode();

// A handler for a CPU exception; returning false falls through to the panic.
void register_exception_handler(int vector, ExceptionHandler handler);

// A handler for a software interrupt callable from ring 3 (int 0x80).
void register_user_vector(uint8_t vector, VectorHandler handler);

// What happens to a CPU exception raised in user mode that no exception
// handler resolved (the process layer sends the program a signal, which
// the return-to-user hook then acts on).
using UserExceptionHandler = void (*)(InterruptFrame& frame);
void set_user_exception_handler(UserExceptionHandler handler);

// Runs last on every return to user mode (the process layer delivers
// pending signals there).
using ReturnToUserHook = void (*)(InterruptFrame& frame);
void set_return_to_user_hook(ReturnToUserHook hook);

const char* exception_name(uint32_t vector);

// Counts per vector, for diagnostics (/proc/interrupts later).
uint64_t count(int vector);

}  // namespace interrupts

extern "C" void interrupt_dispatch(InterruptFrame* frame);
