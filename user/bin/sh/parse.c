/* parse.c -- the shell's grammar: tokens -> tree (see sh.h).
 *
 *   list      := and_or ((';' | '&') and_or)* [';' | '&']
 *   and_or    := pipeline (('&&' | '||') pipeline)*
 *   pipeline  := ['!'] command ('|' command)*
 *   command   := (WORD | redirect)+
 *   redirect  := [IO_NUMBER] ('<' | '>' | '>>' | '>&' | '<&') WORD
 *
 * Recursive descent, one function per rule. Words move from the tokens into
 * the tree (the token's text becomes NULL). Text that ends right after
 * | && || is incomplete, not wrong: the caller reads another line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

struct parser {
    struct token *tokens;
    int position;
    int incomplete;             /* ran into T_END where more was needed */
};

static struct token *peek(struct parser *ps) { return &ps->tokens[ps->position]; }

static const char *describe(struct token *t)
{
    static const char *const names[] = {
        [T_PIPE] = "|", [T_AND] = "&&", [T_OR] = "||", [T_SEMI] = ";",
        [T_NEWLINE] = "newline", [T_AMP] = "&",
        [T_BANG] = "!", [T_LESS] = "<", [T_GREAT] = ">", [T_DGREAT] = ">>",
        [T_GREATAND] = ">&", [T_LESSAND] = "<&", [T_END] = "end of line",
    };
    return t->text ? t->text : names[t->type];
}

/* Reports a syntax error at the current token; returns -1. */
static int unexpected(struct parser *ps)
{
    if (peek(ps)->type == T_END) {
        ps->incomplete = 1;
        return -1;
    }
    sh_error("syntax error near unexpected '%s'", describe(peek(ps)));
    return -1;
}

static int is_separator(enum token_type t) { return t == T_SEMI || t == T_NEWLINE; }

static void skip_newlines(struct parser *ps)
{
    while (peek(ps)->type == T_NEWLINE)
        ps->position++;
}

static int is_redirect(enum token_type t)
{
    return t == T_IO_NUMBER || t == T_LESS || t == T_GREAT || t == T_DGREAT ||
           t == T_GREATAND || t == T_LESSAND;
}

static int parse_redirect(struct parser *ps, struct command *cmd)
{
    int fd = -1;
    if (peek(ps)->type == T_IO_NUMBER)
        fd = atoi(ps->tokens[ps->position++].text);
    enum token_type op = ps->tokens[ps->position++].type;
    if (peek(ps)->type != T_WORD && peek(ps)->type != T_BANG) {
        if (peek(ps)->type == T_END)   /* "echo >" is an error, not a continuation */
            sh_error("syntax error: redirection without a target");
        else
            unexpected(ps);
        return -1;
    }
    struct redirect r;
    r.kind = op == T_LESS ? R_IN : op == T_GREAT ? R_OUT : op == T_DGREAT ? R_APPEND
           : op == T_GREATAND ? R_DUP_OUT : R_DUP_IN;
    r.fd = fd >= 0 ? fd : (r.kind == R_IN || r.kind == R_DUP_IN) ? 0 : 1;
    r.word = peek(ps)->text;
    peek(ps)->text = NULL;
    ps->position++;
    int capacity = cmd->redirect_count;
    cmd->redirects = grow(cmd->redirects, &capacity, cmd->redirect_count, sizeof r);
    cmd->redirects[cmd->redirect_count++] = r;
    return 0;
}

static int parse_command(struct parser *ps, struct command *cmd)
{
    memset(cmd, 0, sizeof *cmd);
    int word_capacity = 0;
    for (;;) {
        enum token_type t = peek(ps)->type;
        if (t == T_WORD || t == T_BANG) {
            cmd->words = grow(cmd->words, &word_capacity, cmd->word_count + 1, sizeof(char *));
            cmd->words[cmd->word_count++] = peek(ps)->text;
            cmd->words[cmd->word_count] = NULL;
            peek(ps)->text = NULL;
            ps->position++;
        } else if (is_redirect(t)) {
            if (parse_redirect(ps, cmd) < 0)
                return -1;
        } else {
            break;
        }
    }
    if (cmd->word_count == 0 && cmd->redirect_count == 0)
        return unexpected(ps);
    return 0;
}

