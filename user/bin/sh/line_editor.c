/* line_editor.c -- the line editor's terminal side (line_editor.h): puts
 * descriptor 0 in raw mode, feeds the bytes it reads to the editor's core
 * (editor_core.c) and writes what the core draws to standard error.
 *
 * Raw mode here: no ICANON, ECHO, ISIG, IEXTEN, ICRNL (Ctrl-C and Enter
 * arrive as bytes and the core gives them their meaning), VMIN=1 VTIME=0;
 * output processing (OPOST) is left as it was. The settings found are put
 * back before returning, whatever the outcome. Bytes are read one at a
 * time, so nothing typed after Enter is taken from the programs the shell
 * starts next; the output of one key goes out in one write().
 * When descriptor 0 is not a terminal (tcgetattr fails), or the terminal
 * refuses raw mode, a plain line is read and no escape sequence written.
 * The width comes from TIOCGWINSZ (80 without it), asked again after a
 * signal interrupted the read (a shell's SIGWINCH handler).
 * Must stay true: every return path restores the terminal settings. */
#include <errno.h>
#include <sys/ioctl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "editor_core.h"
#include "line_editor.h"

static void write_all(int fd, const char *bytes, size_t length)
{
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return;
        bytes += written;
        length -= (size_t)written;
    }
}

static int terminal_columns(void)
{
    struct winsize size;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 80;
}

/* Not a terminal: the prompt, then bytes up to a newline (the rest of a
 * line longer than the buffer is read and dropped). */
static int read_plain_line(const char *prompt, char *line, size_t size)
{
    size_t length = 0;
    int got_any = 0;
    write_all(STDERR_FILENO, prompt, strlen(prompt));
    for (;;) {
        char c;
        ssize_t n = read(STDIN_FILENO, &c, 1);
        if (n < 0 && errno == EINTR)
            return LINE_EDITOR_INTERRUPT;
        if (n <= 0) {
            if (!got_any)
                return LINE_EDITOR_EOF;
            break;
        }
        got_any = 1;
        if (c == '\n')
            break;
        if (length + 1 < size)
            line[length++] = c;
    }
    line[length] = 0;
    return (int)length;
}

/* 0, or -1 when the terminal refuses the change (then no editing). */
static int enter_raw_mode(const struct termios *saved)
{
    struct termios raw = *saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    return tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
}

static void flush_output(struct editor *editor)
{
    size_t length;
    const char *bytes = editor_output_take(editor, &length);
    if (length)
        write_all(STDERR_FILENO, bytes, length);
}

static void adopt_new_width(struct editor *editor)
{
    int columns = terminal_columns();
    if (columns != editor->columns) {
        editor->columns = columns;
        editor_refresh(editor);
    }
}

int line_editor_read(const char *prompt, char *line, size_t size)
{
    if (size == 0)
        return LINE_EDITOR_EOF;
    struct termios saved;
    if (tcgetattr(STDIN_FILENO, &saved) != 0 || enter_raw_mode(&saved) != 0)
        return read_plain_line(prompt, line, size);
    struct editor editor;
    editor_begin(&editor, prompt, line, size, terminal_columns());
    int result = EDITOR_READING;
    while (result == EDITOR_READING) {
        flush_output(&editor);
        unsigned char byte;
        ssize_t n = read(STDIN_FILENO, &byte, 1);
        if (n < 0 && errno == EINTR) {
            adopt_new_width(&editor);   /* a signal's handler ran: SIGWINCH, SIGCHLD */
            continue;
        }
        if (n <= 0) {
            result = LINE_EDITOR_EOF;   /* hang-up or read error */
            break;
        }
        result = editor_feed(&editor, byte);
    }
    flush_output(&editor);
    editor_end(&editor);
    tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
    return result == EDITOR_ACCEPTED ? (int)editor.length : result;
}
