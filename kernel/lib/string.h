/*
 * kernel/lib/string.h — memory and C-string routines (klib, the bottom layer).
 *
 * Interface (namespace klib; same contracts as the C functions of the same name
 * unless noted):
 *   memcpy, memmove, memset, memcmp        memory blocks
 *   strlen, strnlen, strcmp, strncmp       C strings
 *   strchr, strrchr                        searching for '\0' finds the terminator
 *   strlcpy, strlcat                       BSD semantics: always terminate (size > 0),
 *                                          return the length they tried to create, so
 *                                          `result >= size` means "truncated"
 *   parse_unsigned(s, base, &out)          whole-string number parser, see below
 *   starts_with(s, prefix)
 *
 * These are plain C++ functions, not the C symbols. The compiler emits calls to
 * ::memcpy/::memset by itself (struct copies, zeroing), so the kernel's runtime
 * defines extern "C" memcpy & co. that forward here. The host build links libc's
 * versions instead, so tests can compare ours against them.
 *
 * Invariants: nothing here allocates or keeps state; every function is safe to call
 * from an interrupt handler.
 */
#pragma once

#include <cstddef>

namespace klib {

void* memcpy(void* destination, const void* source, size_t count);
void* memmove(void* destination, const void* source, size_t count);
void* memset(void* destination, int byte, size_t count);
int memcmp(const void* left, const void* right, size_t count);

size_t strlen(const char* string);
size_t strnlen(const char* string, size_t max_length);
int strcmp(const char* left, const char* right);
int strncmp(const char* left, const char* right, size_t max_length);
char* strchr(const char* string, int character);
char* strrchr(const char* string, int character);
size_t strlcpy(char* destination, const char* source, size_t size);
size_t strlcat(char* destination, const char* source, size_t size);

// Parses all of `string` as an unsigned number in `base` (2..36), like strtoul but
// stricter: no leading blanks, no sign, and no trailing characters are accepted.
// Base 0 picks the base from the prefix: "0x"/"0X" hex, a leading "0" octal, else
// decimal; base 16 also accepts (and skips) a "0x" prefix. Returns false, leaving
// *out untouched, on an empty string, a bad digit or overflow.
bool parse_unsigned(const char* string, int base, unsigned long long* out);

bool starts_with(const char* string, const char* prefix);

} // namespace klib
