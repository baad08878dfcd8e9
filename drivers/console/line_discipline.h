// drivers/console/line_discipline.h -- the terminal between a keyboard and
// its readers: termios input modes, editing, echo and signal keys.
//
// Layer: character devices (the "tty", Linux's N_TTY). Characters arrive
// one at a time from interrupt handlers through receive(); readers take
// them with read_canonical() or read_noncanonical(); both obey the
// settings in termios.h, with Linux's meaning:
//
//   input    ISTRIP, IUCLC (with IEXTEN), ICRNL, INLCR, IGNCR; IUTF8 makes
//            erasing take a whole UTF-8 character
//   ISIG     VINTR, VQUIT, VSUSP report Interrupt/Quit/Suspend (the console
//            sends SIGINT/SIGQUIT/SIGTSTP) and throw away pending input
//            unless NOFLSH; echoed as ^C, ^\, ^Z
//   ICANON   a line is edited (VERASE, VKILL, with IEXTEN VWERASE, VLNEXT,
//            VREPRINT) and becomes readable at '\n', VEOL, VEOL2 or VEOF;
//            read_canonical() gives at most one line; VEOF on an empty line
//            reads as end of file
//   no ICANON  every byte is readable at once; the console's read loop
//            decides with read_timing.h when a read is done (VMIN, VTIME)
//   echo     ECHO, ECHOE ("\b \b"), ECHOK, ECHOKE, ECHONL, ECHOCTL (^X);
//            the echo goes through the same output processing (OPOST,
//            ONLCR...) as what programs write with write_output()
//
// Limits: the input buffer holds BUFFER_SIZE characters; a line being
// edited holds at most MAX_LINE characters (more are dropped), so the
// delimiter always fits and a line read is at most 4096 bytes, as on Linux.
// When readers fall behind and the buffer is full, further input is
// dropped.
//
// Not thread-safe by itself: the console calls it with interrupts off.
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/console/output_processing.h"
#include "drivers/console/termios.h"

class LineDiscipline {
public:
    static constexpr size_t BUFFER_SIZE = 4096;
    static constexpr size_t MAX_LINE = BUFFER_SIZE - 1;
    using OutputFunction = OutputProcessor::Sink;

    enum class Event { None, InputReady, Interrupt, Quit, Suspend };

    LineDiscipline(OutputFunction output_function, void* output_context);

    // Takes one character from the keyboard or the serial line.
    Event receive(char c);

    // Program output: through OPOST processing to the output function.
    void write_output(const char* text, size_t length) { output_.process(text, length); }

    const Termios& settings() const { return settings_; }
    // New settings; switching ICANON keeps the pending input, as Linux does
    // (to non-canonical: all of it readable, a VEOF as a NUL byte; to
    // canonical: one line).
    void set_settings(const Termios& settings);

    bool canonical() const { return settings_.local_flags & termios_flags::ICANON; }
    // Would a read get something now? Canonical: a finished line (or end of
    // file). Non-canonical: a byte.
    bool has_input() const { return canonical() ? finished_ > 0 : count_ > 0; }
    // What poll reports as readable: like has_input(), except that Linux
    // waits for VMIN bytes when VMIN > 0 and VTIME = 0 in non-canonical mode.
    bool poll_readable() const;
    // FIONREAD: the bytes a reader could take now (canonical: of the
    // finished lines, end-of-file marks not counted).
    size_t readable_bytes() const;

    struct CanonicalRead {
        size_t count;      // bytes copied
        bool end_of_file;  // VEOF on an empty line was consumed
    };
    // Copies at most one line, at most `size` bytes of it (the rest stays).
    // The VEOF that ended a line read in pieces is skipped, never an end of
    // file; {0, false}: nothing was there but that VEOF -- keep waiting.
    CanonicalRead read_canonical(char* buffer, size_t size);
    // Copies up to `size` readable bytes.
    size_t read_noncanonical(char* buffer, size_t size);

    // TCIFLUSH: throws away all input, finished or being edited.
    void flush_input();

private:
    enum class EraseKind { Character, Word, Line };
    static constexpr uint16_t LINE_END = 0x100;  // the entry ends a line
    static constexpr uint16_t EOF_MARK = 0x200;  // VEOF: ends a line, carries no byte

    bool local(uint32_t flag) const { return settings_.local_flags & flag; }
    bool input(uint32_t flag) const { return settings_.input_flags & flag; }
    bool is_key(ControlCharacter which, uint8_t c) const {
        uint8_t key = settings_.control_characters[which];
        return key != DISABLED_CHARACTER && key == c;
    }

    // The ring of input entries (a byte and flags).
    uint16_t entry_at(size_t index) const { return entries_[(tail_ + index) % BUFFER_SIZE]; }
    uint16_t pop_front();
    void push_back(uint16_t entry);
    size_t editing_length() const { return count_ - finished_; }

    Event canonical_or_store(uint8_t c, bool mapped_return);
    bool canonical_key(uint8_t c, Event& event);
    Event signal_key(uint8_t c, Event event);
    void store(uint8_t c, bool newline_from_return);
    void finish_line(uint16_t delimiter);
    void erase(EraseKind kind);
    void echo_erase_of(uint8_t c, EraseKind kind);
    void echo_erase_tab();
    void reprint_line(uint8_t c);
    void echo_raw(char c) { output_.process(&c, 1); }
    void echo_text(const char* text, size_t length) { output_.process(text, length); }
    void echo_character(uint8_t c);

    OutputProcessor output_;
    Termios settings_;
    uint16_t entries_[BUFFER_SIZE];
    size_t tail_ = 0;      // index of the oldest entry
    size_t count_ = 0;     // entries stored
    size_t finished_ = 0;  // of them, oldest first, readable (finished lines)
    bool line_partly_read_ = false;  // a reader took the first part of the front line
    bool literal_next_ = false;      // VLNEXT: the next character is plain data
    unsigned line_start_column_ = 0;  // where the echo of the edited line began
};
