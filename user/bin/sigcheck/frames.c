/* user/bin/sigcheck/frames.c -- the signal frame: registers, flags, the x87 and SSE state
 * survive a handler and a storm of interrupts.
 * Part of sigcheck (sigcheck.h says what it checks and how).
 */
#include "sigcheck.h"

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
void registers_survive_a_handler(void) {
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

void registers_survive_interrupts(void) {
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

void record_fpu_state_at_start(void) {
    __asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(x87_control_at_start), "=m"(mxcsr_at_start));
    handler_math_expected = handler_math();
}
