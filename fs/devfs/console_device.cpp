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
//
// No position and no state of its own, so neither method takes the file's
// position lock: two readers simply share the lines as they come.
#include "drivers/console/console.h"
#include "fs/devfs/devfs.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/file.h"

namespace {

class ConsoleFile final : public File {
public:
    ConsoleFile(Path&& path, uint32_t flags) : File(static_cast<Path&&>(path), flags) {}

    Result<size_t> read(void* buffer, size_t size) override {
        if (size == 0) return size_t(0);
        long got = console::read(static_cast<char*>(buffer), size);
        // console::read speaks -errno (-EINTR after Ctrl-C); Result speaks Error.
        if (got < 0) return Error{int(-got)};
        return size_t(got);
    }

    Result<size_t> write(const void* buffer, size_t size) override {
        console::write(static_cast<const char*>(buffer), size);
        return size;
    }
};

Result<FileRef> open_console(Path&& path, uint32_t flags, uint32_t /*device_number*/, void* /*context*/) {
    return make_file<ConsoleFile>(static_cast<Path&&>(path), flags);
}

}  // namespace

Result<void> register_console_device() {
    return register_device_driver(DeviceKind::Character, TTY_AUXILIARY_MAJOR, CONSOLE_MINOR, 1, "console",
                                  open_console, nullptr);
}
