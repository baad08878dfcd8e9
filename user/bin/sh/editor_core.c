/* editor_core.c -- the line editor's core: editing keys, history walking
 * and redrawing, on a line buffer, with no terminal I/O (editor_core.h).
 *
 * Redraw: the line stays on the prompt's row and scrolls sideways when it
 * is wider than the terminal: `scroll` is the first byte shown, and the
 * shown part ends one column before the right margin, so the cursor never
 * makes the terminal wrap. A full redraw is CR, the prompt's last line, the
 * shown part, ESC [ K (erase the rest) and ESC [ n D back to the cursor;
 * typing at the end and moving by one character send only what changed,
 * for the console is a slow serial line. Widths count UTF-8 characters.
 * Must stay true: `scroll` is what the screen shows after each key. */
#include <stdlib.h>
#include <string.h>
#include "editor_core.h"
#include "line_editor.h"

/* The last text killed (Ctrl-U, Ctrl-K, Ctrl-W, Alt-d), for Ctrl-Y; it
 * outlives the line, as in readline. */
static char kill_buffer[1024];
static size_t kill_length;

void output_bytes(struct editor_output *out, const char *bytes, size_t count)
{
    if (out->length + count > out->capacity) {
        size_t capacity = out->capacity ? out->capacity : 256;
        while (capacity < out->length + count)
            capacity *= 2;
        char *data = realloc(out->data, capacity);
        if (!data)
            return;                 /* out of memory: the screen lags, the line is right */
        out->data = data;
        out->capacity = capacity;
    }
    memcpy(out->data + out->length, bytes, count);
    out->length += count;
}

void output_string(struct editor_output *out, const char *text) { output_bytes(out, text, strlen(text)); }

void output_number(struct editor_output *out, unsigned number)
{
    char digits[12];
    int n = 0;
    do {
        digits[n++] = (char)('0' + number % 10);
        number /= 10;
    } while (number);
    while (n)
        output_bytes(out, &digits[--n], 1);
}

static int is_continuation(unsigned char byte) { return (byte & 0xc0) == 0x80; }

/* Columns of `count` bytes: one per character, escape sequences none. */
size_t text_width(const char *text, size_t count)
{
    size_t width = 0;
    for (size_t i = 0; i < count; i++) {
        if (text[i] == 0x1b && i + 1 < count && text[i + 1] == '[') {
            for (i += 2; i < count && !(text[i] >= 0x40 && text[i] <= 0x7e); i++)
                ;
            continue;
        }
        if (!is_continuation((unsigned char)text[i]) && (unsigned char)text[i] >= 0x20)
            width++;
    }
    return width;
}

static size_t next_position(const struct editor *e, size_t at)
{
    if (at < e->length)
        for (at++; at < e->length && is_continuation((unsigned char)e->line[at]); at++)
            ;
    return at;
}

static size_t previous_position(const struct editor *e, size_t at)
{
    if (at > 0)
        for (at--; at > 0 && is_continuation((unsigned char)e->line[at]); at--)
            ;
    return at;
}

/* Columns left for the line after the prompt (never less than 2). */
static size_t line_room(const struct editor *e)
{
    long room = (long)e->columns - (long)e->prompt_width - 1;
    return room < 2 ? 2 : (size_t)room;
}

/* The scroll that shows the cursor: unchanged while it is on the screen,
 * otherwise half a screen before the cursor (or 0). */
static size_t scroll_for_cursor(const struct editor *e)
{
    size_t room = line_room(e), scroll = e->scroll;
    if (scroll > e->length)
        scroll = 0;
    if (e->cursor >= scroll && text_width(e->line + scroll, e->cursor - scroll) <= room)
        return scroll;
    scroll = e->cursor;
    while (scroll > 0 && text_width(e->line + scroll, e->cursor - scroll) < room / 2)
        scroll = previous_position(e, scroll);
    return scroll;
}

/* Bytes of the line from `scroll` that fit in the room. */
static size_t shown_end(const struct editor *e)
{
    size_t room = line_room(e), end = e->scroll, width = 0;
    while (end < e->length && width < room) {
        end = next_position(e, end);
        width++;
    }
    return end;
}

void editor_refresh(struct editor *e)
{
    e->scroll = scroll_for_cursor(e);
    size_t end = shown_end(e);
    output_string(&e->out, "\r");
    output_string(&e->out, e->prompt_last_line);
    output_bytes(&e->out, e->line + e->scroll, end - e->scroll);
    output_string(&e->out, "\x1b[K");
    size_t back = e->cursor < end ? text_width(e->line + e->cursor, end - e->cursor) : 0;
    if (back) {
        output_string(&e->out, "\x1b[");
        output_number(&e->out, (unsigned)back);
        output_string(&e->out, "D");
    }
}

