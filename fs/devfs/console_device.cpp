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
//   read    as the terminal's settings say (drivers/console/line_discipline.h):
//           a canonical line, 0 at end of file, or bytes per VMIN/VTIME;
//           EINTR when a signal arrives first, EAGAIN with O_NONBLOCK
//   write   all bytes, through the terminal's output processing (OPOST)
//           to the serial port and the screen; with TOSTOP a background
//           writer gets SIGTTOU (kernel/proc/job_control.h)
//   ioctl   the job-control requests (kernel/proc/job_control.h), then the
//           terminal requests (fs/devfs/console_ioctl.h: TCGETS,
//           TCSETS*, TIOCGWINSZ, TIOCSWINSZ, FIONREAD, TCFLSH...)
//
// No position and no state of its own, so neither method takes the file's
// position lock: two readers simply share the input as it comes.
#include "drivers/console/console.h"
#include "fs/devfs/console_ioctl.h"
#include "fs/devfs/devfs.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/file.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/proc/job_control.h"
#include "kernel/sched/wait_queue.h"

namespace {

class ConsoleFile final : public File {
public:
    ConsoleFile(Path&& path, uint32_t flags) : File(static_cast<Path&&>(path), flags) {}

    Result<size_t> read(void* buffer, size_t size) override {
        if (size == 0) return size_t(0);
        TRY(check_terminal_read());
        long got = console::read_for_program(static_cast<char*>(buffer), size, flags() & O_NONBLOCK);
        // console's reads speak -errno (-EINTR, -EAGAIN); Result speaks Error.
        if (got < 0) return Error{int(-got)};
        return size_t(got);
    }

    Result<size_t> write(const void* buffer, size_t size) override {
        TRY(check_terminal_write(console::settings().local_flags & termios_flags::TOSTOP));
        console::write_from_program(static_cast<const char*>(buffer), size);
        return size;
    }

    // Always writable; readable as console::readable() says. The table
    // waits on the same queue that read() sleeps on.
    uint32_t poll(PollTable* table) override {
        using namespace poll_events;
        InterruptGuard atomic;
        poll_wait(table, console::readers_queue());
        return OUT | WRITE_NORMAL | (console::readable() ? IN | READ_NORMAL : 0);
    }

    Result<int32_t> ioctl(uint32_t request, uintptr_t argument) override;
};

Result<int32_t> ConsoleFile::ioctl(uint32_t request, uintptr_t argument) {
    if (is_job_control_request(request)) return job_control_ioctl(request, argument);
    return terminal_ioctl(request, argument);
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
