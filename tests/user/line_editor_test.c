/* line_editor_test.c -- self-checking test of the shell's line editor core
 * (user/bin/sh/editor_*.c, history.c, completion.c), built by user/user.mk
 * as build/user/tests/line_editor_test and run by test_line_editor.py with a
 * scratch directory as its argument.
 *
 * Keys go into the core as a terminal would send them; what the core
 * writes goes into a small VT100 screen model (below), and after every key
 * the screen's row must show the prompt and the visible part of the line,
 * with the screen's cursor where the buffer's cursor is. Each CHECK prints
 * a line on failure; the exit status is the number of failed checks. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../../user/bin/sh/editor_core.h"
#include "../../user/bin/sh/line_editor.h"
#include "line_editor_screen.h"

static const char *const builtins[] = { "cd", "echo", "exit", "export", "history", NULL };
const char *shell_builtin_name(int index) { return builtins[index]; }

static int checks, failures;
#define CHECK(cond) check((cond), #cond, __LINE__)
static int check(int ok, const char *what, int line)
{
    checks++;
    if (!ok) {
        failures++;
        printf("FAIL line %d: %s\n", line, what);
    }
    return ok;
}

/* ---- feeding keys ---- */

struct harness {
    struct editor editor;
    char line[4096];
    struct screen screen;
    int result;
    char output[8192];          /* what the last type() wrote */
    size_t output_length;
};

static void drain(struct harness *h)
{
    size_t length;
    const char *bytes = editor_output_take(&h->editor, &length);
    screen_write(&h->screen, bytes, length);
    if (h->output_length + length < sizeof h->output) {
        memcpy(h->output + h->output_length, bytes, length);
        h->output_length += length;
        h->output[h->output_length] = 0;
    }
}

/* The screen's row must be the prompt and the shown part, cursor on it. */
static void check_screen_matches(struct harness *h, int line)
{
    struct editor *e = &h->editor;
    char expected[MAX_COLUMNS * 4 + 1];
    size_t shown = 0, width = e->prompt_width;
    for (const char *p = e->prompt_last_line; *p; p++) {
        if (*p == 0x1b)
            for (p++; p[1] && !(*p >= 0x40 && *p <= 0x7e && *p != '['); p++)
                ;
        else
            expected[shown++] = *p;
    }
    for (size_t i = e->scroll; i < e->length; i++) {
        int continuation = (e->line[i] & 0xc0) == 0x80;
        if (!continuation && width >= (size_t)h->screen.columns - 1)
            break;
        expected[shown++] = e->line[i];
        width += !continuation;
    }
    expected[shown] = 0;
    while (shown > 0 && expected[shown - 1] == ' ')
        expected[--shown] = 0;
    const char *row = screen_row(&h->screen, h->screen.row);
    size_t cursor_column = e->prompt_width + text_width(e->line + e->scroll, e->cursor - e->scroll);
    if (!check(strcmp(row, expected) == 0 && (size_t)h->screen.column == cursor_column
               && h->screen.wraps == 0 && h->screen.unknown == 0, "screen matches the line", line))
        printf("  screen [%s] column %d, expected [%s] column %zu (line [%s] cursor %zu)\n",
               row, h->screen.column, expected, cursor_column, e->line, e->cursor);
}

static void start(struct harness *h, const char *prompt, size_t size, int columns)
{
    memset(&h->screen, 0, sizeof h->screen);
    h->screen.columns = columns;
    screen_clear(&h->screen);
    h->output_length = 0;
    editor_begin(&h->editor, prompt, h->line, size, columns);
    drain(h);
    h->result = EDITOR_READING;
}

/* Feeds `keys`, checking the screen after each; stops when the line ends. */
#define TYPE(h, keys) type_keys((h), (keys), __LINE__)
static int type_keys(struct harness *h, const char *keys, int line)
{
    h->output_length = 0;
    h->output[0] = 0;
    for (const char *k = keys; *k && h->result == EDITOR_READING; k++) {
        h->result = editor_feed(&h->editor, (unsigned char)*k);
        drain(h);
        if (h->result == EDITOR_READING && h->editor.keys.state == 0)
            check_screen_matches(h, line);
    }
    return h->result;
}

