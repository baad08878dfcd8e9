/* check.c -- see check.h. */
#include <check.h>
#include <stdio.h>

int check_failures;

void expect(const char *name, long got, long expected)
{
    if (got == expected) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld, expected %ld\n", name, got, expected);
        check_failures++;
    }
}
