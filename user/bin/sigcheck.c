/* sigcheck -- do signals behave the way Linux's do?
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
 */
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

/* ---- helpers ---- */

static void install(int sig, void (*handler)(int), unsigned long flags, int also_blocked) {
    struct sigaction act = { .sa_handler = handler, .sa_flags = flags };
    sigemptyset(&act.sa_mask);
    if (also_blocked)
        sigaddset(&act.sa_mask, also_blocked);
    sigaction(sig, &act, NULL);
}

static void install_with_info(int sig, void (*handler)(int, siginfo_t *, void *)) {
    struct sigaction act = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
    sigemptyset(&act.sa_mask);
    sigaction(sig, &act, NULL);
}

static void change_mask(int how, int sig) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(how, &set, NULL);
}

static sigset_t current_mask(void) {
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    return mask;
}

/* Waits for `child`, whatever signals arrive meanwhile; its raw status. */
static int reap(pid_t child) {
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        continue;
    return status;
}

static int ending(int status) { return WIFSIGNALED(status) ? WTERMSIG(status) : 1000 + WEXITSTATUS(status); }

/* Runs `body` in a child process; returns its raw wait status. */
static int in_child(void (*body)(void)) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        body();
        _exit(0);
    }
    return reap(child);
}

/* A child that sends `sig` to this process `count` times, every
 * SEND_INTERVAL_MS, then writes "data" into `fd` (if >= 0) and exits with
 * `status`. */
static pid_t start_sender(int sig, int count, int fd, int status) {
    pid_t parent = getpid();
    struct timespec interval = { 0, SEND_INTERVAL_MS * 1000000 };
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < count; i++) {
            kill(parent, sig);
            nanosleep(&interval, NULL);
        }
        if (fd >= 0)
            write(fd, "data", 4);
        _exit(status);
    }
    return child;
}

static void stop(pid_t child) {
    kill(child, SIGKILL);
    reap(child);
}

/* What the handlers saw. */
static volatile sig_atomic_t deliveries, last_signal;
static siginfo_t last_info;
static sigset_t context_mask;

static void count_delivery(int sig) {
    deliveries++;
    last_signal = sig;
}

static void record_info(int sig, siginfo_t *info, void *context) {
    (void)sig;
    last_info = *info;
    context_mask = ((ucontext_t *)context)->uc_sigmask;
    deliveries++;
}

/* ---- handlers, siginfo ---- */

