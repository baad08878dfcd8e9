/* stdlib.c -- process exit, number parsing, the environment, qsort, execvp.
 *
 * Must stay true:
 *   - exit() runs atexit handlers in reverse order of registration, then
 *     flushes every stdio stream, then calls exit_group (_exit);
 *   - strto* follow C: leading space, optional sign, base 0 detects 0x/0,
 *     no digits -> 0 with *end = s, overflow -> the limit and ERANGE;
 *   - environ starts as the array the kernel put on the stack; the first
 *     setenv/unsetenv copies it to the heap, and strings that setenv made are
 *     never freed (a replaced value may still be pointed to by a caller). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- exit ---- */

#define ATEXIT_MAX 32
static void (*atexit_handlers[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
    if (atexit_count == ATEXIT_MAX)
        return -1;
    atexit_handlers[atexit_count++] = fn;
    return 0;
}

_Noreturn void exit(int status)
{
    while (atexit_count > 0)
        atexit_handlers[--atexit_count]();
    fflush(NULL);
    _exit(status);
}

_Noreturn void _Exit(int status) { _exit(status); }

int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }

/* ---- numbers ---- */

static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Parses sign and magnitude; the magnitude saturates at `limit` (and sets
 * *overflow). Returns the magnitude; *negative tells the sign. */
static unsigned long long parse_magnitude(const char *s, char **end, int base,
                                          unsigned long long limit,
                                          int *negative, int *overflow)
{
    const char *p = s;
    *negative = 0;
    *overflow = 0;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    if (base < 2 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    const char *digits = p;
    unsigned long long value = 0;
    for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
        if (value > (limit - (unsigned)d) / (unsigned)base) {
            *overflow = 1;
            value = limit;
        } else if (!*overflow) {
            value = value * (unsigned)base + (unsigned)d;
        }
    }
    if (end)
        *end = (char *)(p == digits ? s : p);
    return value;
}

long long strtoll(const char *s, char **end, int base)
{
    int negative, overflow;
    unsigned long long m = parse_magnitude(s, end, base, (unsigned long long)LLONG_MAX + 1,
                                           &negative, &overflow);
    if (!negative && m > (unsigned long long)LLONG_MAX)
        overflow = 1, m = LLONG_MAX;
    if (overflow) {
        errno = ERANGE;
        return negative ? LLONG_MIN : LLONG_MAX;
    }
    return negative ? (long long)(0 - m) : (long long)m;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    int negative, overflow;
    unsigned long long m = parse_magnitude(s, end, base, ULLONG_MAX, &negative, &overflow);
    if (overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return negative ? 0 - m : m;
}

long strtol(const char *s, char **end, int base)
{
    int negative, overflow;
    unsigned long long m = parse_magnitude(s, end, base, (unsigned long long)LONG_MAX + 1,
                                           &negative, &overflow);
    if (!negative && m > (unsigned long long)LONG_MAX)
        overflow = 1;
    if (overflow) {
        errno = ERANGE;
        return negative ? LONG_MIN : LONG_MAX;
    }
    return negative ? (long)(0 - m) : (long)m;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    int negative, overflow;
    unsigned long long m = parse_magnitude(s, end, base, ULONG_MAX, &negative, &overflow);
    if (overflow) {
        errno = ERANGE;
        return ULONG_MAX;
    }
    return negative ? (unsigned long)(0 - m) : (unsigned long)m;
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }

/* ---- environment ---- */

char **environ;
static int environ_on_heap;

/* Index of NAME=... in environ, or -1. */
static int find_variable(const char *name, size_t len)
{
    for (int i = 0; environ && environ[i]; i++)
        if (strncmp(environ[i], name, len) == 0 && environ[i][len] == '=')
            return i;
    return -1;
}

char *getenv(const char *name)
{
    int i = find_variable(name, strlen(name));
    return i < 0 ? NULL : environ[i] + strlen(name) + 1;
}

static int count_variables(void)
{
    int n = 0;
    while (environ && environ[n])
        n++;
    return n;
}

/* Makes environ a heap array with room for one more entry. */
static int make_room(void)
{
    int n = count_variables();
    char **copy = malloc((size_t)(n + 2) * sizeof(char *));
    if (!copy)
        return -1;
    for (int i = 0; i < n; i++)
        copy[i] = environ[i];
    copy[n] = NULL;
    if (environ_on_heap)
        free(environ);
    environ = copy;
    environ_on_heap = 1;
    return 0;
}

static int valid_name(const char *name)
{
    return name && *name && !strchr(name, '=');
}

int setenv(const char *name, const char *value, int overwrite)
{
    if (!valid_name(name)) {
        errno = EINVAL;
        return -1;
    }
    size_t len = strlen(name);
    int i = find_variable(name, len);
    if (i >= 0 && !overwrite)
        return 0;
    char *entry = malloc(len + strlen(value) + 2);
    if (!entry)
        return -1;
    strcpy(entry, name);
    entry[len] = '=';
    strcpy(entry + len + 1, value);
    if (i < 0) {
        if (make_room() < 0)
            return -1;
        i = count_variables();
        environ[i + 1] = NULL;
    }
    environ[i] = entry;
    return 0;
}

int unsetenv(const char *name)
{
    if (!valid_name(name)) {
        errno = EINVAL;
        return -1;
    }
    if (!environ_on_heap && make_room() < 0)
        return -1;
    int i;
    while ((i = find_variable(name, strlen(name))) >= 0)
        for (; environ[i]; i++)
            environ[i] = environ[i + 1];
    return 0;
}

/* ---- qsort: heapsort, O(n log n) always, no recursion, no extra memory ---- */

static void swap_bytes(char *a, char *b, size_t size)
{
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Moves element `root` down until the max-heap property holds below it. */
static void sift_down(char *base, size_t root, size_t count, size_t size,
                      int (*compare)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= count)
            return;
        if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (compare(base + root * size, base + child * size) >= 0)
            return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *))
{
    char *b = base;
    if (count < 2)
        return;
    for (size_t i = count / 2; i-- > 0;)
        sift_down(b, i, count, size, compare);
    for (size_t end = count - 1; end > 0; end--) {
        swap_bytes(b, b + end * size, size);
        sift_down(b, 0, end, size, compare);
    }
}

/* ---- execvp: execve after a search of $PATH when the name has no '/' ---- */

int execvp(const char *file, char *const argv[])
{
    if (strchr(file, '/'))
        return execve(file, argv, environ);
    const char *path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    char candidate[PATH_MAX];
    int saw_eacces = 0;
    for (const char *p = path;; p += strcspn(p, ":") + 1) {
        size_t dirlen = strcspn(p, ":");
        if (dirlen + strlen(file) + 2 <= sizeof candidate) {
            memcpy(candidate, p, dirlen);
            candidate[dirlen] = '/';
            strcpy(candidate + (dirlen ? dirlen + 1 : 0), file);
            execve(candidate, argv, environ);
            if (errno == EACCES)
                saw_eacces = 1;
        }
        if (p[dirlen] == '\0')
            break;
    }
    errno = saw_eacces ? EACCES : ENOENT;
    return -1;
}
