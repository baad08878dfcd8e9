// kernel/sched/self_test.h -- checks of threads, run inside the kernel.
//
// Layer: processes and scheduling (tests). Preemption, sleeping, mutual
// exclusion and wait-queue timeouts can only be checked on the real thing:
// the monitor's `selftest` command runs these and prints one line per check,
// "selftest: NAME ok" or "selftest: NAME FAILED: why", which the QEMU tests
// read.
#pragma once

// Returns the number of failed checks.
int run_scheduler_self_tests();
