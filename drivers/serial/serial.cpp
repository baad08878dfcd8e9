// drivers/serial/serial.cpp -- 16550 UART register programming. See serial.h.
#include "drivers/serial/serial.h"

#include <cstdint>

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"

namespace {

constexpr uint16_t COM1 = 0x3F8;
// Register offsets from the base port (DLAB = divisor latch access bit).
constexpr uint16_t DATA = 0;                  // receive / transmit buffer
constexpr uint16_t INTERRUPT_ENABLE = 1;
constexpr uint16_t DIVISOR_LOW = 0, DIVISOR_HIGH = 1;  // when DLAB is set
constexpr uint16_t FIFO_CONTROL = 2;
constexpr uint16_t LINE_CONTROL = 3;
constexpr uint16_t MODEM_CONTROL = 4;
constexpr uint16_t LINE_STATUS = 5;
constexpr uint16_t SCRATCH = 7;

constexpr uint8_t LINE_8N1 = 0x03, LINE_DLAB = 0x80;
constexpr uint8_t FIFO_ENABLE_14 = 0xC5;  // enable, clear transmit only (keep typed-ahead input), trigger at 14
constexpr uint8_t MODEM_DTR_RTS_OUT2 = 0x0B;       // OUT2 gates the IRQ line on PCs
constexpr uint8_t STATUS_DATA_READY = 0x01, STATUS_TRANSMIT_EMPTY = 0x20;
constexpr uint8_t ENABLE_RECEIVED_DATA_INTERRUPT = 0x01;
constexpr uint32_t UART_CLOCK_DIVIDEND = 115200;

bool present = false;
void (*receiver)(char c) = nullptr;

void put_char(char c) {
    // Bounded wait, so a missing or stuck UART cannot hang the kernel.
    for (int spins = 0; spins < 100000; ++spins) {
        if (cpu::inb(COM1 + LINE_STATUS) & STATUS_TRANSMIT_EMPTY) break;
    }
    cpu::outb(COM1 + DATA, uint8_t(c));
}

void on_receive_interrupt(void*) {
    while (cpu::inb(COM1 + LINE_STATUS) & STATUS_DATA_READY) {
        receiver(char(cpu::inb(COM1 + DATA)));
    }
}

}  // namespace

namespace serial {

void initialize_output() {
    // A UART keeps what is written to its scratch register; no UART, no echo.
    cpu::outb(COM1 + SCRATCH, 0x5A);
    if (cpu::inb(COM1 + SCRATCH) != 0x5A) return;
    cpu::outb(COM1 + INTERRUPT_ENABLE, 0);
    cpu::outb(COM1 + LINE_CONTROL, LINE_DLAB);
    constexpr uint16_t divisor = UART_CLOCK_DIVIDEND / 115200;
    cpu::outb(COM1 + DIVISOR_LOW, divisor & 0xFF);
    cpu::outb(COM1 + DIVISOR_HIGH, divisor >> 8);
    cpu::outb(COM1 + LINE_CONTROL, LINE_8N1);
    cpu::outb(COM1 + FIFO_CONTROL, FIFO_ENABLE_14);
    cpu::outb(COM1 + MODEM_CONTROL, MODEM_DTR_RTS_OUT2);
    present = true;
}

void enable_input_interrupts(void (*receive)(char c)) {
    if (!present || !receive) return;
    receiver = receive;
    interrupts::register_irq_handler(interrupts::IRQ_COM1, on_receive_interrupt, nullptr);
    cpu::outb(COM1 + INTERRUPT_ENABLE, ENABLE_RECEIVED_DATA_INTERRUPT);
    on_receive_interrupt(nullptr);  // bytes that arrived before we listened
}

void write(const char* text, size_t length) {
    if (!present) return;
    for (size_t i = 0; i < length; ++i) {
        // Terminals expect CR LF; the kernel writes plain LF.
        if (text[i] == '\n') put_char('\r');
        put_char(text[i]);
    }
}

void write_raw(const char* text, size_t length) {
    if (!present) return;
    for (size_t i = 0; i < length; ++i) put_char(text[i]);
}

bool is_present() { return present; }

}  // namespace serial
