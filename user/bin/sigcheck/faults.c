/* user/bin/sigcheck/faults.c -- faults (SIGSEGV, SIGFPE, SIGILL) reach handlers with the right
 * siginfo, or kill by default, blocked or ignored; SA_RESETHAND.
 * Part of sigcheck (sigcheck.h says what it checks and how).
 */
#include "sigcheck.h"

/* ---- faults ---- */

/* Instructions that fault, at addresses the checks know: divide_by_zero()
 * divides 1 by 0 at divide_instruction; illegal_instruction() is ud2. */
__asm__(".text\n"
        ".globl divide_by_zero, divide_instruction, illegal_instruction\n"
        "divide_by_zero:\n"
        "    movl $1, %eax\n"
        "    xorl %edx, %edx\n"
        "    xorl %ecx, %ecx\n"
        "divide_instruction:\n"
        "    divl %ecx\n"
        "    ret\n"
        "illegal_instruction:\n"
        "    ud2\n"
        "    ret\n");
void divide_by_zero(void);
void illegal_instruction(void);
extern const char divide_instruction[];

static void write_unmapped(void) {
    volatile long address = UNMAPPED_POINTER;   /* through a variable: GCC warns about a constant */
    *(volatile int *)address = 1;
}
static void segfault_while_blocked(void) { change_mask(SIG_BLOCK, SIGSEGV); write_unmapped(); }
static void divide_while_ignored(void) { install(SIGFPE, SIG_IGN, 0, 0); divide_by_zero(); }

/* The stack pointer is bad: there is no room for the handler's frame. */
static void fault_without_stack(void) {
    install(SIGSEGV, count_delivery, 0, 0);
    __asm__ volatile("movl $16, %%esp\n\tpushl $0" : : : "memory");
}

struct fault_report {
    int signo, code;
    unsigned long address, resumes_at;
};
static int report_fd = -1;

static void report_fault(int sig, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    struct fault_report report = { sig, info->si_code, (unsigned long)info->si_addr,
                                   uc->uc_mcontext.gregs[REG_EIP] };
    write(report_fd, &report, sizeof report);
    _exit(0);
}

/* Runs `body` in a child with report_fault as the handler of `sig`: what
 * the handler saw (signo 0 if it never ran). */
static struct fault_report fault_in_child(int sig, void (*body)(void)) {
    struct fault_report report = { 0 };
    int fds[2];
    pipe(fds);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        report_fd = fds[1];
        install_with_info(sig, report_fault);
        body();
        _exit(1);
    }
    close(fds[1]);
    if (read(fds[0], &report, sizeof report) != sizeof report)
        report.signo = 0;
    close(fds[0]);
    reap(child);
    return report;
}

static void skip_illegal_instruction(int sig, siginfo_t *info, void *context) {
    (void)sig, (void)info;
    ((ucontext_t *)context)->uc_mcontext.gregs[REG_EIP] += 2;   /* ud2 is two bytes */
    deliveries++;
}

void faults_reach_handlers(void) {
    struct fault_report r = fault_in_child(SIGSEGV, write_unmapped);
    expect("a write to an unmapped page: SIGSEGV handler", r.signo, SIGSEGV);
    expect("SIGSEGV: si_addr is the address written", r.address, UNMAPPED_POINTER);
    expect("SIGSEGV: si_code is SEGV_MAPERR", r.code, SEGV_MAPERR);
    r = fault_in_child(SIGFPE, divide_by_zero);
    expect("an integer division by zero: SIGFPE handler", r.signo, SIGFPE);
    expect("SIGFPE: si_code is FPE_INTDIV", r.code, FPE_INTDIV);
    expect("SIGFPE: si_addr is the dividing instruction", r.address, (long)divide_instruction);
    expect("SIGFPE: the context resumes at it", r.resumes_at, (long)divide_instruction);
    r = fault_in_child(SIGILL, illegal_instruction);
    expect("ud2: SIGILL handler", r.signo, SIGILL);
    expect("SIGILL: si_code is ILL_ILLOPN", r.code, ILL_ILLOPN);
    expect("SIGILL: si_addr is the instruction", r.address, (long)illegal_instruction);
    deliveries = 0;
    install_with_info(SIGILL, skip_illegal_instruction);
    illegal_instruction();
    expect("a handler may move the resume address past a fault", deliveries, 1);
    install(SIGILL, SIG_DFL, 0, 0);
}

/* SA_RESETHAND: the handler runs once, then the default action ends the child. */
static void reset_after_one(void) {
    struct sigaction now;
    deliveries = 0;
    install(SIGUSR1, count_delivery, SA_RESETHAND, 0);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &now);
    if (deliveries != 1 || now.sa_handler != SIG_DFL)
        _exit(1);
    if (!(now.sa_flags & SA_RESETHAND))
        _exit(2);   /* Linux resets only the handler */
    raise(SIGUSR1);   /* the default action now: the end */
    _exit(3);
}

void faults_kill_by_default(void) {
    expect("a segfault kills with SIGSEGV", ending(in_child(write_unmapped)), SIGSEGV);
    expect("a division by zero kills with SIGFPE", ending(in_child(divide_by_zero)), SIGFPE);
    expect("ud2 kills with SIGILL", ending(in_child(illegal_instruction)), SIGILL);
    expect("a blocked SIGSEGV still kills", ending(in_child(segfault_while_blocked)), SIGSEGV);
    expect("an ignored SIGFPE still kills", ending(in_child(divide_while_ignored)), SIGFPE);
    expect("no room for the handler's frame kills with SIGSEGV", ending(in_child(fault_without_stack)), SIGSEGV);
    expect("SA_RESETHAND: the second delivery has the default action", ending(in_child(reset_after_one)),
           SIGUSR1);
}
