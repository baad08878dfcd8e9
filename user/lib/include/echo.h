/* echo.h -- echo's words (echo.c), for /bin/echo and the shell's builtin. */
#ifndef _ECHO_H
#define _ECHO_H

/* Prints argv[1..] as echo does (-n, -e, -E; see echo.c) to stdout, which
 * the caller flushes. Returns 0. */
int echo_words(int argc, char **argv);

#endif