#define LINE_IS(h, text, at) line_is((h), (text), (at), __LINE__)
static void line_is(struct harness *h, const char *text, size_t cursor, int line)
{
    if (!check(strcmp(h->editor.line, text) == 0 && h->editor.cursor == cursor
               && h->editor.length == strlen(text), "line and cursor", line))
        printf("  line [%s] cursor %zu, expected [%s] cursor %zu\n", h->editor.line, h->editor.cursor,
               text, cursor);
}

static void finish(struct harness *h) { editor_end(&h->editor); }

/* ---- the keys ---- */

static void test_typing_writes_only_the_new_bytes(void)
{
    struct harness h;
    start(&h, "$ ", 256, 80);
    CHECK(strcmp(h.output, "$ ") == 0);
    TYPE(&h, "a");
    CHECK(strcmp(h.output, "a") == 0);
    TYPE(&h, "bc");
    LINE_IS(&h, "abc", 3);
    TYPE(&h, "\x1b[D");
    CHECK(strcmp(h.output, "\b") == 0);
    TYPE(&h, "\x1b[C");
    CHECK(strcmp(h.output, "c") == 0);
    CHECK(TYPE(&h, "\r") == EDITOR_ACCEPTED);
    CHECK(strcmp(h.output, "\r\n") == 0);
    finish(&h);
    start(&h, "$ ", 256, 80);
    CHECK(TYPE(&h, "xy\n") == EDITOR_ACCEPTED);
    LINE_IS(&h, "xy", 2);
    finish(&h);
}

static void test_moving_the_cursor(void)
{
    struct harness h;
    start(&h, "> ", 256, 80);
    TYPE(&h, "hllo");
    TYPE(&h, "\x1b[D\x1b[D\x1b[D");
    LINE_IS(&h, "hllo", 1);
    TYPE(&h, "e");
    LINE_IS(&h, "hello", 2);
    const char *left[] = { "\x1b[D", "\x1bOD", "\x02" }, *right[] = { "\x1b[C", "\x1bOC", "\x06" };
    for (int i = 0; i < 3; i++) {
        TYPE(&h, left[i]);
        LINE_IS(&h, "hello", 1);
        TYPE(&h, right[i]);
        LINE_IS(&h, "hello", 2);
    }
    const char *home[] = { "\x1b[H", "\x1b[1~", "\x1bOH", "\x1b[7~", "\x01" };
    const char *end[] = { "\x1b[F", "\x1b[4~", "\x1bOF", "\x1b[8~", "\x05" };
    for (int i = 0; i < 5; i++) {
        TYPE(&h, home[i]);
        LINE_IS(&h, "hello", 0);
        TYPE(&h, end[i]);
        LINE_IS(&h, "hello", 5);
    }
    TYPE(&h, "\x1b[C");                 /* at the end: nothing moves */
    LINE_IS(&h, "hello", 5);
    TYPE(&h, " world foo_bar");
    TYPE(&h, "\x1b" "b");
    LINE_IS(&h, "hello world foo_bar", 12);
    TYPE(&h, "\x1b[1;5D");
    LINE_IS(&h, "hello world foo_bar", 6);
    TYPE(&h, "\x1b" "f");
    LINE_IS(&h, "hello world foo_bar", 11);
    TYPE(&h, "\x1b[1;5C");
    LINE_IS(&h, "hello world foo_bar", 19);
    finish(&h);
}

static void test_erasing(void)
{
    struct harness h;
    start(&h, "$ ", 256, 80);
    TYPE(&h, "abcdef");
    TYPE(&h, "\x7f");
    LINE_IS(&h, "abcde", 5);
    if (!CHECK(strcmp(h.output, "\b\x1b[K") == 0))
        printf("  output [%s]\n", h.output + 1);
    TYPE(&h, "\x08");
    LINE_IS(&h, "abcd", 4);
    TYPE(&h, "\x1b[D\x1b[D\x7f");
    LINE_IS(&h, "acd", 1);
    TYPE(&h, "\x1b[3~");
    LINE_IS(&h, "ad", 1);
    TYPE(&h, "\x1b[F");
    int bells = h.screen.bells;
    TYPE(&h, "\x1b[3~");                /* Delete at the end */
    CHECK(h.screen.bells == bells + 1);
    TYPE(&h, "\x01\x7f");               /* Backspace at the start */
    CHECK(h.screen.bells == bells + 2);
    LINE_IS(&h, "ad", 0);
    TYPE(&h, "\x04");                   /* Ctrl-D on a line deletes under the cursor */
    LINE_IS(&h, "d", 0);
    CHECK(h.result == EDITOR_READING);
    finish(&h);
}

