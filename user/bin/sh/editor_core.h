/* editor_core.h -- the line editor's pure core: key bytes in, the edited
 * line, its cursor and the bytes to write to the terminal out. No system
 * call happens here except in completion (which reads directories); the
 * terminal itself (raw mode, read, write) is line_editor.c's.
 *
 * Layers: editor_keys.c decodes bytes into keys (escape sequences of a
 * VT100/xterm), editor_core.c edits and redraws, editor_search.c is the
 * reverse incremental search (Ctrl-R), completion.c the Tab completion.
 *
 * Must stay true: line[length] == 0, cursor <= length <= size - 1, and the
 * cursor never starts a UTF-8 continuation byte; after every key the bytes
 * in `out` leave the terminal's cursor where the buffer's cursor is. */
#ifndef EDITOR_CORE_H
#define EDITOR_CORE_H
#include <stddef.h>

/* Keys: bytes 0x00..0xff stand for themselves (control characters and
 * printable bytes); the named keys come from escape sequences. */
enum editor_key {
    KEY_NONE = -1,          /* nothing yet: inside an escape sequence, or swallowed */
    KEY_LEFT = 0x100,
    KEY_RIGHT,
    KEY_UP,
    KEY_DOWN,
    KEY_HOME,
    KEY_END,
    KEY_DELETE,
    KEY_WORD_LEFT,          /* Alt-b, Ctrl-Left */
    KEY_WORD_RIGHT,         /* Alt-f, Ctrl-Right */
    KEY_KILL_WORD_RIGHT,    /* Alt-d */
    KEY_KILL_WORD_LEFT,     /* Alt-Backspace */
};

#define CTRL(letter) ((letter) & 0x1f)
#define KEY_BACKSPACE 0x7f

struct key_decoder {
    int state;              /* plain, after ESC, in ESC [ ..., after ESC O */
    char parameters[16];    /* the digits and ';' of ESC [ ... */
    size_t parameter_length;
};

/* Feeds one byte; returns the key it completes, or KEY_NONE. */
int key_decode(struct key_decoder *decoder, unsigned char byte);

/* The bytes to write to the terminal, collected per key. */
struct editor_output {
    char *data;
    size_t length, capacity;
};
void output_bytes(struct editor_output *out, const char *bytes, size_t count);
void output_string(struct editor_output *out, const char *text);
void output_number(struct editor_output *out, unsigned number);

struct editor_search {
    int active;
    int failed;                 /* no entry holds the query */
    char query[128];
    size_t query_length;
    int match_index;            /* history entry shown, -1: none yet */
    size_t match_offset;        /* where the query starts in it */
    char *original_line;        /* the line before Ctrl-R, for Ctrl-G */
    size_t original_cursor;
    char prompt[200];           /* "(reverse-i-search)'query': " */
    const char *saved_prompt_last_line;
    size_t saved_prompt_width;
};

struct editor {
    char *line;
    size_t size, length, cursor;
    const char *prompt;         /* as given; may hold newlines and escapes */
    const char *prompt_last_line;
    size_t prompt_width;        /* columns of its last line */
    int columns;                /* terminal width */
    size_t scroll;              /* first byte of the line on the screen */
    struct key_decoder keys;
    struct editor_output out;
    int history_index;          /* history_count(): the line being typed */
    char *typed_line;           /* that line, kept while walking history */
    int previous_key;
    struct editor_search search;
};

enum { EDITOR_READING = 0, EDITOR_ACCEPTED = 1 };

/* Starts a line: shows the prompt. `line` has room for size - 1 bytes. */
void editor_begin(struct editor *editor, const char *prompt, char *line, size_t size, int columns);
/* One byte of input: EDITOR_READING, EDITOR_ACCEPTED (the line is in
 * `line`), LINE_EDITOR_EOF or LINE_EDITOR_INTERRUPT. */
int editor_feed(struct editor *editor, unsigned char byte);
/* Takes the bytes produced so far (valid until the next feed). */
const char *editor_output_take(struct editor *editor, size_t *length);
void editor_end(struct editor *editor);

/* For the search and completion layers. */
int editor_handle_key(struct editor *editor, int key);
void editor_refresh(struct editor *editor);
void editor_redraw_all(struct editor *editor);
void editor_set_line(struct editor *editor, const char *text, size_t cursor);
int editor_replace(struct editor *editor, size_t start, size_t end, const char *text, size_t count);
void editor_bell(struct editor *editor);
size_t text_width(const char *text, size_t count);

int search_handle_key(struct editor *editor, int key);   /* 1: used it, 0: pass on */
void search_start(struct editor *editor);
void search_reset(struct editor *editor);
void completion_complete(struct editor *editor, int repeated);
#endif
