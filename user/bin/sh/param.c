/* param.c -- parameter expansion (user space, /bin/sh; POSIX XCU 2.6.2).
 *
 * $NAME, $1..$9, ${10}, the special parameters $? $$ $! $# $@ $* $- $0, and
 * the forms ${x:-w} ${x-w} ${x:=w} ${x=w} ${x:?w} ${x?w} ${x:+w} ${x+w}
 * ${#x} ${x%p} ${x%%p} ${x#p} ${x##p}. The word w is expanded only when the
 * form uses it.
 * Must stay true: "$@" makes one field per parameter (Q_BREAK between
 * them); unquoted, a value's characters are marked Q_EXPANDED for field
 * splitting. set -u makes an unset parameter an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "expand.h"

static int is_name_char(char c, int first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
}

static char *option_letters(void)
{
    struct buffer b = { 0 };
    if (sh.opt_errexit) buffer_add(&b, 'e');
    if (sh.opt_noglob) buffer_add(&b, 'f');
    if (sh.interactive) buffer_add(&b, 'i');
    if (sh.job_control) buffer_add(&b, 'm');
    if (sh.opt_noexec) buffer_add(&b, 'n');
    if (sh.opt_nounset) buffer_add(&b, 'u');
    if (sh.opt_verbose) buffer_add(&b, 'v');
    if (sh.opt_xtrace) buffer_add(&b, 'x');
    if (sh.opt_noclobber) buffer_add(&b, 'C');
    if (sh.opt_allexport) buffer_add(&b, 'a');
    return buffer_finish(&b);
}

/* The value of a parameter named name[0..length), NULL when unset. *owned:
 * the caller frees it. "@" and "*" give the parameters joined by spaces. */
static char *lookup(const char *name, int length, int *owned)
{
    char number[16];
    *owned = 1;
    if (length == 1 && strchr("?$!#-", name[0])) {
        long value = name[0] == '?' ? sh.status : name[0] == '$' ? sh.pid
                   : name[0] == '!' ? sh.last_background : positional.count;
        if (name[0] == '-')
            return option_letters();
        if (name[0] == '!' && !sh.last_background)
            return NULL;
        snprintf(number, sizeof number, "%ld", value);
        return xstrdup(number);
    }
    if (name[0] >= '0' && name[0] <= '9') {
        int index = 0;
        for (int i = 0; i < length; i++)
            index = index * 10 + (name[i] - '0');
        *owned = 0;
        if (index == 0)
            return sh.name;
        return index <= positional.count ? positional.args[index - 1] : NULL;
    }
    if (length == 1 && (name[0] == '@' || name[0] == '*')) {
        if (positional.count == 0)
            return NULL;
        struct buffer b = { 0 };
        for (int i = 0; i < positional.count; i++) {
            if (i)
                buffer_add(&b, ' ');
            buffer_add_string(&b, positional.args[i]);
        }
        return buffer_finish(&b);
    }
    char *key = strndup(name, (size_t)length);
    const char *value = var_get(key);
    free(key);
    *owned = 0;
    return (char *)value;
}

/* $@ / $*: one field each (Q_BREAK between); quoted $* joins with $IFS[0]. */
static void add_positional(struct xbuf *x, char which, int in_quotes, int *saw_at)
{
    const char *ifs = var_get("IFS");
    char joiner = ifs ? ifs[0] : ' ';
    if (in_quotes && which == '@')
        *saw_at = 1;
    for (int i = 0; i < positional.count; i++) {
        if (i > 0) {
            if (in_quotes && which == '*') {
                if (joiner)
                    xbuf_add(x, joiner, Q_QUOTED);
            } else {
                xbuf_add(x, 0, Q_BREAK);
            }
        }
        xbuf_add_string(x, positional.args[i], in_quotes ? Q_QUOTED : Q_EXPANDED);
        if (in_quotes)
            xbuf_add(x, 0, Q_EMPTY);
    }
    if (in_quotes && which == '*' && positional.count == 0)
        xbuf_add(x, 0, Q_EMPTY);
}

