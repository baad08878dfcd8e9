/* printf.c -- formatted output: the printf family over one formatter.
 *
 * format() walks the format string and sends every byte to an `Output`,
 * which is either a caller's array (snprintf: keeps at most size-1 bytes and
 * always terminates when size > 0) or a FILE (bytes are gathered in a
 * 256-byte chunk and handed to fwrite, so a short message to the
 * unbuffered stderr is still one write()).
 * Supported: %d %i %u %x %X %o %c %s %p %% with flags - + space # 0,
 * width and precision (digits or *), and the hh h l ll z j t modifiers.
 * Must stay true: the return value is the length the full output would
 * have, as C requires, even when snprintf truncates. %p prints like glibc:
 * 0x... or (nil). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char *buf;       /* destination array, or the chunk for a FILE */
    size_t cap;
    size_t len;      /* bytes stored in buf */
    size_t total;    /* bytes produced so far */
    FILE *file;      /* NULL for snprintf */
} Output;

static void flush_chunk(Output *out)
{
    if (out->file && out->len) {
        fwrite(out->buf, 1, out->len, out->file);
        out->len = 0;
    }
}

static void put(Output *out, char c)
{
    out->total++;
    if (out->file) {
        if (out->len == out->cap)
            flush_chunk(out);
        out->buf[out->len++] = c;
    } else if (out->len + 1 < out->cap) {
        out->buf[out->len++] = c;
    }
}

static void put_repeated(Output *out, char c, int count)
{
    while (count-- > 0)
        put(out, c);
}

static void put_string(Output *out, const char *s, size_t n)
{
    while (n--)
        put(out, *s++);
}

enum { LEFT = 1, PLUS = 2, SPACE = 4, ALTERNATE = 8, ZERO = 16 };

typedef struct {
    int flags;
    int width;
    int precision;   /* -1 when not given */
} Spec;

/* Prints an integer: [sign or 0x][zeros][digits], padded to the width. */
static void put_integer(Output *out, const Spec *spec, unsigned long long value,
                        int negative, unsigned base, int upper)
{
    const char *digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];
    int n = 0;
    for (unsigned long long v = value; v; v /= base)
        digits[n++] = digit_chars[v % base];
    if (value == 0 && spec->precision != 0)
        digits[n++] = '0';

    const char *prefix = "";
    if (negative)
        prefix = "-";
    else if (spec->flags & PLUS)
        prefix = "+";
    else if (spec->flags & SPACE)
        prefix = " ";
    if ((spec->flags & ALTERNATE) && value != 0 && base == 16)
        prefix = upper ? "0X" : "0x";

    int zeros = spec->precision > n ? spec->precision - n : 0;
    if ((spec->flags & ALTERNATE) && base == 8 && zeros == 0 && (n == 0 || digits[n - 1] != '0'))
        zeros = 1;
    int length = (int)strlen(prefix) + zeros + n;
    int pad = spec->width > length ? spec->width - length : 0;
    if ((spec->flags & ZERO) && !(spec->flags & LEFT) && spec->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!(spec->flags & LEFT))
        put_repeated(out, ' ', pad);
    put_string(out, prefix, strlen(prefix));
    put_repeated(out, '0', zeros);
    while (n > 0)
        put(out, digits[--n]);
    if (spec->flags & LEFT)
        put_repeated(out, ' ', pad);
}

static void put_padded(Output *out, const Spec *spec, const char *s, size_t n)
{
    int pad = spec->width > (int)n ? spec->width - (int)n : 0;
    if (!(spec->flags & LEFT))
        put_repeated(out, ' ', pad);
    put_string(out, s, n);
    if (spec->flags & LEFT)
        put_repeated(out, ' ', pad);
}

static int parse_number(const char **p)
{
    int n = 0;
    while (**p >= '0' && **p <= '9')
        n = n * 10 + (*(*p)++ - '0');
    return n;
}

static void format(Output *out, const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(out, *p);
            continue;
        }
        Spec spec = { 0, 0, -1 };
        for (;; p++) {
            int flag = p[1] == '-' ? LEFT : p[1] == '+' ? PLUS : p[1] == ' ' ? SPACE
                     : p[1] == '#' ? ALTERNATE : p[1] == '0' ? ZERO : 0;
            if (!flag)
                break;
            spec.flags |= flag;
        }
        p++;
        if (*p == '*') {
            spec.width = va_arg(ap, int);
            if (spec.width < 0) {
                spec.flags |= LEFT;
                spec.width = -spec.width;
            }
            p++;
        } else {
            spec.width = parse_number(&p);
        }
        if (*p == '.') {
            p++;
            if (*p == '*') {
                spec.precision = va_arg(ap, int);
                if (spec.precision < 0)
                    spec.precision = -1;
                p++;
            } else {
                spec.precision = parse_number(&p);
            }
        }
        /* Length modifier: how many bytes the argument has (h/hh narrow after reading an int). */
        int longs = 0, shorts = 0;
        for (;; p++) {
            if (*p == 'l') longs++;
            else if (*p == 'h') shorts++;
            else if (*p == 'z' || *p == 't') longs = 1;
            else if (*p == 'j' || *p == 'q' || *p == 'L') longs = 2;
            else break;
        }
        unsigned long long u;
        long long s;
        switch (*p) {
        case 'd':
        case 'i':
            s = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
            if (shorts == 1) s = (short)s;
            if (shorts >= 2) s = (signed char)s;
            u = s < 0 ? 0 - (unsigned long long)s : (unsigned long long)s;
            put_integer(out, &spec, u, s < 0, 10, 0);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            u = longs >= 2 ? va_arg(ap, unsigned long long)
              : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if (shorts == 1) u = (unsigned short)u;
            if (shorts >= 2) u = (unsigned char)u;
            put_integer(out, &spec, u, 0, *p == 'u' ? 10 : *p == 'o' ? 8 : 16, *p == 'X');
            break;
        case 'p': {
            void *ptr = va_arg(ap, void *);
            if (!ptr) {
                put_padded(out, &spec, "(nil)", 5);
            } else {
                spec.flags |= ALTERNATE;
                put_integer(out, &spec, (uintptr_t)ptr, 0, 16, 0);
            }
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(out, &spec, &c, 1);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = spec.precision < 0 || spec.precision >= 6 ? "(null)" : "";
            size_t n = spec.precision < 0 ? strlen(str) : strnlen(str, (size_t)spec.precision);
            put_padded(out, &spec, str, n);
            break;
        }
        case '%':
            put(out, '%');
            break;
        case '\0':
            return;   /* a lone % at the end: print nothing more */
        default:      /* unknown conversion: print it as written */
            put(out, '%');
            put(out, *p);
            break;
        }
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    Output out = { buf, size, 0, 0, NULL };
    format(&out, fmt, ap);
    if (size > 0)
        buf[out.len] = '\0';
    return (int)out.total;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    char chunk[256];
    Output out = { chunk, sizeof chunk, 0, 0, f };
    format(&out, fmt, ap);
    flush_chunk(&out);
    return ferror(f) ? -1 : (int)out.total;
}

int vsprintf(char *buf, const char *fmt, va_list ap) { return vsnprintf(buf, (size_t)-1 / 2, fmt, ap); }
int vprintf(const char *fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Formats into a stack buffer and writes it at once: no FILE needed. */
int dprintf(int fd, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t len = n < (int)sizeof buf ? (size_t)n : sizeof buf - 1;
    return write(fd, buf, len) < 0 ? -1 : n;
}
