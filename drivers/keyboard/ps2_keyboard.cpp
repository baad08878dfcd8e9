// drivers/keyboard/ps2_keyboard.cpp -- scan code set 1 to characters.
#include "drivers/keyboard/ps2_keyboard.h"

#include <cstdint>

#include "drivers/console/console.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"

namespace {

constexpr uint16_t DATA_PORT = 0x60, STATUS_PORT = 0x64;
constexpr uint8_t STATUS_OUTPUT_FULL = 0x01;
constexpr uint8_t KEY_RELEASED = 0x80;
constexpr uint8_t EXTENDED_PREFIX = 0xE0;
constexpr uint8_t LEFT_SHIFT = 0x2A, RIGHT_SHIFT = 0x36, CONTROL = 0x1D, CAPS_LOCK = 0x3A;

// Index: scan code of the key press. 0 = no character. Backspace and Enter
// send DEL and CR, as a Linux console's keyboard does: the terminal's
// settings (VERASE, ICRNL) make them erase and end lines.
const char NORMAL[128] = {
    0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\x7f', '\t',
    'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r', 0, 'a', 's',
    'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
    'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
const char SHIFTED[128] = {
    0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\x7f', '\t',
    'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0, 'A', 'S',
    'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
    'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

bool shift = false, control = false, caps_lock = false, extended = false;

char translate(uint8_t code) {
    bool letter = NORMAL[code] >= 'a' && NORMAL[code] <= 'z';
    bool upper = shift != (caps_lock && letter);
    char c = upper ? SHIFTED[code] : NORMAL[code];
    if (control && letter) return char(NORMAL[code] - 'a' + 1);  // Ctrl-A = 1 ... Ctrl-Z = 26
    return c;
}

void handle_scan_code(uint8_t code) {
    if (code == EXTENDED_PREFIX) {
        extended = true;
        return;
    }
    bool released = code & KEY_RELEASED;
    code &= ~KEY_RELEASED;
    bool was_extended = extended;
    extended = false;
    if (code == LEFT_SHIFT || code == RIGHT_SHIFT) {
        if (!was_extended) shift = !released;
        return;
    }
    if (code == CONTROL) {  // left Ctrl, or right Ctrl with the prefix
        control = !released;
        return;
    }
    if (released) return;
    if (code == CAPS_LOCK) {
        caps_lock = !caps_lock;
        return;
    }
    if (was_extended) {
        if (code == 0x1C) console::receive_input('\r');  // keypad Enter
        return;  // arrows and the like: not used by the line discipline
    }
    if (char c = translate(code)) console::receive_input(c);
}

void on_keyboard_interrupt(void*) {
    while (cpu::inb(STATUS_PORT) & STATUS_OUTPUT_FULL) handle_scan_code(cpu::inb(DATA_PORT));
}

}  // namespace

namespace ps2_keyboard {

void initialize() {
    // Drain anything the BIOS left behind so the first interrupt is fresh.
    for (int i = 0; i < 16 && (cpu::inb(STATUS_PORT) & STATUS_OUTPUT_FULL); ++i) cpu::inb(DATA_PORT);
    interrupts::register_irq_handler(interrupts::IRQ_KEYBOARD, on_keyboard_interrupt, nullptr);
}

}  // namespace ps2_keyboard
