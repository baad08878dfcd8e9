/* line_editor.h -- reading a command line from a terminal, with editing,
 * history and completion; the shell's only contact with terminal modes.
 *
 * The shell calls line_editor_read() instead of read() when its input is a
 * terminal. While a line is being typed the terminal is in raw mode (no
 * ICANON, no ECHO, no ISIG), and the editor draws the line itself; before
 * returning it puts back the settings it found, so the programs the shell
 * starts see the terminal as it was. When standard input is not a terminal
 * the shell never calls these functions, and so never writes an escape
 * sequence.
 *
 * History lives in memory and, between sessions, in $HOME/.sh_history
 * (or /tmp/.sh_history where $HOME cannot be written).
 *
 * Must stay true: nothing here knows the shell's grammar; the shell tells
 * the editor its builtin names through shell_builtin_name(). */
#ifndef LINE_EDITOR_H
#define LINE_EDITOR_H
#include <stddef.h>

enum {
    LINE_EDITOR_EOF = -1,        /* Ctrl-D on an empty line, or a read error */
    LINE_EDITOR_INTERRUPT = -2,  /* Ctrl-C: the line was thrown away */
};

/* Shows `prompt` on standard error and reads one line from descriptor 0.
 * On success the line is in `line` (NUL-terminated, without the newline,
 * cut to size - 1 bytes) and its length is returned; otherwise one of the
 * LINE_EDITOR_* values above. */
int line_editor_read(const char *prompt, char *line, size_t size);

/* History: the lines entered so far, oldest first. history_add() skips
 * empty lines and a repeat of the last entry. */
void history_add(const char *line);
int history_count(void);
const char *history_entry(int index);   /* 0 .. history_count() - 1 */
void history_load(void);                /* from the history file, once at start */
void history_save(void);                /* to the history file, at exit */

/* Supplied by the shell, for completing command names: the name of builtin
 * number `index`, or NULL past the last one. */
const char *shell_builtin_name(int index);

#endif
