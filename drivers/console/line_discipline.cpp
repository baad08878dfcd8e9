// drivers/console/line_discipline.cpp -- input modes, editing, echo and
// reading. See the header. (Linux: drivers/tty/n_tty.c; POSIX "General
// Terminal Interface", "Canonical Mode Input Processing".)
#include "drivers/console/line_discipline.h"

namespace {

using namespace termios_flags;

bool is_control(uint8_t c) { return c < 0x20 || c == 0x7f; }
bool is_word_character(uint8_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

LineDiscipline::LineDiscipline(OutputFunction output_function, void* output_context)
    : output_(output_function, output_context), settings_(linux_console_settings()) {
    output_.set_flags(settings_.output_flags, settings_.input_flags);
}

// ---- the ring of entries -------------------------------------------------

uint16_t LineDiscipline::pop_front() {
    uint16_t entry = entries_[tail_];
    tail_ = (tail_ + 1) % BUFFER_SIZE;
    --count_;
    if (finished_ > 0) --finished_;
    return entry;
}

void LineDiscipline::push_back(uint16_t entry) {
    entries_[(tail_ + count_) % BUFFER_SIZE] = entry;
    ++count_;
}

void LineDiscipline::flush_input() {
    count_ = finished_ = 0;
    line_partly_read_ = false;
    literal_next_ = false;
}

// ---- settings --------------------------------------------------------------

void LineDiscipline::set_settings(const Termios& settings) {
    bool was_canonical = canonical();
    settings_ = settings;
    output_.set_flags(settings_.output_flags, settings_.input_flags);
    if (was_canonical == canonical()) return;
    literal_next_ = false;
    if (!canonical()) {
        finished_ = count_;  // the line being edited is readable as it is
    } else if (count_ > 0) {
        // Bytes typed in non-canonical mode form one line (Linux pushes them).
        size_t last = (tail_ + count_ - 1) % BUFFER_SIZE;
        entries_[last] |= LINE_END;
        finished_ = count_;
    }
}

// ---- receiving ---------------------------------------------------------------

LineDiscipline::Event LineDiscipline::receive(char received) {
    uint8_t c = uint8_t(received);
    if (input(ISTRIP)) c &= 0x7f;
    if (input(IUCLC) && local(IEXTEN) && c >= 'A' && c <= 'Z') c = uint8_t(c - 'A' + 'a');
    if (literal_next_) {
        literal_next_ = false;
        store(c, false);
        return canonical() ? Event::None : Event::InputReady;
    }
    if (local(ISIG)) {
        if (is_key(VINTR, c)) return signal_key(c, Event::Interrupt);
        if (is_key(VQUIT, c)) return signal_key(c, Event::Quit);
        if (is_key(VSUSP, c)) return signal_key(c, Event::Suspend);
    }
    bool mapped_return = false;
    if (c == '\r') {
        if (input(IGNCR)) return Event::None;
        if (input(ICRNL)) c = '\n', mapped_return = true;
    } else if (c == '\n' && input(INLCR)) {
        c = '\r';
    }
    return canonical_or_store(c, mapped_return);
}

LineDiscipline::Event LineDiscipline::canonical_or_store(uint8_t c, bool mapped_return) {
    Event event = Event::None;
    if (canonical() && canonical_key(c, event)) return event;
    store(c, mapped_return);
    return canonical() ? Event::None : Event::InputReady;
}

// The pending input goes (unless NOFLSH), the key is echoed (^C).
LineDiscipline::Event LineDiscipline::signal_key(uint8_t c, Event event) {
    if (!local(NOFLSH)) flush_input();
    if (local(ECHO)) echo_character(c);
    return event;
}

// The keys that edit or end a canonical line; false for a plain character.
bool LineDiscipline::canonical_key(uint8_t c, Event& event) {
    if (is_key(VERASE, c) || is_key(VKILL, c) || (local(IEXTEN) && is_key(VWERASE, c))) {
        erase(is_key(VERASE, c) ? EraseKind::Character : is_key(VKILL, c) ? EraseKind::Line : EraseKind::Word);
        return true;
    }
    if (local(IEXTEN) && is_key(VLNEXT, c)) {
        literal_next_ = true;
        if (local(ECHO) && local(ECHOCTL)) echo_text("^\b", 2);  // a caret, the cursor back on it
        return true;
    }
    if (local(IEXTEN) && local(ECHO) && is_key(VREPRINT, c)) {
        reprint_line(c);
        return true;
    }
    if (c == '\n') {
        if (local(ECHO) || local(ECHONL)) echo_raw('\n');
        finish_line(uint16_t('\n') | LINE_END);
    } else if (is_key(VEOF, c)) {
        finish_line(EOF_MARK | LINE_END);  // not echoed, as on Linux
    } else if (is_key(VEOL, c) || (local(IEXTEN) && is_key(VEOL2, c))) {
        if (local(ECHO)) {
            if (editing_length() == 0) line_start_column_ = output_.column();
            echo_character(c);
        }
        finish_line(uint16_t(c) | LINE_END);
    } else {
        return false;
    }
    event = Event::InputReady;
    return true;
}

// A plain character: echoed and stored, if there is room. A newline that
// ICRNL made of a return echoes as a newline; one typed as such in
// non-canonical mode (or after VLNEXT) is a control character like any
// other, ^J with ECHOCTL, as on Linux.
// A canonical line past its limit still echoes what is typed (Linux does),
// but keeps only MAX_LINE characters.
void LineDiscipline::store(uint8_t c, bool newline_from_return) {
    bool room = canonical() ? editing_length() < MAX_LINE && count_ < BUFFER_SIZE - 1 : count_ < BUFFER_SIZE;
    if (!room && !canonical()) return;
    if (local(ECHO)) {
        if (c == '\n' && newline_from_return) {
            echo_raw('\n');
        } else {
            if (editing_length() == 0) line_start_column_ = output_.column();
            echo_character(c);
        }
    }
    if (!room) return;
    push_back(c);
    if (!canonical()) finished_ = count_;
}

void LineDiscipline::finish_line(uint16_t delimiter) {
    if (count_ >= BUFFER_SIZE) return;  // readers far behind: the line waits
    push_back(delimiter);
    finished_ = count_;
}

// ---- echo and erasing ------------------------------------------------------

void LineDiscipline::echo_character(uint8_t c) {
    if (local(ECHOCTL) && is_control(c) && c != '\t') {
        char shown[2] = {'^', char(c ^ 0x40)};  // ^C, ^[ for ESC, ^? for DEL
        echo_text(shown, 2);
    } else {
        echo_raw(char(c));
    }
}

void LineDiscipline::reprint_line(uint8_t c) {
    echo_character(c);
    echo_raw('\n');
    for (size_t i = finished_; i < count_; ++i) echo_character(uint8_t(entry_at(i)));
}

// VERASE, VWERASE, VKILL on the line being edited (Linux's eraser()).
void LineDiscipline::erase(EraseKind kind) {
    if (editing_length() == 0) return;
    if (kind == EraseKind::Line && (!local(ECHO) || !local(ECHOK) || !local(ECHOKE) || !local(ECHOE))) {
        count_ = finished_;
        if (!local(ECHO)) return;
        echo_character(settings_.control_characters[VKILL]);  // ^U, then with ECHOK a new line
        if (local(ECHOK)) echo_raw('\n');
        return;
    }
    bool utf8 = input(IUTF8);
    size_t word_characters = 0;
    while (editing_length() > 0) {
        // One character: with IUTF8, its continuation bytes go with it.
        size_t length = 1;
        while (utf8 && length < editing_length() && (uint8_t(entry_at(count_ - length)) & 0xc0) == 0x80) ++length;
        uint8_t c = uint8_t(entry_at(count_ - length));
        if (utf8 && (c & 0xc0) == 0x80) break;  // never half a character
        if (kind == EraseKind::Word) {
            if (is_word_character(c)) ++word_characters;
            else if (word_characters > 0) break;
        }
        count_ -= length;
        if (local(ECHO)) echo_erase_of(c, kind);
        if (kind == EraseKind::Character) break;
    }
}

void LineDiscipline::echo_erase_of(uint8_t c, EraseKind kind) {
    if (kind == EraseKind::Character && !local(ECHOE)) {
        echo_character(settings_.control_characters[VERASE]);  // shows ^? instead of erasing
    } else if (c == '\t') {
        echo_erase_tab();
    } else {
        if (is_control(c) && local(ECHOCTL)) echo_text("\b \b", 3);  // the ^ of ^X
        if (!is_control(c) || local(ECHOCTL)) echo_text("\b \b", 3);
    }
}

// The tab just erased covered the columns up to the next multiple of 8
// after what precedes it on the line: back up that many.
void LineDiscipline::echo_erase_tab() {
    unsigned columns = 0;
    bool after_tab = false;
    for (size_t i = count_; i > finished_; --i) {
        uint8_t c = uint8_t(entry_at(i - 1));
        if (c == '\t') {
            after_tab = true;
            break;
        }
        if (is_control(c)) {
            if (local(ECHOCTL)) columns += 2;
        } else if (!(input(IUTF8) && (c & 0xc0) == 0x80)) {
            ++columns;
        }
    }
    if (!after_tab) columns += line_start_column_;
    unsigned backspaces = 8 - (columns & 7);
    for (unsigned i = 0; i < backspaces; ++i) echo_raw('\b');
}

// ---- reading ---------------------------------------------------------------

bool LineDiscipline::poll_readable() const {
    if (canonical()) return finished_ > 0;
    uint8_t minimum = settings_.control_characters[VMIN];
    if (settings_.control_characters[VTIME] == 0 && minimum > 0) return count_ >= minimum;
    return count_ > 0;
}

size_t LineDiscipline::readable_bytes() const {
    if (!canonical()) return count_;
    size_t bytes = 0;
    for (size_t i = 0; i < finished_; ++i) {
        if (!(entry_at(i) & EOF_MARK)) ++bytes;
    }
    return bytes;
}

LineDiscipline::CanonicalRead LineDiscipline::read_canonical(char* buffer, size_t size) {
    // `size` counts the entries looked at, the VEOF mark included, so a
    // line "abc" VEOF read 3 bytes at a time gives "abc" and then, not 0
    // (which would look like end of file), nothing at all.
    if (line_partly_read_ && finished_ > 0 && (entry_at(0) & EOF_MARK)) {
        pop_front();  // the VEOF that ended the line already read: the next line follows
        line_partly_read_ = false;
    }
    size_t copied = 0, looked_at = 0;
    bool saw_eof = false;
    while (looked_at < size && finished_ > 0) {
        uint16_t entry = pop_front();
        ++looked_at;
        if (entry & EOF_MARK) saw_eof = true;
        else buffer[copied++] = char(entry);
        line_partly_read_ = !(entry & LINE_END);
        if (entry & LINE_END) break;
    }
    return {copied, copied == 0 && saw_eof};
}

size_t LineDiscipline::read_noncanonical(char* buffer, size_t size) {
    size_t copied = 0;
    while (copied < size && count_ > 0) {
        finished_ = count_;
        // A VEOF left from canonical mode reads as a NUL byte, as on Linux.
        uint16_t entry = pop_front();
        buffer[copied++] = (entry & EOF_MARK) ? '\0' : char(entry);
    }
    line_partly_read_ = false;
    return copied;
}
