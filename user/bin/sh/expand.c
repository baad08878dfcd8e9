/* expand.c -- word expansion (user space, /bin/sh; POSIX XCU 2.6).
 *
 * In the order POSIX gives: tilde expansion, parameter expansion (param.c),
 * command substitution ($(...) and `...`), arithmetic expansion (arith.c),
 * then field splitting at $IFS, pathname expansion (pattern.c) and quote
 * removal. Each character of the result carries flags (expand.h) saying
 * whether it was quoted and whether it came from an expansion, so that only
 * unquoted expansion results are split and only unquoted * ? [ are
 * patterns.
 * Must stay true: a word with no unquoted expansion yields exactly one
 * field; "$@" with no parameters yields none. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "expand.h"

void xbuf_add(struct xbuf *x, char c, unsigned char flags)
{
    if (x->length + 1 >= x->capacity) {
        x->capacity = x->capacity ? x->capacity * 2 : 64;
        x->c = xrealloc(x->c, (size_t)x->capacity);
        x->f = xrealloc(x->f, (size_t)x->capacity);
    }
    x->c[x->length] = c;
    x->f[x->length++] = flags;
}

void xbuf_add_string(struct xbuf *x, const char *s, unsigned char flags)
{
    while (*s)
        xbuf_add(x, *s++, flags);
}

void xbuf_free(struct xbuf *x)
{
    free(x->c);
    free(x->f);
    memset(x, 0, sizeof *x);
}

char *xbuf_plain(struct xbuf *x, int from)
{
    struct buffer b = { 0 };
    for (int i = from; i < x->length; i++)
        if (!(x->f[i] & (Q_BREAK | Q_EMPTY)))
            buffer_add(&b, x->c[i]);
    return buffer_finish(&b);
}

char *xbuf_pattern(struct xbuf *x, int from)
{
    struct buffer b = { 0 };
    for (int i = from; i < x->length; i++) {
        if (x->f[i] & (Q_BREAK | Q_EMPTY))
            continue;
        if ((x->f[i] & Q_QUOTED) && strchr("*?[]\\!-^", x->c[i]))
            buffer_add(&b, '\\');
        buffer_add(&b, x->c[i]);
    }
    return buffer_finish(&b);
}

static int word_before(const char *p, int start, int end, const char *word)
{
    int n = (int)strlen(word);
    return end - start == n && strncmp(p + start, word, (size_t)n) == 0;
}

/* As lex.c's scan_nested(): a case ... esac inside $(...) is followed. */
int matching_close(const char *p, char open, char close)
{
    int depth = 0, cases = 0, word_start = 1;
    for (int i = 0; p[i]; i++) {
        char c = p[i];
        if (open == '(' && i > 0 && strchr(" \t\n;&|()", c)) {
            if (word_before(p, word_start, i, "case"))
                cases++;
            else if (word_before(p, word_start, i, "esac") && cases > 0)
                cases--;
            word_start = i + 1;
        }
        if (c == ')' && open == '(' && depth == 1 && cases > 0)
            continue;
        if (c == '\\' && p[i + 1]) {
            i++;
        } else if (c == '\'' && open == '(') {
            while (p[i + 1] && p[i + 1] != '\'')
                i++;
            i++;
        } else if (c == '"') {
            for (i++; p[i] && p[i] != '"'; i++)
                if (p[i] == '\\' && p[i + 1])
                    i++;
        } else if (c == open) {
            depth++;
        } else if (c == close && --depth == 0) {
            return i;
        }
        if (!p[i])
            break;
    }
    return -1;
}

/* $(...) or `...`: runs text in a child and returns what it printed, the
 * trailing newlines removed. $? becomes the child's status. */
