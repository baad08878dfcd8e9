// kernel/panic.cpp -- the last words of a kernel. See panic.h.
#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/debug/backtrace.h"
#include "kernel/debug/symbols.h"
#include "kernel/log.h"
#include "kernel/sched/thread.h"

namespace {

constexpr uint16_t QEMU_DEBUG_EXIT_PORT = 0xF4;
bool panicking = false;

// A panic inside a panic (say, a fault while printing the backtrace) must
// not recurse forever: the second one only says so and stops.
void enter_panic() {
    cpu::disable_interrupts();
    if (panicking) {
        kprintf("\nKERNEL PANIC while panicking; stopping.\n");
        exit_qemu_with_failure(2);
        cpu::halt_forever();
    }
    panicking = true;
}

void print_header(const char* format, va_list arguments) {
    kprintf("\n\nKERNEL PANIC: ");
    kvprintf(format, arguments);
    kprintf("\n");
    if (Thread* thread = current_thread_or_null()) kprintf("in thread %u (%s)\n", thread->id, thread->name);
}

void print_control_registers() {
    kprintf("cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", cpu::read_cr0(), cpu::read_cr2(), cpu::read_cr3(),
            cpu::read_cr4());
}

[[noreturn]] void stop_machine() {
    exit_qemu_with_failure(1);
    kprintf("System halted.\n");
    cpu::halt_forever();
}

}  // namespace

void exit_qemu_with_failure(uint8_t code) { cpu::outb(QEMU_DEBUG_EXIT_PORT, code); }

void panic(const char* format, ...) {
    enter_panic();
    va_list arguments;
    va_start(arguments, format);
    print_header(format, arguments);
    va_end(arguments);
    print_control_registers();
    print_backtrace_from(cpu::read_ebp());
    stop_machine();
}

void panic_with_frame(const InterruptFrame& frame, const char* format, ...) {
    enter_panic();
    va_list arguments;
    va_start(arguments, format);
    print_header(format, arguments);
    va_end(arguments);
    kprintf("%s, error code %#x, from %s mode\n", interrupts::exception_name(frame.vector), frame.error_code,
            frame.from_user_mode() ? "user" : "kernel");
    kprintf("eax=%08x ebx=%08x ecx=%08x edx=%08x\n", frame.eax, frame.ebx, frame.ecx, frame.edx);
    kprintf("esi=%08x edi=%08x ebp=%08x esp=%08x\n", frame.esi, frame.edi, frame.ebp, frame.esp_at_pushad + 20);
    kprintf("eip=%08x eflags=%08x cs=%04x ds=%04x\n", frame.eip, frame.eflags, frame.cs, frame.ds);
    print_control_registers();
    kprintf("Faulting instruction:");
    print_symbolized(frame.eip);
    kprintf("\n");
    if (!frame.from_user_mode()) print_backtrace_from(frame.ebp);
    stop_machine();
}

// Runs as the double-fault task (see gdt.cpp), on a stack of its own.
extern "C" [[noreturn]] void double_fault_report() {
    enter_panic();
    gdt::SavedTaskState state = gdt::faulting_task_state();
    bool stack_overflow = paging::is_guard_page(state.esp) || paging::is_guard_page(state.esp - 4);
    kprintf("\n\nKERNEL PANIC: double fault%s\n", stack_overflow ? ": kernel stack overflow" : "");
    if (Thread* thread = current_thread_or_null()) kprintf("in thread %u (%s)\n", thread->id, thread->name);
    kprintf("eax=%08x ebx=%08x ecx=%08x edx=%08x\n", state.eax, state.ebx, state.ecx, state.edx);
    kprintf("esi=%08x edi=%08x ebp=%08x esp=%08x\n", state.esi, state.edi, state.ebp, state.esp);
    kprintf("eip=%08x eflags=%08x\n", state.eip, state.eflags);
    kprintf("Faulting instruction:");
    print_symbolized(state.eip);
    kprintf("\n");
    print_backtrace_from(state.ebp);
    stop_machine();
}
