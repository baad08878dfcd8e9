; kernel/sched/context_switch.asm -- the moment one thread becomes another.
;
; Layer: processes and scheduling. switch_context(&old->saved_stack_pointer,
; new->saved_stack_pointer) pushes the registers the C++ calling convention
; says a callee must preserve (EBX, ESI, EDI, EBP), stores ESP in the old
; thread, loads the new thread's ESP and pops the same four registers from
; its stack. The "ret" then returns into wherever the new thread called
; switch_context from -- or, for a brand-new thread, into
; thread_start_trampoline, which scheduler::spawn placed there.
; EAX, ECX, EDX and EFLAGS need no saving: the caller expects them clobbered.
; Called with interrupts off.

section .text
global switch_context
switch_context:
    mov eax, [esp + 4]          ; where to save the old stack pointer
    mov edx, [esp + 8]          ; the new stack pointer
    push ebx
    push esi
    push edi
    push ebp
    mov [eax], esp
    mov esp, edx
    pop ebp
    pop edi
    pop esi
    pop ebx
    ret

extern thread_entry
global thread_start_trampoline
thread_start_trampoline:
    xor ebp, ebp                ; a new thread's backtrace ends here
    call thread_entry           ; never returns
