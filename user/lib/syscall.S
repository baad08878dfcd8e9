/* syscall.S -- the only instruction that enters the kernel: int 0x80.
 *
 * long __syscall6(long number, long a, long b, long c, long d, long e, long f)
 * Linux i386 ABI: number in eax, arguments in ebx, ecx, edx, esi, edi, ebp,
 * result (or -errno) in eax. ebx, esi, edi and ebp are callee-saved in the
 * C ABI, so they are saved here. Unused arguments are passed as 0. */
    .text
    .globl __syscall6
    .type __syscall6, @function
__syscall6:
    pushl %ebp
    pushl %edi
    pushl %esi
    pushl %ebx
    movl 20(%esp), %eax      /* 4 saved registers + return address = 20 */
    movl 24(%esp), %ebx
    movl 28(%esp), %ecx
    movl 32(%esp), %edx
    movl 36(%esp), %esi
    movl 40(%esp), %edi
    movl 44(%esp), %ebp
    int $0x80
    popl %ebx
    popl %esi
    popl %edi
    popl %ebp
    ret
    .size __syscall6, . - __syscall6
    .section .note.GNU-stack, "", @progbits
