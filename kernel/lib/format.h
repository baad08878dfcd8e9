/*
 * kernel/lib/format.h — printf-style formatting (klib, the bottom layer).
 *
 * Interface (namespace klib):
 *   vformat_to(put, context, fmt, ap)  streams the formatted characters one at a time
 *                                      to put(c, context); no length limit. The
 *                                      kernel's kprintf uses it to write straight to
 *                                      the console. Returns the number of characters.
 *   vformat(buffer, size, fmt, ap)     like vsnprintf: writes at most size - 1
 *   format(buffer, size, fmt, ...)     characters plus a terminating NUL (when
 *                                      size > 0) and returns the length the whole
 *                                      output would have had, so `result >= size`
 *                                      means "truncated".
 *
 * Supported, with the C standard's meaning:
 *   flags       -  0  +  space  #
 *   width       digits or *   (a negative * width means left-aligned)
 *   precision   .digits or .* (a negative * precision counts as absent)
 *   length      hh h l ll z t j
 *   conversions d i u x X o c s p %
 * Kernel-specific choices:
 *   %s of nullptr prints "(null)".
 *   %p prints "0x" and the address zero-padded to the pointer size (8 hex digits on
 *   i686), also for nullptr, so columns in a dump line up.
 *   No floating point (the kernel never touches the FPU) and no %n (writing through
 *   a format argument is an attack vector). An unknown conversion is printed as is,
 *   e.g. "%f"; it consumes no argument, so any later arguments are misread — the
 *   format attribute makes GCC warn about such calls at compile time.
 *
 * Invariants: no allocation and no global state, so these are safe in interrupt
 * handlers and while the heap is broken (the panic path uses them).
 */
#pragma once

#include <cstddef>
#include <stdarg.h>

namespace klib {

using FormatPutFunction = void (*)(char character, void* context);

size_t vformat_to(FormatPutFunction put, void* context, const char* format_string,
                  va_list arguments) __attribute__((format(printf, 3, 0)));

size_t vformat(char* buffer, size_t size, const char* format_string, va_list arguments)
    __attribute__((format(printf, 3, 0)));

size_t format(char* buffer, size_t size, const char* format_string, ...)
    __attribute__((format(printf, 3, 4)));

} // namespace klib