static void test_kill_and_yank(void)
{
    struct harness h;
    start(&h, "$ ", 256, 80);
    TYPE(&h, "echo foo bar  ");
    TYPE(&h, "\x17");                   /* Ctrl-W: the word and the blanks after it */
    LINE_IS(&h, "echo foo ", 9);
    TYPE(&h, "\x19");                   /* Ctrl-Y puts it back */
    LINE_IS(&h, "echo foo bar  ", 14);
    TYPE(&h, "\x01\x1b[C\x1b[C\x1b[C\x1b[C\x0b");   /* Ctrl-K after "echo" */
    LINE_IS(&h, "echo", 4);
    TYPE(&h, "\x01\x19");
    LINE_IS(&h, " foo bar  echo", 10);
    TYPE(&h, "\x15");                   /* Ctrl-U: to the start */
    LINE_IS(&h, "echo", 0);
    TYPE(&h, "\x05 \x19");
    LINE_IS(&h, "echo  foo bar  ", 15);
    TYPE(&h, "\x01\x1b" "d");           /* Alt-d */
    LINE_IS(&h, "  foo bar  ", 0);
    finish(&h);
}

static void test_line_endings(void)
{
    struct harness h;
    start(&h, "$ ", 256, 80);
    CHECK(TYPE(&h, "\x04") == LINE_EDITOR_EOF);
    finish(&h);
    start(&h, "$ ", 256, 80);
    CHECK(TYPE(&h, "some text\x03") == LINE_EDITOR_INTERRUPT);
    CHECK(strcmp(h.output + h.output_length - 4, "^C\r\n") == 0);
    finish(&h);
    start(&h, "$ ", 256, 80);
    CHECK(TYPE(&h, "a\x03" "b") == LINE_EDITOR_INTERRUPT);   /* nothing read after the end */
    LINE_IS(&h, "a", 1);
    finish(&h);
}

static void test_unknown_sequences_are_swallowed(void)
{
    struct harness h;
    start(&h, "$ ", 256, 80);
    TYPE(&h, "ab");
    TYPE(&h, "\x1b[2~\x1b[5~\x1b[6~\x1b[1;2P\x1bOP\x1b[15~\x1b[200~\x1bx\x1b[?25h\x1b\x1b[Z");
    LINE_IS(&h, "ab", 2);
    TYPE(&h, "\x1b[1\x1b[D\x1bO\x1b[D");   /* an ESC inside a sequence starts a new one */
    LINE_IS(&h, "ab", 0);
    TYPE(&h, "\x1b[\x03");              /* a control byte ends a sequence and counts */
    CHECK(h.result == LINE_EDITOR_INTERRUPT);
    finish(&h);
    const char *interrupts[] = { "\x1b\x03", "\x1bO\x03", "\x1b[1;\x03" };
    for (int i = 0; i < 3; i++) {
        start(&h, "$ ", 256, 80);
        CHECK(TYPE(&h, interrupts[i]) == LINE_EDITOR_INTERRUPT);
        finish(&h);
    }
    start(&h, "$ ", 256, 80);
    TYPE(&h, "\x12\x07");               /* other control keys do nothing to the line */
    TYPE(&h, "x\x0f\x1c\x1a\x16");
    LINE_IS(&h, "x", 1);
    finish(&h);
}

static void test_clear_screen(void)
{
    struct harness h;
    start(&h, "$ ", 256, 80);
    TYPE(&h, "\r");
    finish(&h);
    start(&h, "$ ", 256, 80);
    TYPE(&h, "ls -l\x1b[D\x0c");
    CHECK(h.screen.clears == 1 && h.screen.row == 0);
    CHECK(strcmp(screen_row(&h.screen, 0), "$ ls -l") == 0);
    CHECK(h.screen.column == 6);
    finish(&h);
}

static void test_utf8_moves_whole_characters(void)
{
    struct harness h;
    start(&h, "$ ", 256, 80);
    TYPE(&h, "h\xc3\xa9llo");
    TYPE(&h, "\x01\x1b[C\x1b[C");
    LINE_IS(&h, "h\xc3\xa9llo", 3);
    TYPE(&h, "\x1b[D\x1b[3~");
    LINE_IS(&h, "hllo", 1);
    finish(&h);
}

