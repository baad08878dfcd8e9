/* sh.h -- the shell's parts and how they meet (user space, /bin/sh).
 *
 * The stages, one concern a file:
 *   input.c    where text comes from: a descriptor (one byte per read() when
 *              not a terminal), a string, or the line editor; PS1/PS2
 *   lex.c      text -> tokens; words stay raw (quotes kept); here-documents
 *   parse.c    tokens -> the grammar tree below (POSIX XCU 2.10)
 *   tree.c     freeing a tree, and printing one back as text (for jobs)
 *   expand.c   a word -> fields: tilde, parameters, $(...), $((...)),
 *              field splitting, pathname expansion, quote removal
 *   param.c    ${...} forms and the special parameters
 *   arith.c    $((...)): the C operators on long integers
 *   pattern.c  shell patterns (case, ${x%pat}) and pathname expansion
 *   vars.c     variables, exports, positional parameters
 *   exec.c     running the tree: lists, and-or, pipelines, compounds
 *   command.c  one simple command: assignments, builtins, functions, PATH
 *   redirect.c redirections and here-documents
 *   jobs.c     the job table, waiting, process groups and the terminal
 *   trap.c     signal names, traps, the shell's own signal dispositions
 *   builtin_*.c, test.c, printf.c: the builtins; builtin_table.c names them
 *   main.c     options and the read-parse-run loop
 * Must stay true: a tree node owns its strings; a tree that defined a
 * function is never freed, since the function table points into it. Errors that POSIX says end a non-interactive shell go through
 * sh_fatal(), which jumps back to the loop at a terminal. */
#ifndef SH_H
#define SH_H
#include <stddef.h>
#include <setjmp.h>
#include <sys/types.h>

/* ---- the tree ---- */
enum redirect_kind { R_IN, R_OUT, R_APPEND, R_CLOBBER, R_RDWR, R_DUP_IN, R_DUP_OUT, R_HEREDOC };

struct redirect {
    int fd;
    enum redirect_kind kind;
    char *word;                 /* raw target; the delimiter for a here-document */
    char *heredoc;              /* the body, once read */
    int heredoc_quoted;         /* delimiter had quotes: the body is taken literally */
    int strip_tabs;             /* <<- */
    struct redirect *next;
};

enum node_type { N_SIMPLE, N_PIPE, N_AND, N_OR, N_NOT, N_SEQ, N_BACKGROUND, N_SUBSHELL,
                 N_GROUP, N_IF, N_WHILE, N_UNTIL, N_FOR, N_CASE, N_FUNCTION };

struct case_item {
    char **patterns;
    int pattern_count;
    struct node *body;          /* may be NULL */
    struct case_item *next;
};

struct node {
    enum node_type type;
    struct node *left, *right;  /* AND OR SEQ: both; NOT BACKGROUND SUBSHELL GROUP FUNCTION: left */
    struct node **commands;     /* PIPE */
    int command_count;
    char **words;               /* SIMPLE: words; FOR: the list after `in` */
    int word_count;
    char **assignments;         /* SIMPLE: NAME=value prefixes */
    int assignment_count;
    struct redirect *redirects; /* SIMPLE and compounds */
    struct node *condition, *body, *else_part;   /* IF WHILE UNTIL; FOR: body */
    char *name;                 /* FOR: the variable; CASE: the word; FUNCTION: its name */
    int has_in;                 /* FOR */
    struct case_item *cases;
    int line;
};

/* ---- input.c ---- */
struct source;
void input_push_fd(int fd, int interactive);
void input_push_string(const char *text, const char *alias_name);
void input_pop(void);
int input_getc(void);           /* -1 at the end of the innermost source */
void input_ungetc(int c);
void input_new_command(void);   /* the next line is read with PS1 */
int input_interactive(void);
int input_at_end(void);
void input_discard_line(void);  /* after an error at a terminal */
int input_line_number(void);
int input_alias_active(const char *name);
void input_close_script_fds(void);   /* in a child about to exec */

/* ---- lex.c and parse.c ---- */
enum token { T_WORD, T_IO_NUMBER, T_NEWLINE, T_EOF, T_SEMI, T_DSEMI, T_AMP, T_AND, T_PIPE,
             T_OR, T_LPAREN, T_RPAREN, T_LESS, T_GREAT, T_DLESS, T_DLESSDASH, T_DGREAT,
             T_LESSAND, T_GREATAND, T_LESSGREAT, T_CLOBBER };
