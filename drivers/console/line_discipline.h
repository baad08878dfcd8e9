// drivers/console/line_discipline.h -- canonical-mode terminal input.
//
// Layer: character devices (the "tty" between a keyboard and a reader).
// Characters arrive one at a time from interrupt handlers. The line being
// typed can be edited; only a finished line becomes readable, as a record:
//
//   Enter      ends the line, '\n' included          ("ls\n")
//   Backspace  erases one character (DEL or ^H)
//   Ctrl-U     erases the whole line
//   Ctrl-C     discards the line and reports an interrupt
//   Ctrl-D     ends the line without '\n'; on an empty line it is end of file,
//              a record of length 0, so the reader's read() returns 0
//
// Echo goes through a callback so this class needs no device and runs in
// host unit tests. Not thread-safe by itself: the console calls it with
// interrupts off.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel/lib/ring_buffer.h"

class LineDiscipline {
public:
    static constexpr size_t MAX_LINE = 1024;
    using EchoFunction = void (*)(const char* text, size_t length, void* context);

    enum class Event { None, InputReady, Interrupt };

    LineDiscipline(EchoFunction echo_function, void* echo_context)
        : echo_(echo_function), echo_context_(echo_context) {}

    Event receive(char c);

    // True when a record (a line or an end of file) is waiting.
    bool has_record() const { return !record_lengths_.empty(); }

    // Copies up to `size` bytes of the first record; the rest of a record
    // too long for the buffer stays for the next read. Returns 0 for an end
    // of file record (and for no record at all: check has_record first).
    size_t read(char* buffer, size_t size);

private:
    void echo(const char* text, size_t length) { echo_(text, length, echo_context_); }
    void erase_last_character();
    void finish_record(bool with_newline);
    bool skip_escape_sequence(char c);

    EchoFunction echo_;
    void* echo_context_;
    char editing_[MAX_LINE];
    size_t editing_length_ = 0;
    klib::RingBuffer<char, 4 * MAX_LINE> finished_bytes_;
    klib::RingBuffer<uint16_t, 64> record_lengths_;  // one entry per finished record
    size_t front_record_consumed_ = 0;        // bytes of the first record already read
    enum class Escape : uint8_t { None, SawEscape, InSequence } escape_ = Escape::None;
};