char *command_substitution(const char *text)
{
    int fds[2];
    if (pipe(fds) < 0) {
        sh_error("pipe: %s", strerror(errno));
        return xstrdup("");
    }
    pid_t pid = fork_child();
    if (pid == 0) {
        jobs_enter_child(NULL, 0);   /* traps reset, no job control */
        close(fds[0]);
        if (fds[1] != 1) {
            dup2(fds[1], 1);
            close(fds[1]);
        }
        sh_exit(exec_string(text));
    }
    close(fds[1]);
    struct buffer b = { 0 };
    char chunk[512];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (ssize_t i = 0; i < n; i++)
            buffer_add(&b, chunk[i]);
    }
    close(fds[0]);
    int raw = 0;
    while (waitpid(pid, &raw, 0) < 0 && errno == EINTR)
        ;
    sh.substitution_status = wait_status(raw);
    while (b.length > 0 && b.data[b.length - 1] == '\n')
        b.length--;
    return buffer_finish(&b);
}

/* `...`: the text with \$ \` \\ (and \" inside double quotes) unescaped. */
static int expand_backquote(struct xbuf *x, const char *p, int in_quotes)
{
    struct buffer b = { 0 };
    int i = 1;
    for (; p[i] && p[i] != '`'; i++) {
        if (p[i] == '\\' && p[i + 1] &&
            (strchr("$`\\", p[i + 1]) || (in_quotes && p[i + 1] == '"')))
            i++;
        buffer_add(&b, p[i]);
    }
    char *inner = buffer_finish(&b);
    char *out = command_substitution(inner);
    xbuf_add_string(x, out, in_quotes ? Q_QUOTED : Q_EXPANDED);
    free(inner);
    free(out);
    return p[i] ? i + 1 : i;
}

/* $(...) and $((...)) starting at p (the '$'); returns characters used. */
static int expand_dollar_paren(struct xbuf *x, const char *p, int in_quotes)
{
    int end = matching_close(p + 1, '(', ')');
    if (end < 0)
        end = (int)strlen(p + 1) - 1;
    unsigned char flags = in_quotes ? Q_QUOTED : Q_EXPANDED;
    if (p[2] == '(' && end >= 3 && p[end] == ')') {
        struct xbuf inner = { 0 };
        expand_into(&inner, p + 3, end - 3, 1);
        char *expression = xbuf_plain(&inner, 0);
        xbuf_free(&inner);
        char digits[24];
        long long value = arith_eval(expression);
        free(expression);
        int n = 0;
        unsigned long long magnitude = value < 0 ? 0ull - (unsigned long long)value
                                                 : (unsigned long long)value;
        do digits[n++] = (char)('0' + magnitude % 10); while ((magnitude /= 10) > 0);
        if (value < 0)
            digits[n++] = '-';
        while (n > 0)
            xbuf_add(x, digits[--n], flags);
        return end + 2;
    }
    char *inner = strndup(p + 2, (size_t)end - 1);
    char *out = command_substitution(inner);
    xbuf_add_string(x, out, flags);
    free(inner);
    free(out);
    return end + 2;
}

static int expand_double_quotes(struct xbuf *x, const char *p, int length)
{
    int i = 0, saw_at = 0;
    while (i < length && p[i] != '"') {
        char c = p[i];
        if (c == '\\' && i + 1 < length && strchr("$`\"\\\n", p[i + 1])) {
            if (p[i + 1] != '\n')
                xbuf_add(x, p[i + 1], Q_QUOTED);
            i += 2;
        } else if (c == '$' && p[i + 1] == '(') {
            i += expand_dollar_paren(x, p + i, 1);
        } else if (c == '$') {
            i += 1 + expand_parameter(x, p + i + 1, 1, &saw_at);
        } else if (c == '`') {
            i += expand_backquote(x, p + i, 1);
        } else {
            xbuf_add(x, c, Q_QUOTED);
            i++;
        }
    }
    if (!saw_at)
        xbuf_add(x, 0, Q_EMPTY);
    return i < length ? i + 1 : i;
}

