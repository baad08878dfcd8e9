// kernel/time/monotonic_clock.cpp -- the registered tick source. See the header.
#include "kernel/time/monotonic_clock.h"

namespace {

uint64_t (*tick_source)() = nullptr;

}  // namespace

namespace monotonic_clock {

void set_source(uint64_t (*read_ticks)()) { tick_source = read_ticks; }

uint64_t ticks() { return tick_source ? tick_source() : 0; }

}  // namespace monotonic_clock