/* The whole prompt (all its lines) again, then the line. */
void editor_redraw_all(struct editor *e)
{
    output_string(&e->out, e->prompt);
    editor_refresh(e);
}

void editor_bell(struct editor *e) { output_string(&e->out, "\a"); }

/* Replaces line[start, end) by `text`; -1 (and a bell) if it would not fit.
 * The cursor goes after the new text. */
int editor_replace(struct editor *e, size_t start, size_t end, const char *text, size_t count)
{
    if (e->length - (end - start) + count > e->size - 1) {
        editor_bell(e);
        return -1;
    }
    memmove(e->line + start + count, e->line + end, e->length - end + 1);
    memcpy(e->line + start, text, count);
    e->length = e->length - (end - start) + count;
    e->cursor = start + count;
    return 0;
}

void editor_set_line(struct editor *e, const char *text, size_t cursor)
{
    size_t length = strlen(text);
    if (length > e->size - 1)
        length = e->size - 1;
    while (length > 0 && length < strlen(text) && is_continuation((unsigned char)text[length]))
        length--;                               /* never cut a character in two */
    memcpy(e->line, text, length);
    e->line[length] = 0;
    e->length = length;
    e->cursor = cursor > length ? length : cursor;
    while (e->cursor > 0 && e->cursor < length && is_continuation((unsigned char)e->line[e->cursor]))
        e->cursor--;
}

/* Typing: at the end of a line that still fits, only the new character goes out. */
static void insert_byte(struct editor *e, unsigned char byte)
{
    int at_end = e->cursor == e->length;
    char c = (char)byte;
    if (editor_replace(e, e->cursor, e->cursor, &c, 1) < 0)
        return;
    if (at_end && scroll_for_cursor(e) == e->scroll)
        output_bytes(&e->out, &c, 1);
    else
        editor_refresh(e);
}

static void move_to(struct editor *e, size_t position)
{
    size_t old = e->cursor;
    e->cursor = position;
    if (scroll_for_cursor(e) != e->scroll || position == old) {
        if (position != old)
            editor_refresh(e);
        return;
    }
    if (position + 1 <= old && text_width(e->line + position, old - position) == 1)
        output_string(&e->out, "\b");
    else if (position > old && position <= shown_end(e))
        output_bytes(&e->out, e->line + old, position - old);
    else
        editor_refresh(e);
}

static void kill_text(struct editor *e, size_t start, size_t end)
{
    if (end <= start)
        return;
    kill_length = end - start < sizeof kill_buffer ? end - start : sizeof kill_buffer;
    memcpy(kill_buffer, e->line + start, kill_length);
    editor_replace(e, start, end, "", 0);
    editor_refresh(e);
}

static int is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '_';
}

/* Alt-b/Alt-f words: letters and digits; Ctrl-W's: anything but blanks. */
static size_t word_left(const struct editor *e, int blank_delimited)
{
    size_t at = e->cursor;
    #define IN_WORD(c) (blank_delimited ? ((c) != ' ' && (c) != '\t') : is_word_byte(c))
    while (at > 0 && !IN_WORD((unsigned char)e->line[at - 1]))
        at--;
    while (at > 0 && IN_WORD((unsigned char)e->line[at - 1]))
        at--;
    #undef IN_WORD
    return at;
}

static size_t word_right(const struct editor *e)
{
    size_t at = e->cursor;
    while (at < e->length && !is_word_byte((unsigned char)e->line[at]))
        at++;
    while (at < e->length && is_word_byte((unsigned char)e->line[at]))
        at++;
    return at;
}

static void erase_before_cursor(struct editor *e)
{
    if (e->cursor == 0) {
        editor_bell(e);
        return;
    }
    size_t start = previous_position(e, e->cursor);
    int at_end = e->cursor == e->length;
    size_t old_scroll = e->scroll;
    editor_replace(e, start, e->cursor, "", 0);
    if (at_end && scroll_for_cursor(e) == old_scroll && start >= e->scroll)
        output_string(&e->out, "\b\x1b[K");
    else
        editor_refresh(e);
}

static void delete_at_cursor(struct editor *e)
{
    if (e->cursor == e->length) {
        editor_bell(e);
        return;
    }
    size_t cursor = e->cursor;
    editor_replace(e, cursor, next_position(e, cursor), "", 0);
    e->cursor = cursor;
    editor_refresh(e);
}

/* Up and Down: `step` entries (-1 older, +1 newer), keeping the line
 * being typed in typed_line; a bell at either end. */
