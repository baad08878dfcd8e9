/* lex.c -- the shell's tokens (user space, /bin/sh; POSIX XCU 2.3).
 *
 * Reads characters from input.c and returns one token at a time: an
 * operator, a newline, an IO_NUMBER (digits right before < or >), or a
 * word. A word is kept raw -- quotes, backslashes, $(...), `...`, ${...}
 * and $((...)) stay in its text, for expand.c -- but the lexer finds where
 * each of them ends, so the word is delimited right. Backslash-newline is
 * removed outside single quotes. After a newline token the bodies of the
 * here-documents queued on that line are read (XCU 2.7.4).
 * Must stay true: reserved words are not recognised here (the parser does,
 * where the grammar allows them); a comment runs to the end of the line. */
#include <stdlib.h>
#include <string.h>
#include "sh.h"

static struct redirect *pending_heredocs[64];
static int pending_count;

static void unexpected_end(void)
{
    sh_error("syntax error: unexpected end of file");
    sh_fatal(2);
}

static void scan_dollar(struct buffer *b);

static void scan_backslash(struct buffer *b)
{
    int c = input_getc();
    if (c == '\n')
        return;   /* line continuation */
    buffer_add(b, '\\');
    if (c >= 0)
        buffer_add(b, (char)c);
}

static void scan_single_quotes(struct buffer *b)
{
    buffer_add(b, '\'');
    int c;
    while ((c = input_getc()) != '\'') {
        if (c < 0)
            unexpected_end();
        buffer_add(b, (char)c);
    }
    buffer_add(b, '\'');
}

static void scan_backquote(struct buffer *b)
{
    buffer_add(b, '`');
    int c;
    while ((c = input_getc()) != '`') {
        if (c < 0)
            unexpected_end();
        buffer_add(b, (char)c);
        if (c == '\\') {
            c = input_getc();
            if (c < 0)
                unexpected_end();
            buffer_add(b, (char)c);
        }
    }
    buffer_add(b, '`');
}

static void scan_double_quotes(struct buffer *b)
{
    buffer_add(b, '"');
    int c;
    while ((c = input_getc()) != '"') {
        if (c < 0)
            unexpected_end();
        if (c == '\\')
            scan_backslash(b);
        else if (c == '$')
            scan_dollar(b);
        else if (c == '`')
            scan_backquote(b);
        else
            buffer_add(b, (char)c);
    }
    buffer_add(b, '"');
}

/* The word that ends at the end of b, starting at `start`, is `word`. */
static int word_is(struct buffer *b, int start, const char *word)
{
    int n = (int)strlen(word);
    return b->length - start == n && strncmp(b->data + start, word, (size_t)n) == 0;
}

/* Copies up to the `close` that balances the one just read. Inside $(...)
 * a `case` ... `esac` is followed, so that its patterns' ')' do not end
 * the substitution. */
static void scan_nested(struct buffer *b, char open, char close)
{
    int depth = 1, c, cases = 0, word_start = b->length;
    while (depth > 0) {
        c = input_getc();
        if (c < 0)
            unexpected_end();
        if (open == '(' && strchr(" \t\n;&|()", c)) {
            if (word_is(b, word_start, "case"))
                cases++;
            else if (word_is(b, word_start, "esac") && cases > 0)
                cases--;
            word_start = b->length + 1;
        }
        if (c == ')' && open == '(' && depth == 1 && cases > 0) {
            buffer_add(b, (char)c);   /* a case pattern's end */
            continue;
        }
        if (c == '\'' && open == '(') { scan_single_quotes(b); continue; }
        if (c == '"') { scan_double_quotes(b); continue; }
        if (c == '\\') { scan_backslash(b); continue; }
        if (c == '`') { scan_backquote(b); continue; }
        if (c == '$') { scan_dollar(b); continue; }
        if (c == open)
            depth++;
        else if (c == close)
            depth--;
        buffer_add(b, (char)c);
    }
}

static void scan_dollar(struct buffer *b)
{
    buffer_add(b, '$');
    int c = input_getc();
    if (c == '(') {
        buffer_add(b, '(');
        scan_nested(b, '(', ')');
    } else if (c == '{') {
        buffer_add(b, '{');
        scan_nested(b, '{', '}');
    } else if (c >= 0) {
        input_ungetc(c);
    }
}

static int is_delimiter(int c)
{
    return c < 0 || strchr(" \t\n;&|<>()", c) != NULL;
}

