// drivers/console/console.h -- the system console: one terminal, two faces.
//
// Layer: character devices. Output goes to the serial port and the VGA
// screen at once; input comes from the serial port and the PS/2 keyboard,
// both into one line discipline (line_discipline.h) that echoes, edits and
// hands out complete lines. Readers sleep until a line is ready.
//
// write() may be called from any context, interrupts on or off, even from a
// panic. read() must be called from a thread that may sleep.
#pragma once

#include <cstddef>
#include <cstdint>

class PollTable;

namespace console {

// Output is usable as soon as the drivers' output halves are initialised.
void write(const char* text, size_t length);

// Called from interrupt handlers with each received character.
void receive_input(char c);

// Blocks until a line (or end of file) is ready; copies at most `size`
// bytes. Returns the byte count, 0 at end of file (Ctrl-D on an empty
// line), or -EINTR when Ctrl-C discarded the line being typed.
long read(char* buffer, size_t size);

// Number of Ctrl-C presses so far.
unsigned interrupt_count();

// Called (in interrupt context) with the signal a key asks for (SIGINT for
// Ctrl-C): the process layer sends it to the foreground process group.
void set_signal_hook(void (*hook)(int signal));

// The poll events of the console now (poll.h); registers its readers'
// wait queue with `table`.
uint32_t poll(PollTable* table);

}  // namespace console
