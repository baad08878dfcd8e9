/* editor_search.c -- the line editor's reverse incremental search (Ctrl-R),
 * as in readline: the prompt becomes (reverse-i-search)'query': and the
 * line shows the newest history entry holding the query, with the cursor
 * at the match. Typing extends the query, Backspace shortens it, Ctrl-R
 * again finds the next older entry (on an empty query it takes the last
 * search's query), Enter accepts the line, Ctrl-G puts back the line from
 * before the search, and any other key (Ctrl-C too) ends the search on the
 * match and then does what it does outside the search.
 * Must stay true: while `active`, the editor's prompt is search.prompt and
 * the original one is kept in saved_prompt_*. */
#include <stdlib.h>
#include <string.h>
#include "editor_core.h"
#include "line_editor.h"

static char last_query[128];

static void show_search(struct editor *e)
{
    struct editor_search *s = &e->search;
    size_t room = sizeof s->prompt - 8;
    size_t shown = s->query_length < room - 30 ? s->query_length : room - 30;
    strcpy(s->prompt, s->failed ? "(failed reverse-i-search)'" : "(reverse-i-search)'");
    strncat(s->prompt, s->query, shown);
    strcat(s->prompt, "': ");
    e->prompt_last_line = s->prompt;
    e->prompt_width = text_width(s->prompt, strlen(s->prompt));
    editor_refresh(e);
}

/* The newest entry at or before `from` holding the query; shows it. */
static int find_match(struct editor *e, int from)
{
    struct editor_search *s = &e->search;
    s->query[s->query_length] = 0;
    for (int index = from; index >= 0; index--) {
        const char *entry = history_entry(index);
        const char *found = entry ? strstr(entry, s->query) : NULL;
        if (found) {
            s->match_index = index;
            s->match_offset = (size_t)(found - entry);
            editor_set_line(e, entry, s->match_offset);
            s->failed = 0;
            return 1;
        }
    }
    s->failed = 1;
    return 0;
}

void search_start(struct editor *e)
{
    struct editor_search *s = &e->search;
    search_reset(e);
    s->active = 1;
    s->original_line = strdup(e->line);
    s->original_cursor = e->cursor;
    s->match_index = -1;
    s->saved_prompt_last_line = e->prompt_last_line;
    s->saved_prompt_width = e->prompt_width;
    show_search(e);
}

/* Frees what a search held (also when none is active). */
void search_reset(struct editor *e)
{
    free(e->search.original_line);
    e->search.original_line = NULL;
    e->search.active = 0;
    e->search.query_length = 0;
    e->search.failed = 0;
}

/* Back to the normal prompt, on the match; history walking goes on from it. */
static void end_search(struct editor *e, int restore_original)
{
    struct editor_search *s = &e->search;
    if (restore_original && s->original_line)
        editor_set_line(e, s->original_line, s->original_cursor);
    else if (s->match_index >= 0) {
        if (e->history_index >= history_count() && s->original_line) {
            free(e->typed_line);
            e->typed_line = strdup(s->original_line);
        }
        e->history_index = s->match_index;
    }
    if (s->query_length) {
        memcpy(last_query, s->query, s->query_length);
        last_query[s->query_length] = 0;
    }
    e->prompt_last_line = s->saved_prompt_last_line;
    e->prompt_width = s->saved_prompt_width;
    search_reset(e);
    editor_refresh(e);
}

static int newest_index(const struct editor *e)
{
    int count = history_count();
    return e->history_index < count ? e->history_index : count - 1;
}

static void search_again(struct editor *e)
{
    struct editor_search *s = &e->search;
    if (s->query_length == 0 && last_query[0]) {
        s->query_length = strlen(last_query);
        memcpy(s->query, last_query, s->query_length + 1);
        if (!find_match(e, newest_index(e)))
            editor_bell(e);
    } else if (s->query_length && !find_match(e, (s->match_index >= 0 ? s->match_index : newest_index(e) + 1) - 1)) {
        editor_bell(e);
    }
    show_search(e);
}

static void shorten_query(struct editor *e)
{
    struct editor_search *s = &e->search;
    if (s->query_length == 0) {
        editor_bell(e);
        return;
    }
    s->query_length--;
    if (s->query_length == 0) {
        editor_set_line(e, s->original_line ? s->original_line : "", s->original_cursor);
        s->match_index = -1;
        s->failed = 0;
    } else {
        find_match(e, newest_index(e));
    }
    show_search(e);
}

int search_handle_key(struct editor *e, int key)
{
    struct editor_search *s = &e->search;
    if (key == CTRL('R')) {
        search_again(e);
    } else if (key == KEY_BACKSPACE || key == CTRL('H')) {
        shorten_query(e);
    } else if (key == CTRL('G')) {
        end_search(e, 1);
    } else if (key >= 0x20 && key <= 0xff) {
        if (s->query_length + 1 >= sizeof s->query) {
            editor_bell(e);
            return 1;
        }
        s->query[s->query_length++] = (char)key;
        if (!find_match(e, s->match_index >= 0 ? s->match_index : newest_index(e)))
            editor_bell(e);
        show_search(e);
    } else {
        end_search(e, 0);
        return 0;                       /* the key then acts on the line */
    }
    return 1;
}
