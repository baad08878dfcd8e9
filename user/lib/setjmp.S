/* setjmp.S -- setjmp and longjmp for i386 (cdecl): saves ebx, esi, edi,
 * ebp, the caller's esp and the return address into a jmp_buf; longjmp
 * restores them and makes setjmp return `value` (1 if value is 0).
 * Must stay true: the layout matches jmp_buf in setjmp.h. */
    .text
    .globl setjmp
    .type setjmp, @function
setjmp:
    movl 4(%esp), %eax
    movl %ebx, 0(%eax)
    movl %esi, 4(%eax)
    movl %edi, 8(%eax)
    movl %ebp, 12(%eax)
    leal 4(%esp), %ecx
    movl %ecx, 16(%eax)
    movl 0(%esp), %ecx
    movl %ecx, 20(%eax)
    xorl %eax, %eax
    ret
    .size setjmp, .-setjmp

    .globl longjmp
    .type longjmp, @function
longjmp:
    movl 4(%esp), %edx
    movl 8(%esp), %eax
    testl %eax, %eax
    jnz 1f
    incl %eax
1:  movl 0(%edx), %ebx
    movl 4(%edx), %esi
    movl 8(%edx), %edi
    movl 12(%edx), %ebp
    movl 16(%edx), %esp
    jmp *20(%edx)
    .size longjmp, .-longjmp
    .section .note.GNU-stack,"",@progbits