static void unset_error(const char *name, int length)
{
    sh_error("%.*s: parameter not set", length, name);
    sh_fatal(2);
}

/* The shortest/longest prefix/suffix of value matching pattern removed. */
static char *remove_pattern(const char *value, const char *pattern, int suffix, int longest)
{
    int n = (int)strlen(value);
    char *copy = xstrdup(value);
    for (int k = 0; k <= n; k++) {
        int length = longest ? n - k : k;
        int match;
        if (suffix) {
            match = pattern_match(pattern, copy + n - length);
        } else {
            char saved = copy[length];
            copy[length] = 0;
            match = pattern_match(pattern, copy);
            copy[length] = saved;
        }
        if (match) {
            char *result = suffix ? strndup(value, (size_t)(n - length)) : xstrdup(value + length);
            free(copy);
            return result;
        }
    }
    free(copy);
    return xstrdup(value);
}

static char *expand_operand(const char *word, int length, int in_quotes, int as_pattern)
{
    struct xbuf w = { 0 };
    expand_into(&w, word, length, in_quotes);
    char *s = as_pattern ? xbuf_pattern(&w, 0) : xbuf_plain(&w, 0);
    xbuf_free(&w);
    return s;
}

_Noreturn static void bad_substitution(const char *p, int body)
{
    sh_error("${%.*s}: bad substitution", body, p);
    sh_fatal(2);
}

/* The parameter's name at the start of p[0..body): its length, 0 if none. */
static int braced_name_length(const char *p, int body)
{
    int i = 0;
    if (is_name_char(p[0], 1))
        while (i < body && is_name_char(p[i], 0))
            i++;
    else if (p[0] >= '0' && p[0] <= '9')
        while (i < body && p[i] >= '0' && p[i] <= '9')
            i++;
    else if (body > 0 && strchr("?$!#@*-0", p[0]))
        i = 1;
    return i;
}

/* What ${name...} is about, after its name has been looked up. */
struct braced {
    const char *name;
    int name_length;
    char *value;                /* NULL: unset */
    int is_at;                  /* $@ or $* */
    int in_quotes;
};

static void add_value(struct xbuf *x, struct braced *b, int *saw_at)
{
    if (b->is_at)
        add_positional(x, b->name[0], b->in_quotes, saw_at);
    else if (b->value)
        xbuf_add_string(x, b->value, b->in_quotes ? Q_QUOTED : Q_EXPANDED);
}

/* ${x-w} ${x+w}: the word keeps its own quoting, and "$@" its fields. */
static void add_word(struct xbuf *x, const char *word, int length, int in_quotes)
{
    struct xbuf w = { 0 };
    expand_into(&w, word, length, in_quotes);
    for (int k = 0; k < w.length; k++) {
        unsigned char f = w.f[k];
        if (!(f & (Q_BREAK | Q_EMPTY)))
            f = in_quotes || (f & Q_QUOTED) ? Q_QUOTED : Q_EXPANDED;
        xbuf_add(x, w.c[k], f);
    }
    xbuf_free(&w);
}

/* The forms - = ? + (op), with or without the colon (null counts as unset). */
static void word_forms(struct xbuf *x, struct braced *b, char op, int null, const char *word,
                       int length, int *saw_at)
{
    int use_word = op == '+' ? !null : null;
    if (!use_word) {
        if (op != '+')
            add_value(x, b, saw_at);
        return;
    }
    if (op == '-' || op == '+') {
        add_word(x, word, length, b->in_quotes);
        return;
    }
    char *w = expand_operand(word, length, b->in_quotes, 0);
    if (op == '?') {
        sh_error("%.*s: %s", b->name_length, b->name, *w ? w : "parameter null or not set");
        free(w);
        sh_fatal(2);
    }
    char *key = strndup(b->name, (size_t)b->name_length);
    if (!is_name(key, strlen(key)) || var_set(key, w, 0) < 0) {
        sh_error("%s: cannot assign", key);
        sh_fatal(2);
    }
    free(key);
    xbuf_add_string(x, w, b->in_quotes ? Q_QUOTED : Q_EXPANDED);
    if (b->in_quotes)
        xbuf_add(x, 0, Q_EMPTY);
    free(w);
}

