/*
 * kernel/lib/string.cpp — memory and C-string routines (klib).
 *
 * Interface: see string.h.
 *
 * Invariants and the why of the tricky parts:
 *   - memcpy/memmove/memset move a machine word (4 bytes on i686) at a time once the
 *     destination is word-aligned, and byte by byte otherwise; in the kernel (i686)
 *     a forward copy's words move with one `rep movsl`, a fill's with `rep stosl`. A word access is only
 *     made on an aligned address: x86 would tolerate a misaligned one, but the host
 *     build runs under UBSan, which would not.
 *   - Word accesses go through a may_alias type, so the compiler may not assume our
 *     byte buffers and the words we read from them never alias.
 *   - GCC recognises "copy loop" and "fill loop" and likes to replace them with a call
 *     to memcpy/memset — which, in the kernel, forwards right back here: infinite
 *     recursion (and strlen loops may become strlen calls). NO_LIBCALL_LOOPS switches
 *     that optimisation off for every function here that loops over bytes.
 *   - The string functions read one byte at a time: a word-at-a-time strlen could
 *     read past the end of the string (into an unmapped page in the kernel, and into
 *     an ASan red zone on the host).
 */
#include "kernel/lib/string.h"

#include <cstdint>

#define NO_LIBCALL_LOOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))

