// fs/devfs/console_ioctl.h -- the console's terminal requests.
//
// Layer: device files (kernel only: copies to and from the calling
// program). The ioctls a program uses on a Linux terminal, with Linux's
// i386 numbers (include/uapi/asm-generic/ioctls.h) and structures
// (termios.h): TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, TIOCSWINSZ,
// FIONREAD, TCFLSH, TCXONC, TIOCOUTQ, TCSBRK, TCSBRKP. The job-control
// requests (TIOCGPGRP...) are not here: kernel/proc/job_control.h. A
// background process that changes the settings, flushes or stops the
// flow gets SIGTTOU (check_terminal_write(true)), as on Linux.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

// ENOTTY for a request a terminal does not know; EINVAL for a bad
// argument value; EFAULT for a bad pointer.
Result<int32_t> terminal_ioctl(uint32_t request, uintptr_t argument);