/* Reads one word (the first character already read is c). */
static char *scan_word(int c, int *quoted)
{
    struct buffer b = { 0 };
    *quoted = 0;
    for (; !is_delimiter(c); c = input_getc()) {
        if (c == '\\') {
            *quoted = 1;
            scan_backslash(&b);
        } else if (c == '\'') {
            *quoted = 1;
            scan_single_quotes(&b);
        } else if (c == '"') {
            *quoted = 1;
            scan_double_quotes(&b);
        } else if (c == '`') {
            scan_backquote(&b);
        } else if (c == '$') {
            scan_dollar(&b);
        } else {
            buffer_add(&b, (char)c);
        }
    }
    if (c >= 0)
        input_ungetc(c);
    return buffer_finish(&b);
}

static enum token operator(int c)
{
    int n = input_getc();
    switch (c) {
    case '&': if (n == '&') return T_AND; break;
    case '|': if (n == '|') return T_OR; break;
    case ';': if (n == ';') return T_DSEMI; break;
    case '>':
        if (n == '>') return T_DGREAT;
        if (n == '&') return T_GREATAND;
        if (n == '|') return T_CLOBBER;
        break;
    case '<':
        if (n == '<') {
            int m = input_getc();
            if (m == '-') return T_DLESSDASH;
            if (m >= 0) input_ungetc(m);
            return T_DLESS;
        }
        if (n == '&') return T_LESSAND;
        if (n == '>') return T_LESSGREAT;
        break;
    }
    if (n >= 0)
        input_ungetc(n);
    switch (c) {
    case '&': return T_AMP;
    case '|': return T_PIPE;
    case ';': return T_SEMI;
    case '>': return T_GREAT;
    case '<': return T_LESS;
    case '(': return T_LPAREN;
    default: return T_RPAREN;
    }
}

void lex_next(struct lexer_token *token)
{
    int c;
    token->text = NULL;
    token->quoted = 0;
    for (;;) {
        c = input_getc();
        if (c == ' ' || c == '\t')
            continue;
        if (c == '\\') {
            int n = input_getc();
            if (n == '\n')
                continue;
            if (n >= 0)
                input_ungetc(n);
        }
        break;
    }
    if (c == '#') {
        while ((c = input_getc()) >= 0 && c != '\n')
            ;
    }
    if (c < 0) {
        token->type = T_EOF;
        return;
    }
    if (c == '\n') {
        token->type = T_NEWLINE;
        lex_read_heredocs();
        return;
    }
    if (strchr(";&|<>()", c)) {
        token->type = operator(c);
        return;
    }
    token->text = scan_word(c, &token->quoted);
    token->type = T_WORD;
    if (!token->quoted && strspn(token->text, "0123456789") == strlen(token->text)) {
        int n = input_getc();
        if (n == '<' || n == '>')
            token->type = T_IO_NUMBER;
        if (n >= 0)
            input_ungetc(n);
    }
}

void lex_queue_heredoc(struct redirect *r)
{
    if (pending_count < (int)(sizeof pending_heredocs / sizeof pending_heredocs[0]))
        pending_heredocs[pending_count++] = r;
}

int lex_heredocs_pending(void) { return pending_count; }

/* The delimiter with its quotes removed. */
static char *heredoc_delimiter(const char *word, int *quoted)
{
    struct buffer b = { 0 };
    *quoted = 0;
    for (const char *p = word; *p; p++) {
        if (*p == '\'' || *p == '"') {
            *quoted = 1;
        } else if (*p == '\\' && p[1]) {
            *quoted = 1;
            buffer_add(&b, *++p);
        } else {
            buffer_add(&b, *p);
        }
    }
    return buffer_finish(&b);
}

static void read_heredoc(struct redirect *r)
{
    char *delimiter = heredoc_delimiter(r->word, &r->heredoc_quoted);
    struct buffer body = { 0 };
    for (;;) {
        struct buffer line = { 0 };
        int c;
        while ((c = input_getc()) >= 0 && c != '\n') {
            if (c == '\t' && r->strip_tabs && line.length == 0)
                continue;
            buffer_add(&line, (char)c);
        }
        char *text = buffer_finish(&line);
        int done = strcmp(text, delimiter) == 0 || (c < 0 && !*text);
        if (!done) {
            buffer_add_string(&body, text);
            buffer_add(&body, '\n');
        }
        free(text);
        if (done || c < 0)
            break;
    }
    free(delimiter);
    r->heredoc = buffer_finish(&body);
}

void lex_read_heredocs(void)
{
    for (int i = 0; i < pending_count; i++)
        read_heredoc(pending_heredocs[i]);
    pending_count = 0;
}

void lex_forget_heredocs(void) { pending_count = 0; }

const char *token_name(enum token t)
{
    static const char *names[] = { "word", "number", "newline", "end of file", ";", ";;", "&",
                                   "&&", "|", "||", "(", ")", "<", ">", "<<", "<<-", ">>",
                                   "<&", ">&", "<>", ">|" };
    return names[t];
}
