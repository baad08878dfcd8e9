/* vars.c -- the shell's variables and positional parameters (user space,
 * /bin/sh; POSIX XCU 2.5).
 *
 * Variables live in one array kept sorted by name (so `set` and
 * `export -p` list them in order); each has a value (NULL: declared but
 * unset, as `export X` before X is set) and flags VAR_EXPORT/VAR_READONLY.
 * Assignments before a builtin or function (`VAR=x cmd`) are pushed as
 * temporaries and popped afterwards. The positional parameters are a copy
 * the shell owns; a function call saves and restores them.
 * Must stay true: a readonly variable's value never changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

struct variable {
    char *name;
    char *value;
    int flags;
};

static struct variable *vars;
static int var_count, var_capacity;
struct positional positional;

int is_name(const char *s, size_t len)
{
    if (len == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

int is_assignment(const char *word)
{
    const char *eq = strchr(word, '=');
    return eq && eq > word && is_name(word, (size_t)(eq - word));
}

/* Index of name, or -(insertion point) - 1. */
static int find(const char *name)
{
    int low = 0, high = var_count - 1;
    while (low <= high) {
        int mid = (low + high) / 2;
        int c = strcmp(vars[mid].name, name);
        if (c == 0)
            return mid;
        if (c < 0)
            low = mid + 1;
        else
            high = mid - 1;
    }
    return -low - 1;
}

static struct variable *lookup_or_add(const char *name)
{
    int i = find(name);
    if (i >= 0)
        return &vars[i];
    i = -i - 1;
    vars = grow(vars, &var_capacity, var_count, sizeof *vars);
    memmove(vars + i + 1, vars + i, sizeof *vars * (size_t)(var_count - i));
    var_count++;
    vars[i].name = xstrdup(name);
    vars[i].value = NULL;
    vars[i].flags = 0;
    return &vars[i];
}

const char *var_get(const char *name)
{
    int i = find(name);
    return i >= 0 ? vars[i].value : NULL;
}

int var_flags(const char *name)
{
    int i = find(name);
    return i >= 0 ? vars[i].flags : 0;
}

int var_set(const char *name, const char *value, int flags)
{
    struct variable *v = lookup_or_add(name);
    if (v->flags & VAR_READONLY)
        return -1;
    char *copy = value ? xstrdup(value) : NULL;
    free(v->value);
    v->value = copy;
    v->flags |= flags | (sh.opt_allexport ? VAR_EXPORT : 0);
    return 0;
}

void var_add_flags(const char *name, int flags)
{
    lookup_or_add(name)->flags |= flags;
}

int var_unset(const char *name)
{
    int i = find(name);
    if (i < 0)
        return 0;
    if (vars[i].flags & VAR_READONLY)
        return -1;
    free(vars[i].name);
    free(vars[i].value);
    memmove(vars + i, vars + i + 1, sizeof *vars * (size_t)(var_count - i - 1));
    var_count--;
    return 0;
}

void vars_import(char **envp)
{
    for (; envp && *envp; envp++) {
        const char *eq = strchr(*envp, '=');
        if (!eq || !is_name(*envp, (size_t)(eq - *envp)))
            continue;
        char *name = strndup(*envp, (size_t)(eq - *envp));
        var_set(name, eq + 1, VAR_EXPORT);
        free(name);
    }
}

char **vars_environment(void)
{
    char **env = xmalloc(sizeof(char *) * (size_t)(var_count + 1));
    int n = 0;
    for (int i = 0; i < var_count; i++) {
        if (!(vars[i].flags & VAR_EXPORT) || !vars[i].value)
            continue;
        size_t length = strlen(vars[i].name) + strlen(vars[i].value) + 2;
        env[n] = xmalloc(length);
        snprintf(env[n], length, "%s=%s", vars[i].name, vars[i].value);
        n++;
    }
    env[n] = NULL;
    return env;
}

