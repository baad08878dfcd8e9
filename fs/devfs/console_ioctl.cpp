// fs/devfs/console_ioctl.cpp -- the console's terminal requests.
// See the header. (Linux: drivers/tty/tty_ioctl.c, tty_io.c, n_tty.c.)
#include "fs/devfs/console_ioctl.h"

#include "drivers/console/console.h"
#include "drivers/console/termios.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/job_control.h"
#include "kernel/proc/user_memory.h"

namespace {

enum TerminalRequest : uint32_t {
    TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
    TCSBRK = 0x5409, TCXONC = 0x540A, TCFLSH = 0x540B, TIOCOUTQ = 0x5411,
    TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B, TCSBRKP = 0x5425,
};
// TCFLSH's and TCXONC's arguments.
enum : uintptr_t { TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2 };
enum : uintptr_t { TCOOFF = 0, TCOON = 1, TCIOFF = 2, TCION = 3 };
constexpr int SIGNAL_WINDOW_CHANGE = 28;  // SIGWINCH

// Changing the terminal from a background process group: SIGTTOU, as for a
// write with TOSTOP (Linux's tty_check_change).
Result<void> check_terminal_change() { return check_terminal_write(true); }

Result<int32_t> set_settings_from(uintptr_t argument, bool flush_input) {
    TRY(check_terminal_change());
    Termios settings;
    TRY(copy_from_user(&settings, uint32_t(argument), sizeof settings));
    // Output is written synchronously, so TCSETSW's drain is already done.
    console::set_settings(settings, flush_input);
    return 0;
}

Result<int32_t> put_int(uintptr_t argument, int32_t value) {
    TRY(copy_to_user(uint32_t(argument), &value, sizeof value));
    return 0;
}

Result<int32_t> flush_queues(uintptr_t which) {
    if (which > TCIOFLUSH) return Error(EINVAL);
    TRY(check_terminal_change());
    switch (which) {
    case TCIFLUSH:
    case TCIOFLUSH:
        console::flush_input();
        return 0;
    case TCOFLUSH:
        return 0;  // nothing is ever waiting to go out
    default:
        return Error(EINVAL);
    }
}

Result<int32_t> set_window_size_from(uintptr_t argument) {
    WindowSize size;
    TRY(copy_from_user(&size, uint32_t(argument), sizeof size));
    if (console::set_window_size(size)) signal_foreground_group(SIGNAL_WINDOW_CHANGE);
    return 0;
}

}  // namespace

Result<int32_t> terminal_ioctl(uint32_t request, uintptr_t argument) {
    switch (request) {
    case TCGETS: {
        Termios settings = console::settings();
        TRY(copy_to_user(uint32_t(argument), &settings, sizeof settings));
        return 0;
    }
    case TCSETS:
    case TCSETSW:
        return set_settings_from(argument, false);
    case TCSETSF:
        return set_settings_from(argument, true);
    case TIOCGWINSZ: {
        WindowSize size = console::window_size();
        TRY(copy_to_user(uint32_t(argument), &size, sizeof size));
        return 0;
    }
    case TIOCSWINSZ:
        return set_window_size_from(argument);
    case FIONREAD:
        return put_int(argument, int32_t(console::readable_bytes()));
    case TIOCOUTQ:
        return put_int(argument, 0);  // output leaves synchronously
    case TCFLSH:
        return flush_queues(argument);
    case TCXONC:
        // Output is never stopped, and no flow-control characters are sent.
        if (argument > TCION) return Error(EINVAL);
        TRY(check_terminal_change());
        return 0;
    case TCSBRK:
    case TCSBRKP:
        return 0;  // a drain (done) or a break, which the console line cannot send
    default:
        return Error(ENOTTY);
    }
}