static void history_walk(struct editor *e, int step)
{
    int count = history_count();
    if (e->history_index > count)
        e->history_index = count;
    int target = e->history_index + step;
    if (target < 0 || target > count) {
        editor_bell(e);
        return;
    }
    if (e->history_index == count) {
        free(e->typed_line);
        e->typed_line = strdup(e->line);
    }
    e->history_index = target;
    const char *text = target == count ? e->typed_line : history_entry(target);
    editor_set_line(e, text ? text : "", (size_t)-1);
    e->scroll = 0;
    editor_refresh(e);
}

static int finish_line(struct editor *e, int result)
{
    if (result == LINE_EDITOR_INTERRUPT)
        output_string(&e->out, "^C");
    output_string(&e->out, "\r\n");
    return result;
}

/* The keys that move or edit; 1 if `key` was one of them. */
static int editing_key(struct editor *e, int key)
{
    switch (key) {
    case KEY_LEFT: case CTRL('B'): move_to(e, previous_position(e, e->cursor)); return 1;
    case KEY_RIGHT: case CTRL('F'): move_to(e, next_position(e, e->cursor)); return 1;
    case KEY_HOME: case CTRL('A'): move_to(e, 0); return 1;
    case KEY_END: case CTRL('E'): move_to(e, e->length); return 1;
    case KEY_WORD_LEFT: move_to(e, word_left(e, 0)); return 1;
    case KEY_WORD_RIGHT: move_to(e, word_right(e)); return 1;
    case KEY_BACKSPACE: case CTRL('H'): erase_before_cursor(e); return 1;
    case KEY_DELETE: delete_at_cursor(e); return 1;
    case CTRL('U'): kill_text(e, 0, e->cursor); return 1;
    case CTRL('K'): kill_text(e, e->cursor, e->length); return 1;
    case CTRL('W'): kill_text(e, word_left(e, 1), e->cursor); return 1;
    case KEY_KILL_WORD_LEFT: kill_text(e, word_left(e, 0), e->cursor); return 1;
    case KEY_KILL_WORD_RIGHT: kill_text(e, e->cursor, word_right(e)); return 1;
    case CTRL('Y'):
        if (kill_length && editor_replace(e, e->cursor, e->cursor, kill_buffer, kill_length) == 0)
            editor_refresh(e);
        return 1;
    case KEY_UP: case CTRL('P'): history_walk(e, -1); return 1;
    case KEY_DOWN: case CTRL('N'): history_walk(e, +1); return 1;
    case CTRL('L'): output_string(&e->out, "\x1b[H\x1b[2J"); editor_redraw_all(e); return 1;
    default: return 0;
    }
}

/* One key, outside the search: EDITOR_READING or how the line ends. */
int editor_handle_key(struct editor *e, int key)
{
    if (editing_key(e, key))
        return EDITOR_READING;
    switch (key) {
    case '\r': case '\n': return finish_line(e, EDITOR_ACCEPTED);
    case CTRL('C'): return finish_line(e, LINE_EDITOR_INTERRUPT);
    case CTRL('D'):
        if (e->length == 0)
            return finish_line(e, LINE_EDITOR_EOF);
        delete_at_cursor(e);
        return EDITOR_READING;
    case '\t': completion_complete(e, e->previous_key == '\t'); return EDITOR_READING;
    case CTRL('R'): search_start(e); return EDITOR_READING;
    default:
        if (key >= 0x20 && key <= 0xff && key != KEY_BACKSPACE)
            insert_byte(e, (unsigned char)key);
        return EDITOR_READING;   /* other control keys do nothing */
    }
}

void editor_begin(struct editor *e, const char *prompt, char *line, size_t size, int columns)
{
    memset(e, 0, sizeof *e);
    e->line = line;
    e->size = size;
    line[0] = 0;
    e->prompt = prompt;
    const char *newline = strrchr(prompt, '\n');
    e->prompt_last_line = newline ? newline + 1 : prompt;
    e->prompt_width = text_width(e->prompt_last_line, strlen(e->prompt_last_line));
    e->columns = columns > 0 ? columns : 80;
    e->history_index = history_count();
    e->previous_key = KEY_NONE;
    e->search.match_index = -1;
    output_string(&e->out, prompt);
}

int editor_feed(struct editor *e, unsigned char byte)
{
    int key = key_decode(&e->keys, byte);
    if (key == KEY_NONE)
        return EDITOR_READING;
    int result = EDITOR_READING;
    if (!e->search.active || !search_handle_key(e, key))
        result = editor_handle_key(e, key);
    e->previous_key = key;
    return result;
}

const char *editor_output_take(struct editor *e, size_t *length)
{
    *length = e->out.length;
    e->out.length = 0;
    return e->out.data;
}

void editor_end(struct editor *e)
{
    free(e->out.data);
    free(e->typed_line);
    search_reset(e);
    e->out.data = NULL;
    e->typed_line = NULL;
}
