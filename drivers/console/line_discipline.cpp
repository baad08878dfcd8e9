// drivers/console/line_discipline.cpp -- editing and records. See the header.
#include "drivers/console/line_discipline.h"

namespace {
constexpr char CONTROL_C = 0x03, CONTROL_D = 0x04, BACKSPACE = 0x08, CONTROL_U = 0x15;
constexpr char ESCAPE = 0x1b, DELETE = 0x7f;
}  // namespace

// Arrow and function keys arrive from a serial terminal as ESC [ ... letter.
// Line editing with them is not supported; dropping them keeps the line clean.
bool LineDiscipline::skip_escape_sequence(char c) {
    switch (escape_) {
    case Escape::None:
        if (c != ESCAPE) return false;
        escape_ = Escape::SawEscape;
        return true;
    case Escape::SawEscape:
        escape_ = (c == '[' || c == 'O') ? Escape::InSequence : Escape::None;
        return true;
    case Escape::InSequence:
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '~') escape_ = Escape::None;
        return true;
    }
    return false;
}

void LineDiscipline::erase_last_character() {
    if (editing_length_ == 0) return;
    --editing_length_;
    echo("\b \b", 3);
}

void LineDiscipline::finish_record(bool with_newline) {
    // A record must fit whole; when readers fall far behind, new input waits
    // in the editing buffer (and further keys are dropped) rather than
    // tearing a record apart.
    size_t length = editing_length_ + (with_newline ? 1 : 0);
    if (record_lengths_.full() || finished_bytes_.capacity() - finished_bytes_.size() < length) return;
    for (size_t i = 0; i < editing_length_; ++i) finished_bytes_.push(editing_[i]);
    if (with_newline) finished_bytes_.push('\n');
    record_lengths_.push(uint16_t(length));
    editing_length_ = 0;
}

LineDiscipline::Event LineDiscipline::receive(char c) {
    if (skip_escape_sequence(c)) return Event::None;
    switch (c) {
    case '\r':
    case '\n':
        echo("\n", 1);
        finish_record(true);
        return Event::InputReady;
    case CONTROL_D:
        finish_record(false);
        return Event::InputReady;
    case CONTROL_C:
        echo("^C\n", 3);
        editing_length_ = 0;
        return Event::Interrupt;
    case BACKSPACE:
    case DELETE:
        erase_last_character();
        return Event::None;
    case CONTROL_U:
        while (editing_length_ > 0) erase_last_character();
        return Event::None;
    default:
        if (uint8_t(c) < ' ' && c != '\t') return Event::None;  // other controls: ignored
        if (editing_length_ == MAX_LINE - 1) return Event::None;  // room kept for '\n'
        editing_[editing_length_++] = c;
        echo(&c, 1);
        return Event::None;
    }
}

size_t LineDiscipline::read(char* buffer, size_t size) {
    uint16_t record_length;
    if (!record_lengths_.peek(record_length)) return 0;
    size_t remaining = record_length - front_record_consumed_;
    size_t count = remaining < size ? remaining : size;
    for (size_t i = 0; i < count; ++i) finished_bytes_.pop(buffer[i]);
    front_record_consumed_ += count;
    if (front_record_consumed_ == record_length) {
        record_lengths_.pop(record_length);
        front_record_consumed_ = 0;
    }
    return count;
}