static int parse_pipeline(struct parser *ps, struct pipeline *pl)
{
    memset(pl, 0, sizeof *pl);
    if (peek(ps)->type == T_BANG) {
        pl->negate = 1;
        ps->position++;
    }
    int capacity = 0;
    for (;;) {
        pl->commands = grow(pl->commands, &capacity, pl->count, sizeof *pl->commands);
        if (parse_command(ps, &pl->commands[pl->count]) < 0) {
            pl->count++;    /* so free_list releases the partial command */
            return -1;
        }
        pl->count++;
        if (peek(ps)->type != T_PIPE)
            return 0;
        ps->position++;
        skip_newlines(ps);
    }
}

static int parse_and_or(struct parser *ps, struct and_or *ao)
{
    memset(ao, 0, sizeof *ao);
    int capacity = 0, connector_capacity = 0;
    enum connector next = C_FIRST;
    for (;;) {
        ao->pipelines = grow(ao->pipelines, &capacity, ao->count, sizeof *ao->pipelines);
        ao->connectors = grow(ao->connectors, &connector_capacity, ao->count,
                              sizeof *ao->connectors);
        ao->connectors[ao->count] = next;
        int r = parse_pipeline(ps, &ao->pipelines[ao->count]);
        ao->count++;
        if (r < 0)
            return -1;
        enum token_type t = peek(ps)->type;
        if (t != T_AND && t != T_OR)
            return 0;
        next = t == T_AND ? C_AND : C_OR;
        ps->position++;
        skip_newlines(ps);
    }
}

static int parse_list(struct parser *ps, struct list *list)
{
    int capacity = 0;
    skip_newlines(ps);    /* blank lines inside continued text */
    while (peek(ps)->type != T_END) {
        list->entries = grow(list->entries, &capacity, list->count, sizeof *list->entries);
        struct and_or *ao = &list->entries[list->count];
        int r = parse_and_or(ps, ao);
        list->count++;
        if (r < 0)
            return -1;
        enum token_type t = peek(ps)->type;
        if (t == T_AMP)
            ao->background = 1;
        else if (!is_separator(t) && t != T_END)
            return unexpected(ps);
        if (t != T_END)
            ps->position++;
        skip_newlines(ps);
    }
    return 0;
}

enum parse_result parse(const char *text, struct list *list)
{
    struct token *tokens;
    int count;
    memset(list, 0, sizeof *list);
    if (lex(text, &tokens, &count) == LEX_INCOMPLETE)
        return PARSE_INCOMPLETE;
    struct parser ps = { tokens, 0, 0 };
    int r = parse_list(&ps, list);
    free_tokens(tokens, count);
    if (r < 0) {
        free_list(list);
        return ps.incomplete ? PARSE_INCOMPLETE : PARSE_ERROR;
    }
    return list->count ? PARSE_OK : PARSE_EMPTY;
}

static void free_command(struct command *cmd)
{
    for (int i = 0; i < cmd->word_count; i++)
        free(cmd->words[i]);
    free(cmd->words);
    for (int i = 0; i < cmd->redirect_count; i++)
        free(cmd->redirects[i].word);
    free(cmd->redirects);
}

void free_list(struct list *list)
{
    for (int i = 0; i < list->count; i++) {
        struct and_or *ao = &list->entries[i];
        for (int j = 0; j < ao->count; j++) {
            for (int k = 0; k < ao->pipelines[j].count; k++)
                free_command(&ao->pipelines[j].commands[k]);
            free(ao->pipelines[j].commands);
        }
        free(ao->pipelines);
        free(ao->connectors);
    }
    free(list->entries);
    memset(list, 0, sizeof *list);
}
