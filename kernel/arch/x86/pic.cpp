// kernel/arch/x86/pic.cpp -- programming the 8259A pair (master at 0x20,
// slave at 0xA0, cascaded on the master's line 2). See pic.h.
#include "kernel/arch/x86/pic.h"

#include "kernel/arch/x86/cpu.h"

namespace {
constexpr uint16_t MASTER_COMMAND = 0x20, MASTER_DATA = 0x21;
constexpr uint16_t SLAVE_COMMAND = 0xA0, SLAVE_DATA = 0xA1;
constexpr uint8_t ICW1_INIT_WITH_ICW4 = 0x11;
constexpr uint8_t ICW4_8086_MODE = 0x01;
constexpr uint8_t OCW2_END_OF_INTERRUPT = 0x20;
constexpr uint8_t OCW3_READ_IN_SERVICE = 0x0B;
constexpr int CASCADE_IRQ = 2;
}  // namespace

namespace pic {

void remap(uint8_t master_vector_base, uint8_t slave_vector_base) {
    // The initialisation sequence: ICW1 on the command port, then ICW2
    // (vector base), ICW3 (cascade wiring) and ICW4 on the data port.
    cpu::outb(MASTER_COMMAND, ICW1_INIT_WITH_ICW4); cpu::io_wait();
    cpu::outb(SLAVE_COMMAND, ICW1_INIT_WITH_ICW4);  cpu::io_wait();
    cpu::outb(MASTER_DATA, master_vector_base);     cpu::io_wait();
    cpu::outb(SLAVE_DATA, slave_vector_base);       cpu::io_wait();
    cpu::outb(MASTER_DATA, 1 << CASCADE_IRQ);       cpu::io_wait();  // slave on line 2
    cpu::outb(SLAVE_DATA, CASCADE_IRQ);             cpu::io_wait();  // slave's identity
    cpu::outb(MASTER_DATA, ICW4_8086_MODE);         cpu::io_wait();
    cpu::outb(SLAVE_DATA, ICW4_8086_MODE);          cpu::io_wait();
    // Everything masked except the cascade, which must stay open for IRQ 8-15.
    cpu::outb(MASTER_DATA, uint8_t(~(1 << CASCADE_IRQ)));
    cpu::outb(SLAVE_DATA, 0xFF);
}

void unmask(int irq) {
    uint16_t port = irq < 8 ? MASTER_DATA : SLAVE_DATA;
    cpu::outb(port, cpu::inb(port) & uint8_t(~(1 << (irq & 7))));
}

void mask(int irq) {
    uint16_t port = irq < 8 ? MASTER_DATA : SLAVE_DATA;
    cpu::outb(port, cpu::inb(port) | uint8_t(1 << (irq & 7)));
}

void send_end_of_interrupt(int irq) {
    if (irq >= 8) cpu::outb(SLAVE_COMMAND, OCW2_END_OF_INTERRUPT);
    cpu::outb(MASTER_COMMAND, OCW2_END_OF_INTERRUPT);
}

bool is_spurious(int irq) {
    if (irq != 7 && irq != 15) return false;
    uint16_t command = irq == 7 ? MASTER_COMMAND : SLAVE_COMMAND;
    cpu::outb(command, OCW3_READ_IN_SERVICE);
    bool in_service = cpu::inb(command) & 0x80;
    if (in_service) return false;
    // A spurious IRQ 15 still came through the master's cascade line, which
    // does expect its end-of-interrupt.
    if (irq == 15) cpu::outb(MASTER_COMMAND, OCW2_END_OF_INTERRUPT);
    return true;
}

}  // namespace pic
