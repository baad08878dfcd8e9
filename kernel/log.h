// kernel/log.h -- kprintf and the kernel log.
//
// Layer: kernel interfaces: every layer logs; log.cpp sits on the
// diagnostics floor (tools/check-layers). kprintf() writes to the console,
// through the writer kernel_main registers. The log_*() calls add a
// timestamp and a level, keep the message in a ring buffer (the kernel log,
// which the monitor's `log` command prints) and print it when its level is
// at or above the console threshold: `quiet` on the command line raises the
// threshold to warnings, `loglevel=` sets it.
//
// The format strings are checked by the compiler (printf attribute), so a
// wrong argument type is a build warning, not a garbled boot log.
// Callable from any context, interrupt handlers and panics included.
#pragma once

#include <cstddef>
#include <stdarg.h>

enum class LogLevel { Error = 0, Warning = 1, Info = 2, Debug = 3 };

void kprintf(const char* format, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char* format, va_list arguments);
void klog(LogLevel level, const char* format, ...) __attribute__((format(printf, 2, 3)));

// Where kprintf and the log print: the console's write (drivers/console),
// which kernel_main hands over first thing -- the console sits above this
// header, so the log does not name it. Until then output only reaches the ring.
void set_log_output(void (*write)(const char* text, size_t length));

void set_console_log_level(LogLevel level);
LogLevel console_log_level();

// Copies the retained log, oldest first; returns the byte count.
size_t copy_kernel_log(char* buffer, size_t size);

#define log_error(...) klog(LogLevel::Error, __VA_ARGS__)
#define log_warning(...) klog(LogLevel::Warning, __VA_ARGS__)
#define log_info(...) klog(LogLevel::Info, __VA_ARGS__)
#define log_debug(...) klog(LogLevel::Debug, __VA_ARGS__)
