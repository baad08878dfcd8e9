// kernel/panic.h -- stopping the kernel when its own invariants break.
//
// Layer: kernel interfaces: every layer may panic; panic.cpp sits on the
// diagnostics floor, above the scheduler (tools/check-layers). panic() is for bugs in the kernel only: never for
// bad disk data, bad user input or lack of memory, which are errors that
// travel back as Result<T>. It prints "KERNEL PANIC", the reason, the
// registers, a backtrace with function names, and then stops the machine.
// Under QEMU with an isa-debug-exit device on port 0xf4, QEMU exits with a
// non-zero status, so a test notices at once.
#pragma once

#include <cstdint>

struct InterruptFrame;

[[noreturn]] void panic(const char* format, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void panic_with_frame(const InterruptFrame& frame, const char* format, ...)
    __attribute__((format(printf, 2, 3)));

// Makes QEMU exit through isa-debug-exit with status (code << 1) | 1; a
// no-op on machines without that device. Used by panic and by tests.
void exit_qemu_with_failure(uint8_t code);

#define KASSERT(condition)                                                             \
    do {                                                                               \
        if (!(condition)) panic("assertion failed: %s (%s:%d)", #condition, __FILE__, __LINE__); \
    } while (0)
