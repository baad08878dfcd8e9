/* line_editor_driver.c -- test program for the shell's line editor on a
 * real terminal (test_line_editor_pty.py runs it on a pseudo-terminal):
 * reads lines with line_editor_read() until end of input and prints each
 * as `line LENGTH [TEXT]`, an interrupted line as `interrupt`, the end as
 * `eof`; every accepted line goes into the history. With -n N it stops
 * after N results; with -s SIZE the line buffer has SIZE bytes.
 * History is loaded at the start and saved at the end, as the shell does.
 * Must stay true: the builtin names below are what the tests complete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../user/bin/sh/line_editor.h"

static const char *const builtins[] = { "cd", "echo", "exit", "export", "history", NULL };

const char *shell_builtin_name(int index) { return builtins[index]; }

int main(int argc, char **argv)
{
    int limit = -1;
    size_t size = 1024;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-n") == 0)
            limit = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-s") == 0)
            size = (size_t)atoi(argv[i + 1]);
    }
    char *line = malloc(size ? size : 1);
    history_load();
    for (int results = 0; limit < 0 || results < limit; results++) {
        int length = line_editor_read("drv> ", line, size);
        if (length == LINE_EDITOR_EOF) {
            printf("eof\n");
            break;
        }
        if (length == LINE_EDITOR_INTERRUPT) {
            printf("interrupt\n");
            continue;
        }
        printf("line %d [%s]\n", length, line);
        fflush(stdout);
        history_add(line);
    }
    history_save();
    return 0;
}
