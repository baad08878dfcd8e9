/* tree.c -- the grammar tree's lifetime and its text (user space, /bin/sh).
 *
 * free_node() releases a tree and every string in it; node_text() prints a
 * command back as shell text, one line, for `jobs` and the Done/Stopped
 * notices ("sleep 100", "cat f | wc -l", "( ... )").
 * Must stay true: node_text() never fails; it abbreviates compound bodies. */
#include <stdlib.h>
#include <string.h>
#include "sh.h"

static void free_words(char **words, int count)
{
    for (int i = 0; i < count; i++)
        free(words[i]);
    free(words);
}

static void free_redirects(struct redirect *r)
{
    while (r) {
        struct redirect *next = r->next;
        free(r->word);
        free(r->heredoc);
        free(r);
        r = next;
    }
}

void free_node(struct node *n)
{
    if (!n)
        return;
    free_node(n->left);
    free_node(n->right);
    for (int i = 0; i < n->command_count; i++)
        free_node(n->commands[i]);
    free(n->commands);
    free_words(n->words, n->word_count);
    free_words(n->assignments, n->assignment_count);
    free_redirects(n->redirects);
    free_node(n->condition);
    free_node(n->body);
    free_node(n->else_part);
    free(n->name);
    for (struct case_item *c = n->cases; c;) {
        struct case_item *next = c->next;
        free_words(c->patterns, c->pattern_count);
        free_node(c->body);
        free(c);
        c = next;
    }
    free(n);
}

static void text_of(struct node *n, struct buffer *b);

static void text_redirects(struct redirect *r, struct buffer *b)
{
    static const char *ops[] = { "<", ">", ">>", ">|", "<>", "<&", ">&", "<<" };
    for (; r; r = r->next) {
        int default_fd = r->kind == R_IN || r->kind == R_RDWR || r->kind == R_DUP_IN ||
                         r->kind == R_HEREDOC ? 0 : 1;
        buffer_add(b, ' ');
        if (r->fd != default_fd) {
            char digits[12];
            int i = 0, fd = r->fd;
            do digits[i++] = (char)('0' + fd % 10); while ((fd /= 10) > 0);
            while (i > 0)
                buffer_add(b, digits[--i]);
        }
        buffer_add_string(b, ops[r->kind]);
        buffer_add_string(b, r->word);
    }
}

static void text_binary(struct node *n, const char *op, struct buffer *b)
{
    text_of(n->left, b);
    buffer_add_string(b, op);
    text_of(n->right, b);
}

static void text_of(struct node *n, struct buffer *b)
{
    if (!n)
        return;
    switch (n->type) {
    case N_SIMPLE:
        for (int i = 0; i < n->assignment_count; i++) {
            if (i) buffer_add(b, ' ');
            buffer_add_string(b, n->assignments[i]);
        }
        for (int i = 0; i < n->word_count; i++) {
            if (i || n->assignment_count) buffer_add(b, ' ');
            buffer_add_string(b, n->words[i]);
        }
        break;
    case N_PIPE:
        for (int i = 0; i < n->command_count; i++) {
            if (i) buffer_add_string(b, " | ");
            text_of(n->commands[i], b);
        }
        break;
    case N_AND: text_binary(n, " && ", b); break;
    case N_OR: text_binary(n, " || ", b); break;
    case N_SEQ: text_binary(n, "; ", b); break;
    case N_NOT: buffer_add_string(b, "! "); text_of(n->left, b); break;
    case N_BACKGROUND: text_of(n->left, b); buffer_add_string(b, " &"); break;
    case N_SUBSHELL: buffer_add_string(b, "( "); text_of(n->left, b); buffer_add_string(b, " )"); break;
    case N_GROUP: buffer_add_string(b, "{ "); text_of(n->left, b); buffer_add_string(b, "; }"); break;
    case N_IF: buffer_add_string(b, "if ...; fi"); break;
    case N_WHILE: buffer_add_string(b, "while ...; done"); break;
    case N_UNTIL: buffer_add_string(b, "until ...; done"); break;
    case N_FOR: buffer_add_string(b, "for "); buffer_add_string(b, n->name); buffer_add_string(b, " ...; done"); break;
    case N_CASE: buffer_add_string(b, "case "); buffer_add_string(b, n->name); buffer_add_string(b, " in ... esac"); break;
    case N_FUNCTION: buffer_add_string(b, n->name); buffer_add_string(b, "() ..."); break;
    }
    if (n->type != N_PIPE && n->type != N_AND && n->type != N_OR && n->type != N_SEQ)
        text_redirects(n->redirects, b);
}

char *node_text(struct node *n)
{
    struct buffer b = { 0 };
    text_of(n, &b);
    return buffer_finish(&b);
}
