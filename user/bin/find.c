/* find -- walks each directory tree PATH (default ".") and prints the
 * path of every file that passes all the tests given, in directory order,
 * a directory before its contents:
 *   -name PATTERN  the last name matches the shell pattern PATTERN:
 *                  *, ?, [abc], [a-z], [!abc] and \c (a leading "." is
 *                  matched by * as in GNU find)
 *   -type C        the file is of type C: f regular, d directory,
 *                  l symbolic link, b, c, p (FIFO), s (socket)
 *   -maxdepth N    descend at most N levels below PATH (0: PATH only)
 *   -mindepth N    test and print nothing above level N
 *   -print         print the path (what happens anyway)
 * Symbolic links are not followed. Errors as GNU find: "find: 'X':
 * reason", exit status 1; a bad expression exits 1 before any walk. */
#include <dirent.h>
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "find";

#define MAX_TESTS 64

struct test {
    enum { TEST_NAME, TEST_TYPE } kind;
    const char *pattern;   /* TEST_NAME */
    unsigned type;         /* TEST_TYPE: an S_IFMT value */
};

static struct test tests[MAX_TESTS];
static int test_count;
static long max_depth = -1, min_depth = 0;
static int status;

static int usage(FILE *out, int code)
{
    fputs("Usage: find [PATH]... [-maxdepth N] [-mindepth N] [-name PATTERN] [-type C] [-print]\n"
          "Print the paths below each PATH (default .) that pass every test.\n"
          "  -name PATTERN  base name matches shell pattern PATTERN (*, ?, [...])\n"
          "  -type C        file type: f, d, l, b, c, p or s\n"
          "  -maxdepth N    descend at most N levels below the PATHs\n"
          "  -mindepth N    apply no tests and print nothing above level N\n", out);
    return finish(code);
}

/* A bracket expression at pattern[0] == '['; sets *matched and returns
 * the pattern after it, or NULL when it is not closed (then '[' is literal). */
static const char *match_bracket(const char *pattern, char c, int *matched)
{
    const char *p = pattern + 1;
    int negate = *p == '!' || *p == '^';
    if (negate)
        p++;
    int found = 0;
    for (int first = 1; *p && (first || *p != ']'); first = 0) {
        char low = *p == '\\' && p[1] ? *++p : *p;
        char high = low;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            p += 2;
            high = *p == '\\' && p[1] ? *++p : *p;
        }
        if ((unsigned char)low <= (unsigned char)c && (unsigned char)c <= (unsigned char)high)
            found = 1;
        p++;
    }
    if (*p != ']')
        return NULL;
    *matched = found != negate;
    return p + 1;
}

/* Shell pattern matching of a whole name, as fnmatch without flags. */
static int match_pattern(const char *pattern, const char *name)
{
    for (;; pattern++, name++) {
        switch (*pattern) {
        case '\0':
            return *name == '\0';
        case '*':
            while (*pattern == '*')
                pattern++;
            for (;; name++) {
                if (match_pattern(pattern, name))
                    return 1;
                if (*name == '\0')
                    return 0;
            }
        case '?':
            if (*name == '\0')
                return 0;
            break;
        case '[': {
            int matched;
            const char *rest = *name ? match_bracket(pattern, *name, &matched) : NULL;
            if (rest) {
                if (!matched)
                    return 0;
                pattern = rest - 1;
                break;
            }
            if (*name != '[')
                return 0;
            break;
        }
        case '\\':
            if (pattern[1])
                pattern++;
            /* fall through */
        default:
            if (*pattern != *name)
                return 0;
        }
    }
}

/* The last name of path, trailing slashes ignored ("a/b/" -> "b"). */
static char *last_name(const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return strndup(path + start, end - start);
}

static int passes(const char *path, const struct stat *st)
{
    for (int i = 0; i < test_count; i++) {
        if (tests[i].kind == TEST_TYPE && (st->st_mode & S_IFMT) != tests[i].type)
            return 0;
        if (tests[i].kind == TEST_NAME) {
            char *name = last_name(path);
            int matched = name && match_pattern(tests[i].pattern, name);
            free(name);
            if (!matched)
                return 0;
        }
    }
    return 1;
}

static void walk(const char *path, long depth)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        warn_message("'%s': %s", path, strerror(errno));
        status = 1;
        return;
    }
    if (depth >= min_depth && passes(path, &st))
        printf("%s\n", path);
    if (!S_ISDIR(st.st_mode) || (max_depth >= 0 && depth >= max_depth))
        return;
    DIR *dir = opendir(path);
    if (!dir) {
        warn_message("'%s': %s", path, strerror(errno));
        status = 1;
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char *child = join_path(path, entry->d_name);
        if (child)
            walk(child, depth + 1);
        free(child);
    }
    closedir(dir);
}

static int parse_type(const char *letter, unsigned *type)
{
    static const char letters[] = "fdlbcps";
    static const unsigned types[] = { S_IFREG, S_IFDIR, S_IFLNK, S_IFBLK, S_IFCHR, S_IFIFO, S_IFSOCK };
    const char *found = strlen(letter) == 1 ? strchr(letters, letter[0]) : NULL;
    if (!found) {
        warn_message("Unknown argument to -type: %s", letter);
        return -1;
    }
    *type = types[found - letters];
    return 0;
}

static int parse_depth(const char *option, const char *text, long *depth)
{
    char *end;
    *depth = strtol(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0') {
        warn_message("Expected a positive decimal integer argument to %s, but got '%s'", option, text);
        return -1;
    }
    return 0;
}

/* Parses argv[first..] into the tests; returns 0 or -1 (reported). */
static int parse_expression(int first, int argc, char **argv)
{
    for (int i = first; i < argc; i++) {
        const char *option = argv[i];
        if (strcmp(option, "-print") == 0)
            continue;
        int known = strcmp(option, "-name") == 0 || strcmp(option, "-type") == 0 ||
                    strcmp(option, "-maxdepth") == 0 || strcmp(option, "-mindepth") == 0;
        if (!known && option[0] == '-') {
            warn_message("unknown predicate `%s'", option);
            return -1;
        }
        if (!known) {
            warn_message("paths must precede expression: `%s'", option);
            if (i >= 2 && strcmp(argv[i - 2], "-name") == 0)
                warn_message("possible unquoted pattern after predicate `-name'?");
            return -1;
        }
        if (i + 1 == argc) {
            warn_message("missing argument to `%s'", option);
            return -1;
        }
        const char *argument = argv[++i];
        if (test_count == MAX_TESTS) {
            warn_message("too many tests");
            return -1;
        }
        if (strcmp(option, "-name") == 0)
            tests[test_count++] = (struct test){ .kind = TEST_NAME, .pattern = argument };
        else if (strcmp(option, "-type") == 0) {
            tests[test_count].kind = TEST_TYPE;
            if (parse_type(argument, &tests[test_count++].type) < 0)
                return -1;
        } else if (parse_depth(option, argument, strcmp(option, "-maxdepth") == 0 ? &max_depth : &min_depth) < 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int first_expression = 1;
    while (first_expression < argc && argv[first_expression][0] != '-')
        first_expression++;
    /* A one-letter word is an option (GNU's are -H -L -P -D -O); we have none. */
    if (first_expression < argc && strlen(argv[first_expression]) == 2) {
        warn_message("invalid option -- '%c'", argv[first_expression][1]);
        return usage(stderr, 1);
    }
    if (parse_expression(first_expression, argc, argv) < 0)
        return 1;
    if (first_expression == 1)
        walk(".", 0);
    for (int i = 1; i < first_expression; i++)
        walk(argv[i], 0);
    return finish(status);
}