/* ${#x}, and ${x%p} ${x%%p} ${x#p} ${x##p}. */
static void length_form(struct xbuf *x, struct braced *b)
{
    if (!b->value && sh.opt_nounset && !b->is_at)
        unset_error(b->name, b->name_length);
    char number[16];
    int length = b->is_at ? positional.count : b->value ? (int)strlen(b->value) : 0;
    snprintf(number, sizeof number, "%d", length);
    xbuf_add_string(x, number, b->in_quotes ? Q_QUOTED : Q_EXPANDED);
}

static void pattern_form(struct xbuf *x, struct braced *b, char op, const char *word, int length)
{
    int longest = length > 0 && word[0] == op;
    char *pattern = expand_operand(word + longest, length - longest, 0, 1);
    char *result = remove_pattern(b->value ? b->value : "", pattern, op == '%', longest);
    xbuf_add_string(x, result, b->in_quotes ? Q_QUOTED : Q_EXPANDED);
    free(pattern);
    free(result);
}

/* ${...}: p points after the '{'; body is its length up to the '}'. */
static void expand_braced(struct xbuf *x, const char *p, int body, int in_quotes, int *saw_at)
{
    int length_of = p[0] == '#' && body > 1;
    int start = length_of ? 1 : 0;
    int name_length = braced_name_length(p + start, body - start);
    if (name_length == 0)
        bad_substitution(p, body);
    int owned;
    struct braced b = { p + start, name_length, NULL, 0, in_quotes };
    b.value = lookup(b.name, name_length, &owned);
    b.is_at = name_length == 1 && (b.name[0] == '@' || b.name[0] == '*');
    int i = start + name_length;
    int colon = i < body && p[i] == ':';
    char op = i + colon < body ? p[i + colon] : 0;
    const char *word = p + i + colon + 1;
    int word_length = body - i - colon - 1;
    if ((length_of && i != body) || (colon && !op) || (op && !strchr("-=?+%#", op)) ||
        (colon && (op == '%' || op == '#')))
        bad_substitution(p, body);
    if (length_of) {
        length_form(x, &b);
    } else if (op == '%' || op == '#') {
        if (!b.value && sh.opt_nounset && !b.is_at)
            unset_error(b.name, name_length);
        pattern_form(x, &b, op, word, word_length);
    } else if (op) {
        int null = b.is_at ? positional.count == 0 : !b.value || (colon && !*b.value);
        word_forms(x, &b, op, null, word, word_length, saw_at);
    } else {
        if (!b.value && sh.opt_nounset && !b.is_at)
            unset_error(b.name, name_length);
        add_value(x, &b, saw_at);
    }
    if (owned)
        free(b.value);
}

int expand_parameter(struct xbuf *x, const char *p, int in_quotes, int *saw_at)
{
    if (p[0] == '{') {
        int end = matching_close(p, '{', '}');
        if (end < 0) {
            sh_error("bad substitution");
            sh_fatal(2);
        }
        expand_braced(x, p + 1, end - 1, in_quotes, saw_at);
        return end + 1;
    }
    int length = 0;
    if (is_name_char(p[0], 1)) {
        while (is_name_char(p[length], 0))
            length++;
    } else if (p[0] && strchr("?$!#@*-0123456789", p[0])) {
        length = 1;
    } else {
        xbuf_add(x, '$', in_quotes ? Q_QUOTED : 0);
        return 0;
    }
    if (length == 1 && (p[0] == '@' || p[0] == '*')) {
        add_positional(x, p[0], in_quotes, saw_at);
        return 1;
    }
    int owned;
    char *value = lookup(p, length, &owned);
    if (!value && sh.opt_nounset)
        unset_error(p, length);
    if (value)
        xbuf_add_string(x, value, in_quotes ? Q_QUOTED : Q_EXPANDED);
    if (owned)
        free(value);
    return length;
}
