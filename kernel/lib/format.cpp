/*
 * kernel/lib/format.cpp — printf-style formatting (klib).
 *
 * Interface: see format.h.
 *
 * How it works: vformat_to walks the format string; each '%' starts a conversion
 * that parse_conversion() reads into a ConversionSpec (flags, width, precision,
 * length, conversion letter). The emit_* functions turn one spec plus its argument
 * into characters on an OutputStream, which forwards them to the caller's put
 * function and counts them. vformat is vformat_to with a put function that fills a
 * fixed buffer and drops what does not fit.
 *
 * Invariants:
 *   - Every character produced goes through OutputStream::put, so the returned count
 *     is exact whatever the sink does with the characters.
 *   - Numbers are converted using only 32-bit division: i686 has no 64-bit divide
 *     instruction and the kernel does not link libgcc's __udivdi3.
 *   - The format string is never read past its terminating NUL, even when it ends in
 *     the middle of a conversion ("%-0").
 */
#include "kernel/lib/format.h"

#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernel/lib/string.h"

namespace klib {

namespace {

enum class LengthModifier { None, Char, Short, Long, LongLong, Size, PointerDifference, Max };

struct ConversionSpec {
    bool left_align = false;      // '-'
    bool zero_pad = false;        // '0'
    bool force_sign = false;      // '+'
    bool space_for_sign = false;  // ' '
    bool alternate_form = false;  // '#'
    int width = 0;
    int precision = -1;           // -1: no precision given
    LengthModifier length = LengthModifier::None;
    char conversion = '\0';       // '\0' when the format string ended early
};

// A number split into what is printed around its digits.
struct NumberParts {
    unsigned long long magnitude;
    unsigned base;
    bool uppercase;
    char sign;           // '-', '+', ' ' or '\0' for none
    const char* prefix;  // "0x", "0X" or ""
};

// va_list is an array type on x86-64, so it cannot portably be passed by value and
// then used by both caller and callee. Wrapped in a struct and passed by reference,
// every helper advances the same argument position.
struct ArgumentCursor {
    va_list list;
};

class OutputStream {
public:
    OutputStream(FormatPutFunction put_function, void* context)
        : m_put(put_function), m_context(context) {}

    void put(char character)
    {
        m_put(character, m_context);
        ++m_count;
    }

    void put_repeated(char character, int count)
    {
        for (; count > 0; --count)
            put(character);
    }

    void put_characters(const char* characters, size_t length)
    {
        for (size_t i = 0; i < length; ++i)
            put(characters[i]);
    }