/* ~ or ~/...: $HOME; ~user is left as it is (no user database). */
static int expand_tilde(struct xbuf *x, const char *p, int length, int in_assignment)
{
    int i = 1;
    while (i < length && p[i] != '/' && !(in_assignment && p[i] == ':')) {
        if (strchr("\\'\"$`", p[i]))
            return 0;
        i++;
    }
    if (i > 1)
        return 0;
    const char *home = var_get("HOME");
    if (!home)
        return 0;
    xbuf_add_string(x, home, Q_QUOTED);
    if (!*home)
        xbuf_add(x, 0, Q_EMPTY);
    return 1;
}

static int tilde_flags;

void expand_into(struct xbuf *x, const char *p, int length, int in_quotes)
{
    int i = 0, saw_at = 0;
    int assignment = tilde_flags & EXPAND_TILDE_ASSIGN;
    while (i < length) {
        char c = p[i];
        if (c == '~' && !in_quotes && (i == 0 || (assignment && p[i - 1] == ':' ))) {
            int used = expand_tilde(x, p + i, length - i, assignment);
            if (used) {
                i += used;
                continue;
            }
        }
        if (in_quotes && c == '"') {
            /* "${x:-"word"}": quotes inside the braces quote again */
            i += 1 + expand_double_quotes(x, p + i + 1, length - i - 1);
            continue;
        }
        if (in_quotes) {
            if (c == '\\' && i + 1 < length && strchr("$`\"\\", p[i + 1])) {
                xbuf_add(x, p[i + 1], Q_QUOTED);
                i += 2;
                continue;
            }
        } else if (c == '\\') {
            if (i + 1 < length)
                xbuf_add(x, p[++i], Q_QUOTED);
            i++;
            continue;
        } else if (c == '\'') {
            for (i++; i < length && p[i] != '\''; i++)
                xbuf_add(x, p[i], Q_QUOTED);
            xbuf_add(x, 0, Q_EMPTY);
            i++;
            continue;
        } else if (c == '"') {
            i += 1 + expand_double_quotes(x, p + i + 1, length - i - 1);
            continue;
        }
        if (c == '$' && p[i + 1] == '(') {
            i += expand_dollar_paren(x, p + i, in_quotes);
        } else if (c == '$') {
            i += 1 + expand_parameter(x, p + i + 1, in_quotes, &saw_at);
        } else if (c == '`') {
            i += expand_backquote(x, p + i, in_quotes);
        } else {
            xbuf_add(x, c, in_quotes ? Q_QUOTED : 0);
            i++;
        }
    }
}

/* ---- fields ---- */

void fields_add(struct fields *f, char *s)
{
    f->v = grow(f->v, &f->capacity, f->count + 1, sizeof(char *));
    f->v[f->count++] = s;
    f->v[f->count] = NULL;
}

void fields_free(struct fields *f)
{
    for (int i = 0; i < f->count; i++)
        free(f->v[i]);
    free(f->v);
    memset(f, 0, sizeof *f);
}

/* One field's characters x[from..to): globbed if it has an unquoted pattern. */
static void finish_field(struct xbuf *x, int from, int to, int glob, struct fields *out)
{
    int magic = 0;
    for (int i = from; i < to && glob && !magic; i++) {
        if (x->f[i] & (Q_QUOTED | Q_BREAK | Q_EMPTY) || !strchr("*?[", x->c[i]))
            continue;
        if (x->c[i] != '[') {
            magic = 1;
            continue;
        }
        for (int k = i + 2; k < to && !magic; k++)   /* a '[' without ']' is no pattern */
            magic = x->c[k] == ']' && !(x->f[k] & (Q_BREAK | Q_EMPTY));
    }
    struct xbuf part = { 0 };
    for (int i = from; i < to; i++)
        xbuf_add(&part, x->c[i], x->f[i]);
    if (magic) {
        char *pattern = xbuf_pattern(&part, 0);
        int before = out->count;
        pathname_expand(pattern, out);
        free(pattern);
        if (out->count > before) {
            xbuf_free(&part);
            return;
        }
    }
    fields_add(out, xbuf_plain(&part, 0));
    xbuf_free(&part);
}

