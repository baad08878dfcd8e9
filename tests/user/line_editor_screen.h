/* line_editor_screen.h -- a small VT100 screen for the line editor's test
 * (line_editor_test.c): renders the bytes the editor writes -- printable
 * characters (UTF-8, one cell each), CR, LF (as with OPOST and ONLCR on),
 * BS, BEL, and ESC [ n C, D, K, H, 2J, m -- and counts what a real
 * terminal would do that the editor must never cause: wrapping at the
 * right margin, and sequences the model does not know.
 * Must stay true: it follows xterm's behaviour for every byte it accepts. */
#ifndef LINE_EDITOR_SCREEN_H
#define LINE_EDITOR_SCREEN_H
#include <stddef.h>

#define ROWS 60
#define MAX_COLUMNS 200
struct screen {
    char cells[ROWS][MAX_COLUMNS][5];   /* one UTF-8 character a cell */
    int columns, row, column;
    int bells, clears, wraps, unknown;
};

void screen_clear(struct screen *s);
void screen_write(struct screen *s, const char *bytes, size_t n);
const char *screen_row(struct screen *s, int row);   /* without trailing blanks */
#endif
