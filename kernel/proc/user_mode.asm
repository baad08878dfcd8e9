; kernel/proc/user_mode.asm -- the first step of a program into ring 3.
;
; Layer: processes. enter_user_mode(entry, user_stack) builds the frame an
; interrupt from user mode would have left (SS, ESP, EFLAGS, CS, EIP) and
; executes IRET, which "returns" to the program's first instruction with
; user privileges, interrupts on, and the general registers zero, as Linux
; starts a static program (EDX = 0: no exit handler from a dynamic loader).
; Nothing is left below on the kernel stack that matters: the next
; interrupt from user mode starts again at the top (the TSS's esp0).

USER_CODE_SELECTOR equ 0x18 | 3
USER_DATA_SELECTOR equ 0x20 | 3
EFLAGS_INTERRUPTS  equ 0x202

section .text
global enter_user_mode
enter_user_mode:
    mov ecx, [esp + 4]          ; entry
    mov edx, [esp + 8]          ; user stack pointer
    mov ax, USER_DATA_SELECTOR
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    push USER_DATA_SELECTOR     ; SS
    push edx                    ; ESP
    push EFLAGS_INTERRUPTS      ; EFLAGS
    push USER_CODE_SELECTOR     ; CS
    push ecx                    ; EIP
    xor eax, eax
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    xor esi, esi
    xor edi, edi
    xor ebp, ebp
    iretd

; return_to_user_mode(InterruptFrame* frame): leaves the kernel through the
; common interrupt exit with the registers in `frame` -- how a forked child
; first runs: its frame is a copy of its parent's system-call frame.
extern interrupt_return
global return_to_user_mode
return_to_user_mode:
    cli
    mov esp, [esp + 4]
    jmp interrupt_return
