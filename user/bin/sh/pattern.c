/* pattern.c -- shell patterns and pathname expansion (user space, /bin/sh;
 * POSIX XCU 2.13).
 *
 * A pattern: * (any string), ? (any character), [abc] [a-z] [!x] [^x]
 * [[:alpha:]] (a bracket expression), \c (c itself). expand.c marks quoted
 * characters with a backslash, so "*" stays literal.
 * Pathname expansion matches a pattern one '/'-separated component at a
 * time against the directories' entries; a leading '.' of a name matches
 * only a literal '.'; the matches are sorted (byte order, as in the C
 * locale). No match: the caller keeps the word as it was.
 * Must stay true: '/' is never matched by * ? or [...]. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sh.h"

static int class_match(const char *name, int length, int c)
{
    static const struct { const char *name; int (*test)(int); } classes[] = {
        { "alpha", isalpha }, { "digit", isdigit }, { "alnum", isalnum }, { "upper", isupper },
        { "lower", islower }, { "space", isspace }, { "punct", ispunct }, { "print", isprint },
        { "graph", isgraph }, { "cntrl", iscntrl }, { "xdigit", isxdigit },
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if ((int)strlen(classes[i].name) == length && strncmp(classes[i].name, name, (size_t)length) == 0)
            return classes[i].test(c) != 0;
    if (length == 5 && strncmp(name, "blank", 5) == 0)
        return c == ' ' || c == '\t';
    return 0;
}

/* A bracket expression at p (after '['): 1 match, 0 no match, -1 not a
 * bracket expression (an unclosed '[' is an ordinary character). *end is
 * set past the ']'. */
static int bracket(const char *p, int c, const char **end)
{
    int negate = *p == '!' || *p == '^';
    if (negate)
        p++;
    int matched = 0, first = 1;
    while (*p && (*p != ']' || first)) {
        first = 0;
        if (p[0] == '[' && p[1] == ':') {
            const char *close = strstr(p + 2, ":]");
            if (close) {
                matched |= class_match(p + 2, (int)(close - p - 2), c);
                p = close + 2;
                continue;
            }
        }
        int low = (unsigned char)*p;
        if (*p == '\\' && p[1])
            low = (unsigned char)*++p;
        p++;
        int high = low;
        if (p[0] == '-' && p[1] && p[1] != ']') {
            p++;
            if (*p == '\\' && p[1])
                p++;
            high = (unsigned char)*p++;
        }
        if (c >= low && c <= high)
            matched = 1;
    }
    if (*p != ']')
        return -1;
    *end = p + 1;
    return matched != negate;
}

static int match_here(const char *p, const char *t)
{
    for (;;) {
        switch (*p) {
        case 0:
            return *t == 0;
        case '*':
            while (*p == '*')
                p++;
            if (!*p)
                return 1;
            for (; *t; t++)
                if (match_here(p, t))
                    return 1;
            return match_here(p, t);
        case '?':
            if (!*t)
                return 0;
            p++, t++;
            continue;
        case '[': {
            const char *end;
            int r = *t ? bracket(p + 1, (unsigned char)*t, &end) : 0;
            if (r < 0) {
                if (*t != '[')
                    return 0;
                p++, t++;
                continue;
            }
            if (!r)
                return 0;
            p = end, t++;
            continue;
        }
        case '\\':
            if (p[1])
                p++;
            /* fall through */
        default:
            if (*p != *t)
                return 0;
            p++, t++;
        }
    }
}

int pattern_match(const char *pattern, const char *text)
{
    return match_here(pattern, text);
}

int pattern_has_magic(const char *p)
{
    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '*' || *p == '?' || *p == '[')
            return 1;
    }
    return 0;
}

char *pattern_unescape(const char *p)
{
    struct buffer b = { 0 };
    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        buffer_add(&b, *p);
    }
    return buffer_finish(&b);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void expand_from(const char *base, const char *rest, struct fields *out);

/* A component without pattern characters: taken as it is, if it exists. */
static void expand_literal(const char *base, const char *component, const char *next,
                           struct fields *out)
{
    char *plain = pattern_unescape(component);
    size_t n = strlen(base) + strlen(plain) + 2;
    char *path = xmalloc(n);
    strcpy(path, base);
    strcat(path, plain);
    struct stat st;
    if (!next) {
        if (lstat(path, &st) == 0)
            fields_add(out, xstrdup(path));
    } else {
        strcat(path, "/");
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            expand_from(path, next, out);
    }
    free(path);
    free(plain);
}

/* Matches the components of `rest` under the directory `base` (a prefix
 * ending in '/' or empty for the current directory). */
static void expand_from(const char *base, const char *rest, struct fields *out)
{
    const char *slash = strchr(rest, '/');
    size_t length = slash ? (size_t)(slash - rest) : strlen(rest);
    char *component = strndup(rest, length);
    const char *next = slash ? slash + 1 : NULL;
    while (next && *next == '/')
        next++;
    if (!pattern_has_magic(component)) {
        expand_literal(base, component, next, out);
        free(component);
        return;
    }
    DIR *dir = opendir(*base ? base : ".");
    if (!dir) {
        free(component);
        return;
    }
    struct fields names = { 0 };
    struct dirent *entry;
    int explicit_dot = component[0] == '.' || (component[0] == '\\' && component[1] == '.');
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.' && !explicit_dot)
            continue;
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            if (!explicit_dot)
                continue;
        if (pattern_match(component, entry->d_name))
            fields_add(&names, xstrdup(entry->d_name));
    }
    closedir(dir);
    if (names.count)
        qsort(names.v, (size_t)names.count, sizeof(char *), compare_strings);
    for (int i = 0; i < names.count; i++) {
        size_t n = strlen(base) + strlen(names.v[i]) + 2;
        char *path = xmalloc(n);
        strcpy(path, base);
        strcat(path, names.v[i]);
        if (!next) {
            fields_add(out, path);
            continue;
        }
        struct stat st;
        strcat(path, "/");
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            expand_from(path, next, out);
        free(path);
    }
    fields_free(&names);
    free(component);
}

void pathname_expand(const char *pattern, struct fields *out)
{
    if (pattern[0] == '/') {
        const char *rest = pattern;
        while (*rest == '/')
            rest++;
        if (!*rest)
            return;
        expand_from("/", rest, out);
    } else {
        expand_from("", pattern, out);
    }
}
