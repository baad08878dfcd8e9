/* parse.c -- the shell's grammar (user space, /bin/sh; POSIX XCU 2.9, 2.10).
 *
 * Recursive descent over lex.c's tokens, one token of look-ahead:
 *   list      and_or ((';' | '&' | newline) and_or)*
 *   and_or    pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline  ['!'] command ('|' linebreak command)*
 *   command   simple | compound redirect* | NAME '(' ')' linebreak command
 *   compound  { list } | ( list ) | if | while | until | for | case
 * Reserved words are recognised only where a command can start (and `in`,
 * `do` where their constructs expect them). Aliases are replaced at the
 * start of a command by pushing their value as input.
 * Must stay true: at the top level a command line ends at its newline, so
 * the shell runs each line before reading the next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

void lex_forget_heredocs(void);

static struct lexer_token look;
static int have_look;

static struct lexer_token *peek(void)
{
    if (!have_look) {
        lex_next(&look);
        have_look = 1;
    }
    return &look;
}

static void consume(void)
{
    have_look = 0;
}

static struct node *new_node(enum node_type type)
{
    struct node *n = xmalloc(sizeof *n);
    memset(n, 0, sizeof *n);
    n->type = type;
    n->line = input_line_number();
    return n;
}

_Noreturn static void syntax_error(void)
{
    struct lexer_token *t = peek();
    if (t->type == T_EOF)
        sh_error("syntax error: unexpected end of file");
    else if (t->type == T_WORD)
        sh_error("syntax error near unexpected '%s'", t->text);
    else
        sh_error("syntax error near unexpected '%s'", token_name(t->type));
    have_look = 0;
    lex_forget_heredocs();
    sh_fatal(2);
}

static int is_word(const char *text)
{
    struct lexer_token *t = peek();
    return t->type == T_WORD && !t->quoted && strcmp(t->text, text) == 0;
}

static void expect_word(const char *text)
{
    if (!is_word(text))
        syntax_error();
    free(look.text);
    consume();
}

static int accept(enum token type)
{
    if (peek()->type != type)
        return 0;
    consume();
    return 1;
}

static void linebreak(void)
{
    while (accept(T_NEWLINE))
        ;
}

static int is_reserved(const char *s)
{
    static const char *words[] = { "if", "then", "else", "elif", "fi", "do", "done", "case",
                                   "esac", "while", "until", "for", "{", "}", "!", "in", NULL };
    for (int i = 0; words[i]; i++)
        if (strcmp(s, words[i]) == 0)
            return 1;
    return 0;
}

/* Words that end a list inside a compound command. */
static int at_list_end(void)
{
    struct lexer_token *t = peek();
    if (t->type == T_EOF || t->type == T_RPAREN || t->type == T_DSEMI)
        return 1;
    if (t->type != T_WORD || t->quoted)
        return 0;
    static const char *enders[] = { "then", "else", "elif", "fi", "do", "done", "esac", "}", NULL };
    for (int i = 0; enders[i]; i++)
        if (strcmp(t->text, enders[i]) == 0)
            return 1;
    return 0;
}

static struct node *parse_list(int compound);
static struct node *parse_command(void);

static void add_word(char ***array, int *count, char *word)
{
    *array = xrealloc(*array, sizeof(char *) * (size_t)(*count + 2));
    (*array)[(*count)++] = word;
    (*array)[*count] = NULL;
}

/* A redirection, if the next tokens are one; appended to *list. */
static int parse_redirect(struct redirect **list)
{
    struct lexer_token *t = peek();
    int fd = -1;
    if (t->type == T_IO_NUMBER) {
        fd = atoi(t->text);
        free(t->text);
        consume();
        t = peek();
    }
    static const struct { enum token token; enum redirect_kind kind; int fd; } map[] = {
        { T_LESS, R_IN, 0 }, { T_GREAT, R_OUT, 1 }, { T_DGREAT, R_APPEND, 1 },
        { T_CLOBBER, R_CLOBBER, 1 }, { T_LESSGREAT, R_RDWR, 0 }, { T_LESSAND, R_DUP_IN, 0 },
        { T_GREATAND, R_DUP_OUT, 1 }, { T_DLESS, R_HEREDOC, 0 }, { T_DLESSDASH, R_HEREDOC, 0 },
    };
    int i, n = sizeof map / sizeof map[0];
    for (i = 0; i < n && map[i].token != t->type; i++)
        ;
    if (i == n) {
        if (fd >= 0)
            syntax_error();
        return 0;
    }
    struct redirect *r = xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    r->kind = map[i].kind;
    r->fd = fd >= 0 ? fd : map[i].fd;
    r->strip_tabs = t->type == T_DLESSDASH;
    consume();
    if (peek()->type != T_WORD)
        syntax_error();
    r->word = look.text;
    consume();
    if (r->kind == R_HEREDOC)
        lex_queue_heredoc(r);
    while (*list)
        list = &(*list)->next;
    *list = r;
    return 1;
}

