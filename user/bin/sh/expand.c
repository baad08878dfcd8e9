/* expand.c -- shell variables and word expansion.
 *
 * Variables live in one table of NAME, VALUE, exported; the environment of
 * every child is built from the exported ones (vars_environment), so the
 * libc's environ is read once at start-up (vars_import) and never written.
 *
 * expand_word() turns one raw word into fields, left to right:
 *   '...'   literal;   "..."  literal except $ expansions and \ before $ ` " \ newline;
 *   \c      literal c (backslash-newline vanishes);   ~ at the start: $HOME;
 *   $NAME ${NAME} $? $$ $# $0..$9 $@ $*  -- unquoted results split at blanks.
 * A word that was quoted stays one field even if empty ("" -> one empty field);
 * an unquoted expansion that is empty produces no field. No globbing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

struct variable {
    char *name;
    char *value;
    int exported;
};

static struct variable *variables;
static int variable_count, variable_capacity;

static int is_letter(char c) { return c == '_' || ((c | 32) >= 'a' && (c | 32) <= 'z'); }

int is_name(const char *s, size_t len)
{
    if (len == 0 || !is_letter(s[0]))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!is_letter(s[i]) && !(s[i] >= '0' && s[i] <= '9'))
            return 0;
    return 1;
}

int is_assignment(const char *word)
{
    const char *eq = strchr(word, '=');
    return eq && is_name(word, (size_t)(eq - word));
}

static struct variable *find(const char *name)
{
    for (int i = 0; i < variable_count; i++)
        if (strcmp(variables[i].name, name) == 0)
            return &variables[i];
    return NULL;
}

const char *var_get(const char *name)
{
    struct variable *v = find(name);
    return v ? v->value : NULL;
}

void var_set(const char *name, const char *value, int export)
{
    struct variable *v = find(name);
    if (!v) {
        variables = grow(variables, &variable_capacity, variable_count, sizeof *variables);
        v = &variables[variable_count++];
        v->name = strdup(name);
        v->value = NULL;
        v->exported = 0;
    }
    free(v->value);
    v->value = strdup(value);
    v->exported |= export;
}

void var_export(const char *name)
{
    struct variable *v = find(name);
    if (v)
        v->exported = 1;
    else
        var_set(name, "", 1);
}

void var_unset(const char *name)
{
    struct variable *v = find(name);
    if (!v)
        return;
    free(v->name);
    free(v->value);
    *v = variables[--variable_count];
}

void vars_import(char **envp)
{
    for (; envp && *envp; envp++) {
        char *eq = strchr(*envp, '=');
        if (!eq)
            continue;
        char *name = strndup(*envp, (size_t)(eq - *envp));
        var_set(name, eq + 1, 1);
        free(name);
    }
}

char **vars_environment(void)
{
    char **env = xmalloc((size_t)(variable_count + 1) * sizeof *env);
    int n = 0;
    for (int i = 0; i < variable_count; i++) {
        if (!variables[i].exported)
            continue;
        size_t len = strlen(variables[i].name) + strlen(variables[i].value) + 2;
        env[n] = xmalloc(len);
        snprintf(env[n], len, "%s=%s", variables[i].name, variables[i].value);
        n++;
    }
    env[n] = NULL;
    return env;
}

/* ---- fields ---- */

