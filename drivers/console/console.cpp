// drivers/console/console.cpp -- one console over serial, VGA and keyboard.
// See console.h. The line discipline and its readers' wait queue are
// touched only with interrupts off.
#include "drivers/console/console.h"

#include "drivers/console/line_discipline.h"
#include "drivers/serial/serial.h"
#include "drivers/vga/vga_text.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "fs/vfs/poll.h"
#include "kernel/lib/errno.h"
#include "kernel/sched/wait_queue.h"

namespace {

void echo_to_screens(const char* text, size_t length, void*) { console::write(text, length); }

LineDiscipline line_discipline(echo_to_screens, nullptr);
WaitQueue readers;
unsigned interrupts_received = 0;
void (*signal_hook)(int signal) = nullptr;
constexpr int SIGNAL_INTERRUPT = 2;  // SIGINT
constexpr int SIGNAL_TERMINAL_STOP = 20;  // SIGTSTP
constexpr char SUSPEND_KEY = 0x1A;  // Ctrl-Z (termios VSUSP)

}  // namespace

namespace console {

void write(const char* text, size_t length) {
    InterruptGuard whole_write;  // keeps one writer's text together
    serial::write(text, length);
    vga_text::write(text, length);
}

void receive_input(char c) {
    // The suspend key stops the foreground job (job_control.h): SIGTSTP.
    if (c == SUSPEND_KEY) {
        if (signal_hook) signal_hook(SIGNAL_TERMINAL_STOP);
        return;
    }
    switch (line_discipline.receive(c)) {
    case LineDiscipline::Event::None:
        break;
    case LineDiscipline::Event::InputReady:
        readers.wake_all();
        break;
    case LineDiscipline::Event::Interrupt:
        ++interrupts_received;
        readers.wake_all();
        if (signal_hook) signal_hook(SIGNAL_INTERRUPT);
        break;
    }
}

long read(char* buffer, size_t size) {
    InterruptGuard atomic;
    unsigned interrupts_at_start = interrupts_received;
    while (!line_discipline.has_record()) {
        if (interrupts_received != interrupts_at_start || WaitQueue::signal_pending()) return -EINTR;
        readers.sleep();
    }
    return long(line_discipline.read(buffer, size));
}

unsigned interrupt_count() { return interrupts_received; }

void set_signal_hook(void (*hook)(int signal)) { signal_hook = hook; }

uint32_t poll(PollTable* table) {
    using namespace poll_events;
    InterruptGuard atomic;
    poll_wait(table, readers);
    return OUT | WRITE_NORMAL | (line_discipline.has_record() ? IN | READ_NORMAL : 0);
}

}  // namespace console
