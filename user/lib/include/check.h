/* check.h -- the verdict lines of the programs that check the kernel
 * (syscheck, sigcheck, cowcheck): each check prints "ok NAME" or
 * "FAIL NAME: got X, expected Y", and check_failures counts the failures
 * for the program's exit status. The same lines come out on a Linux host,
 * which is the reference the tests compare with. */
#ifndef _CHECK_H
#define _CHECK_H

extern int check_failures;
void expect(const char *name, long got, long expected);
/* The same for text (a line a program wrote, say): compared with strcmp. */
void expect_string(const char *name, const char *got, const char *expected);
/* Runs `checks` in a child process of its own (what it changes, ids or
 * sessions, ends with it) and waits; the child's failures count here. */
void check_in_child(void (*checks)(void));

#endif
