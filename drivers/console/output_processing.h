// drivers/console/output_processing.h -- what a terminal does to the bytes
// programs write (and to its own echo) before they reach the screen.
//
// Layer: character devices (pure code: the host unit tests drive it). With
// OPOST in c_oflag the bytes are processed as Linux's n_tty does:
//
//   ONLCR   '\n' goes out as "\r\n"
//   OCRNL   '\r' goes out as '\n'
//   ONOCR   no '\r' at column 0
//   ONLRET  '\n' also returns the carriage (column 0)
//   OLCUC   lower case goes out in upper case
//
// Without OPOST every byte goes out as it came. The processor also keeps
// the cursor's column (tabs to multiples of 8, backspace, CR, and with
// IUTF8 a multi-byte character counts once), which erasing a tab needs.
//
// Must stay true: output is handed to the sink in order and whole; nothing
// is buffered past the end of process().
#pragma once

#include <cstddef>
#include <cstdint>

class OutputProcessor {
public:
    using Sink = void (*)(const char* text, size_t length, void* context);

    OutputProcessor(Sink sink, void* context) : sink_(sink), context_(context) {}

    void set_flags(uint32_t output_flags, uint32_t input_flags) {
        output_flags_ = output_flags;
        input_flags_ = input_flags;
    }

    // Processes `length` bytes and hands the result to the sink.
    void process(const char* text, size_t length);

    // The column the cursor is in, as far as the output shows it.
    unsigned column() const { return column_; }

private:
    // Appends the processed form of `c` to out; returns its length.
    size_t process_one(uint8_t c, char* out);

    Sink sink_;
    void* context_;
    uint32_t output_flags_ = 0;
    uint32_t input_flags_ = 0;
    unsigned column_ = 0;
};