static void split_fields(struct xbuf *x, int glob, struct fields *out)
{
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    int start = 0, have = 0, ended_by_space = 0;
    for (int i = 0; i < x->length; i++) {
        unsigned char f = x->f[i];
        char c = x->c[i];
        if (f & Q_BREAK) {
            if (have)
                finish_field(x, start, i, glob, out);
            start = i + 1;
            have = 0;
            continue;
        }
        if (f & Q_EMPTY) {
            have = 1;
            continue;
        }
        if ((f & Q_EXPANDED) && !(f & Q_QUOTED) && c && strchr(ifs, c)) {
            int space = c == ' ' || c == '\t' || c == '\n';
            if (have)
                finish_field(x, start, i, glob, out);
            else if (!space && !ended_by_space)
                fields_add(out, xstrdup(""));
            ended_by_space = space && have ? 1 : (space ? ended_by_space : 0);
            have = 0;
            start = i + 1;
            continue;
        }
        if (!have)
            start = i;
        have = 1;
        ended_by_space = 0;
    }
    if (have)
        finish_field(x, start, x->length, glob, out);
}

void expand_words(char **words, int count, struct fields *out)
{
    tilde_flags = 0;
    for (int i = 0; i < count; i++) {
        struct xbuf x = { 0 };
        expand_into(&x, words[i], (int)strlen(words[i]), 0);
        split_fields(&x, !sh.opt_noglob, out);
        xbuf_free(&x);
    }
}

char *expand_string(const char *raw, int flags)
{
    tilde_flags = flags;
    struct xbuf x = { 0 };
    expand_into(&x, raw, (int)strlen(raw), 0);
    tilde_flags = 0;
    char *s = xbuf_plain(&x, 0);
    xbuf_free(&x);
    return s;
}

char *expand_pattern(const char *raw)
{
    tilde_flags = 0;
    struct xbuf x = { 0 };
    expand_into(&x, raw, (int)strlen(raw), 0);
    char *s = xbuf_pattern(&x, 0);
    xbuf_free(&x);
    return s;
}

/* The length of the expansion ($..., ${...}, $(...), `...`) at body[i]. */
static int heredoc_expansion_length(const char *body, int i, int length)
{
    int j = i + 1;
    if (body[i] == '`') {
        while (j < length && body[j] != '`')
            j += body[j] == '\\' && j + 1 < length ? 2 : 1;
        j++;
    } else if (body[j] == '(' || body[j] == '{') {
        int end = matching_close(body + j, body[j], body[j] == '(' ? ')' : '}');
        j = end < 0 ? length : j + end + 1;
    } else if (body[j] == '_' || (body[j] >= 'a' && body[j] <= 'z') || (body[j] >= 'A' && body[j] <= 'Z')) {
        while (j < length && (body[j] == '_' || (body[j] >= 'a' && body[j] <= 'z') ||
                              (body[j] >= 'A' && body[j] <= 'Z') || (body[j] >= '0' && body[j] <= '9')))
            j++;
    } else if (j < length && strchr("?$!#@*-0123456789", body[j])) {
        j++;
    }
    return (j > length ? length : j) - i;
}

/* An unquoted here-document: $..., `...`, and \$ \` \\ \newline. */
char *expand_heredoc(const char *body)
{
    struct xbuf x = { 0 };
    int length = (int)strlen(body);
    for (int i = 0; i < length;) {
        if (body[i] == '\\' && body[i + 1] == '\n') {
            i += 2;
        } else if (body[i] == '\\' && body[i + 1] && strchr("$`\\", body[i + 1])) {
            xbuf_add(&x, body[i + 1], Q_QUOTED);
            i += 2;
        } else if (body[i] == '$' || body[i] == '`') {
            int n = heredoc_expansion_length(body, i, length);
            char *piece = strndup(body + i, (size_t)n);
            expand_into(&x, piece, n, 1);
            free(piece);
            i += n;
        } else {
            xbuf_add(&x, body[i++], Q_QUOTED);
        }
    }
    char *s = xbuf_plain(&x, 0);
    xbuf_free(&x);
    return s;
}
