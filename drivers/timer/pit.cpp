// drivers/timer/pit.cpp -- PIT channel 0 as the system tick. See pit.h.
#include "drivers/timer/pit.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/sched/scheduler.h"

volatile uint64_t timer_ticks = 0;

namespace {

constexpr uint32_t INPUT_CLOCK_HZ = 1193182;  // the PIT's crystal, fixed since the IBM PC
constexpr uint16_t CHANNEL0_DATA = 0x40, MODE_COMMAND = 0x43;
// Channel 0, access low then high byte, mode 2 (rate generator), binary.
constexpr uint8_t CHANNEL0_RATE_GENERATOR = 0x34;

void on_tick(void*) {
    uint64_t now = timer_ticks + 1;
    timer_ticks = now;
    scheduler::on_timer_tick(now * 1000 / pit::TICKS_PER_SECOND, interrupts::irq_interrupted_user_mode());
}

}  // namespace

namespace pit {

void initialize() {
    constexpr uint32_t divisor = (INPUT_CLOCK_HZ + TICKS_PER_SECOND / 2) / TICKS_PER_SECOND;
    cpu::outb(MODE_COMMAND, CHANNEL0_RATE_GENERATOR);
    cpu::outb(CHANNEL0_DATA, divisor & 0xFF);
    cpu::outb(CHANNEL0_DATA, divisor >> 8);
    interrupts::register_irq_handler(interrupts::IRQ_TIMER, on_tick, nullptr);
    monotonic_clock::set_source(ticks);
}

uint64_t ticks() {
    InterruptGuard atomic;  // a 64-bit read is two loads on i686
    return timer_ticks;
}

}  // namespace pit
