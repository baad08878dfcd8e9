; kernel/proc/user_copy.asm -- the only instructions that touch user memory.
;
; Layer: processes (system-call support). A pointer from a program may point
; anywhere: to nothing, or to a page that is read-only. The kernel never
; dereferences one directly; it calls these routines, whose loads and stores
; all lie between user_access_start and user_access_end. When one of them
; page-faults, the page-fault handler (user_memory.cpp) sees the faulting EIP
; in that range. A store to a copy-on-write page is resolved (the page gets
; its own frame) and the instruction retried; any other fault resumes at
; user_access_fault instead, which returns -1: the system call then fails
; with EFAULT and the kernel carries on.
; The callers have checked that the whole range lies below 0xC0000000.

section .text

; int user_access_copy(void* destination, const void* source, size_t count)
;   -> 0, or -1 after a fault
global user_access_copy
user_access_copy:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    mov edx, ecx
    shr ecx, 2              ; whole words first, then the 0-3 bytes left
global user_access_start
user_access_start:
    rep movsd
    mov ecx, edx
    and ecx, 3
    rep movsb
    xor eax, eax
    pop edi
    pop esi
    ret

; int user_access_copy_string(char* destination, const char* source, size_t size)
;   -> the string's length when its NUL was copied within `size` bytes,
;      `size` when no NUL came first, or -1 after a fault
global user_access_copy_string
user_access_copy_string:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    xor edx, edx
.next:
    cmp edx, ecx
    je .no_terminator
    mov al, [esi + edx]
    mov [edi + edx], al
    test al, al
    jz .terminated
    inc edx
    jmp .next
.terminated:
.no_terminator:
    mov eax, edx
    pop edi
    pop esi
    ret
global user_access_end
user_access_end:

; Where a faulting access resumes: both routines pushed ESI and EDI.
global user_access_fault
user_access_fault:
    mov eax, -1
    pop edi
    pop esi
    ret