struct lexer_token {
    enum token type;
    char *text;                 /* T_WORD, T_IO_NUMBER */
    int quoted;                 /* the word had a quote or backslash */
};
void lex_next(struct lexer_token *token);
void lex_queue_heredoc(struct redirect *r);
void lex_read_heredocs(void);
void lex_forget_heredocs(void);
int lex_heredocs_pending(void);
const char *token_name(enum token t);

/* parse.c: the next complete command, NULL for an empty line; *at_end set at
 * the end of input. A syntax error is reported and goes through sh_fatal. */
struct node *parse_command_line(int *at_end);
/* Parses a whole string (eval, $(...), trap actions): a list or NULL. */
struct node *parse_string(const char *text);

/* ---- tree.c ---- */
void free_node(struct node *n);
char *node_text(struct node *n);     /* malloc'ed: the command as text */

/* ---- expand.c / param.c / arith.c / pattern.c ---- */
struct fields {
    char **v;
    int count, capacity;
};
void fields_add(struct fields *f, char *s);
void fields_free(struct fields *f);
enum { EXPAND_SPLIT = 1, EXPAND_GLOB = 2, EXPAND_TILDE_ASSIGN = 4 };
void expand_words(char **words, int count, struct fields *out);   /* split + glob */
char *expand_string(const char *raw, int flags);   /* one string, no split or glob */
char *expand_pattern(const char *raw);   /* quoted characters escaped with '\' */
char *expand_heredoc(const char *body);
char *command_substitution(const char *text);
long long arith_eval(const char *expression);   /* sh_fatal on an error */
int pattern_match(const char *pattern, const char *text);   /* whole text */
void pathname_expand(const char *pattern, struct fields *out);   /* adds matches, sorted */
int pattern_has_magic(const char *pattern);
char *pattern_unescape(const char *pattern);

/* ---- vars.c ---- */
enum { VAR_EXPORT = 1, VAR_READONLY = 2 };
const char *var_get(const char *name);
int var_set(const char *name, const char *value, int flags);   /* -1: readonly */
int var_unset(const char *name);   /* -1: readonly */
int var_flags(const char *name);
void var_add_flags(const char *name, int flags);
void vars_import(char **envp);
char **vars_environment(void);
void vars_print(int flags_wanted, const char *prefix);   /* set, export -p, readonly -p */
int is_name(const char *s, size_t len);
int is_assignment(const char *word);
void var_push_temporary(char **assignments, int count);   /* VAR=x cmd, for functions/builtins */
void var_pop_temporary(void);
char *var_quote(const char *value);   /* single-quoted for output */

struct positional {
    char **args;                /* $1 ... (owned) */
    int count;
};
extern struct positional positional;
void positional_set(char **args, int count);   /* copies */
struct positional positional_save(void);
void positional_restore(struct positional saved);

/* ---- the shell's state ---- */
struct shell_state {
    int status;                 /* $? */
    int substitution_status;    /* of the last $(...) in this command */
    int interactive;
    int job_control;            /* set -m: interactive with a terminal */
    char *name;                 /* $0 */
    pid_t pid;                  /* $$ */
    pid_t last_background;      /* $! (0: none) */
    int opt_errexit, opt_nounset, opt_xtrace, opt_noglob, opt_noexec, opt_verbose;
    int opt_noclobber, opt_allexport;
    int errexit_suppressed;     /* inside if/while conditions, && || operands, ! */
    int loop_depth;
    int function_depth;
    int dot_depth;
    enum { JUMP_NONE, JUMP_BREAK, JUMP_CONTINUE, JUMP_RETURN } jump;
    int jump_count;
    int in_subshell;            /* a forked child: `exit` ends it, no job notices */
    int terminal_fd;            /* for job control, -1 without */
    pid_t shell_pgid;
    int exec_last;              /* sh -c / a script: the last command may exec */
    int keep_tree;              /* the tree running defined a function: keep it */
};
extern struct shell_state sh;
extern jmp_buf *sh_error_jump;  /* where sh_fatal goes at a terminal */
extern jmp_buf *sh_command_jump;   /* inside `command`: where sh_fatal goes */

