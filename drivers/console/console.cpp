// drivers/console/console.cpp -- one console over serial, VGA and keyboard.
// See console.h. The line discipline, the window size and the readers'
// wait queue are touched only with interrupts off.
#include "drivers/console/console.h"

#include "drivers/console/line_discipline.h"
#include "drivers/console/read_timing.h"
#include "drivers/serial/serial.h"
#include "drivers/vga/vga_text.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"
#include "kernel/sched/wait_queue.h"

namespace {

// The line discipline's output (processed program text and echo) goes out
// byte for byte: it already has the "\r\n" that ONLCR asks for.
void write_to_screens(const char* text, size_t length, void*) {
    serial::write_raw(text, length);
    vga_text::write(text, length);
}

LineDiscipline line_discipline(write_to_screens, nullptr);
WaitQueue readers;
WindowSize current_window_size{25, 80, 0, 0};
unsigned signal_keys_received = 0;
void (*signal_hook)(int signal) = nullptr;
// Linux i386 signal numbers.
constexpr int SIGNAL_INTERRUPT = 2, SIGNAL_QUIT = 3, SIGNAL_TERMINAL_STOP = 20;

// Who reads, and what ends its wait early.
struct Reader {
    bool is_kernel;      // the monitor: a signal key ends the wait
    bool nonblocking;    // O_NONBLOCK: never wait
    unsigned signal_keys_at_start;
};

// An errno that ends a wait now, or 0.
int reason_to_stop_waiting(const Reader& reader) {
    if (reader.is_kernel) return signal_keys_received != reader.signal_keys_at_start ? EINTR : 0;
    return WaitQueue::signal_pending() ? EINTR : 0;
}

// Sentinel of the read loops: the settings switched ICANON while waiting.
constexpr long MODE_CHANGED = -1000;

long read_line(char* buffer, size_t size, const Reader& reader) {
    while (line_discipline.canonical()) {
        if (line_discipline.has_input()) {
            LineDiscipline::CanonicalRead got = line_discipline.read_canonical(buffer, size);
            if (got.count > 0 || got.end_of_file) return long(got.count);
            continue;  // only the VEOF after a line already read: wait on
        }
        if (reader.nonblocking) return -EAGAIN;
        if (int error = reason_to_stop_waiting(reader)) return -error;
        readers.sleep();
    }
    return MODE_CHANGED;
}

// Non-canonical: bytes as they come, done as read_timing.h says.
long read_bytes(char* buffer, size_t size, const Reader& reader) {
    const Termios& settings = line_discipline.settings();
    NonCanonicalReadRule rule =
        noncanonical_read_rule(settings.control_characters[VMIN], settings.control_characters[VTIME], size);
    size_t copied = 0;
    uint64_t deadline = WaitQueue::now_ms() + rule.timeout_ms;
    while (!line_discipline.canonical()) {
        size_t got = line_discipline.read_noncanonical(buffer + copied, size - copied);
        copied += got;
        if (got > 0 && rule.timer_after_first_byte) deadline = WaitQueue::now_ms() + rule.timeout_ms;
        bool timer_expired = rule.timeout_ms > 0 && WaitQueue::now_ms() >= deadline;
        ReadStep step = next_read_step(rule, copied, timer_expired);
        if (step == ReadStep::Done) return long(copied);
        if (reader.nonblocking) return copied > 0 ? long(copied) : -EAGAIN;
        if (int error = reason_to_stop_waiting(reader)) return copied > 0 ? long(copied) : -error;
        if (step == ReadStep::Wait) readers.sleep();
        else readers.sleep_until(deadline);
    }
    return copied > 0 ? long(copied) : MODE_CHANGED;
}

long read_as(char* buffer, size_t size, Reader reader) {
    if (size == 0) return 0;
    InterruptGuard atomic;
    for (;;) {
        long result = line_discipline.canonical() ? read_line(buffer, size, reader) : read_bytes(buffer, size, reader);
        if (result != MODE_CHANGED) return result;
    }
}

// The monitor has no line editor: the arrow and function keys a serial
// terminal sends (ESC [ ... final, ESC O x) are dropped from its lines.
// Programs get them, as on Linux.
size_t drop_escape_sequences(char* text, size_t length) {
    size_t kept = 0;
    for (size_t i = 0; i < length; ++i) {
        if (text[i] != '\x1b' || i + 1 == length) {
            text[kept++] = text[i];
            continue;
        }
        char kind = text[i + 1];
        if (kind == 'O') {
            i += 2;  // ESC O and one letter
        } else if (kind == '[') {
            ++i;  // then parameters up to the final byte (a second '[' is part of F1..F5's)
            while (i + 1 < length && !(text[i + 1] >= '@' && text[i + 1] <= '~' && text[i + 1] != '[')) ++i;
            ++i;
        }  // a lone ESC just goes
    }
    return kept;
}

int signal_of(LineDiscipline::Event event) {
    switch (event) {
    case LineDiscipline::Event::Interrupt: return SIGNAL_INTERRUPT;
    case LineDiscipline::Event::Quit: return SIGNAL_QUIT;
    case LineDiscipline::Event::Suspend: return SIGNAL_TERMINAL_STOP;
    default: return 0;
    }
}

}  // namespace

namespace console {

void write(const char* text, size_t length) {
    InterruptGuard whole_write;  // keeps one writer's text together
    serial::write(text, length);
    vga_text::write(text, length);
}

void write_from_program(const char* text, size_t length) {
    InterruptGuard whole_write;
    line_discipline.write_output(text, length);
}

void receive_input(char c) {
    LineDiscipline::Event event = line_discipline.receive(c);
    if (event == LineDiscipline::Event::None) return;
    readers.wake_all();
    if (int signal = signal_of(event)) {
        ++signal_keys_received;
        if (signal_hook) signal_hook(signal);
    }
}

long read(char* buffer, size_t size) {
    long result = read_as(buffer, size, Reader{true, false, signal_keys_received});
    // The echo of ^C leaves the cursor after it, as on Linux; the monitor's
    // next prompt belongs on a line of its own.
    if (result == -EINTR) write("\n", 1);
    if (result > 0) result = long(drop_escape_sequences(buffer, size_t(result)));
    return result;
}

long read_for_program(char* buffer, size_t size, bool nonblocking) {
    return read_as(buffer, size, Reader{false, nonblocking, 0});
}

unsigned interrupt_count() { return signal_keys_received; }

void set_signal_hook(void (*hook)(int signal)) { signal_hook = hook; }

bool readable() {
    InterruptGuard atomic;
    return line_discipline.poll_readable();
}

WaitQueue& readers_queue() { return readers; }

Termios settings() {
    InterruptGuard atomic;
    return line_discipline.settings();
}

void set_settings(const Termios& settings, bool flush_input) {
    InterruptGuard atomic;
    if (flush_input) line_discipline.flush_input();
    line_discipline.set_settings(settings);
    readers.wake_all();  // a new mode or VMIN may end a waiting read
}

void flush_input() {
    InterruptGuard atomic;
    line_discipline.flush_input();
}

size_t readable_bytes() {
    InterruptGuard atomic;
    return line_discipline.readable_bytes();
}

WindowSize window_size() {
    InterruptGuard atomic;
    return current_window_size;
}

bool set_window_size(const WindowSize& size) {
    InterruptGuard atomic;
    bool changed = size.rows != current_window_size.rows || size.columns != current_window_size.columns ||
                   size.x_pixels != current_window_size.x_pixels || size.y_pixels != current_window_size.y_pixels;
    current_window_size = size;
    return changed;
}

}  // namespace console
