// drivers/vga/vga_text.cpp -- text-mode output. See vga_text.h.
//
// Invariant: 0 <= row < ROWS and 0 <= column < COLUMNS between calls.
#include "drivers/vga/vga_text.h"

#include <cstdint>

#include "kernel/arch/x86/cpu.h"
#include "kernel/mm/memory_layout.h"

namespace {

constexpr int COLUMNS = 80, ROWS = 25;
constexpr uint8_t LIGHT_GREY_ON_BLACK = 0x07;
constexpr uint16_t CRTC_INDEX = 0x3D4, CRTC_DATA = 0x3D5;
constexpr uint8_t CRTC_CURSOR_HIGH = 0x0E, CRTC_CURSOR_LOW = 0x0F;

volatile uint16_t* screen = nullptr;
int row = 0, column = 0;
enum class EscapeState { None, SawEscape, InSequence } escape_state = EscapeState::None;

uint16_t blank_cell() { return uint16_t(LIGHT_GREY_ON_BLACK) << 8 | ' '; }

void scroll_one_line() {
    for (int i = 0; i < (ROWS - 1) * COLUMNS; ++i) screen[i] = screen[i + COLUMNS];
    for (int i = (ROWS - 1) * COLUMNS; i < ROWS * COLUMNS; ++i) screen[i] = blank_cell();
    row = ROWS - 1;
}

void new_line() {
    column = 0;
    if (++row == ROWS) scroll_one_line();
}

void move_hardware_cursor() {
    uint16_t position = uint16_t(row * COLUMNS + column);
    cpu::outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
    cpu::outb(CRTC_DATA, uint8_t(position >> 8));
    cpu::outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    cpu::outb(CRTC_DATA, uint8_t(position));
}

// Returns true when c belongs to an escape sequence (ESC [ ... letter).
bool consume_escape(char c) {
    switch (escape_state) {
    case EscapeState::None:
        if (c != '\x1b') return false;
        escape_state = EscapeState::SawEscape;
        return true;
    case EscapeState::SawEscape:
        escape_state = c == '[' ? EscapeState::InSequence : EscapeState::None;
        return true;
    case EscapeState::InSequence:
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) escape_state = EscapeState::None;
        return true;
    }
    return false;
}

void put_char(char c) {
    if (consume_escape(c)) return;
    switch (c) {
    case '\n': new_line(); return;
    case '\r': column = 0; return;
    case '\b': if (column > 0) --column; return;
    case '\t':
        do put_char(' '); while (column % 8 != 0);
        return;
    default:
        if (uint8_t(c) < ' ') return;
        screen[row * COLUMNS + column] = uint16_t(LIGHT_GREY_ON_BLACK) << 8 | uint8_t(c);
        if (++column == COLUMNS) new_line();
    }
}

}  // namespace

namespace vga_text {

void initialize() {
    screen = reinterpret_cast<volatile uint16_t*>(memory_layout::physical_to_virtual(0xB8000));
    for (int i = 0; i < ROWS * COLUMNS; ++i) screen[i] = blank_cell();
    row = column = 0;
    move_hardware_cursor();
}

void write(const char* text, size_t length) {
    if (!screen) return;
    for (size_t i = 0; i < length; ++i) put_char(text[i]);
    move_hardware_cursor();
}

}  // namespace vga_text
