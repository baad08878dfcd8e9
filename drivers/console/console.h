// drivers/console/console.h -- the system console: one terminal, two faces.
//
// Layer: character devices. Output goes to the serial port and the VGA
// screen at once; input comes from the serial port and the PS/2 keyboard,
// both into one line discipline (line_discipline.h) with Linux's termios
// modes: canonical lines with editing and echo, or bytes at once with
// VMIN/VTIME. Signal keys (^C ^\ ^Z) go out through the signal hook.
//
// write() may be called from any context, interrupts on or off, even from a
// panic. The reads must be called from a thread that may sleep.
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/console/termios.h"

class WaitQueue;

namespace console {

// Kernel text (log, monitor, panic): every '\n' goes out as "\r\n",
// whatever the terminal's settings.
void write(const char* text, size_t length);

// What programs write to the terminal: processed as the settings say
// (OPOST, ONLCR...), raw without OPOST.
void write_from_program(const char* text, size_t length);

// Called from interrupt handlers with each received character.
void receive_input(char c);

// For kernel readers (the monitor): blocks until input is ready per the
// settings; copies at most `size` bytes. Returns the byte count, 0 at end
// of file (VEOF on an empty line), or -EINTR when a signal key (^C) threw
// the input away -- kernel threads get no signals. The monitor has no line
// editor, so escape sequences (arrow keys) are dropped from its lines.
long read(char* buffer, size_t size);

// For a program's read(): the same, but a signal pending for the process
// ends the wait with -EINTR (the system call layer restarts it after an
// SA_RESTART handler), and `nonblocking` (O_NONBLOCK) gives -EAGAIN
// instead of a wait.
long read_for_program(char* buffer, size_t size, bool nonblocking);

// Number of signal-key presses (^C, ^\, ^Z) so far.
unsigned interrupt_count();

// Called (in interrupt context) with the signal a key asks for (SIGINT for
// ^C, SIGQUIT for ^\, SIGTSTP for ^Z): the process layer sends it to the
// foreground process group.
void set_signal_hook(void (*hook)(int signal));

// For poll (fs/devfs/console_device.cpp): would a program's read() find
// input now, and the queue its readers sleep on (woken when that changes).
bool readable();
WaitQueue& readers_queue();

// The terminal's settings (TCGETS/TCSETS*). Output is synchronous, so a
// drain (TCSETSW) has nothing to wait for; `flush_input` (TCSETSF) throws
// away the unread input first.
Termios settings();
void set_settings(const Termios& settings, bool flush_input);
// TCFLSH TCIFLUSH: the unread input goes. (Output is never queued.)
void flush_input();
// FIONREAD: bytes a read could take now.
size_t readable_bytes();

// TIOCGWINSZ/TIOCSWINSZ: the size programs are told; 80x25 at boot.
// set_window_size returns true when the size changed.
WindowSize window_size();
bool set_window_size(const WindowSize& size);

}  // namespace console
