// kernel/arch/x86/cpu.h -- the few x86 instructions C++ cannot express.
//
// Layer: architecture. Port I/O, the interrupt flag, control registers and
// halting, as inline functions so that callers read as plain C++ and a
// student sees every privileged instruction the kernel uses in one place.
#pragma once

#include <cstdint>

namespace cpu {

inline void outb(uint16_t port, uint8_t value) { asm volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }
inline void outw(uint16_t port, uint16_t value) { asm volatile("outw %0, %1" : : "a"(value), "Nd"(port)); }
inline void outl(uint16_t port, uint32_t value) { asm volatile("outl %0, %1" : : "a"(value), "Nd"(port)); }

inline uint8_t inb(uint16_t port) {
    uint8_t value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
inline uint16_t inw(uint16_t port) {
    uint16_t value;
    asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
inline uint32_t inl(uint16_t port) {
    uint32_t value;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

// A write to an unused port takes about a microsecond: the classic delay
// between programming steps of old ISA chips such as the 8259 PIC.
inline void io_wait() { outb(0x80, 0); }

constexpr uint32_t EFLAGS_INTERRUPT_ENABLE = 1u << 9;

inline uint32_t read_eflags() {
    uint32_t flags;
    asm volatile("pushfl; popl %0" : "=r"(flags) : : "memory");
    return flags;
}
inline bool interrupts_enabled() { return read_eflags() & EFLAGS_INTERRUPT_ENABLE; }
inline void disable_interrupts() { asm volatile("cli" : : : "memory"); }
inline void enable_interrupts() { asm volatile("sti" : : : "memory"); }
// sti takes effect after the next instruction, so "sti; hlt" cannot miss an
// interrupt that arrives between the two.
inline void enable_interrupts_and_halt() { asm volatile("sti; hlt" : : : "memory"); }
inline void halt() { asm volatile("hlt" : : : "memory"); }

inline uint32_t read_cr0() { uint32_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline uint32_t read_cr2() { uint32_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline uint32_t read_cr3() { uint32_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline uint32_t read_cr4() { uint32_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void write_cr0(uint32_t v) { asm volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
inline void write_cr3(uint32_t v) { asm volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
inline void write_cr4(uint32_t v) { asm volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
inline void invalidate_page(uintptr_t virtual_address) {
    asm volatile("invlpg (%0)" : : "r"(virtual_address) : "memory");
}

inline uint32_t read_ebp() { uint32_t v; asm volatile("mov %%ebp, %0" : "=r"(v)); return v; }

[[noreturn]] inline void halt_forever() {
    for (;;) {
        disable_interrupts();
        halt();
    }
}

}  // namespace cpu
