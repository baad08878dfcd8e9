/* line_editor_standin.c -- a plain stand-in for the line editor (user
 * space, /bin/sh): the interface of line_editor.h without editing.
 *
 * line_editor_read() shows the prompt on standard error and reads bytes
 * from descriptor 0 up to a newline, in whatever mode the terminal is
 * (normally canonical, so the terminal's own line discipline edits).
 * History is kept in memory only; load and save do nothing.
 * Must stay true: this file is replaced, not extended, by the real editor
 * (line_editor.c, history.c, completion.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "line_editor.h"

int line_editor_read(const char *prompt, char *line, size_t size)
{
    write(2, prompt, strlen(prompt));
    size_t length = 0;
    for (;;) {
        char c;
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return length ? (int)length : LINE_EDITOR_EOF;
        if (c == '\n')
            break;
        if (length + 1 < size)
            line[length++] = c;
    }
    line[length] = 0;
    return (int)length;
}

static char **entries;
static int count;

void history_add(const char *line)
{
    if (!*line || (count && strcmp(entries[count - 1], line) == 0))
        return;
    char **grown = realloc(entries, sizeof(char *) * (size_t)(count + 1));
    if (!grown)
        return;
    entries = grown;
    size_t n = strlen(line) + 1;
    entries[count] = malloc(n);
    if (entries[count])
        memcpy(entries[count++], line, n);
}

int history_count(void) { return count; }
const char *history_entry(int index) { return index >= 0 && index < count ? entries[index] : NULL; }
void history_load(void) {}
void history_save(void) {}
