// kernel/proc/job_control.h -- sessions, process groups and the terminal.
//
// Layer: processes. What a terminal needs to know about the processes
// around it: which process group is in the foreground (it gets the
// terminal's signals and may read), which session the terminal belongs to,
// and what happens to a background process that reads (SIGTTIN) or, with
// TOSTOP, writes (SIGTTOU). The console's file (fs/devfs/console_device.cpp)
// asks these functions; the system calls setsid, setpgid, getpgid and
// getsid change the same state. (Linux: drivers/tty/tty_jobctrl.c and
// kernel/sys.c.)
//
// The console is the only terminal. It belongs to at most one session (the
// terminal's session) and has one foreground process group of that session.
// A process's controlling terminal is the console when its
// has_controlling_terminal is set; fork passes that on, setsid drops it.
// A session leader without a controlling terminal that opens the console
// without O_NOCTTY while no session has it, or asks TIOCSCTTY, makes it the
// controlling terminal of its session, with its own group in the foreground.
// When that leader exits (or asks TIOCNOTTY), the terminal is hung up:
// SIGHUP and SIGCONT to the foreground group, and no session has it.
//
// A process group is orphaned (POSIX) when no member has a parent in
// another group of the same session: nobody is left to continue it. Its
// background reads get EIO instead of SIGTTIN, and when an exit orphans a
// group with a stopped member, every member gets SIGHUP and SIGCONT.
//
// Locking: all of this state is changed with interrupts off.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

struct Process;

// The terminal requests about jobs: TIOCGPGRP, TIOCSPGRP, TIOCSCTTY,
// TIOCNOTTY, TIOCGSID (Linux i386 numbers).
bool is_job_control_request(uint32_t request);
Result<int32_t> job_control_ioctl(uint32_t request, uintptr_t argument);

// Called before the current process reads from the terminal: ok in the
// foreground; a background reader gets SIGTTIN and EINTR (EIO when it
// ignores or blocks SIGTTIN, or its group is orphaned).
Result<void> check_terminal_read();
// The same for a write when the terminal has TOSTOP set (SIGTTOU; an
// ignored or blocked SIGTTOU lets the write through).
Result<void> check_terminal_write(bool tostop);

// The terminal's signal keys (Ctrl-C, Ctrl-\, Ctrl-Z) and window-size
// changes: `signal` to every process of the foreground group.
void signal_foreground_group(int signal);

// The foreground group of the console (0: no session has it).
int console_foreground_group();

// `process` opened the console with `open_flags`: it becomes the
// controlling terminal under the rule above.
void terminal_opened_by(Process& process, uint32_t open_flags);
// The same for the current process (the console's open; nothing in a
// kernel thread).
void terminal_opened(uint32_t open_flags);

// From exit: hangs the terminal up after its session leader, and sends
// SIGHUP and SIGCONT to groups with stopped members that this exit orphans.
void job_control_process_exiting(Process& process);

// Is `group` orphaned (ignoring the process `leaving`, which may be null)?
bool process_group_is_orphaned(int group, const Process* leaving = nullptr);

// The system calls. setsid: EPERM for a process-group leader. setpgid
// (pid 0: the caller; group 0: the target's pid): ESRCH unless the target
// is the caller or its child, EPERM for a child of another session, a
// session leader, or a group of another session, EACCES for a child that
// ran execve, EINVAL for a negative group. getpgid/getsid: ESRCH.
Result<int> create_session();
Result<void> set_process_group(int pid, int group);
Result<int> process_group_of(int pid);
Result<int> session_of(int pid);
