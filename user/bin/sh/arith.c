/* arith.c -- arithmetic expansion $((...)) (user space, /bin/sh; XCU 2.6.4).
 *
 * Signed 64-bit integers (intmax_t, as dash) and C's operators, by precedence, lowest first:
 *   ,   = *= /= %= += -= <<= >>= &= ^= |=   ?:   ||   &&   |   ^   &
 *   == !=   < <= > >=   << >>   + -   * / %   unary + - ! ~   ( )
 * Constants are decimal, octal (leading 0) or hexadecimal (0x); a name is
 * a variable whose value is itself read as a number (unset or empty is 0).
 * && || and ?: evaluate only the operand they need: the other is parsed
 * with evaluation off, so it assigns nothing and divides by nothing.
 * Must stay true: every error (syntax, division by zero) goes through
 * sh_error + sh_fatal, as in dash. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "sh.h"

struct arith {
    const char *p;
    const char *text;
    int evaluate;
};

_Noreturn static void arith_error(struct arith *a, const char *what)
{
    sh_error("arithmetic expression: %s: \"%s\"", what, a->text);
    sh_fatal(2);
}

static void skip_space(struct arith *a)
{
    while (*a->p == ' ' || *a->p == '\t' || *a->p == '\n')
        a->p++;
}

static int is_name_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_name_part(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

static long long comma(struct arith *a);
static long long assignment(struct arith *a);

static long long number_of(struct arith *a, const char *text)
{
    while (*text == ' ' || *text == '\t')
        text++;
    if (!*text)
        return 0;
    char *end;
    int negative = *text == '-';
    if (*text == '-' || *text == '+')
        text++;
    long long value = (long long)strtoull(text, &end, 0);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        arith_error(a, "bad number");
    return negative ? -value : value;
}

static long long variable_value(struct arith *a, const char *name, int length)
{
    char *key = strndup(name, (size_t)length);
    const char *value = var_get(key);
    if (!value && sh.opt_nounset && a->evaluate) {
        sh_error("%s: parameter not set", key);
        sh_fatal(2);
    }
    free(key);
    return value ? number_of(a, value) : 0;
}

static long long primary(struct arith *a)
{
    skip_space(a);
    char c = *a->p;
    if (c == '(') {
        a->p++;
        long long v = comma(a);
        skip_space(a);
        if (*a->p != ')')
            arith_error(a, "expecting ')'");
        a->p++;
        return v;
    }
    if (c >= '0' && c <= '9') {
        char *end;
        long long v = (long long)strtoull(a->p, &end, 0);
        if (is_name_part(*end))
            arith_error(a, "bad number");
        a->p = end;
        return v;
    }
    if (is_name_start(c)) {
        const char *start = a->p;
        while (is_name_part(*a->p))
            a->p++;
        return variable_value(a, start, (int)(a->p - start));
    }
    arith_error(a, c ? "syntax error" : "expecting operand");
}

static long long unary(struct arith *a)
{
    skip_space(a);
    char c = *a->p;
    if (c == '+' || c == '-' || c == '!' || c == '~') {
        a->p++;
        long long v = unary(a);
        return c == '+' ? v : c == '-' ? -v : c == '!' ? !v : ~v;
    }
    return primary(a);
}

/* Binary operators by level (higher binds tighter). */
struct binary_operator {
    const char *text;
    int level;
};
static const struct binary_operator binary_operators[] = {
    { "||", 1 }, { "&&", 2 }, { "|", 3 }, { "^", 4 }, { "&", 5 }, { "==", 6 }, { "!=", 6 },
    { "<=", 7 }, { ">=", 7 }, { "<<", 8 }, { ">>", 8 }, { "<", 7 }, { ">", 7 },
    { "+", 9 }, { "-", 9 }, { "*", 10 }, { "/", 10 }, { "%", 10 }, { NULL, 0 },
};

static const struct binary_operator *peek_binary(struct arith *a)
{
    skip_space(a);
    for (const struct binary_operator *op = binary_operators; op->text; op++) {
        size_t n = strlen(op->text);
        if (strncmp(a->p, op->text, n) == 0) {
            if (a->p[n] == '=' && !(n == 1 && (a->p[0] == '<' || a->p[0] == '>')) &&
                strcmp(op->text, "==") != 0 && strcmp(op->text, "!=") != 0 &&
                strcmp(op->text, "<=") != 0 && strcmp(op->text, ">=") != 0)
                return NULL;   /* an assignment operator such as += */
            if (n == 1 && (a->p[0] == '&' || a->p[0] == '|') && a->p[1] == a->p[0])
                continue;
            return op;
        }
    }
    return NULL;
}