static void handlers_run(void) {
    deliveries = 0;
    install(SIGUSR1, count_delivery, 0, 0);
    expect("kill(getpid()) runs the handler", kill(getpid(), SIGUSR1) == 0 && deliveries == 1, 1);
    expect("the handler gets the signal number", last_signal, SIGUSR1);
    expect("raise runs the handler", raise(SIGUSR1) == 0 && deliveries == 2, 1);
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    expect("sigaction reports the handler", old.sa_handler == count_delivery, 1);
    expect("signal() returns the previous handler", signal(SIGUSR1, SIG_IGN) == count_delivery, 1);
    expect("an ignored signal does nothing", raise(SIGUSR1) == 0 && deliveries == 2, 1);
    /* Without SA_RESTORER the kernel provides the way back (Linux: its
     * vDSO; ours: code in the frame), for both kinds of frame. */
    struct sigaction bare = { .sa_handler = count_delivery };
    syscall4(SYS_rt_sigaction, SIGUSR1, (long)&bare, 0, sizeof(sigset_t));
    expect("without SA_RESTORER a handler returns too", raise(SIGUSR1) == 0 && deliveries == 3, 1);
    bare.sa_sigaction = record_info, bare.sa_flags = SA_SIGINFO;
    syscall4(SYS_rt_sigaction, SIGUSR1, (long)&bare, 0, sizeof(sigset_t));
    expect("and so does a SA_SIGINFO handler", raise(SIGUSR1) == 0 && deliveries == 4, 1);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

static void siginfo_says_who_sent(void) {
    install_with_info(SIGUSR2, record_info);
    change_mask(SIG_BLOCK, SIGTERM);
    kill(getpid(), SIGUSR2);
    expect("SA_SIGINFO: si_signo", last_info.si_signo, SIGUSR2);
    expect("kill: si_code is SI_USER", last_info.si_code, SI_USER);
    expect("kill: si_pid is the sender", last_info.si_pid, getpid());
    expect("kill: si_uid is the sender's", last_info.si_uid, getuid());
    expect("the context holds the mask to go back to",
           sigismember(&context_mask, SIGTERM) == 1 && sigismember(&context_mask, SIGUSR2) == 0, 1);
    memset(&last_info, 0, sizeof last_info);
    raise(SIGUSR2);
    expect("raise: si_code is SI_TKILL", last_info.si_code, SI_TKILL);
    expect("raise: si_pid is the sender", last_info.si_pid, getpid());
    change_mask(SIG_UNBLOCK, SIGTERM);
    install(SIGUSR2, SIG_DFL, 0, 0);
}

/* ---- blocking and masks ---- */

static void blocked_signals_wait(void) {
    sigset_t pending, old, all, now;
    install(SIGUSR1, count_delivery, 0, 0);
    deliveries = 0;
    change_mask(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    raise(SIGUSR1);
    expect("a blocked signal is not delivered", deliveries, 0);
    sigpending(&pending);
    expect("sigpending shows it", sigismember(&pending, SIGUSR1), 1);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    expect("unblocked, it is delivered once", deliveries, 1);
    sigpending(&pending);
    expect("and is no longer pending", sigismember(&pending, SIGUSR1), 0);
    change_mask(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    install(SIGUSR1, SIG_IGN, 0, 0);
    sigpending(&pending);
    expect("ignoring a pending signal discards it", sigismember(&pending, SIGUSR1), 0);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    now = current_mask();
    sigprocmask(SIG_SETMASK, &old, NULL);
    expect("SIGKILL and SIGSTOP cannot be blocked", sigismember(&now, SIGKILL) + sigismember(&now, SIGSTOP), 0);
    expect("the other signals can", sigismember(&now, SIGUSR1) + sigismember(&now, 64), 2);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

static sigset_t mask_inside;
static volatile sig_atomic_t depth, deepest;
static char trace[16];

static void note_mask_and_raise_again(int sig) {
    depth++;
    if (depth > deepest)
        deepest = depth;
    sigprocmask(SIG_BLOCK, NULL, &mask_inside);
    if (++deliveries == 1)
        raise(sig);
    depth--;
}

static void trace_add(char c) { trace[strlen(trace)] = c; }
static void outer_handler(int sig) { (void)sig; trace_add('('); raise(SIGUSR2); trace_add(')'); }
static void inner_handler(int sig) { (void)sig; trace_add('*'); }

static void masks_while_handling(void) {
    install(SIGUSR1, note_mask_and_raise_again, 0, SIGUSR2);
    deliveries = deepest = 0;
    raise(SIGUSR1);
    expect("in its handler a signal is blocked", sigismember(&mask_inside, SIGUSR1), 1);
    expect("and so is its sa_mask", sigismember(&mask_inside, SIGUSR2), 1);
    expect("raised in its own handler, it waits for the return", deepest, 1);
    expect("and then runs", deliveries, 2);
    sigset_t after = current_mask();
    expect("the mask is back after the handler", sigismember(&after, SIGUSR1) + sigismember(&after, SIGUSR2), 0);
    install(SIGUSR1, note_mask_and_raise_again, SA_NODEFER, 0);
    deliveries = deepest = 0;
    raise(SIGUSR1);
    expect("SA_NODEFER: its signal is not blocked", sigismember(&mask_inside, SIGUSR1), 0);
    expect("SA_NODEFER: raised again, the handler nests", deepest, 2);
    install(SIGUSR1, outer_handler, 0, 0);
    install(SIGUSR2, inner_handler, 0, 0);
    memset(trace, 0, sizeof trace);
    raise(SIGUSR1);
    expect("a signal raised in another's handler runs inside it", strcmp(trace, "(*)"), 0);
    install(SIGUSR1, SIG_DFL, 0, 0);
    install(SIGUSR2, SIG_DFL, 0, 0);
}

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

static void faults_reach_handlers(void) {
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

static void faults_kill_by_default(void) {
    expect("a segfault kills with SIGSEGV", ending(in_child(write_unmapped)), SIGSEGV);
    expect("a division by zero kills with SIGFPE", ending(in_child(divide_by_zero)), SIGFPE);
    expect("ud2 kills with SIGILL", ending(in_child(illegal_instruction)), SIGILL);
    expect("a blocked SIGSEGV still kills", ending(in_child(segfault_while_blocked)), SIGSEGV);
    expect("an ignored SIGFPE still kills", ending(in_child(divide_while_ignored)), SIGFPE);
    expect("no room for the handler's frame kills with SIGSEGV", ending(in_child(fault_without_stack)), SIGSEGV);
    expect("SA_RESETHAND: the second delivery has the default action", ending(in_child(reset_after_one)),
           SIGUSR1);
}

/* ---- registers and the FPU ---- */

#define DIRECTION_FLAG 0x400
#define X87_DEFAULT_CONTROL 0x037F
#define X87_ROUND_TOWARD_ZERO 0x0F7F
#define MXCSR_DEFAULT 0x1F80
#define MXCSR_ROUND_TOWARD_ZERO 0x7F80
#define X87_STACK_TOP(status) (((status) >> 11) & 7)

/* x87 work with several values live at once. */
static __attribute__((noinline)) double handler_math(void) {
    volatile double seed = 1.5;
    double sum = 0;
    for (int i = 1; i <= 20; i++)
        sum = sum * seed + i / seed;
    return sum;
}
static double handler_math_expected;
static volatile sig_atomic_t handler_math_errors;

static void check_handler_math(void) {
    volatile double got = handler_math();
    if (got != handler_math_expected)
        handler_math_errors++;
}

static unsigned short x87_control_at_start, x87_status_at_entry, x87_control_at_entry;
static unsigned mxcsr_at_start, mxcsr_at_entry;
static unsigned long flags_at_entry;

/* What the handler was given, before any code of its own changes it. */
static void inspecting_handler(int sig) {
    __asm__ volatile("pushfl\n\tpopl %0\n\tfnstsw %1\n\tfnstcw %2\n\tstmxcsr %3"
                     : "=m"(flags_at_entry), "=m"(x87_status_at_entry), "=m"(x87_control_at_entry),
                       "=m"(mxcsr_at_entry) : : "memory");
    check_handler_math();
    last_signal = sig;
}

/* Static, so the assembly below addresses them without a register. */
static double x87_value = 2.718281828459045, x87_kept;
static long tgkill_result;

/* tgkill made by hand, with a value on the x87 stack, the direction flag
 * set and known values in every register: only the kernel can keep them. */
static void registers_survive_a_handler(void) {
    unsigned short control = X87_ROUND_TOWARD_ZERO, control_after;
    unsigned mxcsr = MXCSR_ROUND_TOWARD_ZERO, mxcsr_after;
    long eax = SYS_tgkill, ebx = getpid(), ecx = syscall0(SYS_gettid), edx = SIGUSR1;
    long esi = 0x51515151, edi = 0x7d7d7d7d;
    const long before[5] = { ebx, ecx, edx, esi, edi };
    install(SIGUSR1, inspecting_handler, 0, 0);
    __asm__ volatile("fldcw %0\n\tldmxcsr %1" : : "m"(control), "m"(mxcsr));
    __asm__ volatile("std\n\t"
                     "fldl %[value]\n\t"
                     "int $0x80\n\t"
                     "fstpl %[kept]\n\t"
                     "movl %%eax, %[result]\n\t"
                     "pushfl\n\t"
                     "popl %%eax\n\t"
                     "cld"
                     : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx), "+S"(esi), "+D"(edi),
                       [kept] "=m"(x87_kept), [result] "=m"(tgkill_result)
                     : [value] "m"(x87_value)
                     : "memory", "cc");
    __asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(control_after), "=m"(mxcsr_after));
    control = X87_DEFAULT_CONTROL, mxcsr = MXCSR_DEFAULT;
    __asm__ volatile("fldcw %0\n\tldmxcsr %1" : : "m"(control), "m"(mxcsr));
    const long after[5] = { ebx, ecx, edx, esi, edi };
    int changed = 0;
    for (int i = 0; i < 5; i++)
        changed |= (before[i] != after[i]) << i;
    expect("a program starts with the default x87 control word", x87_control_at_start, X87_DEFAULT_CONTROL);
    expect("a program starts with the default MXCSR", mxcsr_at_start, MXCSR_DEFAULT);
    expect("tgkill by hand runs the handler", tgkill_result == 0 && last_signal == SIGUSR1, 1);
    expect("a handler starts with the direction flag clear", flags_at_entry & DIRECTION_FLAG, 0);
    expect("a handler starts with an empty x87 stack", X87_STACK_TOP(x87_status_at_entry), 0);
    expect("a handler starts with the default x87 control word", x87_control_at_entry, X87_DEFAULT_CONTROL);
    expect("a handler starts with the default MXCSR", mxcsr_at_entry, MXCSR_DEFAULT);
    expect("ebx ecx edx esi edi survive a handler (bits: changed)", changed, 0);
    expect("an x87 register survives a handler", x87_kept == x87_value, 1);
    expect("the direction flag survives a handler", eax & DIRECTION_FLAG, DIRECTION_FLAG);
    expect("the x87 control word survives a handler", control_after, X87_ROUND_TOWARD_ZERO);
    expect("MXCSR survives a handler", mxcsr_after, MXCSR_ROUND_TOWARD_ZERO);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

/* Integer and x87 work that stays in registers: no calls, no system calls,
 * so a signal can only come in by an interrupt, at any instruction. */
static unsigned long long churn(double *floating) {
    unsigned a = 1, b = 2, c = 3, d = 4, e = 5;
    double x = 0, y = 0, z = 1;
    for (unsigned i = 0; i < 100000; i++) {
        a += b ^ i;
        b = (b << 3 | b >> 29) + c;
        c ^= d + (a >> 5);
        d += e * 3 + i;
        e = (e ^ a) + 7;
        x += (double)(a & 1023) * 0.125;
        y += x * 0.0009765625;
        z = z * 0.5 + y * 0.25;
    }
    *floating = x + y + z;
    return (unsigned long long)(a ^ b ^ c) << 32 | (d ^ e);
}

static void busy_handler(int sig) {
    (void)sig;
    check_handler_math();
    deliveries++;
}

static long seconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec;
}

static void registers_survive_interrupts(void) {
    double reference_floating, floating;
    unsigned long long reference = churn(&reference_floating);
    int wrong = 0;
    install(SIGUSR1, busy_handler, 0, 0);
    deliveries = handler_math_errors = 0;
    pid_t sender = start_sender(SIGUSR1, MANY, -1, 0);
    for (long deadline = seconds_now() + 10; deliveries < 20 && seconds_now() < deadline;) {
        if (churn(&floating) != reference || floating != reference_floating)
            wrong++;
    }
    stop(sender);
    expect("signals from another process interrupt a busy loop", deliveries >= 20, 1);
    expect("integer and x87 registers survive signals at any instruction", wrong, 0);
    expect("handlers that interrupt x87 work compute right", handler_math_errors, 0);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

/* ---- waiting for signals, interrupted calls ---- */

static void waiting_for_a_signal(void) {
    install_with_info(SIGUSR1, record_info);
    change_mask(SIG_BLOCK, SIGUSR1);
    deliveries = 0;
    pid_t child = start_sender(SIGUSR1, 1, -1, 0);
    sigset_t unblocked = current_mask();
    sigdelset(&unblocked, SIGUSR1);
    errno = 0;
    int result = sigsuspend(&unblocked);
    expect("sigsuspend returns -1 with EINTR after the handler", result == -1 && errno == EINTR && deliveries == 1, 1);
    expect("a signal from a child carries its pid", last_info.si_pid, child);
    sigset_t after = current_mask();
    expect("sigsuspend puts the mask back", sigismember(&after, SIGUSR1), 1);
    reap(child);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    deliveries = 0;
    child = start_sender(SIGUSR1, MANY, -1, 0);
    errno = 0;
    result = pause();
    expect("pause returns -1 with EINTR after a handler", result == -1 && errno == EINTR && deliveries >= 1, 1);
    stop(child);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

static void interrupted_reads(void) {
    char buffer[8] = { 0 };
    int fds[2];
    install(SIGUSR1, count_delivery, 0, 0);
    pipe(fds);
    pid_t child = start_sender(SIGUSR1, MANY, fds[1], 0);
    errno = 0;
    long got = read(fds[0], buffer, sizeof buffer);
    expect("a handler interrupts read on a pipe: EINTR", got == -1 && errno == EINTR, 1);
    stop(child);
    close(fds[0]);
    close(fds[1]);
    install(SIGUSR1, count_delivery, SA_RESTART, 0);
    pipe(fds);
    deliveries = 0;
    child = start_sender(SIGUSR1, FEW, fds[1], 0);
    got = read(fds[0], buffer, sizeof buffer);
    expect("with SA_RESTART the read goes on and returns the data",
           got == 4 && memcmp(buffer, "data", 4) == 0 && deliveries >= 1, 1);
    reap(child);
    close(fds[0]);
    close(fds[1]);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

static void interrupted_waits(void) {
    int status = 0;
    install(SIGUSR1, count_delivery, 0, 0);
    pid_t child = start_sender(SIGUSR1, MANY, -1, 0);
    errno = 0;
    long waited = waitpid(child, &status, 0);
    expect("a handler interrupts wait4: EINTR", waited == -1 && errno == EINTR, 1);
    stop(child);
    install(SIGUSR1, count_delivery, SA_RESTART, 0);
    child = start_sender(SIGUSR1, FEW, -1, 7);
    waited = waitpid(child, &status, 0);
    expect("with SA_RESTART wait4 goes on until the child ends", waited == child && ending(status) == 1007, 1);
    child = start_sender(SIGUSR1, MANY, -1, 0);
    struct timespec request = { 5, 0 }, left = { 0, 0 };
    errno = 0;
    int slept = nanosleep(&request, &left);
    expect("nanosleep is interrupted even with SA_RESTART", slept == -1 && errno == EINTR, 1);
    /* Linux's timers have 50 microseconds of slack: "left" may exceed 5 s. */
    expect("and tells the time left", left.tv_sec <= 5 && (left.tv_sec > 0 || left.tv_nsec > 0), 1);
    stop(child);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

/* ---- children ---- */

static void child_endings(void) {
    install_with_info(SIGCHLD, record_info);
    change_mask(SIG_BLOCK, SIGCHLD);
    sigset_t unblocked = current_mask();
    sigdelset(&unblocked, SIGCHLD);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit(7);
    sigsuspend(&unblocked);
    expect("SIGCHLD: si_pid is the child", last_info.si_pid, child);
    expect("SIGCHLD: si_code is CLD_EXITED", last_info.si_code, CLD_EXITED);
    expect("SIGCHLD: si_status is the exit code", last_info.si_status, 7);
    reap(child);
    child = fork();
    if (child == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    sigsuspend(&unblocked);
    expect("SIGCHLD of a killed child: CLD_KILLED", last_info.si_code, CLD_KILLED);
    expect("and si_status is the signal", last_info.si_status, SIGTERM);
    reap(child);
    change_mask(SIG_UNBLOCK, SIGCHLD);
    install(SIGCHLD, SIG_DFL, 0, 0);
}

static void inherited_by_a_child(void) {
    install(SIGUSR1, count_delivery, 0, 0);
    deliveries = 0;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        raise(SIGUSR1);
        _exit(deliveries);
    }
    expect("a child inherits the handlers", ending(reap(child)), 1001);
    change_mask(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    child = fork();
    if (child == 0) {
        sigset_t mask = current_mask(), pending;
        sigpending(&pending);
        _exit(sigismember(&mask, SIGUSR1) * 2 + sigismember(&pending, SIGUSR1));
    }
    expect("a child inherits the mask, not the pending signals", ending(reap(child)), 1002);
    change_mask(SIG_UNBLOCK, SIGUSR1);
    expect("the parent's pending signal stays its own", deliveries, 1);
    install(SIGUSR1, SIG_DFL, 0, 0);
}

static int abort_pipe = -1;
static void say_aborted(int sig) { (void)sig; write(abort_pipe, "h", 1); }
static void abort_plainly(void) { abort(); }
static void abort_after_handler(void) { install(SIGABRT, say_aborted, 0, 0); abort(); }
static void abort_while_blocked(void) { change_mask(SIG_BLOCK, SIGABRT); abort(); }

static void aborts(void) {
    int fds[2];
    char said = 0;
    pipe(fds);
    abort_pipe = fds[1];
    expect("abort ends the program with SIGABRT", ending(in_child(abort_plainly)), SIGABRT);
    expect("a SIGABRT handler that returns does not stop abort", ending(in_child(abort_after_handler)), SIGABRT);
    expect("the handler ran first", read(fds[0], &said, 1) == 1 && said == 'h', 1);
    expect("abort ends the program with SIGABRT blocked", ending(in_child(abort_while_blocked)), SIGABRT);
    close(fds[0]);
    close(fds[1]);
}

/* ---- bad arguments ---- */

static void bad_arguments(void) {
    struct sigaction act = { .sa_handler = SIG_IGN }, old;
    sigset_t set;
    sigemptyset(&set);
    long a = (long)&act, o = (long)&old, s = (long)&set, pid = getpid();
    expect("rt_sigaction with sigsetsize 4", syscall4(SYS_rt_sigaction, SIGUSR1, a, 0, 4), -EINVAL);
    expect("rt_sigaction for SIGKILL", syscall4(SYS_rt_sigaction, SIGKILL, a, 0, 8), -EINVAL);
    expect("rt_sigaction for SIGSTOP", syscall4(SYS_rt_sigaction, SIGSTOP, a, 0, 8), -EINVAL);
    expect("rt_sigaction asking about SIGKILL", syscall4(SYS_rt_sigaction, SIGKILL, 0, o, 8), 0);
    expect("rt_sigaction for signal 0", syscall4(SYS_rt_sigaction, 0, a, 0, 8), -EINVAL);
    expect("rt_sigaction for signal 65", syscall4(SYS_rt_sigaction, 65, a, 0, 8), -EINVAL);
    expect("rt_sigaction from an unmapped address", syscall4(SYS_rt_sigaction, SIGUSR1, UNMAPPED_POINTER, 0, 8),
           -EFAULT);
    expect("rt_sigaction from a kernel address", syscall4(SYS_rt_sigaction, SIGUSR1, KERNEL_POINTER, 0, 8), -EFAULT);
    expect("rt_sigaction into an unmapped address", syscall4(SYS_rt_sigaction, SIGUSR1, 0, UNMAPPED_POINTER, 8),
           -EFAULT);
    expect("rt_sigprocmask with how 7", syscall4(SYS_rt_sigprocmask, 7, s, 0, 8), -EINVAL);
    expect("rt_sigprocmask with how 7 and no set", syscall4(SYS_rt_sigprocmask, 7, 0, s, 8), 0);
    expect("rt_sigprocmask from an unmapped set", syscall4(SYS_rt_sigprocmask, SIG_BLOCK, UNMAPPED_POINTER, 0, 8),
           -EFAULT);
    expect("rt_sigprocmask into an unmapped address",
           syscall4(SYS_rt_sigprocmask, SIG_BLOCK, 0, UNMAPPED_POINTER, 8), -EFAULT);
    expect("rt_sigprocmask with sigsetsize 4", syscall4(SYS_rt_sigprocmask, SIG_BLOCK, s, 0, 4), -EINVAL);
    expect("rt_sigpending into an unmapped address", syscall2(SYS_rt_sigpending, UNMAPPED_POINTER, 8), -EFAULT);
    expect("rt_sigpending with sigsetsize 4 (the low half)", syscall2(SYS_rt_sigpending, s, 4), 0);
    expect("rt_sigpending with sigsetsize 16", syscall2(SYS_rt_sigpending, s, 16), -EINVAL);
    expect("rt_sigsuspend with sigsetsize 4", syscall2(SYS_rt_sigsuspend, s, 4), -EINVAL);
    expect("rt_sigsuspend from an unmapped mask", syscall2(SYS_rt_sigsuspend, UNMAPPED_POINTER, 8), -EFAULT);
    expect("kill of a process that does not exist", syscall2(SYS_kill, NO_SUCH_PID, SIGUSR1), -ESRCH);
    expect("kill with signal 65", syscall2(SYS_kill, pid, 65), -EINVAL);
    expect("kill with signal -1", syscall2(SYS_kill, pid, -1), -EINVAL);
    expect("kill with signal 0 only checks", syscall2(SYS_kill, pid, 0), 0);
    expect("tgkill of a thread not in the group", syscall3(SYS_tgkill, pid, NO_SUCH_PID, SIGUSR1), -ESRCH);
    expect("tgkill with thread group 0", syscall3(SYS_tgkill, 0, pid, SIGUSR1), -EINVAL);
    expect("tgkill with signal 65", syscall3(SYS_tgkill, pid, pid, 65), -EINVAL);
    expect("tkill of thread 0", syscall2(SYS_tkill, 0, SIGUSR1), -EINVAL);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        int help = strcmp(argv[1], "--help") == 0;
        fputs("Usage: sigcheck\nChecks signal handlers, masks, faults and interrupted calls\n"
              "against what Linux does; exits with the number of failed checks.\n", help ? stdout : stderr);
        return help ? 0 : 2;
    }
    __asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(x87_control_at_start), "=m"(mxcsr_at_start));
    handler_math_expected = handler_math();
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
    printf("sigcheck: %d failed\n", check_failures);
    return check_failures;
}