static void parse_redirects(struct node *n)
{
    while (parse_redirect(&n->redirects))
        ;
}

/* An alias whose value ends in a blank: the word after it is looked up
 * as an alias too (XCU 2.3.1). */
static char after_blank_alias[256];

/* Replaces an alias at the start of a command; 1 if it did. */
static int expand_alias(void)
{
    struct lexer_token *t = peek();
    if (t->type != T_WORD || t->quoted)
        return 0;
    const char *value = alias_get(t->text);
    if (!value || input_alias_active(t->text))
        return 0;
    size_t length = strlen(value);
    after_blank_alias[0] = 0;
    if (length && (value[length - 1] == ' ' || value[length - 1] == '\t'))
        snprintf(after_blank_alias, sizeof after_blank_alias, "%s", t->text);
    input_push_string(value, t->text);
    free(t->text);
    consume();
    return 1;
}

static struct node *parse_simple(void)
{
    struct node *n = new_node(N_SIMPLE);
    for (;;) {
        if (parse_redirect(&n->redirects))
            continue;
        struct lexer_token *t = peek();
        if (t->type != T_WORD)
            break;
        if (after_blank_alias[0] && n->word_count > 0 && !input_alias_active(after_blank_alias)) {
            after_blank_alias[0] = 0;
            if (expand_alias())
                continue;
        }
        if (n->word_count == 0 && is_assignment(t->text))
            add_word(&n->assignments, &n->assignment_count, t->text);
        else
            add_word(&n->words, &n->word_count, t->text);
        consume();
        if (n->word_count == 1 && n->assignment_count == 0 && peek()->type == T_LPAREN)
            return n;   /* a function definition: the caller sees the '(' */
    }
    if (!n->word_count && !n->assignment_count && !n->redirects)
        syntax_error();
    return n;
}

static struct node *parse_compound_list(void)
{
    linebreak();
    struct node *n = parse_list(1);
    if (!n)
        syntax_error();
    return n;
}

static struct node *parse_if(void)
{
    struct node *n = new_node(N_IF);
    n->condition = parse_compound_list();
    expect_word("then");
    n->body = parse_compound_list();
    if (is_word("elif")) {
        free(look.text);
        consume();
        n->else_part = parse_if();
        return n;
    }
    if (is_word("else")) {
        free(look.text);
        consume();
        n->else_part = parse_compound_list();
    }
    expect_word("fi");
    return n;
}

static struct node *parse_do_group(void)
{
    expect_word("do");
    struct node *body = parse_compound_list();
    expect_word("done");
    return body;
}

static struct node *parse_loop(enum node_type type)
{
    struct node *n = new_node(type);
    n->condition = parse_compound_list();
    n->body = parse_do_group();
    return n;
}

static struct node *parse_for(void)
{
    struct node *n = new_node(N_FOR);
    if (peek()->type != T_WORD || !is_name(look.text, strlen(look.text)))
        syntax_error();
    n->name = look.text;
    consume();
    linebreak();
    if (is_word("in")) {
        free(look.text);
        consume();
        n->has_in = 1;
        while (peek()->type == T_WORD) {
            add_word(&n->words, &n->word_count, look.text);
            consume();
        }
        if (!accept(T_SEMI) && !accept(T_NEWLINE))
            syntax_error();
    } else {
        accept(T_SEMI);
    }
    linebreak();
    n->body = parse_do_group();
    return n;
}

static struct case_item *parse_case_item(void)
{
    struct case_item *item = xmalloc(sizeof *item);
    memset(item, 0, sizeof *item);
    accept(T_LPAREN);
    for (;;) {
        if (peek()->type != T_WORD)
            syntax_error();
        add_word(&item->patterns, &item->pattern_count, look.text);
        consume();
        if (!accept(T_PIPE))
            break;
    }
    if (!accept(T_RPAREN))
        syntax_error();
    linebreak();
    if (!is_word("esac") && peek()->type != T_DSEMI)
        item->body = parse_list(1);
    if (!accept(T_DSEMI) && !is_word("esac"))
        syntax_error();
    linebreak();
    return item;
}

static struct node *parse_case(void)
{
    struct node *n = new_node(N_CASE);
    if (peek()->type != T_WORD)
        syntax_error();
    n->name = look.text;
    consume();
    linebreak();
    expect_word("in");
    linebreak();
    struct case_item **tail = &n->cases;
    while (!is_word("esac")) {
        *tail = parse_case_item();
        tail = &(*tail)->next;
    }
    expect_word("esac");
    return n;
}