static long long apply(struct arith *a, const char *op, long long l, long long r)
{
    if (!a->evaluate)
        return 0;
    switch (op[0]) {
    case '|': return op[1] ? (l || r) : (l | r);
    case '&': return op[1] ? (l && r) : (l & r);
    case '^': return l ^ r;
    case '=': return l == r;
    case '!': return l != r;
    case '<': return op[1] == '=' ? l <= r : op[1] == '<' ? (long long)((unsigned long long)l << (r & 63)) : l < r;
    case '>': return op[1] == '=' ? l >= r : op[1] == '>' ? l >> (r & 63) : l > r;
    case '+': return (long long)((unsigned long long)l + (unsigned long long)r);
    case '-': return (long long)((unsigned long long)l - (unsigned long long)r);
    case '*': return (long long)((unsigned long long)l * (unsigned long long)r);
    default:
        if (r == 0)
            arith_error(a, "division by zero");
        if (l == (-9223372036854775807LL - 1) && r == -1)
            return op[0] == '/' ? l : 0;
        return op[0] == '/' ? l / r : l % r;
    }
}

static long long binary(struct arith *a, int min_level)
{
    long long left = unary(a);
    for (;;) {
        const struct binary_operator *op = peek_binary(a);
        if (!op || op->level < min_level)
            return left;
        a->p += strlen(op->text);
        int saved = a->evaluate;
        if (op->level <= 2 && (op->text[0] == '&' ? !left : left))
            a->evaluate = 0;   /* short circuit */
        long long right = binary(a, op->level + 1);
        a->evaluate = saved;
        if (op->level <= 2)
            left = op->text[0] == '&' ? (left && right) : (left || right);
        else
            left = apply(a, op->text, left, right);
    }
}

static long long conditional(struct arith *a)
{
    long long condition = binary(a, 1);
    skip_space(a);
    if (*a->p != '?')
        return condition;
    a->p++;
    int saved = a->evaluate;
    a->evaluate = saved && condition;
    long long yes = assignment(a);
    skip_space(a);
    if (*a->p != ':')
        arith_error(a, "expecting ':'");
    a->p++;
    a->evaluate = saved && !condition;
    long long no = conditional(a);
    a->evaluate = saved;
    return condition ? yes : no;
}

static long long assignment(struct arith *a)
{
    skip_space(a);
    const char *start = a->p;
    if (is_name_start(*a->p)) {
        const char *q = a->p;
        while (is_name_part(*q))
            q++;
        const char *name_end = q;
        while (*q == ' ' || *q == '\t')
            q++;
        static const char *ops[] = { "=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=",
                                     "^=", "|=", NULL };
        for (int i = 0; ops[i]; i++) {
            size_t n = strlen(ops[i]);
            if (strncmp(q, ops[i], n) == 0 && !(n == 1 && q[1] == '=')) {
                a->p = q + n;
                long long value = assignment(a);
                if (n > 1) {
                    char op[3] = { ops[i][0], n == 3 ? ops[i][1] : 0, 0 };
                    value = apply(a, op, variable_value(a, start, (int)(name_end - start)), value);
                }
                if (a->evaluate) {
                    char *key = strndup(start, (size_t)(name_end - start));
                    char digits[24];
                    snprintf(digits, sizeof digits, "%lld", value);
                    if (var_set(key, digits, 0) < 0) {
                        sh_error("%s: is read only", key);
                        sh_fatal(2);
                    }
                    free(key);
                }
                return value;
            }
        }
    }
    return conditional(a);
}

static long long comma(struct arith *a)
{
    long long v = assignment(a);
    skip_space(a);
    while (*a->p == ',') {
        a->p++;
        v = assignment(a);
        skip_space(a);
    }
    return v;
}

long long arith_eval(const char *expression)
{
    struct arith a = { expression, expression, 1 };
    skip_space(&a);
    if (!*a.p)
        return 0;
    long long v = comma(&a);
    skip_space(&a);
    if (*a.p)
        arith_error(&a, "syntax error");
    return v;
}
