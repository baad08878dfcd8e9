// drivers/timer/pit.h -- the 8253/8254 programmable interval timer.
//
// Layer: device driver (clock). Channel 0 is programmed to interrupt at
// monotonic_clock::TICKS_PER_SECOND on IRQ 0. Each tick advances the
// counter that initialize() registers as the kernel's monotonic clock
// (kernel/time/monotonic_clock.h) and gives the scheduler its chance to
// preempt and to wake sleepers.
#pragma once

#include <cstdint>

#include "kernel/time/monotonic_clock.h"

namespace pit {

constexpr uint32_t TICKS_PER_SECOND = monotonic_clock::TICKS_PER_SECOND;

// Programs channel 0 and registers ticks() as the monotonic clock's source.
void initialize();
// Ticks since initialize(); never goes backwards.
uint64_t ticks();

}  // namespace pit

// The tick counter itself, a plain global so a debugger can watch it.
extern volatile uint64_t timer_ticks;
