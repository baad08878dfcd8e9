// kernel/init/monitor.h -- a small command interpreter inside the kernel.
//
// Layer: user interface (kernel side). Until user programs exist, boot ends
// here; afterwards `init=monitor` still brings it up, for looking at a
// kernel whose user space is broken. It reads lines from the console and
// answers: help, mem, uptime, threads, log, panic, crash, poweroff.
#pragma once

// Thread body: runs the monitor until poweroff.
void run_monitor(void* unused);
