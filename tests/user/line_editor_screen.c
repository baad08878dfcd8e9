/* line_editor_screen.c -- the VT100 screen model of the line editor's test
 * (line_editor_screen.h): a grid of cells, a cursor, and counters. */
#include <string.h>
#include "line_editor_screen.h"

static void clear_cells(struct screen *s, int row, int from)
{
    for (int c = from; c < MAX_COLUMNS; c++)
        strcpy(s->cells[row][c], " ");
}

void screen_clear(struct screen *s)
{
    for (int r = 0; r < ROWS; r++)
        clear_cells(s, r, 0);
    s->row = s->column = 0;
}

static void screen_newline(struct screen *s)
{
    if (s->row + 1 < ROWS) {
        s->row++;
        return;
    }
    memmove(s->cells[0], s->cells[1], (ROWS - 1) * sizeof s->cells[0]);
    clear_cells(s, ROWS - 1, 0);
}

static size_t screen_escape(struct screen *s, const char *bytes, size_t n)
{
    size_t i = 2;
    int number = 0, has_number = 0;
    while (i < n && bytes[i] >= '0' && bytes[i] <= '9') {
        number = number * 10 + bytes[i++] - '0';
        has_number = 1;
    }
    if (i >= n)
        return n;
    int count = has_number ? number : 1;
    switch (bytes[i]) {
    case 'K': clear_cells(s, s->row, s->column); break;
    case 'C': s->column = s->column + count < s->columns ? s->column + count : s->columns - 1; break;
    case 'D': s->column = s->column - count > 0 ? s->column - count : 0; break;
    case 'H': s->row = s->column = 0; break;
    case 'm': break;                    /* colours */
    case 'J': if (number == 2) { screen_clear(s); s->clears++; } break;
    default: s->unknown++;
    }
    return i + 1;
}

void screen_write(struct screen *s, const char *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c == 0x1b && i + 1 < n && bytes[i + 1] == '[') {
            i += screen_escape(s, bytes + i, n - i) - 1;
        } else if (c == '\r') {
            s->column = 0;
        } else if (c == '\n') {                /* OPOST and ONLCR, as the editor leaves them */
            s->column = 0;
            screen_newline(s);
        } else if (c == '\b') {
            s->column -= s->column > 0;
        } else if (c == '\a') {
            s->bells++;
        } else if (c >= 0x20) {
            if (s->column == s->columns) {      /* the terminal wraps */
                s->wraps++;
                s->column = 0;
                screen_newline(s);
            }
            if ((c & 0xc0) == 0x80 && s->column > 0) {     /* continues the character before */
                size_t used = strlen(s->cells[s->row][s->column - 1]);
                if (used < 4) {
                    s->cells[s->row][s->column - 1][used] = (char)c;
                    s->cells[s->row][s->column - 1][used + 1] = 0;
                }
                continue;
            }
            s->cells[s->row][s->column][0] = (char)c;
            s->cells[s->row][s->column++][1] = 0;
        } else {
            s->unknown++;
        }
    }
}

/* Row `row` without its trailing blanks. */
const char *screen_row(struct screen *s, int row)
{
    static char text[MAX_COLUMNS * 4 + 1];
    text[0] = 0;
    for (int c = 0; c < s->columns; c++)
        strcat(text, s->cells[row][c]);
    size_t end = strlen(text);
    while (end > 0 && text[end - 1] == ' ')
        end--;
    text[end] = 0;
    return text;
}

