/* builtin_table.c -- the shell's builtins by name, and `help` (user space,
 * /bin/sh).
 *
 * One table: name, function, whether POSIX calls it special (XCU 2.14:
 * its assignments stay, its errors end a non-interactive shell), and a
 * line of help. shell_builtin_name() gives the names to the line editor's
 * completion.
 * `help` lists the builtins with their line, then each program in /bin
 * with the first line of its usage. That line is read from the program
 * file itself -- the "Usage: NAME ..." text every program here carries
 * for --help -- without running it; a program without such a text is
 * listed with its name alone.
 * Must stay true: the table is sorted by name. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "line_editor.h"
#include "sh.h"

int builtin_colon(int argc, char **argv);
int builtin_dot(int argc, char **argv);
int builtin_break(int argc, char **argv);
int builtin_continue(int argc, char **argv);
int builtin_eval(int argc, char **argv);
int builtin_exec(int argc, char **argv);
int builtin_exit(int argc, char **argv);
int builtin_export(int argc, char **argv);
int builtin_readonly(int argc, char **argv);
int builtin_return(int argc, char **argv);
int builtin_set(int argc, char **argv);
int builtin_shift(int argc, char **argv);
int builtin_unset(int argc, char **argv);
int builtin_true(int argc, char **argv);
int builtin_false(int argc, char **argv);

const struct builtin builtins[] = {
    { ".", builtin_dot, 1, "run the commands of a file in this shell" },
    { ":", builtin_colon, 1, "do nothing, successfully" },
    { "[", builtin_test, 0, "evaluate a condition (as test, ending in ])" },
    { "alias", builtin_alias, 0, "define or list aliases" },
    { "bg", builtin_bg, 0, "continue a stopped job in the background" },
    { "break", builtin_break, 1, "leave the innermost (or Nth) loop" },
    { "cd", builtin_cd, 0, "change the working directory (cd -, CDPATH)" },
    { "command", builtin_command, 0, "run a command, not a function; -v/-V describe it" },
    { "continue", builtin_continue, 1, "next iteration of the innermost (or Nth) loop" },
    { "echo", builtin_echo, 0, "print the arguments (-n, -e, -E)" },
    { "eval", builtin_eval, 1, "run the arguments as a command" },
    { "exec", builtin_exec, 1, "replace the shell by a command, or redirect the shell" },
    { "exit", builtin_exit, 1, "leave the shell with a status" },
    { "export", builtin_export, 1, "give variables to the programs the shell runs" },
    { "false", builtin_false, 0, "fail (status 1)" },
    { "fg", builtin_fg, 0, "bring a job to the foreground" },
    { "getopts", builtin_getopts, 0, "parse options of a script" },
    { "help", builtin_help, 0, "this list" },
    { "history", builtin_history, 0, "list the command lines entered" },
    { "jobs", builtin_jobs, 0, "list the jobs (-l with process ids, -p ids only)" },
    { "kill", builtin_kill, 0, "send a signal to processes or jobs (-l, -s)" },
    { "printf", builtin_printf, 0, "print formatted text" },
    { "pwd", builtin_pwd, 0, "print the working directory" },
    { "read", builtin_read, 0, "read a line into variables (-r)" },
    { "readonly", builtin_readonly, 1, "make variables unchangeable" },
    { "return", builtin_return, 1, "leave a function with a status" },
    { "set", builtin_set, 1, "set options (-e -u -x -f -n -v) or the parameters" },
    { "shift", builtin_shift, 1, "shift the positional parameters" },
    { "test", builtin_test, 0, "evaluate a condition" },
    { "times", builtin_times, 1, "print the shell's and its children's times" },
    { "trap", trap_builtin, 1, "run a command on a signal or at EXIT" },
    { "true", builtin_true, 0, "succeed (status 0)" },
    { "type", builtin_type, 0, "tell what a name is: builtin, function, program" },
    { "umask", builtin_umask, 0, "show or set the file creation mask" },
    { "unalias", builtin_unalias, 0, "remove aliases (-a: all)" },
    { "unset", builtin_unset, 1, "remove variables (-v) or functions (-f)" },
    { "wait", builtin_wait, 0, "wait for background jobs" },
    { NULL, NULL, 0, NULL },
};

const struct builtin *builtin_find(const char *name)
{
    for (const struct builtin *b = builtins; b->name; b++)
        if (strcmp(b->name, name) == 0)
            return b;
    return NULL;
}

const char *shell_builtin_name(int index)
{
    int count = (int)(sizeof builtins / sizeof builtins[0]) - 1;
    return index >= 0 && index < count ? builtins[index].name : NULL;
}

/* The rest of the line after "Usage: NAME" in the program file, or NULL. */
static char *usage_line(const char *path, const char *name)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char key[300];
    int key_length = snprintf(key, sizeof key, "Usage: %s", name);
    static char chunk[65536 + 512];
    int kept = 0;
    char *found = NULL;
    for (;;) {
        ssize_t n = read(fd, chunk + kept, sizeof chunk - 512 - (size_t)kept);
        if (n <= 0)
            break;
        int length = kept + (int)n;
        for (int i = 0; i + key_length < length && !found; i++) {
            if (memcmp(chunk + i, key, (size_t)key_length) == 0 &&
                (chunk[i + key_length] == ' ' || chunk[i + key_length] == '\n')) {
                int end = i;
                while (end < length && chunk[end] && chunk[end] != '\n')
                    end++;
                found = strndup(chunk + i + 7, (size_t)(end - i - 7));
            }
        }
        if (found)
            break;
        kept = length < 300 ? length : 300;
        memmove(chunk, chunk + length - kept, (size_t)kept);
    }
    close(fd);
    return found;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void help_programs(const char *directory)
{
    DIR *dir = opendir(directory);
    if (!dir)
        return;
    struct fields names = { 0 };
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        if (entry->d_name[0] != '.')
            fields_add(&names, xstrdup(entry->d_name));
    closedir(dir);
    if (names.count)
        qsort(names.v, (size_t)names.count, sizeof(char *), compare_names);
    printf("\nPrograms in %s:\n", directory);
    for (int i = 0; i < names.count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", directory, names.v[i]);
        char *usage = usage_line(path, names.v[i]);
        printf("  %-10s %s\n", names.v[i], usage ? usage : "");
        free(usage);
    }
    fields_free(&names);
}

int builtin_help(int argc, char **argv)
{
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            const struct builtin *b = builtin_find(argv[i]);
            if (!b) {
                sh_error("help: no builtin %s", argv[i]);
                return 1;
            }
            printf("%-10s %s\n", b->name, b->help);
        }
        return 0;
    }
    printf("Shell builtins:\n");
    for (const struct builtin *b = builtins; b->name; b++)
        printf("  %-10s %s\n", b->name, b->help);
    help_programs("/bin");
    return 0;
}

int builtin_history(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int count = history_count();
    for (int i = 0; i < count; i++)
        printf("%5d  %s\n", i + 1, history_entry(i));
    return 0;
}
