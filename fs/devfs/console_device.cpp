// fs/devfs/console_device.cpp -- /dev/console, the system console as a file.
//
// Layer: character device driver (kernel only: the host build does not
// compile this file, since drivers/console/ needs the real serial port and
// screen). The File it opens is a stream: read and write go straight to the
// console of drivers/console/console.h, and pread/pwrite/lseek keep File's
// ESPIPE, as on a Linux terminal. Registered in the VFS device table as
// character device 5:1, Linux's number for /dev/console. (Linux:
// drivers/tty/tty_io.c, console_fops; the line discipline does the editing.)
//
//   read    sleeps until the line discipline has a whole line (or Ctrl-D);
//           returns at most `size` bytes of it, 0 at end of file, EINTR
//           when Ctrl-C threw the line away
//   write   all bytes, to the serial port and the screen
//   ioctl   the terminal requests programs ask first: TCGETS (the
//           settings of a canonical, echoing line), TCSETS* (accepted;
//           the line discipline stays canonical), TIOCGWINSZ (80x25),
//           and the job-control requests (kernel/proc/job_control.h)
//
// No position and no state of its own, so neither method takes the file's
// position lock: two readers simply share the lines as they come.
#include "drivers/console/console.h"
#include "fs/devfs/devfs.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/file.h"
#include "kernel/proc/job_control.h"
#include "kernel/proc/user_memory.h"

namespace {

class ConsoleFile final : public File {
public:
    ConsoleFile(Path&& path, uint32_t flags) : File(static_cast<Path&&>(path), flags) {}

    Result<size_t> read(void* buffer, size_t size) override {
        if (size == 0) return size_t(0);
        TRY(check_terminal_read());
        long got = console::read(static_cast<char*>(buffer), size);
        // console::read speaks -errno (-EINTR after Ctrl-C); Result speaks Error.
        if (got < 0) return Error{int(-got)};
        return size_t(got);
    }

    Result<size_t> write(const void* buffer, size_t size) override {
        TRY(check_terminal_write(false));
        console::write(static_cast<const char*>(buffer), size);
        return size;
    }

    uint32_t poll(PollTable* table) override { return console::poll(table); }

    Result<int32_t> ioctl(uint32_t request, uintptr_t argument) override;
};

// The i386 kernel's struct termios (asm-generic/termbits.h) and winsize.
struct [[gnu::packed]] KernelTermios {
    uint32_t input_flags, output_flags, control_flags, local_flags;
    uint8_t line;
    uint8_t control_characters[19];
};
static_assert(sizeof(KernelTermios) == 36);

struct WindowSize {
    uint16_t rows, columns, x_pixels, y_pixels;
};

enum TerminalRequest : uint32_t {
    TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
    TIOCGWINSZ = 0x5413,
};

// What a canonical Linux console reports: ICRNL; OPOST|ONLCR; B38400|CS8|
// CREAD|HUPCL; ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN; and the
// usual control characters (^C ^\ DEL ^U ^D).
KernelTermios canonical_settings() {
    KernelTermios settings{0x100, 0x5, 0xBF, 0x8A3B, 0, {}};
    const uint8_t characters[] = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0};
    for (size_t i = 0; i < sizeof characters; ++i) settings.control_characters[i] = characters[i];
    return settings;
}

Result<int32_t> ConsoleFile::ioctl(uint32_t request, uintptr_t argument) {
    if (is_job_control_request(request)) return job_control_ioctl(request, argument);
    switch (request) {
    case TCGETS: {
        KernelTermios settings = canonical_settings();
        TRY(copy_to_user(uint32_t(argument), &settings, sizeof settings));
        return 0;
    }
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        KernelTermios ignored;
        TRY(copy_from_user(&ignored, uint32_t(argument), sizeof ignored));
        return 0;
    }
    case TIOCGWINSZ: {
        WindowSize size{25, 80, 0, 0};
        TRY(copy_to_user(uint32_t(argument), &size, sizeof size));
        return 0;
    }
    default:
        return Error(ENOTTY);
    }
}

Result<FileRef> open_console(Path&& path, uint32_t flags, uint32_t /*device_number*/, void* /*context*/) {
    auto file = make_file<ConsoleFile>(static_cast<Path&&>(path), flags);
    if (!file.is_error()) terminal_opened(flags);  // a session leader's open may make it its terminal
    return file;
}

}  // namespace

Result<void> register_console_device() {
    return register_device_driver(DeviceKind::Character, TTY_AUXILIARY_MAJOR, CONSOLE_MINOR, 1, "console",
                                  open_console, nullptr);
}
