// drivers/serial/serial.h -- the 16550 UART on COM1, the kernel's console line.
//
// Layer: device driver (character). Output is polled: at 115200 baud a
// character leaves in under 100 us, and polling keeps panic output working
// with interrupts off. Input is interrupt-driven: IRQ 4 fires when a byte
// arrives and every byte is handed to the receiver given at
// enable_input_interrupts (the console's line discipline: the console sits
// above this driver, so the driver does not name it).
#pragma once

#include <cstddef>

namespace serial {

// Programs COM1 for 115200 8N1 with FIFOs. Safe to call before interrupts work.
void initialize_output();
// Registers the IRQ 4 handler that feeds each received byte to `receive`
// (called in interrupt context).
void enable_input_interrupts(void (*receive)(char c));
void write(const char* text, size_t length);
// The bytes exactly as given, no CR added (the terminal's output
// processing has already decided about line ends).
void write_raw(const char* text, size_t length);
bool is_present();

}  // namespace serial
