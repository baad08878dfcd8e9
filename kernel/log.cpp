// kernel/log.cpp -- formatting to the console and the log ring. See log.h.
#include "kernel/log.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/format.h"
#include "kernel/lib/ring_buffer.h"
#include "kernel/time/monotonic_clock.h"

namespace {

LogLevel threshold = LogLevel::Info;
void (*output)(const char* text, size_t length) = nullptr;
klib::RingBuffer<char, 16384> retained_log;

// Output is collected in a small buffer and written in pieces, so a long
// message costs a few console calls rather than one per character.
struct ConsoleBuffer {
    char bytes[128];
    size_t length = 0;
    bool keep_in_log = false;
    bool show_on_console = true;

    void flush() {
        if (show_on_console && output) output(bytes, length);
        length = 0;
    }
    static void put(char c, void* context) {
        auto* self = static_cast<ConsoleBuffer*>(context);
        if (self->keep_in_log) {
            if (retained_log.full()) {
                char dropped;
                retained_log.pop(dropped);
            }
            retained_log.push(c);
        }
        self->bytes[self->length++] = c;
        if (self->length == sizeof self->bytes) self->flush();
    }
};

const char* const LEVEL_PREFIX[] = {"error: ", "warning: ", "", ""};

}  // namespace

void kvprintf(const char* format, va_list arguments) {
    ConsoleBuffer buffer;
    klib::vformat_to(ConsoleBuffer::put, &buffer, format, arguments);
    buffer.flush();
}

void kprintf(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    kvprintf(format, arguments);
    va_end(arguments);
}

namespace {
void format_into(ConsoleBuffer& buffer, const char* format, ...) __attribute__((format(printf, 2, 3)));
void format_into(ConsoleBuffer& buffer, const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    klib::vformat_to(ConsoleBuffer::put, &buffer, format, arguments);
    va_end(arguments);
}
}  // namespace

void klog(LogLevel level, const char* format, ...) {
    InterruptGuard one_message_at_a_time;
    ConsoleBuffer buffer;
    buffer.keep_in_log = true;
    buffer.show_on_console = level <= threshold;
    uint64_t ms = monotonic_clock::uptime_ms();
    format_into(buffer, "[%5u.%03u] %s", unsigned(ms / 1000), unsigned(ms % 1000), LEVEL_PREFIX[int(level)]);
    va_list arguments;
    va_start(arguments, format);
    klib::vformat_to(ConsoleBuffer::put, &buffer, format, arguments);
    va_end(arguments);
    ConsoleBuffer::put('\n', &buffer);
    buffer.flush();
}

void set_log_output(void (*write)(const char* text, size_t length)) { output = write; }
void set_console_log_level(LogLevel level) { threshold = level; }
LogLevel console_log_level() { return threshold; }

size_t copy_kernel_log(char* buffer, size_t size) {
    InterruptGuard stable_log;
    size_t count = 0;
    char c;
    while (count < size && retained_log.peek_at(count, c)) buffer[count++] = c;
    return count;
}