/* ---- exec.c / command.c / redirect.c ---- */
enum { EXEC_EXIT = 1 };          /* the last thing this process runs: exec directly */
int exec_node(struct node *n, int flags);
int exec_simple(struct node *n, int flags);
int exec_string(const char *text);   /* eval */
_Noreturn void exec_program(char **argv, char **envp);   /* PATH search, exits 126/127 */
char *path_search(const char *name);   /* malloc'ed, or NULL */
void function_define(const char *name, struct node *body);
struct node *function_find(const char *name);
int function_unset(const char *name);
pid_t fork_child(void);
int run_command(struct node *n, int argc, char **argv, int flags, int skip_functions);
int run_command_without_functions(int argc, char **argv);
int run_script_input(void);     /* main.c: runs the innermost source to its end */          /* fork; the child resets traps and job state */

struct saved_fds;
struct saved_fds *redirect_apply(struct redirect *list, int save);   /* NULL on an error */
void redirect_restore(struct saved_fds *saved);
extern int redirect_failed;
void redirect_restore_all(void);

/* ---- jobs.c ---- */
struct job;
void jobs_init(void);
struct job *job_create(const char *text, int background);
void jobs_enter_child(struct job *job, int background);   /* process group, terminal, signals */
void job_add_process(struct job *job, pid_t pid);
void job_set_text_words(struct job *job, char **argv, int argc);
int job_wait_foreground(struct job *job);   /* status of the last process */
void jobs_notify(void);          /* Done / Stopped lines before a prompt */
int jobs_wait_all(void);
int job_wait_one(struct job *job);
struct job *job_find(const char *spec);   /* %n %+ %- %string, or a pid */
void job_print(struct job *job, int verbose);
void jobs_print_all(int verbose);
int job_foreground(struct job *job);
int job_background(struct job *job);
pid_t job_pgid(struct job *job);
int job_number(struct job *job);
void jobs_forget_all(void);       /* in a subshell */
int report_signal_status(int raw);   /* status for $?, naming a fatal signal */
int wait_status(int raw);

/* ---- trap.c ---- */
int signal_number(const char *name);   /* "INT", "SIGINT", "2"; -1 if unknown; 0 = EXIT */
const char *signal_name(int sig);      /* "INT" */
void traps_init(void);
void traps_run_pending(void);
void trap_run_exit(void);
int traps_reset_in_child(void);
void trap_set_shell_signals(int interactive);
void signals_default_in_child(int background);
extern volatile int trap_pending;
int trap_builtin(int argc, char **argv);
int sigint_received(void);
int trap_last_signal(void);
int trap_has_exit(void);
void trap_hold_sigint(int hold);   /* a script ignores SIGINT while a command runs */

/* ---- builtins ---- */
typedef int (*builtin_fn)(int argc, char **argv);
struct builtin {
    const char *name;
    builtin_fn fn;
    int special;                /* POSIX special builtin: errors end a script */
    const char *help;
};
const struct builtin *builtin_find(const char *name);
extern const struct builtin builtins[];
int builtin_echo(int argc, char **argv);
int builtin_printf(int argc, char **argv);
int builtin_test(int argc, char **argv);
int builtin_read(int argc, char **argv);
int builtin_getopts(int argc, char **argv);
int builtin_cd(int argc, char **argv);
int builtin_pwd(int argc, char **argv);
int builtin_umask(int argc, char **argv);
int builtin_times(int argc, char **argv);
int builtin_type(int argc, char **argv);
int builtin_command(int argc, char **argv);
int builtin_alias(int argc, char **argv);
int builtin_unalias(int argc, char **argv);
int builtin_help(int argc, char **argv);
int builtin_history(int argc, char **argv);
int builtin_jobs(int argc, char **argv);
int builtin_fg(int argc, char **argv);
int builtin_bg(int argc, char **argv);
int builtin_wait(int argc, char **argv);
int builtin_kill(int argc, char **argv);
const char *alias_get(const char *name);
int describe_command(const char *name, int verbose);   /* type, command -v/-V */

/* ---- main.c: errors and memory ---- */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void sh_fatal(int status);   /* after sh_error: end a script, or back to the prompt */
_Noreturn void sh_exit(int status);    /* runs the EXIT trap, flushes, exits */
void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
void *grow(void *array, int *capacity, int count, size_t element);

/* a growable string */
struct buffer {
    char *data;
    int length, capacity;
};
void buffer_add(struct buffer *b, char c);
void buffer_add_string(struct buffer *b, const char *s);
char *buffer_finish(struct buffer *b);   /* NUL-terminated, owned by the caller */
#endif
