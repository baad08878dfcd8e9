/* builtin_env.c -- builtins about the shell's surroundings (user space,
 * /bin/sh): cd (with -, CDPATH, $PWD/$OLDPWD), pwd, umask, times, type,
 * command (-v, -V, -p), alias and unalias.
 * Must stay true: cd updates PWD and OLDPWD only when chdir succeeded. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <unistd.h>
#include "sh.h"

static int change_directory(const char *target, int print)
{
    char old[PATH_MAX];
    const char *pwd = var_get("PWD");
    if (!getcwd(old, sizeof old))
        snprintf(old, sizeof old, "%s", pwd ? pwd : "");
    if (chdir(target) < 0)
        return -1;
    char now[PATH_MAX];
    var_set("OLDPWD", old, 0);
    if (getcwd(now, sizeof now))
        var_set("PWD", now, 0);
    if (print)
        printf("%s\n", getcwd(now, sizeof now) ? now : target);
    return 0;
}

int builtin_cd(int argc, char **argv)
{
    int i = 1;
    while (i < argc && (strcmp(argv[i], "-L") == 0 || strcmp(argv[i], "-P") == 0))
        i++;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    const char *target = i < argc ? argv[i] : var_get("HOME");
    int print = 0;
    if (!target) {
        sh_error("cd: HOME not set");
        return 1;
    }
    if (strcmp(target, "-") == 0) {
        target = var_get("OLDPWD");
        if (!target) {
            sh_error("cd: OLDPWD not set");
            return 1;
        }
        print = 1;
    }
    const char *cdpath = var_get("CDPATH");
    if (cdpath && target[0] != '/' && strncmp(target, "./", 2) && strncmp(target, "../", 3) &&
        strcmp(target, ".") && strcmp(target, "..")) {
        for (const char *p = cdpath;;) {
            const char *colon = strchr(p, ':');
            int length = colon ? (int)(colon - p) : (int)strlen(p);
            char candidate[PATH_MAX];
            if (length)
                snprintf(candidate, sizeof candidate, "%.*s/%s", length, p, target);
            else
                snprintf(candidate, sizeof candidate, "%s", target);
            struct stat st;
            if (stat(candidate, &st) == 0 && S_ISDIR(st.st_mode) &&
                change_directory(candidate, length > 0 || print) == 0)
                return 0;
            if (!colon)
                break;
            p = colon + 1;
        }
    }
    if (change_directory(target, print) < 0) {
        sh_error("cd: %s: %s", target, strerror(errno));
        return 1;
    }
    return 0;
}

int builtin_pwd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) {
        sh_error("pwd: %s", strerror(errno));
        return 1;
    }
    printf("%s\n", cwd);
    return 0;
}

int builtin_umask(int argc, char **argv)
{
    int symbolic = argc > 1 && strcmp(argv[1], "-S") == 0;
    int i = symbolic ? 2 : 1;
    if (i >= argc) {
        mode_t mask = umask(0);
        umask(mask);
        if (symbolic) {
            mode_t allowed = ~mask & 0777;
            const char *who = "ugo";
            for (int k = 0; k < 3; k++) {
                int bits = (int)(allowed >> (6 - 3 * k)) & 7;
                printf("%c=%s%s%s%s", who[k], bits & 4 ? "r" : "", bits & 2 ? "w" : "",
                       bits & 1 ? "x" : "", k < 2 ? "," : "\n");
            }
        } else {
            printf("%04o\n", (unsigned)mask);
        }
        return 0;
    }
    char *end;
    long mask = strtol(argv[i], &end, 8);
    if (*end || mask < 0 || mask > 0777) {
        sh_error("umask: Illegal mode: %s", argv[i]);
        return 1;
    }
    umask((mode_t)mask);
    return 0;
}

static void print_time(long ticks)
{
    long hz = 100;
    long minutes = ticks / (hz * 60);
    long rest = ticks % (hz * 60);
    printf("%ldm%ld.%06lds", minutes, rest / hz, (rest % hz) * (1000000 / hz));
}

int builtin_times(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct tms t;
    if (times(&t) == (clock_t)-1) {
        sh_error("times: %s", strerror(errno));
        return 1;
    }
    print_time(t.tms_utime); putchar(' '); print_time(t.tms_stime); putchar('\n');
    print_time(t.tms_cutime); putchar(' '); print_time(t.tms_cstime); putchar('\n');
    return 0;
}

static const char *reserved_words[] = { "if", "then", "else", "elif", "fi", "do", "done", "case",
                                        "esac", "while", "until", "for", "{", "}", "!", "in", NULL };

/* verbose: as `type`/`command -V`; otherwise as `command -v`. 0 if found. */
int describe_command(const char *name, int verbose)
{
    for (int i = 0; reserved_words[i]; i++) {
        if (strcmp(name, reserved_words[i]) == 0) {
            if (verbose) printf("%s is a shell keyword\n", name);
            else printf("%s\n", name);
            return 0;
        }
    }
    const char *alias = alias_get(name);
    if (alias) {
        char *q = var_quote(alias);
        if (verbose) printf("%s is an alias for %s\n", name, alias);
        else printf("alias %s=%s\n", name, q);
        free(q);
        return 0;
    }
    if (function_find(name)) {
        if (verbose) printf("%s is a shell function\n", name);
        else printf("%s\n", name);
        return 0;
    }
    const struct builtin *b = builtin_find(name);
    if (b) {
        if (verbose) printf("%s is a %sshell builtin\n", name, b->special ? "special " : "");
        else printf("%s\n", name);
        return 0;
    }
    char *path = path_search(name);
    struct stat st;
    if (path && stat(path, &st) == 0) {
        if (verbose) printf("%s is %s\n", name, path);
        else printf("%s\n", path);
        free(path);
        return 0;
    }
    free(path);
    if (verbose) {
        fflush(stdout);
        fprintf(stderr, "%s: not found\n", name);
    }
    return 127;
}

int builtin_type(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++)
        if (describe_command(argv[i], 1))
            status = 127;
    return status;
}

int builtin_command(int argc, char **argv)
{
    int i = 1, describe = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'v') describe = 1;
            else if (*p == 'V') describe = 2;
            else if (*p != 'p') {
                sh_error("command: illegal option -%c", *p);
                return 2;
            }
        }
    }
    if (i >= argc)
        return 0;
    if (describe) {
        int status = 0;
        for (; i < argc; i++)
            if (describe_command(argv[i], describe == 2))
                status = 127;
        return status;
    }
    return run_command_without_functions(argc - i, argv + i);
}

/* ---- aliases ---- */

struct alias {
    char *name, *value;
    struct alias *next;
};
static struct alias *aliases;

const char *alias_get(const char *name)
{
    for (struct alias *a = aliases; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a->value;
    return NULL;
}

static void alias_print(struct alias *a)
{
    char *q = var_quote(a->value);
    printf("%s=%s\n", a->name, q);
    free(q);
}

int builtin_alias(int argc, char **argv)
{
    int status = 0;
    if (argc == 1)
        for (struct alias *a = aliases; a; a = a->next)
            alias_print(a);
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            struct alias *a = aliases;
            while (a && strcmp(a->name, argv[i]) != 0)
                a = a->next;
            if (a) {
                alias_print(a);
            } else {
                sh_error("alias: %s not found", argv[i]);
                status = 1;
            }
            continue;
        }
        char *name = strndup(argv[i], (size_t)(eq - argv[i]));
        struct alias **slot = &aliases;
        while (*slot && strcmp((*slot)->name, name) < 0)
            slot = &(*slot)->next;
        if (*slot && strcmp((*slot)->name, name) == 0) {
            free((*slot)->value);
            (*slot)->value = xstrdup(eq + 1);
            free(name);
        } else {
            struct alias *a = xmalloc(sizeof *a);
            a->name = name;
            a->value = xstrdup(eq + 1);
            a->next = *slot;
            *slot = a;
        }
    }
    return status;
}

int builtin_unalias(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "-a") == 0) {
        aliases = NULL;
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        struct alias **slot = &aliases;
        while (*slot && strcmp((*slot)->name, argv[i]) != 0)
            slot = &(*slot)->next;
        if (*slot) {
            *slot = (*slot)->next;
        } else {
            sh_error("unalias: %s not found", argv[i]);
            status = 1;
        }
    }
    return status;
}