/* ---- long lines ---- */

static void test_long_line_scrolls_sideways(void)
{
    struct harness h;
    char text[128];
    for (int i = 0; i < 100; i++)
        text[i] = (char)('a' + i % 26);
    text[100] = 0;
    start(&h, "$ ", 1024, 20);
    TYPE(&h, text);                     /* the screen is checked after each key */
    LINE_IS(&h, text, 100);
    CHECK(h.editor.scroll > 0);
    TYPE(&h, "\x01");
    CHECK(strcmp(screen_row(&h.screen, h.screen.row), "$ abcdefghijklmnopq") == 0);
    CHECK(h.screen.column == 2);
    for (int i = 0; i < 50; i++)
        TYPE(&h, "\x1b[C");
    LINE_IS(&h, text, 50);
    TYPE(&h, "XYZ\x7f\x7f\x1b[3~");
    CHECK(h.editor.length == 100 && h.line[50] == 'X' && h.line[51] == 'z');
    for (int i = 0; i < 60; i++)
        TYPE(&h, "\x1b[D");
    LINE_IS(&h, h.line, 0);
    TYPE(&h, "\x05\x15");
    LINE_IS(&h, "", 0);
    CHECK(strcmp(screen_row(&h.screen, h.screen.row), "$") == 0);
    CHECK(h.screen.row == 0);           /* never left the prompt's row */
    finish(&h);
}

static void test_full_buffer_rings(void)
{
    struct harness h;
    start(&h, "$ ", 8, 80);
    TYPE(&h, "0123456789");
    LINE_IS(&h, "0123456", 7);
    CHECK(h.screen.bells == 3);
    CHECK(TYPE(&h, "\r") == EDITOR_ACCEPTED);
    finish(&h);
}

static void test_prompt_with_newline_and_colour(void)
{
    struct harness h;
    start(&h, "/tmp\n\x1b[1m#\x1b[0m ", 256, 30);
    TYPE(&h, "abc\x01");
    CHECK(strcmp(screen_row(&h.screen, 1), "# abc") == 0 && h.screen.column == 2);
    CHECK(strcmp(screen_row(&h.screen, 0), "/tmp") == 0);
    finish(&h);
}

/* ---- history ---- */

static void reset_history(void)
{
    /* entries cannot be removed: push 500 fresh ones, then the test's own */
    char text[32];
    for (int i = 0; i < 500; i++) {
        snprintf(text, sizeof text, "filler %d", i);
        history_add(text);
    }
}

static void test_history_add_rules(void)
{
    int before = history_count();
    history_add("");
    history_add("   ");
    CHECK(history_count() == before);
    history_add("same");
    history_add("same");
    CHECK(history_count() == (before < 500 ? before + 1 : 500));
    CHECK(strcmp(history_entry(history_count() - 1), "same") == 0);
    history_add("other");
    history_add("same");
    CHECK(strcmp(history_entry(history_count() - 1), "same") == 0);
    CHECK(strcmp(history_entry(history_count() - 2), "other") == 0);
    for (int i = 0; i < 600; i++) {
        char text[32];
        snprintf(text, sizeof text, "cmd %d", i);
        history_add(text);
    }
    CHECK(history_count() == 500);
    CHECK(strcmp(history_entry(0), "cmd 100") == 0);
    CHECK(strcmp(history_entry(499), "cmd 599") == 0);
    CHECK(history_entry(500) == NULL && history_entry(-1) == NULL);
}