    size_t count() const { return m_count; }

private:
    FormatPutFunction m_put;
    void* m_context;
    size_t m_count = 0;
};

bool is_digit(char character) { return character >= '0' && character <= '9'; }

// Reads a decimal number; absurdly long digit strings saturate instead of overflowing.
int parse_decimal(const char*& cursor)
{
    int value = 0;
    for (; is_digit(*cursor); ++cursor) {
        if (value < 100000000)
            value = value * 10 + (*cursor - '0');
    }
    return value;
}

const char* parse_flags(const char* cursor, ConversionSpec& spec)
{
    for (;; ++cursor) {
        switch (*cursor) {
        case '-': spec.left_align = true; break;
        case '0': spec.zero_pad = true; break;
        case '+': spec.force_sign = true; break;
        case ' ': spec.space_for_sign = true; break;
        case '#': spec.alternate_form = true; break;
        default: return cursor;
        }
    }
}

const char* parse_length(const char* cursor, LengthModifier& length)
{
    switch (*cursor) {
    case 'h':
        if (cursor[1] == 'h') {
            length = LengthModifier::Char;
            return cursor + 2;
        }
        length = LengthModifier::Short;
        return cursor + 1;
    case 'l':
        if (cursor[1] == 'l') {
            length = LengthModifier::LongLong;
            return cursor + 2;
        }
        length = LengthModifier::Long;
        return cursor + 1;
    case 'z': length = LengthModifier::Size; return cursor + 1;
    case 't': length = LengthModifier::PointerDifference; return cursor + 1;
    case 'j': length = LengthModifier::Max; return cursor + 1;
    default: return cursor;
    }
}

// `cursor` points just after the '%'; on return it points after the conversion
// letter (or at the terminating NUL if the format string ended first).
ConversionSpec parse_conversion(const char*& cursor, ArgumentCursor& arguments)
{
    ConversionSpec spec;
    cursor = parse_flags(cursor, spec);

    if (*cursor == '*') {
        ++cursor;
        spec.width = va_arg(arguments.list, int);
        if (spec.width < 0) { // C: a negative width argument means '-' and |width|
            spec.left_align = true;
            spec.width = spec.width == std::numeric_limits<int>::min()
                             ? std::numeric_limits<int>::max()
                             : -spec.width;
        }
    } else {
        spec.width = parse_decimal(cursor);
    }

    if (*cursor == '.') {
        ++cursor;
        if (*cursor == '*') {
            ++cursor;
            int precision = va_arg(arguments.list, int);
            spec.precision = precision < 0 ? -1 : precision;
        } else {
            spec.precision = parse_decimal(cursor); // "%.d" means precision 0
        }
    }

    cursor = parse_length(cursor, spec.length);
    if (*cursor != '\0')
        spec.conversion = *cursor++;
    return spec;
}

// Arguments narrower than int arrive promoted to int; the cast brings back the
// value the caller's char or short had.
long long fetch_signed(LengthModifier length, ArgumentCursor& arguments)
{
    switch (length) {
    case LengthModifier::Char: return static_cast<signed char>(va_arg(arguments.list, int));
    case LengthModifier::Short: return static_cast<short>(va_arg(arguments.list, int));
    case LengthModifier::Long: return va_arg(arguments.list, long);
    case LengthModifier::LongLong: return va_arg(arguments.list, long long);
    case LengthModifier::Size: return va_arg(arguments.list, std::make_signed_t<size_t>);
    case LengthModifier::PointerDifference: return va_arg(arguments.list, ptrdiff_t);
    case LengthModifier::Max: return va_arg(arguments.list, intmax_t);
    case LengthModifier::None: break;
    }
    return va_arg(arguments.list, int);
}

unsigned long long fetch_unsigned(LengthModifier length, ArgumentCursor& arguments)
{
    switch (length) {
    case LengthModifier::Char: return static_cast<unsigned char>(va_arg(arguments.list, int));
    case LengthModifier::Short: return static_cast<unsigned short>(va_arg(arguments.list, int));
    case LengthModifier::Long: return va_arg(arguments.list, unsigned long);
    case LengthModifier::LongLong: return va_arg(arguments.list, unsigned long long);
    case LengthModifier::Size: return va_arg(arguments.list, size_t);
    case LengthModifier::PointerDifference:
        return va_arg(arguments.list, std::make_unsigned_t<ptrdiff_t>);
    case LengthModifier::Max: return va_arg(arguments.list, uintmax_t);
    case LengthModifier::None: break;
    }
    return va_arg(arguments.list, unsigned int);
}

// Divides `value` by `divisor` (2..16) in place and returns the remainder. Values
// that fit in 32 bits use one 32-bit division; larger ones are divided by hand in
// 16-bit pieces, so that every partial dividend fits in 32 bits too.
unsigned divide_in_place(unsigned long long& value, unsigned divisor)
{
    if (value <= UINT32_MAX) {
        auto small = static_cast<uint32_t>(value);
        value = small / divisor;
        return small % divisor;
    }
    unsigned long long quotient = 0;
    uint32_t remainder = 0;
    for (int shift = 48; shift >= 0; shift -= 16) {
        uint32_t partial = (remainder << 16) | static_cast<uint32_t>((value >> shift) & 0xFFFF);
        quotient |= static_cast<unsigned long long>(partial / divisor) << shift;
        remainder = partial % divisor;
    }
    value = quotient;
    return remainder;
}

// Writes the digits of `magnitude` least significant first; returns how many.
int digits_reversed(unsigned long long magnitude, unsigned base, bool uppercase, char* digits)
{
    const char* alphabet = uppercase ? "0123456789ABCDEF" : "0123456789abcdef";
    int count = 0;
    do {
        digits[count++] = alphabet[divide_in_place(magnitude, base)];
    } while (magnitude != 0);
    return count;
}

void emit_number(OutputStream& out, const ConversionSpec& spec, const NumberParts& number)
{
    char digits[24]; // 64 bits in octal is 22 digits
    int digit_count = digits_reversed(number.magnitude, number.base, number.uppercase, digits);
    if (spec.precision == 0 && number.magnitude == 0)
        digit_count = 0; // C: zero with precision 0 prints no digits at all

    int leading_zeros = spec.precision > digit_count ? spec.precision - digit_count : 0;
    bool octal_needs_zero = number.base == 8 && spec.alternate_form && leading_zeros == 0 &&
                            (digit_count == 0 || digits[digit_count - 1] != '0');
    if (octal_needs_zero)
        leading_zeros = 1; // '#' with 'o' guarantees the number starts with 0

    int prefix_length = static_cast<int>(strlen(number.prefix));
    int body_length = (number.sign ? 1 : 0) + prefix_length + leading_zeros + digit_count;
    int padding = spec.width > body_length ? spec.width - body_length : 0;
    // '0' pads between sign/prefix and digits, unless '-' or a precision overrides it.
    bool pad_with_zeros = spec.zero_pad && !spec.left_align && spec.precision < 0;

    if (!spec.left_align && !pad_with_zeros)
        out.put_repeated(' ', padding);
    if (number.sign)
        out.put(number.sign);
    out.put_characters(number.prefix, prefix_length);
    if (pad_with_zeros)
        out.put_repeated('0', padding);
    out.put_repeated('0', leading_zeros);
    while (digit_count > 0)
        out.put(digits[--digit_count]);
    if (spec.left_align)
        out.put_repeated(' ', padding);
}

void emit_integer(OutputStream& out, const ConversionSpec& spec, ArgumentCursor& arguments)
{
    NumberParts number{0, 10, spec.conversion == 'X', '\0', ""};
    if (spec.conversion == 'd' || spec.conversion == 'i') {
        long long value = fetch_signed(spec.length, arguments);
        // Negate in unsigned arithmetic: -LLONG_MIN does not fit in a long long.
        number.magnitude = value < 0 ? 0ULL - static_cast<unsigned long long>(value)
                                     : static_cast<unsigned long long>(value);
        if (value < 0)
            number.sign = '-';
        else if (spec.force_sign)
            number.sign = '+';
        else if (spec.space_for_sign)
            number.sign = ' ';
    } else {
        number.magnitude = fetch_unsigned(spec.length, arguments);
    }

    if (spec.conversion == 'o')
        number.base = 8;
    if (spec.conversion == 'x' || spec.conversion == 'X') {
        number.base = 16;
        if (spec.alternate_form && number.magnitude != 0)
            number.prefix = spec.conversion == 'X' ? "0X" : "0x";
    }
    emit_number(out, spec, number);
}

void emit_pointer(OutputStream& out, const ConversionSpec& spec, ArgumentCursor& arguments)
{
    auto address = reinterpret_cast<uintptr_t>(va_arg(arguments.list, void*));
    ConversionSpec pointer_spec = spec;
    pointer_spec.precision = static_cast<int>(2 * sizeof(void*)); // every hex digit of the address
    emit_number(out, pointer_spec, NumberParts{address, 16, false, '\0', "0x"});
}

// Pads `text` to the width; shared by %s, %c and %%.
void emit_padded(OutputStream& out, const ConversionSpec& spec, const char* text, size_t length)
{
    int padding = spec.width > static_cast<int>(length) ? spec.width - static_cast<int>(length) : 0;
    if (!spec.left_align)
        out.put_repeated(' ', padding);
    out.put_characters(text, length);
    if (spec.left_align)
        out.put_repeated(' ', padding);
}

void emit_string(OutputStream& out, const ConversionSpec& spec, ArgumentCursor& arguments)
{
    const char* text = va_arg(arguments.list, const char*);
    if (text == nullptr)
        text = "(null)";
    // With a precision the string need not be NUL-terminated: read no further.
    size_t length = spec.precision < 0 ? strlen(text) : strnlen(text, spec.precision);
    emit_padded(out, spec, text, length);
}

// Returns false for a conversion letter we do not know; nothing has been printed then.
bool emit_conversion(OutputStream& out, const ConversionSpec& spec, ArgumentCursor& arguments)
{
    switch (spec.conversion) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
        emit_integer(out, spec, arguments);
        return true;
    case 'c': {
        char character = static_cast<char>(va_arg(arguments.list, int));
        emit_padded(out, spec, &character, 1);
        return true;
    }
    case 's':
        emit_string(out, spec, arguments);
        return true;
    case 'p':
        emit_pointer(out, spec, arguments);
        return true;
    case '%':
        out.put('%');
        return true;
    default:
        return false;
    }
}

struct BufferSink {
    char* buffer;
    size_t size;    // including room for the NUL
    size_t stored;  // characters written into buffer so far
};

void put_into_buffer(char character, void* context)
{
    auto* sink = static_cast<BufferSink*>(context);
    if (sink->stored + 1 < sink->size) // always keep the last byte for the NUL
        sink->buffer[sink->stored++] = character;
}

} // namespace

size_t vformat_to(FormatPutFunction put, void* context, const char* format_string,
                  va_list arguments)
{
    OutputStream out(put, context);
    ArgumentCursor cursor;
    va_copy(cursor.list, arguments);

    const char* position = format_string;
    while (*position != '\0') {
        if (*position != '%') {
            out.put(*position++);
            continue;
        }
        const char* conversion_start = position++;
        ConversionSpec spec = parse_conversion(position, cursor);
        if (!emit_conversion(out, spec, cursor)) // unknown: show it as written
            out.put_characters(conversion_start, position - conversion_start);
    }

    va_end(cursor.list);
    return out.count();
}

size_t vformat(char* buffer, size_t size, const char* format_string, va_list arguments)
{
    BufferSink sink{buffer, size, 0};
    size_t length = vformat_to(put_into_buffer, &sink, format_string, arguments);
    if (size > 0)
        buffer[sink.stored] = '\0';
    return length;
}

size_t format(char* buffer, size_t size, const char* format_string, ...)
{
    va_list arguments;
    va_start(arguments, format_string);
    size_t length = vformat(buffer, size, format_string, arguments);
    va_end(arguments);
    return length;
}

} // namespace klib
