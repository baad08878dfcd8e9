/* input.c -- where the shell's text comes from (user space, /bin/sh).
 *
 * A stack of sources: a descriptor (a script, or standard input), a string
 * (sh -c, eval, $(...), a trap action) or an alias's value. The lexer takes
 * one character at a time; a descriptor source is read a line at a time:
 *   - at a terminal through line_editor_read(), with the prompt $PS1 (or
 *     "CWD# ") at the start of a command and $PS2 ("> ") after that;
 *   - otherwise with read(), one byte per call when the descriptor is
 *     standard input, so a command the shell starts finds the rest of the
 *     script unread (`sh < script` where the script runs `cat`).
 * Must stay true: an alias's source pops itself at its end; every other
 * source ends with -1 until its owner pops it. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "line_editor.h"
#include "sh.h"

struct source {
    int fd;                     /* -1 for a string */
    const char *text;           /* a string source */
    size_t position;
    int interactive;
    int is_alias;
    char *alias_name;
    char *line;                 /* a descriptor source: the current line */
    size_t line_length, line_position, line_capacity;
    char block[4096];           /* a script file is read in blocks */
    int block_start, block_end;
    int at_end;
    int line_number;
    struct source *outer;
};

static struct source *current;
static int pushed_back = -1;
static int want_ps1 = 1;

void input_push_fd(int fd, int interactive)
{
    struct source *s = xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->interactive = interactive;
    s->line_number = 1;
    s->outer = current;
    current = s;
}

/* `alias_name`: the source is that alias's value (NULL otherwise). */
void input_push_string(const char *text, const char *alias_name)
{
    if (pushed_back >= 0 && current) {
        /* the character after an alias's name belongs to the outer text */
        if (current->fd < 0 && current->position > 0)
            current->position--;
        else if (current->fd >= 0 && current->line_position > 0)
            current->line_position--;
        if (pushed_back == '\n')
            current->line_number--;
        pushed_back = -1;
    }
    struct source *s = xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->text = text;
    s->is_alias = alias_name != NULL;
    s->alias_name = alias_name ? xstrdup(alias_name) : NULL;
    s->line_number = 1;
    s->outer = current;
    current = s;
}

void input_pop(void)
{
    struct source *s = current;
    if (!s)
        return;
    current = s->outer;
    free(s->line);
    free(s->alias_name);
    free(s);
    pushed_back = -1;
}

int input_interactive(void) { return current && current->interactive; }
int input_line_number(void) { return current ? current->line_number : 0; }
void input_new_command(void) { want_ps1 = 1; }

int input_alias_active(const char *name)
{
    for (struct source *s = current; s && s->is_alias; s = s->outer)
        if (strcmp(s->alias_name, name) == 0)
            return 1;
    return 0;
}

/* The prompt: $PS1, or the current directory followed by "# ". */
static char *prompt_text(void)
{
    if (!want_ps1) {
        const char *ps2 = var_get("PS2");
        return xstrdup(ps2 ? ps2 : "> ");
    }
    want_ps1 = 0;
    const char *ps1 = var_get("PS1");
    if (ps1)
        return expand_string(ps1, 0);
    char cwd[PATH_MAX];
    char *text = xmalloc(PATH_MAX + 4);
    snprintf(text, PATH_MAX + 4, "%s# ", getcwd(cwd, sizeof cwd) ? cwd : "?");
    return text;
}

static int read_byte(struct source *s)
{
    if (s->block_start == s->block_end) {
        ssize_t n;
        do
            n = read(s->fd, s->block, s->fd == 0 ? 1 : sizeof s->block);
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return -1;
        s->block_start = 0;
        s->block_end = (int)n;
    }
    return (unsigned char)s->block[s->block_start++];
}

static void line_append(struct source *s, char c)
{
    if (s->line_length + 1 >= s->line_capacity) {
        s->line_capacity = s->line_capacity ? s->line_capacity * 2 : 256;
        s->line = xrealloc(s->line, s->line_capacity);
    }
    s->line[s->line_length++] = c;
}

static int read_terminal_line(struct source *s)
{
    char text[4096];
    jobs_notify();
    char *prompt = prompt_text();
    int n = line_editor_read(prompt, text, sizeof text);
    free(prompt);
    if (n == LINE_EDITOR_INTERRUPT) {
        sh.status = 130;
        want_ps1 = 1;
        s->line_length = s->line_position = 0;
        sh_fatal(130);
    }
    if (n < 0)
        return 0;
    history_add(text);
    for (int i = 0; i < n; i++)
        line_append(s, text[i]);
    line_append(s, '\n');
    return 1;
}

/* Fills s->line with the next line of a descriptor source; 0 at the end. */
static int fill_line(struct source *s)
{
    s->line_length = s->line_position = 0;
    if (s->at_end)
        return 0;
    if (s->interactive) {
        if (!read_terminal_line(s))
            s->at_end = 1;
        return !s->at_end;
    }
    if (sh.interactive && s->fd == 0 && !sh.in_subshell) {
        /* sh -i on a pipe: prompts, but no line editor */
        jobs_notify();
        char *prompt = prompt_text();
        write(2, prompt, strlen(prompt));
        free(prompt);
    }
    int c;
    while ((c = read_byte(s)) >= 0) {
        line_append(s, (char)c);
        if (c == '\n')
            break;
    }
    if (s->line_length == 0)
        s->at_end = 1;
    else if (sh.opt_verbose)
        write(2, s->line, s->line_length);
    return s->line_length > 0;
}

int input_getc(void)
{
    if (pushed_back >= 0) {
        int c = pushed_back;
        pushed_back = -1;
        return c;
    }
    while (current) {
        struct source *s = current;
        int c = -1;
        if (s->fd < 0) {
            if (s->text && s->text[s->position])
                c = (unsigned char)s->text[s->position++];
        } else if (s->line_position < s->line_length || fill_line(s)) {
            c = (unsigned char)s->line[s->line_position++];
        }
        if (c >= 0) {
            if (c == '\n')
                s->line_number++;
            return c;
        }
        if (!s->is_alias)
            return -1;
        input_pop();
    }
    return -1;
}

void input_ungetc(int c)
{
    pushed_back = c;
}

int input_at_end(void)
{
    if (pushed_back >= 0 || !current)
        return !current;
    struct source *s = current;
    if (s->fd < 0)
        return !s->text || !s->text[s->position];
    return s->at_end && s->line_position >= s->line_length;
}

/* After an error at a terminal: the rest of the typed line is dropped. */
void input_discard_line(void)
{
    pushed_back = -1;
    while (current && current->is_alias)
        input_pop();
    if (current && current->fd >= 0)
        current->line_position = current->line_length;
    want_ps1 = 1;
}

/* Scripts are read through descriptors that a program started by the shell
 * must not inherit. */
void input_close_script_fds(void)
{
    for (struct source *s = current; s; s = s->outer)
        if (s->fd > 2)
            close(s->fd);
}
