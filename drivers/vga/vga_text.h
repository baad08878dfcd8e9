// drivers/vga/vga_text.h -- the 80x25 VGA text screen.
//
// Layer: device driver (character). A screen of (character, colour) cells
// at physical 0xB8000. Writes understand \n, \r, \b and \t, scroll at the
// bottom and move the blinking hardware cursor. ANSI escape sequences meant
// for the serial terminal are skipped so they do not print as garbage.
#pragma once

#include <cstddef>

namespace vga_text {

void initialize();
void write(const char* text, size_t length);

}  // namespace vga_text
