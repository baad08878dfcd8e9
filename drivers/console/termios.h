// drivers/console/termios.h -- a terminal's settings, as Linux i386 keeps them.
//
// Layer: character devices (data only, no code that needs a device: the
// host unit tests use it too). `Termios` is byte for byte the i386 kernel's
// `struct termios` (include/uapi/asm-generic/termbits.h), the structure
// TCGETS/TCSETS copy to and from programs; the flag values and the c_cc
// indexes are Linux's. `linux_console_settings()` is what a Linux console
// reports before anyone changes it (`stty -a` on a fresh virtual console).
//
// Must stay true: sizeof(Termios) == 36 and every constant equals Linux's,
// because Debian's static programs (busybox stty) pass these bytes as is.
#pragma once

#include <cstddef>
#include <cstdint>

namespace termios_flags {

// c_iflag
constexpr uint32_t IGNBRK = 0x1, BRKINT = 0x2, IGNPAR = 0x4, PARMRK = 0x8, INPCK = 0x10, ISTRIP = 0x20,
                   INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IUCLC = 0x200, IXON = 0x400, IXANY = 0x800,
                   IXOFF = 0x1000, IMAXBEL = 0x2000, IUTF8 = 0x4000;
// c_oflag
constexpr uint32_t OPOST = 0x1, OLCUC = 0x2, ONLCR = 0x4, OCRNL = 0x8, ONOCR = 0x10, ONLRET = 0x20;
// c_cflag
constexpr uint32_t B38400 = 0xF, CS8 = 0x30, CSTOPB = 0x40, CREAD = 0x80, PARENB = 0x100, HUPCL = 0x400,
                   CLOCAL = 0x800;
// c_lflag
constexpr uint32_t ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHOE = 0x10, ECHOK = 0x20, ECHONL = 0x40,
                   NOFLSH = 0x80, TOSTOP = 0x100, ECHOCTL = 0x200, ECHOPRT = 0x400, ECHOKE = 0x800,
                   IEXTEN = 0x8000;

}  // namespace termios_flags

// Indexes into Termios::control_characters (c_cc).
enum ControlCharacter : uint8_t {
    VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7, VSTART = 8,
    VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15, VEOL2 = 16,
};
constexpr size_t CONTROL_CHARACTER_COUNT = 19;
// A c_cc entry with this value is switched off (_POSIX_VDISABLE on Linux).
constexpr uint8_t DISABLED_CHARACTER = 0;

struct [[gnu::packed]] Termios {
    uint32_t input_flags;    // c_iflag
    uint32_t output_flags;   // c_oflag
    uint32_t control_flags;  // c_cflag
    uint32_t local_flags;    // c_lflag
    uint8_t line;            // c_line: the line discipline number, 0 (N_TTY)
    uint8_t control_characters[CONTROL_CHARACTER_COUNT];  // c_cc
};
static_assert(sizeof(Termios) == 36, "the i386 kernel's struct termios");

// struct winsize (TIOCGWINSZ/TIOCSWINSZ).
struct WindowSize {
    uint16_t rows, columns, x_pixels, y_pixels;
};
static_assert(sizeof(WindowSize) == 8);

// A fresh Linux console: ICRNL; OPOST|ONLCR; B38400|CS8|CREAD|HUPCL;
// ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN; ^C ^\ DEL ^U ^D,
// TIME 0, MIN 1, ^Q ^S ^Z, ^R ^O ^W ^V.
constexpr Termios linux_console_settings() {
    using namespace termios_flags;
    Termios settings{ICRNL, OPOST | ONLCR, B38400 | CS8 | CREAD | HUPCL,
                     ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN, 0, {}};
    settings.control_characters[VINTR] = 0x03;
    settings.control_characters[VQUIT] = 0x1c;
    settings.control_characters[VERASE] = 0x7f;
    settings.control_characters[VKILL] = 0x15;
    settings.control_characters[VEOF] = 0x04;
    settings.control_characters[VTIME] = 0;
    settings.control_characters[VMIN] = 1;
    settings.control_characters[VSTART] = 0x11;
    settings.control_characters[VSTOP] = 0x13;
    settings.control_characters[VSUSP] = 0x1a;
    settings.control_characters[VREPRINT] = 0x12;
    settings.control_characters[VDISCARD] = 0x0f;
    settings.control_characters[VWERASE] = 0x17;
    settings.control_characters[VLNEXT] = 0x16;
    return settings;
}