namespace klib {

namespace {

using Word = uintptr_t;
typedef uintptr_t __attribute__((__may_alias__)) AliasingWord;
constexpr size_t kWordSize = sizeof(Word);

bool is_word_aligned(const void* pointer)
{
    return reinterpret_cast<uintptr_t>(pointer) % kWordSize == 0;
}

// Two pointers can both be word-aligned at once only if they share the same offset
// within a word; otherwise aligning one misaligns the other.
bool can_copy_by_words(const void* destination, const void* source, size_t count)
{
    uintptr_t destination_offset = reinterpret_cast<uintptr_t>(destination) % kWordSize;
    uintptr_t source_offset = reinterpret_cast<uintptr_t>(source) % kWordSize;
    return count >= 2 * kWordSize && destination_offset == source_offset;
}

// Copies from low addresses to high: correct for overlap when destination < source.
NO_LIBCALL_LOOPS void copy_forward(unsigned char* destination, const unsigned char* source,
                                   size_t count)
{
    if (can_copy_by_words(destination, source, count)) {
        while (!is_word_aligned(destination)) {
            *destination++ = *source++;
            --count;
        }
#if defined(__i386__)
        // The kernel: one string instruction moves the words (much faster
        // than a loop, above all under an emulator such as QEMU's TCG).
        size_t words = count / kWordSize;
        asm volatile("rep movsl" : "+D"(destination), "+S"(source), "+c"(words) : : "memory");
        count %= kWordSize;
#else
        auto* destination_words = reinterpret_cast<AliasingWord*>(destination);
        auto* source_words = reinterpret_cast<const AliasingWord*>(source);
        for (; count >= kWordSize; count -= kWordSize)
            *destination_words++ = *source_words++;
        destination = reinterpret_cast<unsigned char*>(destination_words);
        source = reinterpret_cast<const unsigned char*>(source_words);
#endif
    }
    while (count-- > 0)
        *destination++ = *source++;
}

// Copies from high addresses to low: correct for overlap when destination > source.
// The pointers passed in point one past the end of each block.
NO_LIBCALL_LOOPS void copy_backward(unsigned char* destination_end,
                                    const unsigned char* source_end, size_t count)
{
    if (can_copy_by_words(destination_end, source_end, count)) {
        while (!is_word_aligned(destination_end)) {
            *--destination_end = *--source_end;
            --count;
        }
        auto* destination_words = reinterpret_cast<AliasingWord*>(destination_end);
        auto* source_words = reinterpret_cast<const AliasingWord*>(source_end);
        for (; count >= kWordSize; count -= kWordSize)
            *--destination_words = *--source_words;
        destination_end = reinterpret_cast<unsigned char*>(destination_words);
        source_end = reinterpret_cast<const unsigned char*>(source_words);
    }
    while (count-- > 0)
        *--destination_end = *--source_end;
}

// Value of `character` as a digit (0-9, then a/A = 10 ... z/Z = 35), or -1.
int digit_value(char character)
{
    if (character >= '0' && character <= '9')
        return character - '0';
    if (character >= 'a' && character <= 'z')
        return character - 'a' + 10;
    if (character >= 'A' && character <= 'Z')
        return character - 'A' + 10;
    return -1;
}

bool has_hex_prefix(const char* string)
{
    return string[0] == '0' && (string[1] == 'x' || string[1] == 'X');
}

} // namespace

void* memcpy(void* destination, const void* source, size_t count)
{
    copy_forward(static_cast<unsigned char*>(destination),
                 static_cast<const unsigned char*>(source), count);
    return destination;
}

void* memmove(void* destination, const void* source, size_t count)
{
    auto* destination_bytes = static_cast<unsigned char*>(destination);
    auto* source_bytes = static_cast<const unsigned char*>(source);
    // Copying forward is safe unless the destination starts inside the source: then
    // the first bytes written would overwrite source bytes not yet read.
    if (destination_bytes <= source_bytes || destination_bytes >= source_bytes + count)
        copy_forward(destination_bytes, source_bytes, count);
    else
        copy_backward(destination_bytes + count, source_bytes + count, count);
    return destination;
}

NO_LIBCALL_LOOPS void* memset(void* destination, int byte, size_t count)
{
    auto* bytes = static_cast<unsigned char*>(destination);
    auto fill = static_cast<unsigned char>(byte);
    if (count >= 2 * kWordSize) {
        while (!is_word_aligned(bytes)) {
            *bytes++ = fill;
            --count;
        }
        // 0x0101...01 * fill puts the byte into every byte lane of the word.
        Word pattern = (~Word{0} / 0xFF) * fill;
#if defined(__i386__)
        size_t words = count / kWordSize;
        asm volatile("rep stosl" : "+D"(bytes), "+c"(words) : "a"(pattern) : "memory");
        count %= kWordSize;
#else
        auto* words = reinterpret_cast<AliasingWord*>(bytes);
        for (; count >= kWordSize; count -= kWordSize)
            *words++ = pattern;
        bytes = reinterpret_cast<unsigned char*>(words);
#endif
    }
    while (count-- > 0)
        *bytes++ = fill;
    return destination;
}

int memcmp(const void* left, const void* right, size_t count)
{
    auto* left_bytes = static_cast<const unsigned char*>(left);
    auto* right_bytes = static_cast<const unsigned char*>(right);
    for (size_t i = 0; i < count; ++i) {
        if (left_bytes[i] != right_bytes[i])
            return left_bytes[i] - right_bytes[i];
    }
    return 0;
}

NO_LIBCALL_LOOPS size_t strlen(const char* string)
{
    size_t length = 0;
    while (string[length] != '\0')
        ++length;
    return length;
}

NO_LIBCALL_LOOPS size_t strnlen(const char* string, size_t max_length)
{
    size_t length = 0;
    while (length < max_length && string[length] != '\0')
        ++length;
    return length;
}

// Like the C library, strings compare as unsigned chars so that bytes >= 0x80 sort
// after ASCII whatever the signedness of `char` is.
int strcmp(const char* left, const char* right)
{
    return strncmp(left, right, static_cast<size_t>(-1));
}

int strncmp(const char* left, const char* right, size_t max_length)
{
    for (size_t i = 0; i < max_length; ++i) {
        auto left_byte = static_cast<unsigned char>(left[i]);
        auto right_byte = static_cast<unsigned char>(right[i]);
        if (left_byte != right_byte)
            return left_byte - right_byte;
        if (left_byte == '\0')
            return 0;
    }
    return 0;
}

char* strchr(const char* string, int character)
{
    const char wanted = static_cast<char>(character);
    for (;; ++string) {
        if (*string == wanted)
            return const_cast<char*>(string);
        if (*string == '\0')
            return nullptr;
    }
}

char* strrchr(const char* string, int character)
{
    const char wanted = static_cast<char>(character);
    const char* last_match = nullptr;
    for (;; ++string) {
        if (*string == wanted)
            last_match = string;
        if (*string == '\0')
            return const_cast<char*>(last_match);
    }
}

size_t strlcpy(char* destination, const char* source, size_t size)
{
    size_t source_length = strlen(source);
    if (size > 0) {
        size_t copied = source_length < size - 1 ? source_length : size - 1;
        memcpy(destination, source, copied);
        destination[copied] = '\0';
    }
    return source_length;
}

size_t strlcat(char* destination, const char* source, size_t size)
{
    // A destination with no terminator inside `size` is left alone; the result then
    // still says how long the concatenation would have been.
    size_t destination_length = strnlen(destination, size);
    if (destination_length == size)
        return size + strlen(source);
    return destination_length + strlcpy(destination + destination_length, source,
                                        size - destination_length);
}

bool parse_unsigned(const char* string, int base, unsigned long long* out)
{
    if (base == 0) {
        if (has_hex_prefix(string)) {
            base = 16;
            string += 2;
        } else {
            base = string[0] == '0' ? 8 : 10; // the leading 0 is parsed as a digit
        }
    } else if (base == 16 && has_hex_prefix(string)) {
        string += 2;
    }
    if (base < 2 || base > 36 || *string == '\0')
        return false;

    unsigned long long value = 0;
    for (; *string != '\0'; ++string) {
        int digit = digit_value(*string);
        if (digit < 0 || digit >= base)
            return false;
        // The overflow builtins need no 64-bit division, which i686 lacks (GCC
        // would call libgcc's __udivdi3 for it).
        if (__builtin_mul_overflow(value, static_cast<unsigned>(base), &value) ||
            __builtin_add_overflow(value, static_cast<unsigned>(digit), &value))
            return false;
    }
    *out = value;
    return true;
}

bool starts_with(const char* string, const char* prefix)
{
    for (; *prefix != '\0'; ++prefix, ++string) {
        if (*string != *prefix)
            return false;
    }
    return true;
}

} // namespace klib
