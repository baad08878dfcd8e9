; boot/multiboot.asm -- the first instructions the kernel runs.
;
; Layer: boot. GRUB (or QEMU's -kernel loader) finds the Multiboot 1 header
; below, loads the ELF segments at their physical addresses (1 MiB and up) and
; jumps to boot_entry in 32-bit protected mode with paging off, EAX holding
; the Multiboot magic and EBX the physical address of the Multiboot info.
;
; The kernel is linked to run in the higher half, at 0xC0000000 + physical.
; Before any C++ runs we therefore build a temporary page directory that maps
; the first 64 MiB of physical memory twice: at 0 (identity, so the next
; instruction after enabling paging still exists) and at 0xC0000000 (where the
; kernel's code and data live). It uses 4 MiB pages (PSE) to stay tiny.
; kernel/arch/x86/paging.cpp replaces it with the real page tables soon after.
;
; Invariants on entry to kernel_main (kernel/init/main.cpp):
;   - paging on, the kernel reachable at its linked (virtual) addresses;
;   - ESP on boot_stack (virtual), EBP = 0 so backtraces stop here;
;   - interrupts off; arguments: multiboot magic, physical address of the info.
;   - global constructors (.init_array) have run.
; The code from the jump to the higher half on is in higher_half_entry.asm
; (a separate file, so each file's debug line table covers one section).

MULTIBOOT_MAGIC        equ 0x1BADB002
MULTIBOOT_PAGE_ALIGN   equ 1 << 0      ; modules page-aligned
MULTIBOOT_MEMORY_INFO  equ 1 << 1      ; we want mem_lower/upper and the mmap
MULTIBOOT_FLAGS        equ MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO
MULTIBOOT_CHECKSUM     equ -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

KERNEL_VIRTUAL_BASE    equ 0xC0000000
KERNEL_PDE_INDEX       equ KERNEL_VIRTUAL_BASE >> 22
EARLY_MAPPED_4M_PAGES  equ 16          ; 16 x 4 MiB = the first 64 MiB

PDE_PRESENT            equ 1 << 0
PDE_WRITABLE           equ 1 << 1
PDE_LARGE_PAGE         equ 1 << 7      ; 4 MiB page (needs CR4.PSE)
CR0_PAGING             equ 1 << 31
CR0_WRITE_PROTECT      equ 1 << 16     ; honour read-only pages in ring 0 too
CR4_PSE                equ 1 << 4

section .multiboot progbits alloc noexec nowrite align=4
align 4
multiboot_header:
    dd MULTIBOOT_MAGIC
    dd MULTIBOOT_FLAGS
    dd MULTIBOOT_CHECKSUM

; Runs at physical addresses: every label of the higher-half sections must
; have KERNEL_VIRTUAL_BASE subtracted before use here.
section .boot.text progbits alloc exec nowrite align=16
global boot_entry
boot_entry:
    cli
    cld
    mov esi, eax                        ; keep magic and info pointer safe
    mov edi, ebx

    ; Fill the early page directory: entries 0..15 (identity) and
    ; 768..783 (higher half) both point at physical 0..64 MiB.
    mov ecx, 0
.map_next:
    mov eax, ecx
    shl eax, 22
    or eax, PDE_PRESENT | PDE_WRITABLE | PDE_LARGE_PAGE
    mov [early_page_directory + ecx * 4], eax
    mov [early_page_directory + (KERNEL_PDE_INDEX * 4) + ecx * 4], eax
    inc ecx
    cmp ecx, EARLY_MAPPED_4M_PAGES
    jne .map_next

    mov eax, cr4
    or eax, CR4_PSE
    mov cr4, eax
    mov eax, early_page_directory
    mov cr3, eax
    mov eax, cr0
    or eax, CR0_PAGING | CR0_WRITE_PROTECT
    mov cr0, eax

    extern higher_half_entry            ; boot/higher_half_entry.asm
    lea eax, [higher_half_entry]        ; an absolute, higher-half address
    jmp eax

section .boot.bss nobits alloc write
align 4096
global early_page_directory
early_page_directory:
    resb 4096