static void test_history_walk_keeps_the_typed_line(void)
{
    struct harness h;
    reset_history();
    history_add("one");
    history_add("two");
    history_add("three");
    start(&h, "$ ", 256, 80);
    TYPE(&h, "draft");
    TYPE(&h, "\x1b[A");
    LINE_IS(&h, "three", 5);
    TYPE(&h, "\x1b[A");
    LINE_IS(&h, "two", 3);
    TYPE(&h, "\x1b[B");
    LINE_IS(&h, "three", 5);
    TYPE(&h, "\x1b[B");
    LINE_IS(&h, "draft", 5);
    int bells = h.screen.bells;
    TYPE(&h, "\x1b[B");
    CHECK(h.screen.bells == bells + 1);
    LINE_IS(&h, "draft", 5);
    TYPE(&h, "\x10\x10\x10");           /* Ctrl-P too */
    LINE_IS(&h, "one", 3);
    TYPE(&h, "\x0e");                   /* Ctrl-N */
    LINE_IS(&h, "two", 3);
    for (int i = 0; i < 497; i++)
        TYPE(&h, "\x1b[A");
    LINE_IS(&h, "filler 4", 8);
    bells = h.screen.bells;
    TYPE(&h, "\x1b[A\x1b[A");
    LINE_IS(&h, "filler 3", 8);         /* the oldest of 500 */
    CHECK(h.screen.bells == bells + 1);
    CHECK(TYPE(&h, "!\r") == EDITOR_ACCEPTED);
    LINE_IS(&h, "filler 3!", 9);
    finish(&h);
}

static void test_history_file(const char *scratch)
{
    char home[512], file[600];
    snprintf(home, sizeof home, "%s/home", scratch);
    mkdir(home, 0755);
    snprintf(file, sizeof file, "%s/.sh_history", home);
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(write(fd, "first\nsecond\n\nsecond\nthird\n", 27) == 27);
    close(fd);
    setenv("HOME", home, 1);
    history_load();
    int n = history_count();
    CHECK(strcmp(history_entry(n - 1), "third") == 0);
    CHECK(strcmp(history_entry(n - 2), "second") == 0);
    CHECK(strcmp(history_entry(n - 3), "first") == 0);
    history_add("fourth");
    history_save();
    fd = open(file, O_RDONLY);
    char text[256] = { 0 };
    CHECK(read(fd, text, sizeof text - 1) > 0);
    close(fd);
    CHECK(strcmp(text, "first\nsecond\n\nsecond\nthird\nfourth\n") == 0);
}

/* ---- reverse search ---- */

static void test_reverse_search(void)
{
    struct harness h;
    reset_history();
    history_add("echo hello");
    history_add("ls -l");
    history_add("echo world");
    start(&h, "$ ", 256, 80);
    TYPE(&h, "draft\x12");
    CHECK(strcmp(screen_row(&h.screen, 0), "(reverse-i-search)'': draft") == 0);
    TYPE(&h, "ho");
    CHECK(strcmp(screen_row(&h.screen, 0), "(reverse-i-search)'ho': echo world") == 0);
    LINE_IS(&h, "echo world", 2);
    TYPE(&h, " w");
    LINE_IS(&h, "echo world", 2);
    TYPE(&h, "\x7f\x7f");
    LINE_IS(&h, "echo world", 2);
    TYPE(&h, "\x12");                   /* the next older match */
    CHECK(strcmp(screen_row(&h.screen, 0), "(reverse-i-search)'ho': echo hello") == 0);
    int bells = h.screen.bells;
    TYPE(&h, "\x12");                   /* none older */
    CHECK(h.screen.bells == bells + 1);
    CHECK(strcmp(screen_row(&h.screen, 0), "(failed reverse-i-search)'ho': echo hello") == 0);
    CHECK(TYPE(&h, "\r") == EDITOR_ACCEPTED);
    LINE_IS(&h, "echo hello", 2);
    finish(&h);

    start(&h, "$ ", 256, 80);
    TYPE(&h, "draft\x12-l\x07");        /* Ctrl-G: back to the line before */
    LINE_IS(&h, "draft", 5);
    CHECK(strcmp(screen_row(&h.screen, 0), "$ draft") == 0);
    TYPE(&h, "\x15\x12" "ls\x1b[C");    /* another key ends the search on the match */
    LINE_IS(&h, "ls -l", 1);
    CHECK(strcmp(screen_row(&h.screen, 0), "$ ls -l") == 0);
    TYPE(&h, "\x1b[A");                 /* and Up goes on from it */
    LINE_IS(&h, "echo hello", 10);
    finish(&h);

    start(&h, "$ ", 256, 80);
    TYPE(&h, "\x12");                   /* an empty Ctrl-R again takes the last query */
    TYPE(&h, "\x12");
    LINE_IS(&h, "ls -l", 0);
    CHECK(TYPE(&h, "\x12" "zzz\x03") == LINE_EDITOR_INTERRUPT);
    finish(&h);
}

/* ---- completion, in a scratch tree ---- */

