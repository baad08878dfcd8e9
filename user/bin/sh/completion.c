/* completion.c -- the line editor's Tab completion.
 *
 * The word before the cursor (blanks and ; | & < > ( ) end words; quotes
 * and backslashes are understood) is completed as a command when it is the
 * first word of a command and holds no '/': the shell's builtins
 * (shell_builtin_name) and the executable files in $PATH. Otherwise it is
 * a file name: entries of the directory it names (dot files only when the
 * word's last part starts with '.'; a leading "~/" is $HOME). One match replaces the word (quoted
 * with backslashes where the shell would split it) and adds '/' after a
 * directory, ' ' after anything else; several matches complete to their
 * longest common prefix, and a second Tab in a row lists them in columns
 * across the terminal, then shows the prompt and the line again. No match,
 * or no progress, rings the bell.
 * Must stay true: only the word before the cursor changes. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "editor_core.h"
#include "line_editor.h"

/* Without the shell (a program built from the editor alone) there are no
 * builtins; the shell's own definition replaces this one. */
__attribute__((weak)) const char *shell_builtin_name(int index)
{
    (void)index;
    return NULL;
}

struct candidate {
    char *text;             /* the whole word once completed (unquoted) */
    size_t shown_from;      /* where its name starts, for the listing */
    int is_directory;
};

struct candidates {
    struct candidate *items;
    int count, capacity;
};

#define MAX_CANDIDATES 4096

static void add_candidate(struct candidates *list, const char *directory_part, size_t directory_length,
                          const char *name, int is_directory)
{
    if (list->count >= MAX_CANDIDATES)
        return;
    if (list->count == list->capacity) {
        int capacity = list->capacity ? list->capacity * 2 : 32;
        struct candidate *items = realloc(list->items, (size_t)capacity * sizeof *items);
        if (!items)
            return;
        list->items = items;
        list->capacity = capacity;
    }
    size_t name_length = strlen(name);
    char *text = malloc(directory_length + name_length + 1);
    if (!text)
        return;
    memcpy(text, directory_part, directory_length);
    memcpy(text + directory_length, name, name_length + 1);
    list->items[list->count++] = (struct candidate){ text, directory_length, is_directory };
}

static void free_candidates(struct candidates *list)
{
    for (int i = 0; i < list->count; i++)
        free(list->items[i].text);
    free(list->items);
}

static int compare_candidates(const void *a, const void *b)
{
    return strcmp(((const struct candidate *)a)->text, ((const struct candidate *)b)->text);
}

/* Sorted, each text once. */
static void sort_unique(struct candidates *list)
{
    qsort(list->items, (size_t)list->count, sizeof *list->items, compare_candidates);
    int kept = 0;
    for (int i = 0; i < list->count; i++) {
        if (kept > 0 && strcmp(list->items[kept - 1].text, list->items[i].text) == 0) {
            free(list->items[i].text);
            continue;
        }
        list->items[kept++] = list->items[i];
    }
    list->count = kept;
}

/* The entries of `directory` starting with `prefix`; with `executables`
 * only executable files that are not directories. */
static void collect_directory(struct candidates *list, const char *directory, const char *word_directory,
                              size_t word_directory_length, const char *prefix, int executables)
{
    DIR *dir = opendir(directory);
    if (!dir)
        return;
    size_t prefix_length = strlen(prefix);
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (strncmp(name, prefix, prefix_length) != 0 || (name[0] == '.' && prefix[0] != '.'))
            continue;
        if (executables && (strcmp(name, ".") == 0 || strcmp(name, "..") == 0))
            continue;
        char path[1024];
        size_t directory_length = strlen(directory);
        if (directory_length + strlen(name) + 2 > sizeof path)
            continue;
        memcpy(path, directory, directory_length);
        path[directory_length] = '/';
        strcpy(path + directory_length + 1, name);
        struct stat st;
        int is_directory = entry->d_type == DT_DIR;
        if (entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK || executables)
            is_directory = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        if (executables && (is_directory || !(st.st_mode & 0111)))
            continue;
        add_candidate(list, word_directory, word_directory_length, name, is_directory);
    }
    closedir(dir);
}

/* The entries of the directory the word names; "~/" stands for $HOME there
 * (the word itself keeps its "~/", as the shell expands it later). */
static void collect_files(struct candidates *list, const char *word)
{
    const char *slash = strrchr(word, '/');
    if (!slash) {
        collect_directory(list, ".", "", 0, word, 0);
        return;
    }
    size_t directory_length = (size_t)(slash - word) + 1;
    const char *home = getenv("HOME");
    int tilde = word[0] == '~' && word[1] == '/' && home && *home;
    char directory[1024];
    size_t home_length = tilde ? strlen(home) : 0;
    if (directory_length + home_length >= sizeof directory)
        return;
    memcpy(directory, home, home_length);
    memcpy(directory + home_length, word + tilde, directory_length - (size_t)tilde);
    directory[home_length + directory_length - (size_t)tilde] = 0;
    collect_directory(list, directory, word, directory_length, slash + 1, 0);
}

static void collect_commands(struct candidates *list, const char *word)
{
    size_t length = strlen(word);
    const char *name;
    for (int i = 0; (name = shell_builtin_name(i)) != NULL; i++)
        if (strncmp(name, word, length) == 0)
            add_candidate(list, "", 0, name, 0);
    const char *path = getenv("PATH");
    while (path && *path) {
        const char *end = strchr(path, ':');
        size_t part = end ? (size_t)(end - path) : strlen(path);
        char directory[1024];
        if (part < sizeof directory) {
            memcpy(directory, path, part);
            strcpy(directory + part, part ? "" : ".");     /* an empty entry is "." */
            collect_directory(list, directory, "", 0, word, 1);
        }
        path = end ? end + 1 : NULL;
    }
}

