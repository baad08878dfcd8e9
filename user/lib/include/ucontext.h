/* ucontext.h -- what the third argument of a SA_SIGINFO handler points to:
 * the registers of the interrupted program and its signal mask, as the
 * kernel saved them on the stack (Linux i386 struct ucontext with struct
 * sigcontext inside). A handler may change them: sigreturn loads what is
 * there, so e.g. uc_mcontext.gregs[REG_EIP] says where the program resumes.
 *
 * Must stay true: the layout is the kernel's (uc_mcontext at 20, the mask
 * at 108, 116 bytes in all), checked in signal.c. */
#ifndef _UCONTEXT_H
#define _UCONTEXT_H
#include <signal.h>
#include <stddef.h>

/* Indexes into gregs, in the order of struct sigcontext. */
enum {
    REG_GS, REG_FS, REG_ES, REG_DS, REG_EDI, REG_ESI, REG_EBP, REG_ESP, REG_EBX, REG_EDX,
    REG_ECX, REG_EAX, REG_TRAPNO, REG_ERR, REG_EIP, REG_CS, REG_EFL, REG_UESP, REG_SS,
    NGREG
};

typedef struct {
    unsigned long gregs[NGREG];
    void *fpregs;               /* the saved x87/SSE state (struct _fpstate) */
    unsigned long oldmask;
    unsigned long cr2;          /* the address of a page fault */
} mcontext_t;

typedef struct {
    void *ss_sp;                /* an alternate signal stack: not supported here */
    int ss_flags;
    size_t ss_size;
} stack_t;

typedef struct ucontext {
    unsigned long uc_flags;
    struct ucontext *uc_link;
    stack_t uc_stack;
    mcontext_t uc_mcontext;
    sigset_t uc_sigmask;        /* the mask sigreturn puts back */
} ucontext_t;
#endif
