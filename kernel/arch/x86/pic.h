// kernel/arch/x86/pic.h -- the two cascaded 8259A interrupt controllers.
//
// Layer: architecture. The BIOS leaves IRQ 0-7 on vectors 8-15, on top of
// the CPU's exceptions; remap() moves IRQ 0-15 to vectors 32-47. Each line
// stays masked until a driver registers a handler for it.
#pragma once

#include <cstdint>

namespace pic {

void remap(uint8_t master_vector_base, uint8_t slave_vector_base);
void unmask(int irq);
void mask(int irq);
void send_end_of_interrupt(int irq);
// IRQ 7 and 15 can fire without a real request (a line that dropped before
// the CPU acknowledged it). Those must get no handler call and, for 7, no EOI.
bool is_spurious(int irq);

}  // namespace pic
