/* sh.h -- the pieces of the shell and how they meet.
 *
 * A line goes through three stages, each in its own file:
 *   lex.c     text -> tokens (words kept raw, with their quotes; operators)
 *   parse.c   tokens -> a tree: list of and-or lists of pipelines of commands
 *   exec.c    runs the tree; words are expanded (expand.c) only when their
 *             command runs, so `X=1; echo $X` and `false; echo $?` work.
 * builtin.c holds the commands that must run inside the shell (cd, exit, ...),
 * main.c the input sources (terminal, file, -c string) and the read-run loop.
 * Ownership: the tree owns every string in it; free_list() releases it all. */
#ifndef SH_H
#define SH_H
#include <stddef.h>

/* ---- tokens and the tree ---- */
enum token_type { T_WORD, T_IO_NUMBER, T_PIPE, T_AND, T_OR, T_SEMI, T_NEWLINE, T_AMP, T_BANG,
                  T_LESS, T_GREAT, T_DGREAT, T_GREATAND, T_LESSAND, T_END };

struct token {
    enum token_type type;
    char *text;                 /* raw word (T_WORD, T_IO_NUMBER), else NULL */
};

enum redirect_kind { R_IN, R_OUT, R_APPEND, R_DUP_OUT, R_DUP_IN };

struct redirect {
    int fd;                     /* the descriptor redirected: 0 for <, 1 for > unless given */
    enum redirect_kind kind;
    char *word;                 /* raw target: a file name, or a descriptor for >& <& */
};

struct command {                /* one simple command: words and redirections */
    char **words;
    int word_count;
    struct redirect *redirects;
    int redirect_count;
};

struct pipeline {
    struct command *commands;
    int count;
    int negate;                 /* leading '!' */
};

enum connector { C_FIRST, C_AND, C_OR };

struct and_or {                 /* p1 && p2 || p3 ..., left to right */
    struct pipeline *pipelines;
    enum connector *connectors; /* connectors[i] joins pipeline i to the ones before */
    int count;
    int background;             /* ended by '&' */
};

struct list {
    struct and_or *entries;
    int count;
};

enum lex_result { LEX_OK, LEX_INCOMPLETE };
enum parse_result { PARSE_OK, PARSE_INCOMPLETE, PARSE_ERROR, PARSE_EMPTY };

/* lex.c: fills *tokens (ending in T_END); LEX_INCOMPLETE for an open quote
 * or a trailing backslash, so the caller reads another line. */
enum lex_result lex(const char *text, struct token **tokens, int *count);
void free_tokens(struct token *tokens, int count);

/* parse.c: PARSE_INCOMPLETE when the text ends after | && ||; on
 * PARSE_ERROR the message has been printed. */
enum parse_result parse(const char *text, struct list *list);
void free_list(struct list *list);

/* ---- expansion and variables (expand.c) ---- */
struct fields {                 /* a growable NULL-terminated array of strings */
    char **v;
    int count, capacity;
};
void fields_add(struct fields *f, char *s);   /* takes ownership of s */
void fields_free(struct fields *f);

/* Expands one raw word: $VAR ${VAR} $? $$ $# $@ $* $0-$9, ~, quotes, backslashes,
 * and splits unquoted expansions at blanks. Appends 0 or more fields. */
void expand_word(const char *raw, struct fields *out);
/* Expands to exactly one string (for redirection targets); NULL if ambiguous. */
char *expand_single(const char *raw);

const char *var_get(const char *name);
void var_set(const char *name, const char *value, int export);
void var_export(const char *name);
void var_unset(const char *name);
void vars_import(char **envp);
char **vars_environment(void);   /* exported variables as NAME=VALUE; caller frees the array */
int is_name(const char *s, size_t len);
int is_assignment(const char *word);

/* ---- execution (exec.c) and builtins (builtin.c) ---- */
struct shell {
    int last_status;            /* $? */
    int interactive;
    int script_fd;              /* the script being read, closed in children; -1 if none */
    char *name;                 /* $0 */
    char **args;                /* $1 ... */
    int arg_count;
    int background_jobs;        /* started with &, to be reaped */
    int is_background_job;      /* this shell runs a `cmd &`: it reports no signals */
};
extern struct shell shell;

int run_list(struct list *list);
int run_file(const char *path);   /* main.c: runs a script in this shell; -1: cannot open */
_Noreturn void exec_command(char **argv);          /* PATH search + execve, exits 126/127 */
int wait_status(int raw);

typedef int (*builtin_fn)(int argc, char **argv);
builtin_fn find_builtin(const char *name);

void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void set_sigint(int ignore);    /* SIG_IGN / SIG_DFL; a kernel without rt_sigaction is fine */
void *xmalloc(size_t size);
void *grow(void *array, int *capacity, int count, size_t element);
#endif
