/* echo.c -- echo's words, shared by /bin/echo and the shell's builtin echo,
 * so the two always agree (as coreutils' echo does):
 *   -n  no trailing newline     -e  interpret backslash escapes     -E  do not (default)
 * Options are recognised only while an argument consists entirely of
 * option letters (so "-x" is printed), and \c stops all output. Writes to
 * stdout; the caller flushes it. */
#include <echo.h>
#include <stdio.h>
#include <string.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Prints s with escapes interpreted; returns 0 when \c asked to stop. */
static int print_escaped(const char *s)
{
    while (*s) {
        char c = *s++;
        if (c != '\\' || !*s) {
            putchar(c);
            continue;
        }
        c = *s++;
        switch (c) {
        case 'a': putchar('\a'); break;
        case 'b': putchar('\b'); break;
        case 'c': return 0;
        case 'e': putchar(033); break;
        case 'f': putchar('\f'); break;
        case 'n': putchar('\n'); break;
        case 'r': putchar('\r'); break;
        case 't': putchar('\t'); break;
        case 'v': putchar('\v'); break;
        case '\\': putchar('\\'); break;
        case 'x': {
            if (hex_value(*s) < 0) {
                fputs("\\x", stdout);
                break;
            }
            int v = 0;
            for (int i = 0; i < 2 && hex_value(*s) >= 0; i++)
                v = v * 16 + hex_value(*s++);
            putchar(v);
            break;
        }
        case '0': {
            int v = 0;
            for (int i = 0; i < 3 && *s >= '0' && *s <= '7'; i++)
                v = v * 8 + (*s++ - '0');
            putchar(v);
            break;
        }
        default:
            putchar('\\');
            putchar(c);
        }
    }
    return 1;
}

int echo_words(int argc, char **argv)
{
    int newline = 1, escapes = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strspn(argv[i] + 1, "neE") != strlen(argv[i] + 1))
            break;   /* not all option letters: an ordinary argument */
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'n') newline = 0;
            if (*p == 'e') escapes = 1;
            if (*p == 'E') escapes = 0;
        }
    }
    for (; i < argc; i++) {
        if (escapes) {
            if (!print_escaped(argv[i]))
                return 0;
        } else {
            fputs(argv[i], stdout);
        }
        if (i + 1 < argc)
            putchar(' ');
    }
    if (newline)
        putchar('\n');
    return 0;
}