static void make_file(const char *dir, const char *name, int mode)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    close(fd);
    chmod(path, mode);
}

/* Types `keys` on a fresh line and expects `line` with the cursor at its end. */
#define COMPLETES(keys, expected) completes((keys), (expected), __LINE__)
static int completes(const char *keys, const char *expected, int line)
{
    struct harness h;
    start(&h, "$ ", 1024, 80);
    type_keys(&h, keys, line);
    line_is(&h, expected, strlen(expected), line);
    int bells = h.screen.bells;
    finish(&h);
    return bells;
}

static void test_file_completion(const char *tree)
{
    char keys[512], expected[512];
    snprintf(keys, sizeof keys, "cat %s/be\t", tree);
    snprintf(expected, sizeof expected, "cat %s/beta ", tree);
    CHECK(COMPLETES(keys, expected) == 0);
    snprintf(keys, sizeof keys, "cat %s/al\t", tree);         /* to the common prefix */
    snprintf(expected, sizeof expected, "cat %s/alp", tree);
    CHECK(COMPLETES(keys, expected) == 0);
    snprintf(keys, sizeof keys, "cat %s/alp\t", tree);        /* no progress: bell */
    CHECK(COMPLETES(keys, expected) == 1);
    snprintf(keys, sizeof keys, "cd %s/alpha/de\t", tree);    /* directories end in '/' */
    snprintf(expected, sizeof expected, "cd %s/alpha/deep/", tree);
    CHECK(COMPLETES(keys, expected) == 0);
    snprintf(keys, sizeof keys, "cat %s/wi\t", tree);         /* quoted as the shell reads it */
    snprintf(expected, sizeof expected, "cat %s/with\\ space ", tree);
    CHECK(COMPLETES(keys, expected) == 0);
    snprintf(keys, sizeof keys, "cat '%s/wi\t", tree);
    snprintf(expected, sizeof expected, "cat '%s/with space' ", tree);
    CHECK(COMPLETES(keys, expected) == 0);
    snprintf(keys, sizeof keys, "cat %s/zz\t", tree);         /* no match: bell */
    snprintf(expected, sizeof expected, "cat %s/zz", tree);
    CHECK(COMPLETES(keys, expected) == 1);
    snprintf(keys, sizeof keys, "cat %s/.h\t", tree);         /* dot files when asked */
    snprintf(expected, sizeof expected, "cat %s/.hidden ", tree);
    CHECK(COMPLETES(keys, expected) == 0);
    setenv("HOME", tree, 1);
    CHECK(COMPLETES("cat ~/alpha/d\t", "cat ~/alpha/deep/") == 0);   /* ~/ is $HOME */
    snprintf(keys, sizeof keys, "cat %s/beta\x01\x1b[C\x1b[C\x1b[C\t", tree);   /* only the word before the cursor */
    snprintf(expected, sizeof expected, "cat %s/beta", tree);
    struct harness h;
    start(&h, "$ ", 1024, 80);
    TYPE(&h, keys);
    CHECK(strcmp(h.line, expected) == 0 && h.editor.cursor == 3);
    finish(&h);
}

static void test_completion_listing(const char *tree)
{
    struct harness h;
    char keys[512], expected[512];
    start(&h, "$ ", 1024, 40);
    snprintf(keys, sizeof keys, "ls %s/\t", tree);
    TYPE(&h, keys);
    CHECK(h.screen.row == 0);
    TYPE(&h, "\t");                     /* the second Tab lists, in columns */
    CHECK(strcmp(screen_row(&h.screen, 1), "alpha/      beta        with space") == 0);
    CHECK(strcmp(screen_row(&h.screen, 2), "alpine.txt  bin/") == 0);
    snprintf(expected, sizeof expected, "ls %s/", tree);
    CHECK(h.screen.row == 3);           /* then the prompt and line again (the rest checked by TYPE) */
    CHECK(strncmp(screen_row(&h.screen, 3), "$ ", 2) == 0 && strcmp(h.line, expected) == 0);
    finish(&h);
}

