// kernel/arch/x86/interrupts.cpp -- IDT set-up and interrupt_dispatch().
//
// Layer: architecture. See interrupts.h for the contract with handlers.
#include "kernel/arch/x86/interrupts.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/pic.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched/scheduler.h"

namespace {

struct [[gnu::packed]] GateDescriptor {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t zero;
    uint8_t type_and_attributes;
    uint16_t offset_high;
};

struct [[gnu::packed]] TablePointer {
    uint16_t limit;
    uint32_t base;
};

constexpr uint8_t GATE_PRESENT = 0x80;
constexpr uint8_t GATE_RING3 = 0x60;               // callable with int from user mode
constexpr uint8_t GATE_INTERRUPT_32 = 0x0E;        // clears IF on entry
constexpr uint8_t GATE_TASK = 0x05;

GateDescriptor idt[256];

struct IrqAction {
    interrupts::IrqHandler handler;
    void* context;
};
constexpr int MAX_HANDLERS_PER_IRQ = 4;
IrqAction irq_actions[interrupts::IRQ_COUNT][MAX_HANDLERS_PER_IRQ];
bool irq_from_user_mode = false;  // of the IRQ being handled (interrupts are off meanwhile)
interrupts::ExceptionHandler exception_handlers[32];
interrupts::VectorHandler user_vector_handlers[256];
interrupts::UserExceptionHandler user_exception_handler = nullptr;
interrupts::ReturnToUserHook return_to_user_hook = nullptr;
uint64_t vector_counts[256];

const char* const EXCEPTION_NAMES[32] = {
    "divide error", "debug", "non-maskable interrupt", "breakpoint",
    "overflow", "bound range exceeded", "invalid opcode", "device not available",
    "double fault", "coprocessor segment overrun", "invalid TSS", "segment not present",
    "stack-segment fault", "general protection fault", "page fault", "reserved (15)",
    "x87 floating-point error", "alignment check", "machine check", "SIMD floating-point error",
    "virtualization exception", "control protection exception", "reserved (22)", "reserved (23)",
    "reserved (24)", "reserved (25)", "reserved (26)", "reserved (27)",
    "hypervisor injection", "VMM communication", "security exception", "reserved (31)",
};

void set_gate(int vector, uint32_t offset, uint16_t selector, uint8_t attributes) {
    idt[vector].offset_low = offset & 0xFFFF;
    idt[vector].selector = selector;
    idt[vector].zero = 0;
    idt[vector].type_and_attributes = attributes;
    idt[vector].offset_high = uint16_t(offset >> 16);
}

void dispatch_irq(int irq) {
    if (pic::is_spurious(irq)) return;
    for (IrqAction& action : irq_actions[irq]) {
        if (action.handler) action.handler(action.context);
    }
    pic::send_end_of_interrupt(irq);
}

}  // namespace

extern "C" const uint32_t interrupt_stub_table[256];

namespace interrupts {

void initialize() {
    pic::remap(IRQ_BASE_VECTOR, IRQ_BASE_VECTOR + 8);
    for (int vector = 0; vector < 256; ++vector) {
        set_gate(vector, interrupt_stub_table[vector], gdt::KERNEL_CODE, GATE_PRESENT | GATE_INTERRUPT_32);
    }
    // Vector 8 is a task gate: the CPU switches to the double-fault TSS.
    set_gate(8, 0, gdt::DOUBLE_FAULT_TASK, GATE_PRESENT | GATE_TASK);
    static TablePointer pointer;
    pointer.limit = sizeof idt - 1;
    pointer.base = uint32_t(&idt);
    asm volatile("lidt %0" : : "m"(pointer));
}

void register_irq_handler(int irq, IrqHandler handler, void* context) {
    InterruptGuard no_interrupts;
    for (IrqAction& action : irq_actions[irq]) {
        if (!action.handler) {
            action = {handler, context};
            pic::unmask(irq);
            return;
        }
    }
    panic("IRQ %d: more than %d handlers", irq, MAX_HANDLERS_PER_IRQ);
}

bool irq_interrupted_user_mode() { return irq_from_user_mode; }

void register_exception_handler(int vector, ExceptionHandler handler) { exception_handlers[vector] = handler; }

void set_user_exception_handler(UserExceptionHandler handler) { user_exception_handler = handler; }

void set_return_to_user_hook(ReturnToUserHook hook) { return_to_user_hook = hook; }

void register_user_vector(uint8_t vector, VectorHandler handler) {
    user_vector_handlers[vector] = handler;
    set_gate(vector, interrupt_stub_table[vector], gdt::KERNEL_CODE, GATE_PRESENT | GATE_RING3 | GATE_INTERRUPT_32);
}

const char* exception_name(uint32_t vector) { return vector < 32 ? EXCEPTION_NAMES[vector] : "interrupt"; }

uint64_t count(int vector) { return vector_counts[vector]; }

}  // namespace interrupts

extern "C" void interrupt_dispatch(InterruptFrame* frame) {
    uint32_t vector = frame->vector;
    vector_counts[vector]++;
    if (vector < 32) {
        auto handler = exception_handlers[vector];
        bool handled = handler && handler(*frame);
        // A fault the kernel resolved inside itself (a fixup, a page made
        // present) goes straight back: the interrupted code may hold locks.
        if (handled && !frame->from_user_mode()) return;
        if (!handled) {
            if (!frame->from_user_mode() || !user_exception_handler) {
                panic_with_frame(*frame, "%s (vector %u) at eip %#x", interrupts::exception_name(vector), vector,
                                 frame->eip);
            }
            user_exception_handler(*frame);  // a signal for the program, acted on below
        }
    } else if (vector < uint32_t(interrupts::IRQ_BASE_VECTOR + interrupts::IRQ_COUNT)) {
        irq_from_user_mode = frame->from_user_mode();
        dispatch_irq(int(vector) - interrupts::IRQ_BASE_VECTOR);
    } else if (auto handler = user_vector_handlers[vector]) {
        handler(*frame);
    } else {
        log_warning("unexpected interrupt vector %u", vector);
    }
    // The last thing an interrupt does: give the CPU to a more deserving
    // thread (the time slice ran out, or a handler woke one). The frame
    // stays on this thread's stack until it is scheduled again.
    scheduler::preempt_if_needed();
    if (frame->from_user_mode() && return_to_user_hook) return_to_user_hook(*frame);
}