/* A compound command whose reserved word (or '(') was just consumed. */
static struct node *parse_compound(const char *word)
{
    struct node *n;
    if (!word) {
        n = new_node(N_SUBSHELL);
        n->left = parse_compound_list();
        if (!accept(T_RPAREN))
            syntax_error();
    } else if (strcmp(word, "{") == 0) {
        n = new_node(N_GROUP);
        n->left = parse_compound_list();
        expect_word("}");
    } else if (strcmp(word, "if") == 0) {
        n = parse_if();
    } else if (strcmp(word, "while") == 0) {
        n = parse_loop(N_WHILE);
    } else if (strcmp(word, "until") == 0) {
        n = parse_loop(N_UNTIL);
    } else if (strcmp(word, "for") == 0) {
        n = parse_for();
    } else {
        n = parse_case();
    }
    parse_redirects(n);
    return n;
}

static struct node *parse_function(struct node *simple)
{
    consume();   /* ( */
    if (!accept(T_RPAREN))
        syntax_error();
    struct node *n = new_node(N_FUNCTION);
    n->name = simple->words[0];
    simple->words[0] = NULL;
    simple->word_count = 0;
    free_node(simple);
    linebreak();
    n->left = parse_command();
    if (n->left->type == N_SIMPLE)
        syntax_error();
    return n;
}

static struct node *parse_command(void)
{
    while (expand_alias())
        ;
    struct lexer_token *t = peek();
    if (t->type == T_LPAREN) {
        consume();
        return parse_compound(NULL);
    }
    if (t->type == T_WORD && !t->quoted) {
        static const char *starters[] = { "{", "if", "while", "until", "for", "case", NULL };
        for (int i = 0; starters[i]; i++) {
            if (strcmp(t->text, starters[i]) == 0) {
                char *word = t->text;
                consume();
                struct node *n = parse_compound(word);
                free(word);
                return n;
            }
        }
        if (is_reserved(t->text))
            syntax_error();
    }
    struct node *n = parse_simple();
    if (n->word_count == 1 && peek()->type == T_LPAREN)
        return parse_function(n);
    return n;
}

static struct node *parse_pipeline(void)
{
    int negate = 0;
    while (is_word("!")) {
        free(look.text);
        consume();
        negate = !negate;
    }
    struct node *first = parse_command();
    struct node *n = first;
    if (peek()->type == T_PIPE) {
        n = new_node(N_PIPE);
        add_word((char ***)&n->commands, &n->command_count, (char *)first);
        while (accept(T_PIPE)) {
            linebreak();
            add_word((char ***)&n->commands, &n->command_count, (char *)parse_command());
        }
    }
    if (negate) {
        struct node *not = new_node(N_NOT);
        not->left = n;
        n = not;
    }
    return n;
}

static struct node *parse_and_or(void)
{
    struct node *left = parse_pipeline();
    for (;;) {
        enum token t = peek()->type;
        if (t != T_AND && t != T_OR)
            return left;
        consume();
        linebreak();
        struct node *n = new_node(t == T_AND ? N_AND : N_OR);
        n->left = left;
        n->right = parse_pipeline();
        left = n;
    }
}

static struct node *sequence(struct node *list, struct node *next)
{
    if (!list)
        return next;
    struct node *n = new_node(N_SEQ);
    n->left = list;
    n->right = next;
    return n;
}

/* compound: newlines separate commands too, and the list ends at a
 * reserved word that closes its construct. */
static struct node *parse_list(int compound)
{
    struct node *list = NULL;
    for (;;) {
        if (compound)
            linebreak();
        if (compound ? at_list_end() : (peek()->type == T_NEWLINE || peek()->type == T_EOF))
            return list;
        struct node *n = parse_and_or();
        if (accept(T_AMP)) {
            struct node *bg = new_node(N_BACKGROUND);
            bg->left = n;
            n = bg;
        } else if (!accept(T_SEMI)) {
            list = sequence(list, n);
            enum token t = peek()->type;
            if (t == T_NEWLINE && compound)
                continue;
            if (t != T_NEWLINE && t != T_EOF && !(compound && at_list_end()))
                syntax_error();
            return list;
        }
        list = sequence(list, n);
    }
}

struct node *parse_command_line(int *at_end)
{
    have_look = 0;
    *at_end = 0;
    struct node *n = parse_list(0);
    if (peek()->type == T_EOF)
        *at_end = 1;
    have_look = 0;   /* the newline (or end) is consumed */
    return n;
}

struct node *parse_string(const char *text)
{
    struct lexer_token saved = look;
    int saved_have = have_look;
    have_look = 0;
    input_push_string(text, NULL);
    struct node *list = NULL;
    int at_end = 0;
    while (!at_end) {
        struct node *n = parse_command_line(&at_end);
        if (n)
            list = sequence(list, n);
    }
    input_pop();
    look = saved;
    have_look = saved_have;
    return list;
}
