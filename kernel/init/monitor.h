// kernel/init/monitor.h -- a small command interpreter inside the kernel.
//
// Layer: init, the top floor (the kernel side of the user interface).
// Boot ends here when the first program cannot start or ends, and
// `init=monitor` brings it up at once, for looking at a kernel whose user
// space is broken. It reads lines from the console and
// answers: help, mem, uptime, threads, log, panic, crash, poweroff.
#pragma once

// Thread body: runs the monitor until poweroff.
void run_monitor(void* unused);