/* The word before the cursor, as the shell would split it. */
struct word {
    size_t start;           /* first byte of the word in the line */
    char text[1024];        /* the word without its quotes and backslashes */
    char quote;             /* the quote still open at the cursor, or 0 */
    int command_position;   /* the first word of a command */
};

static int ends_command(char c) { return c == ';' || c == '|' || c == '&' || c == '(' || c == '\n'; }
static int ends_word(char c) { return c == ' ' || c == '\t' || c == '<' || c == '>' || c == ')' || ends_command(c); }

/* Scans the line up to the cursor; -1 if the word is too long. */
static int find_word(const struct editor *e, struct word *word)
{
    size_t length = 0;
    int words_before = 0;
    char quote = 0;
    word->start = 0;
    for (size_t i = 0; i < e->cursor; i++) {
        char c = e->line[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && i + 1 < e->cursor && strchr("\"\\$`", e->line[i + 1]))
                word->text[length++] = e->line[++i];
            else
                word->text[length++] = c;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '\\' && i + 1 < e->cursor) {
            word->text[length++] = e->line[++i];
        } else if (ends_word(c)) {
            if (length > 0 || (i > 0 && !ends_word(e->line[i - 1])))
                words_before++;
            if (ends_command(c))
                words_before = 0;
            length = 0;
            word->start = i + 1;
        } else {
            word->text[length++] = c;
        }
        if (length >= sizeof word->text - 1)
            return -1;
    }
    word->text[length] = 0;
    word->quote = quote;
    word->command_position = words_before == 0;
    return 0;
}

/* `text` as the shell would read it back: inside an open quote as it is
 * (a '"' quote escapes " \ $ `), otherwise a backslash before each byte the
 * shell treats specially. Returns the length written (cut to `room`). */
static size_t quote_word(const char *text, size_t length, char quote, char *out, size_t room)
{
    size_t written = 0;
    if (quote)
        written += (size_t)snprintf(out, room, "%c", quote);
    for (size_t i = 0; i < length && written + 2 < room; i++) {
        char c = text[i];
        int special = quote == '"' ? strchr("\"\\$`", c) != NULL
                    : quote == '\'' ? 0
                    : c != 0 && strchr(" \t\n\\'\"$`&;|<>()*?[]#!{}", c) != NULL;
        if (special)
            out[written++] = '\\';
        out[written++] = c;
    }
    out[written] = 0;
    return written;
}

static size_t common_prefix_length(const struct candidates *list)
{
    size_t length = strlen(list->items[0].text);
    for (int i = 1; i < list->count; i++) {
        size_t same = 0;
        while (same < length && list->items[i].text[same] == list->items[0].text[same])
            same++;
        length = same;
    }
    return length;
}

/* The names in columns, down then across, as ls does. */
static void list_candidates(struct editor *e, const struct candidates *list)
{
    size_t widest = 0;
    for (int i = 0; i < list->count; i++) {
        const struct candidate *c = &list->items[i];
        size_t width = text_width(c->text + c->shown_from, strlen(c->text + c->shown_from)) + c->is_directory;
        widest = width > widest ? width : widest;
    }
    size_t column_width = widest + 2;
    int per_row = (int)((size_t)e->columns / column_width);
    per_row = per_row < 1 ? 1 : per_row;
    int rows = (list->count + per_row - 1) / per_row;
    output_string(&e->out, "\r\n");
    for (int row = 0; row < rows; row++) {
        for (int column = 0; column < per_row; column++) {
            int index = column * rows + row;
            if (index >= list->count)
                break;
            const struct candidate *c = &list->items[index];
            const char *name = c->text + c->shown_from;
            output_string(&e->out, name);
            if (c->is_directory)
                output_string(&e->out, "/");
            if (column + 1 < per_row && index + rows < list->count)
                for (size_t pad = text_width(name, strlen(name)) + c->is_directory; pad < column_width; pad++)
                    output_string(&e->out, " ");
        }
        output_string(&e->out, "\r\n");
    }
    editor_redraw_all(e);
}

/* Puts `text` (quoted) in place of the word, and `suffix` after it. */
static void replace_word(struct editor *e, const struct word *word, const char *text, size_t length,
                         const char *suffix)
{
    char quoted[2048];
    size_t quoted_length = quote_word(text, length, word->quote, quoted, sizeof quoted - 2);
    if (*suffix && word->quote)
        quoted[quoted_length++] = word->quote;          /* close the quote the word opened */
    strcpy(quoted + quoted_length, suffix);
    if (editor_replace(e, word->start, e->cursor, quoted, strlen(quoted)) == 0)
        editor_refresh(e);
}

void completion_complete(struct editor *e, int repeated)
{
    struct word word;
    if (find_word(e, &word) < 0) {
        editor_bell(e);
        return;
    }
    struct candidates list = { 0 };
    if (word.command_position && !strchr(word.text, '/'))
        collect_commands(&list, word.text);
    else
        collect_files(&list, word.text);
    sort_unique(&list);
    if (list.count == 0) {
        editor_bell(e);
    } else if (list.count == 1) {
        const struct candidate *only = &list.items[0];
        replace_word(e, &word, only->text, strlen(only->text), only->is_directory ? "/" : " ");
    } else {
        size_t common = common_prefix_length(&list);
        if (common > strlen(word.text))
            replace_word(e, &word, list.items[0].text, common, "");
        else if (repeated)
            list_candidates(e, &list);
        else
            editor_bell(e);
    }
    free_candidates(&list);
}
