/* crt0.S -- process entry point of every user program.
 *
 * Linux (and our kernel) start a program with esp pointing at:
 *     argc, argv[0..argc-1], NULL, envp[0..], NULL, auxv...
 * _start hands that address to __libc_start (start.c), which sets environ,
 * calls main and exits. Must stay true: ebp is zero on entry to C (so a
 * debugger's backtrace ends here) and the stack is 16-byte aligned at the
 * call, as the i386 System V ABI used by GCC expects. */
    .text
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp
    movl %esp, %eax          /* eax = &argc */
    andl $-16, %esp
    subl $12, %esp
    pushl %eax
    call __libc_start        /* never returns */
    hlt
    .size _start, . - _start
    .section .note.GNU-stack, "", @progbits
