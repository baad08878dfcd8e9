// drivers/console/output_processing.cpp -- OPOST and the cursor column.
// See the header. (Linux: drivers/tty/n_tty.c, do_output_char.)
#include "drivers/console/output_processing.h"

#include "drivers/console/termios.h"

namespace {

bool is_control(uint8_t c) { return c < 0x20 || c == 0x7f; }
bool is_utf8_continuation(uint8_t c) { return (c & 0xc0) == 0x80; }

}  // namespace

size_t OutputProcessor::process_one(uint8_t c, char* out) {
    using namespace termios_flags;
    switch (c) {
    case '\n':
        if (output_flags_ & ONLRET) column_ = 0;
        if (output_flags_ & ONLCR) {
            column_ = 0;
            out[0] = '\r';
            out[1] = '\n';
            return 2;
        }
        out[0] = '\n';
        return 1;
    case '\r':
        if ((output_flags_ & ONOCR) && column_ == 0) return 0;
        if (output_flags_ & OCRNL) {
            if (output_flags_ & ONLRET) column_ = 0;
            out[0] = '\n';
            return 1;
        }
        column_ = 0;
        out[0] = '\r';
        return 1;
    case '\t':
        column_ = (column_ | 7) + 1;
        out[0] = '\t';
        return 1;
    case '\b':
        if (column_ > 0) --column_;
        out[0] = '\b';
        return 1;
    default:
        if (!is_control(c)) {
            if ((output_flags_ & OLCUC) && c >= 'a' && c <= 'z') c = uint8_t(c - 'a' + 'A');
            if (!((input_flags_ & IUTF8) && is_utf8_continuation(c))) ++column_;
        }
        out[0] = char(c);
        return 1;
    }
}

void OutputProcessor::process(const char* text, size_t length) {
    if (!(output_flags_ & termios_flags::OPOST)) {
        if (length > 0) sink_(text, length, context_);
        return;
    }
    // Processed in slices through a small buffer: each byte becomes at most two.
    char slice[128];
    size_t used = 0;
    for (size_t i = 0; i < length; ++i) {
        if (used > sizeof slice - 2) {
            sink_(slice, used, context_);
            used = 0;
        }
        used += process_one(uint8_t(text[i]), slice + used);
    }
    if (used > 0) sink_(slice, used, context_);
}
