/* history.c -- the line editor's history: the last HISTORY_CAPACITY lines
 * entered, oldest first, in memory, and between sessions in a file.
 *
 * The file is $HOME/.sh_history; when HOME is unset or empty, or that file
 * cannot be opened for writing (a read-only root such as our romfs, where
 * HOME is /), it is /tmp/.sh_history. The choice is made once, by
 * history_load(), whose test opens the file for appending (and so creates
 * it, empty, if it was missing). One line per entry. history_save()
 * appends the entries added since the load, and rewrites the file from
 * memory when it would grow past twice the capacity, so it stays bounded.
 * A line holding a newline is not kept (the file has one entry a line).
 * Must stay true: no entry is empty or equal to the one before it. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "line_editor.h"

#define HISTORY_CAPACITY 500

static char *entries[HISTORY_CAPACITY];
static int count;
static int unsaved;             /* entries at the end not yet in the file */
static int lines_in_file;
static char file_path[1024];

static int is_blank(const char *line)
{
    for (; *line; line++)
        if (*line != ' ' && *line != '\t')
            return 0;
    return 1;
}

static void append_entry(char *copy)
{
    if (count == HISTORY_CAPACITY) {
        free(entries[0]);
        memmove(entries, entries + 1, (HISTORY_CAPACITY - 1) * sizeof entries[0]);
        count--;
    }
    entries[count++] = copy;
}

void history_add(const char *line)
{
    if (!line || is_blank(line) || strchr(line, '\n'))
        return;
    if (count > 0 && strcmp(entries[count - 1], line) == 0)
        return;
    char *copy = strdup(line);
    if (!copy)
        return;
    append_entry(copy);
    if (unsaved < HISTORY_CAPACITY)
        unsaved++;
}

int history_count(void) { return count; }

const char *history_entry(int index)
{
    return index >= 0 && index < count ? entries[index] : NULL;
}

/* $HOME/.sh_history if it can be written, else /tmp/.sh_history. */
static void choose_file(void)
{
    const char *home = getenv("HOME");
    if (home && *home && strlen(home) + 13 < sizeof file_path) {
        strcpy(file_path, home);
        strcat(file_path, strcmp(home, "/") == 0 ? ".sh_history" : "/.sh_history");
        int fd = open(file_path, O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (fd >= 0) {
            close(fd);
            return;
        }
    }
    strcpy(file_path, "/tmp/.sh_history");
}

/* Each line of the file (the last ones count: older ones fall out). */
static void add_file_lines(const char *text, size_t length)
{
    size_t start = 0;
    for (size_t i = 0; i <= length; i++) {
        if (i < length && text[i] != '\n')
            continue;
        if (i > start) {
            char *line = strndup(text + start, i - start);
            if (line && !is_blank(line) && !(count > 0 && strcmp(entries[count - 1], line) == 0))
                append_entry(line);
            else
                free(line);
            lines_in_file++;
        }
        start = i + 1;
    }
}

void history_load(void)
{
    choose_file();
    int fd = open(file_path, O_RDONLY);
    if (fd < 0)
        return;
    size_t capacity = 65536, length = 0;
    char *text = malloc(capacity);
    ssize_t got;
    while (text && (got = read(fd, text + length, capacity - length)) > 0) {
        length += (size_t)got;
        if (length == capacity) {
            char *bigger = realloc(text, capacity * 2);
            if (!bigger)
                break;
            text = bigger;
            capacity *= 2;
        }
    }
    close(fd);
    if (text)
        add_file_lines(text, length);
    free(text);
    unsaved = 0;
}

static int write_entries(int fd, int from)
{
    for (int i = from; i < count; i++) {
        size_t length = strlen(entries[i]);
        if (write(fd, entries[i], length) != (ssize_t)length || write(fd, "\n", 1) != 1)
            return -1;
    }
    return 0;
}

void history_save(void)
{
    if (!file_path[0])
        choose_file();
    int rewrite = lines_in_file + unsaved > 2 * HISTORY_CAPACITY;
    int fd = open(file_path, O_WRONLY | O_CREAT | (rewrite ? O_TRUNC : O_APPEND), 0600);
    if (fd < 0)
        return;
    int from = rewrite ? 0 : count - (unsaved < count ? unsaved : count);
    if (write_entries(fd, from) == 0) {
        lines_in_file = rewrite ? count : lines_in_file + (count - from);
        unsaved = 0;
    }
    close(fd);
}
