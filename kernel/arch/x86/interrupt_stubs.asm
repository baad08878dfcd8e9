; kernel/arch/x86/interrupt_stubs.asm -- entry and exit of every interrupt.
;
; Layer: architecture. The CPU pushes EFLAGS, CS, EIP (and the user ESP/SS
; when coming from ring 3) and, for some exceptions, an error code. Each stub
; below makes the stack look the same for all 256 vectors -- a dummy error
; code where the CPU pushes none, then the vector number -- and jumps to
; interrupt_common, which saves the rest as a struct InterruptFrame
; (kernel/arch/x86/interrupts.h; the two layouts must match) and calls
; interrupt_dispatch(InterruptFrame*).
;
; interrupt_return is also where a brand-new user process "returns" to user
; mode for the first time: its kernel stack is prepared with a frame.

section .text

%macro STUB_WITHOUT_ERROR_CODE 1
global interrupt_stub_%1
interrupt_stub_%1:
    push dword 0
    push dword %1
    jmp interrupt_common
%endmacro

%macro STUB_WITH_ERROR_CODE 1
global interrupt_stub_%1
interrupt_stub_%1:
    push dword %1
    jmp interrupt_common
%endmacro

; Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30.
%assign vector 0
%rep 256
  %if vector = 8 || (vector >= 10 && vector <= 14) || vector = 17 || vector = 21 || vector = 29 || vector = 30
    STUB_WITH_ERROR_CODE %[vector]
  %else
    STUB_WITHOUT_ERROR_CODE %[vector]
  %endif
  %assign vector vector + 1
%endrep

extern interrupt_dispatch
global interrupt_common
global interrupt_return
interrupt_common:
    pushad                      ; eax ecx edx ebx esp ebp esi edi
    push ds
    push es
    push fs
    push gs
    mov ax, 0x10                ; kernel data segment
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    cld
    push esp                    ; InterruptFrame* for the C++ side
    call interrupt_dispatch
    add esp, 4
interrupt_return:
    pop gs
    pop fs
    pop es
    pop ds
    popad
    add esp, 8                  ; vector and error code
    iretd

; A table of the stub addresses, for the IDT set-up in interrupts.cpp.
section .rodata
global interrupt_stub_table
interrupt_stub_table:
%assign vector 0
%rep 256
    dd interrupt_stub_%[vector]
  %assign vector vector + 1
%endrep

; The double-fault handler runs as its own hardware task (a task gate in the
; IDT), on its own stack, so it works even when the fault was a kernel stack
; overflow that left ESP pointing into a guard page.
section .text
extern double_fault_report
global double_fault_task_entry
double_fault_task_entry:
    xor ebp, ebp
    call double_fault_report    ; never returns
.hang:
    cli
    hlt
    jmp .hang

; load_gdt_and_segments(const TablePointer*, uint16_t code, uint16_t data)
global load_gdt_and_segments
load_gdt_and_segments:
    mov eax, [esp + 4]
    lgdt [eax]
    mov eax, [esp + 12]
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    movzx eax, word [esp + 8]
    push eax
    push .reload_cs
    retf                        ; far return loads CS
.reload_cs:
    ret
