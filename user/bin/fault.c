/* fault -- misbehaves on purpose, to see what the kernel and the shell do
 * about a program that faults or never gives the CPU back.
 *
 *   fault segv | null | divide | illegal | loop | abort
 *
 * Each mode is one kind of misbehaviour (see usage() below). None of them
 * should return: the kernel ends the program with a signal (the shell then
 * says which: "Segmentation fault", status 139), or for `loop` the timer
 * takes the CPU back and Ctrl-C ends it. If a mode does return, fault says
 * so and exits with status 1; a usage error is status 2.
 *
 * The bad pointers and the zero divisor are read through volatile
 * variables: a constant would let the compiler see the fault coming and
 * put something else in its place (GCC turns a known null dereference
 * into ud2, which is SIGILL, not SIGSEGV).
 */
#include <progutil.h>
#include <stdlib.h>
#include <string.h>

const char *program_name = "fault";

#define UNMAPPED_ADDRESS 0x0dead000   /* above the heap, below mmap's area: nothing there */

static volatile int sink;

static void write_unmapped(void)
{
    int *volatile pointer = (int *)UNMAPPED_ADDRESS;
    *pointer = 1;
}

static void read_null(void)
{
    int *volatile pointer = NULL;
    sink = *pointer;
}

static void divide_by_zero(void)
{
    volatile int numerator = 1, divisor = 0;
    sink = numerator / divisor;
}

static void illegal_instruction(void) { __asm__ volatile("ud2"); }

/* A loop with no system call in it: the program never enters the kernel
 * by itself, so only an interrupt can take the CPU back. */
static void spin(void)
{
    for (;;)
        sink++;
}

static const struct {
    const char *name;
    void (*misbehave)(void);
} modes[] = {
    {"segv", write_unmapped},   {"null", read_null}, {"divide", divide_by_zero},
    {"illegal", illegal_instruction}, {"loop", spin}, {"abort", abort},
};

static int usage(FILE *out, int status)
{
    fputs("Usage: fault MODE\n"
          "Misbehave on purpose; the kernel should end the program with a signal.\n"
          "  segv     write to an unmapped address (0xdead000): SIGSEGV\n"
          "  null     read through a null pointer: SIGSEGV\n"
          "  divide   divide an integer by zero: SIGFPE\n"
          "  illegal  execute an invalid instruction (ud2): SIGILL\n"
          "  loop     spin in user mode forever, without system calls (Ctrl-C ends it)\n"
          "  abort    call abort(): SIGABRT\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    if (argc != 2) {
        warn_message(argc < 2 ? "missing mode" : "too many arguments");
        return usage(stderr, 2);
    }
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (strcmp(argv[1], modes[i].name) == 0) {
            modes[i].misbehave();
            warn_message("%s: still running: the kernel let the program go on", argv[1]);
            return finish(1);
        }
    }
    warn_message("%s: unknown mode", argv[1]);
    return usage(stderr, 2);
}
