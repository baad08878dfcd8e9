/* expand.h -- what expand.c and param.c share (user space, /bin/sh): the
 * text of a word being expanded, one flag byte beside each character.
 *   Q_QUOTED    came from quotes or a backslash: not split, not a pattern
 *   Q_EXPANDED  came from an unquoted $..., `...`: split at $IFS
 *   Q_BREAK     a field ends here ("$@" between parameters)
 *   Q_EMPTY     a quoted part was here: the field exists even if empty
 * Must stay true: a Q_BREAK or Q_EMPTY entry carries no character of the
 * result (its byte is 0 and is skipped). */
#ifndef EXPAND_H
#define EXPAND_H
#include "sh.h"

enum { Q_QUOTED = 1, Q_EXPANDED = 2, Q_BREAK = 4, Q_EMPTY = 8 };

struct xbuf {
    char *c;
    unsigned char *f;
    int length, capacity;
};

void xbuf_add(struct xbuf *x, char c, unsigned char flags);
void xbuf_add_string(struct xbuf *x, const char *s, unsigned char flags);
void xbuf_free(struct xbuf *x);
char *xbuf_plain(struct xbuf *x, int from);     /* the characters, markers skipped */
char *xbuf_pattern(struct xbuf *x, int from);   /* quoted characters escaped by '\' */

/* Expands text[0..length) into x; in_quotes: inside "..." */
void expand_into(struct xbuf *x, const char *text, int length, int in_quotes);
/* ${...} or $NAME or $special starting at p (after the '$'); returns the
 * characters consumed. saw_at: set when "$@" was expanded. */
int expand_parameter(struct xbuf *x, const char *p, int in_quotes, int *saw_at);
/* The end of a ${...}, $(...) starting at p (at the opening bracket). */
int matching_close(const char *p, char open, char close);
#endif