void fields_add(struct fields *f, char *s)
{
    f->v = grow(f->v, &f->capacity, f->count + 1, sizeof *f->v);
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

/* The field being built: its text and whether it exists yet (quotes make
 * an empty field exist). */
struct builder {
    char *text;
    int length, capacity;
    int exists;
};

static void append(struct builder *b, const char *s, size_t n)
{
    b->text = grow(b->text, &b->capacity, b->length + (int)n + 1, 1);
    memcpy(b->text + b->length, s, n);
    b->length += (int)n;
    b->text[b->length] = '\0';
    b->exists = 1;
}

static void finish_field(struct builder *b, struct fields *out)
{
    if (b->exists)
        fields_add(out, b->text ? b->text : strdup(""));
    else
        free(b->text);
    memset(b, 0, sizeof *b);
}

/* Appends an unquoted expansion's value, splitting it at blanks. */
static void append_split(struct builder *b, const char *value, struct fields *out)
{
    for (const char *p = value; *p;) {
        size_t n = strcspn(p, " \t\n");
        if (n)
            append(b, p, n);
        p += n;
        if (*p) {
            finish_field(b, out);
            p += strspn(p, " \t\n");
        }
    }
}

/* The value of a special or positional parameter, in buf if computed. */
static const char *special(char c, char *buf, size_t size)
{
    if (c == '?')
        snprintf(buf, size, "%d", shell.last_status);
    else if (c == '$')
        snprintf(buf, size, "%d", (int)getpid());
    else if (c == '#')
        snprintf(buf, size, "%d", shell.arg_count);
    else if (c == '0')
        return shell.name;
    else if (c >= '1' && c <= '9')
        return c - '1' < shell.arg_count ? shell.args[c - '1'] : "";
    else
        return NULL;
    return buf;
}

/* Joins $1 ... with spaces, for $@ and $* (a simplification: "$@" is one field). */
static char *all_args(void)
{
    struct builder b = {0};
    append(&b, "", 0);
    for (int i = 0; i < shell.arg_count; i++) {
        if (i)
            append(&b, " ", 1);
        append(&b, shell.args[i], strlen(shell.args[i]));
    }
    return b.text;
}

/* Expands the $ at *p; advances *p past it. Returns a malloc'ed value, or
 * NULL when the '$' is literal (not followed by a name or special). */
static char *dollar(const char **p)
{
    const char *s = *p + 1;
    char buf[32];
    if (*s == '@' || *s == '*') {
        *p = s + 1;
        return all_args();
    }
    const char *value = special(*s, buf, sizeof buf);
    if (value) {
        *p = s + 1;
        return strdup(value);
    }
    int braced = *s == '{';
    const char *name = s + braced;
    size_t len = 0;
    while (is_name(name, len + 1))
        len++;
    if (len == 0 || (braced && name[len] != '}')) {
        if (braced)
            sh_error("%.*s: bad substitution", (int)(strcspn(*p, "}") + 1), *p);
        return NULL;
    }
    *p = name + len + braced;
    char *key = strndup(name, len);
    value = var_get(key);
    free(key);
    return strdup(value ? value : "");
}

/* Expands a double-quoted part starting after the opening quote; returns the
 * position after the closing quote. */
static const char *double_quoted(const char *p, struct builder *b)
{
    b->exists = 1;
    while (*p && *p != '"') {
        if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
            if (p[1] != '\n')
                append(b, p + 1, 1);
            p += 2;
        } else if (*p == '$') {
            char *value = dollar(&p);
            if (value) {
                append(b, value, strlen(value));
                free(value);
            } else {
                append(b, p++, 1);
            }
        } else {
            append(b, p++, 1);
        }
    }
    return *p ? p + 1 : p;
}

void expand_word(const char *raw, struct fields *out)
{
    struct builder b = {0};
    const char *p = raw;
    if (*p == '~' && (p[1] == '/' || p[1] == '\0') && var_get("HOME")) {
        append(&b, var_get("HOME"), strlen(var_get("HOME")));
        p++;
    }
    while (*p) {
        if (*p == '\'') {
            size_t n = strcspn(p + 1, "'");
            append(&b, p + 1, n);
            p += n + 1 + (p[n + 1] == '\'');
        } else if (*p == '"') {
            p = double_quoted(p + 1, &b);
        } else if (*p == '\\' && p[1]) {
            if (p[1] != '\n')   /* backslash-newline joins lines and vanishes */
                append(&b, p + 1, 1);
            p += 2;
        } else if (*p == '$') {
            char *value = dollar(&p);
            if (value) {
                append_split(&b, value, out);
                free(value);
            } else {
                append(&b, p++, 1);
            }
        } else {
            append(&b, p++, 1);
        }
    }
    finish_field(&b, out);
}

char *expand_single(const char *raw)
{
    struct fields f = {0};
    expand_word(raw, &f);
    char *result = NULL;
    if (f.count == 1) {
        result = f.v[0];
        f.v[0] = NULL;
        f.count = 0;
    }
    fields_free(&f);
    return result;
}
