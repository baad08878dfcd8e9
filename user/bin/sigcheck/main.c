/* user/bin/sigcheck/main.c -- runs every group of checks and exits with the number of
 * failures.
 * Part of sigcheck (sigcheck.h says what it checks and how).
 */
#include "sigcheck.h"

int main(int argc, char **argv) {
    if (argc > 1) {
        int help = strcmp(argv[1], "--help") == 0;
        fputs("Usage: sigcheck\nChecks signal handlers, masks, faults and interrupted calls\n"
              "against what Linux does; exits with the number of failed checks.\n", help ? stdout : stderr);
        return help ? 0 : 2;
    }
    record_fpu_state_at_start();
    handlers_run();
    siginfo_says_who_sent();
    blocked_signals_wait();
    masks_while_handling();
    faults_reach_handlers();
    faults_kill_by_default();
    registers_survive_a_handler();
    registers_survive_interrupts();
    waiting_for_a_signal();
    interrupted_reads();
    interrupted_waits();
    child_endings();
    inherited_by_a_child();
    aborts();
    bad_arguments();
    alarms_and_interval_timers();
    printf("sigcheck: %d failed\n", check_failures);
    return check_failures;
}
