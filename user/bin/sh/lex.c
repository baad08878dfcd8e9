/* lex.c -- the shell's tokenizer: text -> words and operators.
 *
 * A word runs until an unquoted blank or operator character; its quotes and
 * backslashes stay in the text for expand.c to interpret. Operators:
 * | || & && ; ! < > >> >& <&, and a digit string directly before < or >
 * is a descriptor number (2>file, 2>&1). '#' at the start of a word starts
 * a comment to the end of the line. A newline ends a command like ';' but may
 * also follow | && || (the parser skips it there). */
#include <stdlib.h>
#include <string.h>
#include "sh.h"

struct lexer {
    struct token *tokens;
    int count, capacity;
};

static void push(struct lexer *lx, enum token_type type, char *text)
{
    lx->tokens = grow(lx->tokens, &lx->capacity, lx->count, sizeof *lx->tokens);
    lx->tokens[lx->count].type = type;
    lx->tokens[lx->count].text = text;
    lx->count++;
}

/* Returns the end of the word starting at p, or NULL if a quote stays open. */
static const char *word_end(const char *p)
{
    while (*p && !strchr(" \t\n|&;<>", *p)) {
        if (*p == '\\') {
            if (!p[1])
                return NULL;
            p += 2;
        } else if (*p == '\'') {
            p = strchr(p + 1, '\'');
            if (!p)
                return NULL;
            p++;
        } else if (*p == '"') {
            for (p++; *p != '"'; p++) {
                if (!*p)
                    return NULL;
                if (*p == '\\' && p[1])
                    p++;
            }
            p++;
        } else {
            p++;
        }
    }
    return p;
}

/* Reads one operator at *p, advancing it. */
static enum token_type operator(const char **p)
{
    const char *s = *p;
    static const struct { const char *text; enum token_type type; } ops[] = {
        {"||", T_OR}, {"&&", T_AND}, {">>", T_DGREAT}, {">&", T_GREATAND},
        {"<&", T_LESSAND}, {"|", T_PIPE}, {"&", T_AMP}, {";", T_SEMI},
        {"\n", T_NEWLINE}, {"<", T_LESS}, {">", T_GREAT},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].text);
        if (strncmp(s, ops[i].text, n) == 0) {
            *p = s + n;
            return ops[i].type;
        }
    }
    return T_END;   /* not reached: the caller checked for an operator character */
}

enum lex_result lex(const char *text, struct token **tokens, int *count)
{
    struct lexer lx = {0};
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
        }
        if (!*p)
            break;
        if (strchr("|&;<>\n", *p)) {
            push(&lx, operator(&p), NULL);
            continue;
        }
        const char *end = word_end(p);
        if (!end) {
            free_tokens(lx.tokens, lx.count);
            return LEX_INCOMPLETE;
        }
        char *word = strndup(p, (size_t)(end - p));
        int digits = strspn(word, "0123456789") == strlen(word);
        enum token_type type = T_WORD;
        if (digits && (*end == '<' || *end == '>'))
            type = T_IO_NUMBER;
        else if (strcmp(word, "!") == 0)
            type = T_BANG;
        push(&lx, type, word);   /* a '!' keeps its text: inside a command it is a word */
        p = end;
    }
    push(&lx, T_END, NULL);
    *tokens = lx.tokens;
    *count = lx.count;
    return LEX_OK;
}

void free_tokens(struct token *tokens, int count)
{
    for (int i = 0; i < count; i++)
        free(tokens[i].text);
    free(tokens);
}
