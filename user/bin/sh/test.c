/* test.c -- the test and [ builtins (user space, /bin/sh; POSIX test).
 *
 * Unary file tests (-e -f -d -r -w -x -s -h -L -p -c -b -S -t), string
 * tests (-n -z = != < >), integer comparisons (-eq -ne -lt -le -gt -ge),
 * ! ( ) -a -o with the usual precedence (! over -a over -o), and POSIX's
 * rules by argument count for up to four arguments.
 * Must stay true: status 0 true, 1 false, 2 an error (with a message). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sh.h"

struct test {
    char **argv;
    int argc, pos;
    int error;
};

static int test_or(struct test *t);

static int integer(struct test *t, const char *s, long long *value)
{
    char *end;
    while (*s == ' ' || *s == '\t')
        s++;
    *value = strtoll(s, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (!*s || *end) {
        sh_error("test: %s: bad number", s);
        t->error = 1;
        return 0;
    }
    return 1;
}

static int file_test(char op, const char *path)
{
    struct stat st;
    if (op == 't')
        return isatty(atoi(path));
    if (op == 'h' || op == 'L')
        return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
    if (stat(path, &st) != 0)
        return 0;
    switch (op) {
    case 'e': return 1;
    case 'f': return S_ISREG(st.st_mode);
    case 'd': return S_ISDIR(st.st_mode);
    case 'p': return S_ISFIFO(st.st_mode);
    case 'c': return S_ISCHR(st.st_mode);
    case 'b': return S_ISBLK(st.st_mode);
    case 'S': return S_ISSOCK(st.st_mode);
    case 's': return st.st_size > 0;
    case 'r': return access(path, R_OK) == 0;
    case 'w': return access(path, W_OK) == 0;
    case 'x': return access(path, X_OK) == 0;
    case 'g': return (st.st_mode & S_ISGID) != 0;
    case 'u': return (st.st_mode & S_ISUID) != 0;
    case 'k': return (st.st_mode & S_ISVTX) != 0;
    }
    return 0;
}

static int is_unary(const char *s)
{
    return s[0] == '-' && s[1] && !s[2] && strchr("efdpcbSsrwxghLtukzn", s[1]);
}

static int binary_test(struct test *t, const char *a, const char *op, const char *b, int *result)
{
    static const char *int_ops[] = { "-eq", "-ne", "-lt", "-le", "-gt", "-ge", NULL };
    if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) { *result = strcmp(a, b) == 0; return 1; }
    if (strcmp(op, "!=") == 0) { *result = strcmp(a, b) != 0; return 1; }
    if (strcmp(op, "<") == 0) { *result = strcmp(a, b) < 0; return 1; }
    if (strcmp(op, ">") == 0) { *result = strcmp(a, b) > 0; return 1; }
    for (int i = 0; int_ops[i]; i++) {
        if (strcmp(op, int_ops[i]) != 0)
            continue;
        long long x, y;
        if (!integer(t, a, &x) || !integer(t, b, &y)) {
            *result = 0;
            return 1;
        }
        int r[] = { x == y, x != y, x < y, x <= y, x > y, x >= y };
        *result = r[i];
        return 1;
    }
    if (strcmp(op, "-nt") == 0 || strcmp(op, "-ot") == 0 || strcmp(op, "-ef") == 0) {
        struct stat sa, sb;
        int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
        if (op[1] == 'e')
            *result = ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
        else if (op[1] == 'n')
            *result = ha && (!hb || sa.st_mtime_sec > sb.st_mtime_sec);
        else
            *result = hb && (!ha || sa.st_mtime_sec < sb.st_mtime_sec);
        return 1;
    }
    return 0;
}

static const char *next_arg(struct test *t)
{
    return t->pos < t->argc ? t->argv[t->pos] : NULL;
}

static int test_primary(struct test *t)
{
    const char *a = next_arg(t);
    if (!a) {
        sh_error("test: argument expected");
        t->error = 1;
        return 0;
    }
    if (strcmp(a, "!") == 0) {
        t->pos++;
        return !test_primary(t);
    }
    if (strcmp(a, "(") == 0 && t->pos + 1 < t->argc) {
        t->pos++;
        int r = test_or(t);
        if (!next_arg(t) || strcmp(next_arg(t), ")") != 0) {
            sh_error("test: closing paren expected");
            t->error = 1;
            return 0;
        }
        t->pos++;
        return r;
    }
    if (t->pos + 2 < t->argc || (t->pos + 2 == t->argc + 0 && 0)) {
        int result;
        if (binary_test(t, a, t->argv[t->pos + 1], t->argv[t->pos + 2], &result)) {
            t->pos += 3;
            return result;
        }
    }
    if (is_unary(a) && t->pos + 1 < t->argc) {
        const char *operand = t->argv[t->pos + 1];
        t->pos += 2;
        if (a[1] == 'z') return !*operand;
        if (a[1] == 'n') return *operand != 0;
        return file_test(a[1], operand);
    }
    t->pos++;
    return *a != 0;
}

static int test_and(struct test *t)
{
    int r = test_primary(t);
    while (next_arg(t) && strcmp(next_arg(t), "-a") == 0) {
        t->pos++;
        int right = test_primary(t);
        r = r && right;
    }
    return r;
}

static int test_or(struct test *t)
{
    int r = test_and(t);
    while (next_arg(t) && strcmp(next_arg(t), "-o") == 0) {
        t->pos++;
        int right = test_and(t);
        r = r || right;
    }
    return r;
}

int builtin_test(int argc, char **argv)
{
    if (strcmp(argv[0], "[") == 0) {
        if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
            sh_error("[: missing ]");
            return 2;
        }
        argc--;
    }
    struct test t = { argv + 1, argc - 1, 0, 0 };
    if (t.argc == 0)
        return 1;
    int r;
    if (t.argc == 1) {
        r = *t.argv[0] != 0;
    } else if (t.argc == 2 && strcmp(t.argv[0], "!") == 0) {
        r = !*t.argv[1];
    } else if (t.argc == 3 && binary_test(&t, t.argv[0], t.argv[1], t.argv[2], &r)) {
        /* decided */
    } else if (t.argc == 3 && strcmp(t.argv[0], "!") == 0) {
        t.pos = 1;
        r = !test_primary(&t);
    } else {
        r = test_or(&t);
        if (!t.error && t.pos < t.argc) {
            sh_error("test: %s: unexpected operator", t.argv[t.pos]);
            return 2;
        }
    }
    return t.error ? 2 : !r;
}
