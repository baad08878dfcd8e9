// kernel/proc/job_control.h -- sessions, process groups and the terminal.
//
// Layer: processes. What a terminal needs to know about the processes
// around it: which process group is in the foreground (it gets the
// terminal's signals and may read), which session the terminal belongs to,
// and what happens to a background process that reads (SIGTTIN) or, with
// TOSTOP, writes (SIGTTOU). The console's file (fs/devfs/console_device.cpp)
// asks these functions; the system calls setsid, setpgid, getpgid and
// getsid change the same state. (Linux: drivers/tty/tty_jobctrl.c.)
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

// The terminal requests about jobs: TIOCGPGRP, TIOCSPGRP, TIOCSCTTY,
// TIOCNOTTY, TIOCGSID (Linux i386 numbers).
bool is_job_control_request(uint32_t request);
Result<int32_t> job_control_ioctl(uint32_t request, uintptr_t argument);

// Called before the current process reads from the terminal: ok in the
// foreground; a background reader gets SIGTTIN and EINTR (EIO when it
// ignores or blocks SIGTTIN, or its group is orphaned).
Result<void> check_terminal_read();
// The same for a write when the terminal has TOSTOP set (SIGTTOU).
Result<void> check_terminal_write(bool tostop);

// The terminal's signal keys (Ctrl-C, Ctrl-\, Ctrl-Z) and window-size
// changes: `signal` to every process of the foreground group.
void signal_foreground_group(int signal);
