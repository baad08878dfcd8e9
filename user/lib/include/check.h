/* check.h -- the verdict lines of the programs that check the kernel
 * (syscheck, sigcheck, cowcheck): each check prints "ok NAME" or
 * "FAIL NAME: got X, expected Y", and check_failures counts the failures
 * for the program's exit status. The same lines come out on a Linux host,
 * which is the reference the tests compare with. */
#ifndef _CHECK_H
#define _CHECK_H

extern int check_failures;
void expect(const char *name, long got, long expected);

#endif