/* 'value' with each ' written as '\'' (or the value bare when it is safe). */
char *var_quote(const char *value)
{
    struct buffer b = { 0 };
    int plain = 0;   /* always quoted, as dash lists them */
    for (const char *p = value; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.,:+-=%@", *p))
            plain = 0;
    if (plain) {
        buffer_add_string(&b, value);
        return buffer_finish(&b);
    }
    buffer_add(&b, '\'');
    for (const char *p = value; *p; p++) {
        if (*p == '\'')
            buffer_add_string(&b, "'\\''");
        else
            buffer_add(&b, *p);
    }
    buffer_add(&b, '\'');
    return buffer_finish(&b);
}

/* flags_wanted 0: every set variable as NAME=value (the `set` listing);
 * otherwise those with the flag, as `prefix NAME=value`. */
void vars_print(int flags_wanted, const char *prefix)
{
    for (int i = 0; i < var_count; i++) {
        struct variable *v = &vars[i];
        if (flags_wanted ? !(v->flags & flags_wanted) : !v->value)
            continue;
        if (prefix)
            printf("%s ", prefix);
        if (v->value) {
            char *q = var_quote(v->value);
            printf("%s=%s\n", v->name, q);
            free(q);
        } else {
            printf("%s\n", v->name);
        }
    }
}

/* ---- temporaries for VAR=x builtin / function ---- */

struct saved_variable {
    char *name;
    char *value;
    int flags, existed;
};
struct temporary_frame {
    struct saved_variable *saved;
    int count;
    struct temporary_frame *outer;
};
static struct temporary_frame *temporaries;

void var_push_temporary(char **assignments, int count)
{
    struct temporary_frame *frame = xmalloc(sizeof *frame);
    frame->saved = xmalloc(sizeof *frame->saved * (size_t)(count + 1));
    frame->count = 0;
    frame->outer = temporaries;
    temporaries = frame;
    for (int i = 0; i < count; i++) {
        const char *eq = strchr(assignments[i], '=');
        char *name = strndup(assignments[i], (size_t)(eq - assignments[i]));
        struct saved_variable *s = &frame->saved[frame->count++];
        int index = find(name);
        s->name = name;
        s->existed = index >= 0;
        s->value = index >= 0 && vars[index].value ? xstrdup(vars[index].value) : NULL;
        s->flags = index >= 0 ? vars[index].flags : 0;
        char *value = expand_string(eq + 1, EXPAND_TILDE_ASSIGN);
        if (var_set(name, value, VAR_EXPORT) < 0) {
            sh_error("%s: is read only", name);
            s->existed = -1;
            free(value);
            sh_fatal(2);
        }
        free(value);
    }
}

void var_pop_temporary(void)
{
    struct temporary_frame *frame = temporaries;
    if (!frame)
        return;
    temporaries = frame->outer;
    for (int i = frame->count - 1; i >= 0; i--) {
        struct saved_variable *s = &frame->saved[i];
        if (s->existed == 0) {
            var_unset(s->name);
        } else if (s->existed > 0) {
            struct variable *v = lookup_or_add(s->name);
            free(v->value);
            v->value = s->value;
            v->flags = s->flags;
            s->value = NULL;
        }
        free(s->name);
        free(s->value);
    }
    free(frame->saved);
    free(frame);
}

/* ---- positional parameters ---- */

void positional_set(char **args, int count)
{
    char **copy = xmalloc(sizeof(char *) * (size_t)(count + 1));
    for (int i = 0; i < count; i++)
        copy[i] = xstrdup(args[i]);
    copy[count] = NULL;
    for (int i = 0; i < positional.count; i++)
        free(positional.args[i]);
    free(positional.args);
    positional.args = copy;
    positional.count = count;
}

struct positional positional_save(void)
{
    struct positional saved = positional;
    positional.args = NULL;
    positional.count = 0;
    return saved;
}

void positional_restore(struct positional saved)
{
    for (int i = 0; i < positional.count; i++)
        free(positional.args[i]);
    free(positional.args);
    positional = saved;
}
