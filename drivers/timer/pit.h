// drivers/timer/pit.h -- the 8253/8254 programmable interval timer.
//
// Layer: device driver (clock). Channel 0 is programmed to interrupt at
// TICKS_PER_SECOND on IRQ 0. Each tick advances the monotonic clock and
// gives the scheduler its chance to preempt and to wake sleepers.
#pragma once

#include <cstdint>

namespace pit {

constexpr uint32_t TICKS_PER_SECOND = 1000;

void initialize();
// Milliseconds since initialize(); never goes backwards.
uint64_t uptime_ms();
uint64_t ticks();

}  // namespace pit

// The tick counter itself, a plain global so a debugger can watch it.
extern volatile uint64_t timer_ticks;
