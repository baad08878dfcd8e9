/* printf.c -- the printf builtin (user space, /bin/sh; POSIX printf).
 *
 * The format's escapes (\n \t \\ \a \b \f \r \v \NNN octal) and
 * conversions %d %i %o %u %x %X %c %s %b %% with flags (- + space # 0),
 * width and precision (also as *). The format is reused while arguments
 * remain; missing arguments are "" or 0. A numeric argument may be 'c
 * (the character's code). A bad number is reported and makes status 1.
 * Must stay true: output goes to stdout through stdio; the caller flushes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

struct printf_state {
    char **args;
    int count, next;
    int status;
    int stop;                   /* \c in a %b argument */
};

static const char *next_arg(struct printf_state *s)
{
    return s->next < s->count ? s->args[s->next++] : NULL;
}

static long long number_arg(struct printf_state *s)
{
    const char *a = next_arg(s);
    if (!a || !*a)
        return 0;
    if (a[0] == '\'' || a[0] == '"')
        return (unsigned char)a[1];
    char *end;
    long long v = strtoll(a, &end, 0);
    if (*end) {
        sh_error("printf: %s: invalid number", a);
        s->status = 1;
    }
    return v;
}

/* One escape at p (after the backslash) printed; returns characters used.
 * in_b: %b's rules (\0NNN octal, \c stops). */
static int print_escape(struct printf_state *s, const char *p, int in_b)
{
    static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
    const char *at = *p ? strchr(from, *p) : NULL;
    if (at) {
        putchar(to[at - from]);
        return 1;
    }
    if (in_b && *p == 'c') {
        s->stop = 1;
        return 1;
    }
    if (*p >= '0' && *p <= '7') {
        int used = 0, value = 0, limit = in_b && *p == '0' ? 4 : 3;
        while (used < limit && p[used] >= '0' && p[used] <= '7')
            value = value * 8 + (p[used++] - '0');
        putchar(value);
        return used;
    }
    putchar('\\');
    return 0;
}

static void print_b(struct printf_state *s, const char *arg, char *spec)
{
    struct buffer b = { 0 };
    (void)spec;
    for (const char *p = arg; *p && !s->stop; p++) {
        if (*p == '\\') {
            p += print_escape(s, p + 1, 1);
            continue;
        }
        putchar(*p);
    }
    free(b.data);
}

/* %c, or an integer conversion with the flags, width and precision in spec[0..n). */
static void print_integer(struct printf_state *s, char *spec, int n, char conversion)
{
    if (conversion == 'c') {
        const char *a = next_arg(s);
        spec[n++] = 'c';
        spec[n] = 0;
        if (a && *a)
            printf(spec, a[0]);
        return;
    }
    spec[n++] = 'l';
    spec[n++] = 'l';
    spec[n++] = conversion;
    spec[n] = 0;
    printf(spec, number_arg(s));
}

/* A conversion at p (after the %); returns characters used. */
static int convert(struct printf_state *s, const char *p)
{
    char spec[64];
    int n = 0;
    spec[n++] = '%';
    int i = 0;
    while (p[i] && strchr("-+ #0", p[i]) && n < 40)
        spec[n++] = p[i++];
    for (int part = 0; part < 2; part++) {
        if (part == 1) {
            if (p[i] != '.')
                break;
            spec[n++] = p[i++];
        }
        if (p[i] == '*') {
            n += snprintf(spec + n, sizeof spec - (size_t)n, "%lld", number_arg(s));
            i++;
        } else {
            while (p[i] >= '0' && p[i] <= '9' && n < 60)
                spec[n++] = p[i++];
        }
    }
    char conversion = p[i];
    if (!conversion) {
        sh_error("printf: %%%s: invalid directive", p);
        s->status = 1;
        return i;
    }
    i++;
    if (conversion == '%') {
        putchar('%');
        return i;
    }
    if (strchr("diouxXc", conversion)) {
        print_integer(s, spec, n, conversion);
        return i;
    }
    if (conversion == 's') {
        const char *a = next_arg(s);
        spec[n++] = 's';
        spec[n] = 0;
        printf(spec, a ? a : "");
        return i;
    }
    if (conversion == 'b') {
        const char *a = next_arg(s);
        print_b(s, a ? a : "", spec);
        return i;
    }
    sh_error("printf: %%%c: invalid directive", conversion);
    s->status = 1;
    return i;
}

int builtin_printf(int argc, char **argv)
{
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0)
        first++;
    if (first >= argc) {
        sh_error("printf: usage: printf format [arg ...]");
        return 2;
    }
    const char *format = argv[first];
    struct printf_state s = { argv + first + 1, argc - first - 1, 0, 0, 0 };
    do {
        int before = s.next;
        for (const char *p = format; *p && !s.stop; p++) {
            if (*p == '\\') {
                p += print_escape(&s, p + 1, 0);
            } else if (*p == '%') {
                p += convert(&s, p + 1);
            } else {
                putchar(*p);
            }
        }
        if (s.next == before)
            break;
    } while (s.next < s.count && !s.stop);
    return s.status;
}
