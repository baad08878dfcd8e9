; boot/higher_half_entry.asm -- the first code that runs at its linked address.
;
; Layer: boot. boot/multiboot.asm turned paging on and jumped here. From now
; on the kernel runs in the higher half: set up the boot stack (which later
; becomes the idle thread's stack), run the global constructors, and call
; kernel_main(magic, multiboot_info_physical), which never returns.
; Expects: ESI = Multiboot magic, EBX = physical address of the Multiboot info.

BOOT_STACK_SIZE        equ 16384

section .text
extern kernel_main
extern run_global_constructors
global higher_half_entry
higher_half_entry:
    mov esp, boot_stack_top
    xor ebp, ebp                        ; terminates every backtrace
    push esi                            ; keep the Multiboot values across
    push edi                            ; the constructors
    call run_global_constructors
    pop edi
    pop esi
    push edi                            ; kernel_main(magic, info_physical)
    push esi
    call kernel_main
.halt_forever:                          ; kernel_main never returns
    cli
    hlt
    jmp .halt_forever

section .bss
align 16
global boot_stack_bottom
global boot_stack_top
boot_stack_bottom:
    resb BOOT_STACK_SIZE
boot_stack_top:
