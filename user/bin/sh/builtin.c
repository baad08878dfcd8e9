/* builtin.c -- the commands that run inside the shell, because they change
 * its own state: cd, pwd, exit, export, unset, . (source), wait, and ':';
 * and echo, as in every POSIX shell, to spare a fork and an exec (it is
 * /bin/echo's own code: user/lib/echo.c).
 * Each takes argc/argv like main and returns an exit status; errors read
 * "sh: NAME: reason". In a pipeline they run in a child like any command. */
#include <echo.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

/* cd [DIR]: no DIR means $HOME, "-" means $OLDPWD. Keeps PWD and OLDPWD. */
static int builtin_cd(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : var_get("HOME");
    if (argc > 2) {
        sh_error("cd: too many arguments");
        return 2;
    }
    if (!dir) {
        sh_error("cd: HOME not set");
        return 1;
    }
    if (strcmp(dir, "-") == 0 && !(dir = var_get("OLDPWD"))) {
        sh_error("cd: OLDPWD not set");
        return 1;
    }
    char old[PATH_MAX], now[PATH_MAX];
    int had_old = getcwd(old, sizeof old) != NULL;
    if (chdir(dir) < 0) {
        sh_error("cd: %s: %s", dir, strerror(errno));
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "-") == 0)
        printf("%s\n", dir);
    if (had_old)
        var_set("OLDPWD", old, 0);
    if (getcwd(now, sizeof now))
        var_set("PWD", now, 0);
    return 0;
}

static int builtin_pwd(int argc, char **argv)
{
    (void)argc, (void)argv;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) {
        sh_error("pwd: %s", strerror(errno));
        return 1;
    }
    printf("%s\n", cwd);
    return 0;
}

/* exit [N]: N defaults to the last status; only the low 8 bits reach the parent. */
static int builtin_exit(int argc, char **argv)
{
    int status = shell.last_status;
    if (argc > 1) {
        char *end;
        status = (int)strtol(argv[1], &end, 10);
        if (!*argv[1] || *end) {
            sh_error("exit: %s: numeric argument required", argv[1]);
            status = 2;
        }
    }
    exit(status & 0xff);
}

/* export NAME=VALUE | NAME ...; with no argument, lists the environment. */
static int builtin_export(int argc, char **argv)
{
    if (argc == 1) {
        char **env = vars_environment();
        for (char **e = env; *e; e++) {
            printf("export %s\n", *e);
            free(*e);
        }
        free(env);
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (!is_name(argv[i], len)) {
            sh_error("export: %s: bad variable name", argv[i]);
            status = 1;
        } else if (eq) {
            *eq = '\0';
            var_set(argv[i], eq + 1, 1);
            *eq = '=';
        } else {
            var_export(argv[i]);
        }
    }
    return status;
}

static int builtin_unset(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        var_unset(argv[i]);
    return 0;
}

static int access_readable(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd >= 0)
        close(fd);
    return fd >= 0 ? 0 : -1;
}

/* . FILE: runs FILE's commands in this shell; a name without '/' that is
 * not in the current directory is looked for along $PATH. */
static int builtin_source(int argc, char **argv)
{
    if (argc < 2) {
        sh_error(".: filename argument required");
        return 2;
    }
    const char *file = argv[1];
    char candidate[PATH_MAX];
    const char *path = var_get("PATH") ? var_get("PATH") : "/bin";
    if (!strchr(file, '/') && access_readable(file) < 0) {
        for (const char *p = path;; p += strcspn(p, ":") + 1) {
            int n = (int)strcspn(p, ":");
            snprintf(candidate, sizeof candidate, "%.*s/%s", n, p, file);
            if (n && access_readable(candidate) == 0) {
                file = candidate;
                break;
            }
            if (!p[n])
                break;
        }
    }
    int status = run_file(file);
    return status < 0 ? 1 : status;
}

/* wait: reaps every child (those started with &). */
static int builtin_wait(int argc, char **argv)
{
    (void)argc, (void)argv;
    int raw;
    while (wait4(-1, &raw, 0, NULL) > 0 || errno == EINTR)
        ;
    return 0;
}

/* echo: a write error (a full disk, a closed pipe) is reported as
 * /bin/echo reports it, and the status is 1. */
static int builtin_echo(int argc, char **argv)
{
    clearerr(stdout);
    echo_words(argc, argv);
    if (fflush(stdout) != EOF && !ferror(stdout))
        return 0;
    int cause = ferror_number(stdout) ? ferror_number(stdout) : errno;
    sh_error("echo: write error: %s", strerror(cause));
    clearerr(stdout);
    return 1;
}

static int builtin_colon(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 0;
}

builtin_fn find_builtin(const char *name)
{
    static const struct { const char *name; builtin_fn fn; } table[] = {
        {"cd", builtin_cd}, {"pwd", builtin_pwd}, {"exit", builtin_exit},
        {"export", builtin_export}, {"unset", builtin_unset}, {".", builtin_source},
        {"wait", builtin_wait}, {":", builtin_colon}, {"echo", builtin_echo},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(name, table[i].name) == 0)
            return table[i].fn;
    return NULL;
}