static void test_command_completion(const char *tree)
{
    char path[600];
    snprintf(path, sizeof path, "%s/bin", tree);
    setenv("PATH", path, 1);
    CHECK(COMPLETES("myto\t", "mytool ") == 0);
    CHECK(COMPLETES("my\t", "myt") == 0);       /* mytool, mytest; myfile is not executable */
    CHECK(COMPLETES("myf\t", "myf") == 1);
    CHECK(COMPLETES("hist\t", "history ") == 0);  /* a builtin */
    CHECK(COMPLETES("ex\t", "ex") == 1);          /* exit, export */
    CHECK(COMPLETES("exp\t", "export ") == 0);
    CHECK(COMPLETES("ls | myto\t", "ls | mytool ") == 0);   /* after a pipe: a command */
    CHECK(COMPLETES("echo x; myto\t", "echo x; mytool ") == 0);
    CHECK(COMPLETES("  myte\t", "  mytest ") == 0);
    CHECK(COMPLETES("echo myto\t", "echo myto") == 1);   /* a later word is a file name */
    snprintf(path, sizeof path, "%s/bin/myt\t", tree);
    char expected[600];
    snprintf(expected, sizeof expected, "%s/bin/myt", tree);
    CHECK(COMPLETES(path, expected) == 1);               /* a path: files, the two of them */
}

/* ---- the terminal side, on a pipe: a plain line, no escape sequence ---- */

static void test_not_a_terminal_reads_plain_lines(void)
{
    int input[2], errors[2];
    CHECK(pipe(input) == 0 && pipe(errors) == 0);
    const char *typed = "hello \x1b[D world\nsecond\nlast without newline";
    CHECK(write(input[1], typed, strlen(typed)) == (ssize_t)strlen(typed));
    close(input[1]);
    int saved_in = dup(0), saved_err = dup(2);
    dup2(input[0], 0);
    dup2(errors[1], 2);
    char line[16];
    int first = line_editor_read("p> ", line, sizeof line);
    int first_ok = first == 15 && strcmp(line, "hello \x1b[D world") == 0;
    int second = line_editor_read("p> ", line, sizeof line);
    int second_ok = second == 6 && strcmp(line, "second") == 0;
    int third = line_editor_read("p> ", line, sizeof line);
    int third_ok = third == 15 && strcmp(line, "last without ne") == 0;   /* cut to size - 1 */
    int end = line_editor_read("p> ", line, sizeof line);
    dup2(saved_in, 0);
    dup2(saved_err, 2);
    close(errors[1]);
    char prompts[64] = { 0 };
    CHECK(read(errors[0], prompts, sizeof prompts - 1) == 12);
    CHECK(strcmp(prompts, "p> p> p> p> ") == 0);
    if (!CHECK(first_ok && second_ok && third_ok))
        printf("  results %d %d %d\n", first, second, third);
    CHECK(end == LINE_EDITOR_EOF);
    close(input[0]);
    close(errors[0]);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        printf("usage: line_editor_test SCRATCH-DIRECTORY\n");
        return 2;
    }
    char tree[512], sub[600];
    snprintf(tree, sizeof tree, "%s/tree", argv[1]);
    mkdir(tree, 0755);
    const char *dirs[] = { "alpha", "alpha/deep", "bin" };
    for (int i = 0; i < 3; i++) {
        snprintf(sub, sizeof sub, "%s/%s", tree, dirs[i]);
        mkdir(sub, 0755);
    }
    make_file(tree, "alpine.txt", 0644);
    make_file(tree, "beta", 0644);
    make_file(tree, "with space", 0644);
    make_file(tree, ".hidden", 0644);
    snprintf(sub, sizeof sub, "%s/bin", tree);
    make_file(sub, "mytool", 0755);
    make_file(sub, "mytest", 0755);
    make_file(sub, "myfile", 0644);

    test_typing_writes_only_the_new_bytes();
    test_moving_the_cursor();
    test_erasing();
    test_kill_and_yank();
    test_line_endings();
    test_unknown_sequences_are_swallowed();
    test_clear_screen();
    test_utf8_moves_whole_characters();
    test_long_line_scrolls_sideways();
    test_full_buffer_rings();
    test_prompt_with_newline_and_colour();
    test_history_add_rules();
    test_history_walk_keeps_the_typed_line();
    test_history_file(argv[1]);
    test_reverse_search();
    test_file_completion(tree);
    test_completion_listing(tree);
    test_command_completion(tree);
    test_not_a_terminal_reads_plain_lines();
    printf("%d checks, %d failed\n", checks, failures);
    return failures;
}
