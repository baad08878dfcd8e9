/* user/bin/sigcheck/sigcheck.h -- sigcheck: do signals behave the way Linux's do?
 *
 * A diagnostic program like syscheck: it installs handlers, blocks and
 * sends signals, faults on purpose in child processes, interrupts sleeping
 * calls, and compares what happens with what Linux does. It prints one line
 * per check, "ok NAME" or "FAIL NAME: got X, expected Y", and exits with
 * the number of failures. It runs on a Linux host (the reference) and on
 * our kernel, which must agree. Where a check is about how a child ended,
 * X is the signal that killed it, or 1000 + its exit code.
 *
 * Signals that must interrupt a sleeping call come from a child that sends
 * one every few milliseconds: whichever arrives while the call sleeps is the
 * one that interrupts it, so no check depends on timing. Raw system calls
 * (sys/syscall.h) are used where the C library would check arguments itself.
 *
 * The program is several files, one group of checks each: delivery.c
 * (handlers, siginfo, masks), faults.c, frames.c (registers and FPU state
 * across a handler), interrupted.c (EINTR and restarts), children.c,
 * arguments.c, timers.c (alarm, setitimer); helpers.c holds what they share,
 * main.c runs them in order.
 */
#ifndef SIGCHECK_H
#define SIGCHECK_H

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>


/* A kernel address and an unmapped user address: both must give EFAULT. */
#define KERNEL_POINTER 0xC0100000L
#define UNMAPPED_POINTER 0x10L
#define NO_SUCH_PID 999999999L
#define SEND_INTERVAL_MS 10
#define MANY 300            /* signals: 3 seconds of them */
#define FEW 5

/* helpers.c */
void install(int sig, void (*handler)(int), unsigned long flags, int also_blocked);
void install_with_info(int sig, void (*handler)(int, siginfo_t *, void *));
void change_mask(int how, int sig);
sigset_t current_mask(void);
int reap(pid_t child);
int ending(int status);
int in_child(void (*body)(void));
pid_t start_sender(int sig, int count, int fd, int status);
void stop(pid_t child);
extern volatile sig_atomic_t deliveries, last_signal;
extern siginfo_t last_info;
extern sigset_t context_mask;
void count_delivery(int sig);
void record_info(int sig, siginfo_t *info, void *context);

/* The groups of checks, in the order main.c runs them. */
void handlers_run(void);
void siginfo_says_who_sent(void);
void blocked_signals_wait(void);
void masks_while_handling(void);
void faults_reach_handlers(void);
void faults_kill_by_default(void);
/* frames.c: records the FPU's control words at start, before any check. */
void record_fpu_state_at_start(void);
void registers_survive_a_handler(void);
void registers_survive_interrupts(void);
void waiting_for_a_signal(void);
void interrupted_reads(void);
void interrupted_waits(void);
void child_endings(void);
void inherited_by_a_child(void);
void aborts(void);
void bad_arguments(void);
/* timers.c */
void alarms_and_interval_timers(void);

#endif
