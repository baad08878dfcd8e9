/* sigreturn.S -- where a signal handler returns to: the restorers that
 * sigaction() (signal.c) gives the kernel with SA_RESTORER.
 *
 * The kernel calls a handler with the restorer as its return address, so
 * the handler's `ret` lands here with esp just above that address:
 *   __restore_rt (SA_SIGINFO, struct rt_sigframe): rt_sigreturn (173)
 *     finds the frame at once;
 *   __restore (struct sigframe): the signal number, the handler's argument,
 *     is still on the stack; sigreturn (119) expects it gone, so pop it.
 * Neither returns: the kernel reloads the interrupted registers from the
 * frame, and the program goes on where the signal stopped it.
 * The names are glibc's, which gdb knows: a backtrace from inside a
 * handler goes on through the frame into the interrupted code.
 * Must stay true: nothing here touches the stack beyond that one pop,
 * because the kernel locates the frame from esp. */
    .text
    .globl __restore_rt
    .type __restore_rt, @function
__restore_rt:
    movl $173, %eax
    int $0x80
    hlt                      /* not reached */
    .size __restore_rt, . - __restore_rt

    .globl __restore
    .type __restore, @function
__restore:
    popl %eax
    movl $119, %eax
    int $0x80
    hlt                      /* not reached */
    .size __restore, . - __restore
    .section .note.GNU-stack, "", @progbits
