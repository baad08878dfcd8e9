/* setjmp.h -- non-local jumps (setjmp.S): the callee-saved registers of
 * i386 (ebx, esi, edi, ebp), the stack pointer and the return address.
 * Must stay true: jmp_buf holds exactly what setjmp.S saves; the signal
 * mask is not saved (as _setjmp). */
#ifndef _SETJMP_H
#define _SETJMP_H
typedef unsigned long jmp_buf[6];
int setjmp(jmp_buf env);
_Noreturn void longjmp(jmp_buf env, int value);
#endif
