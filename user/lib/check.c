/* check.c -- see check.h. */
#include <check.h>
#include <stdio.h>
#include <string.h>

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

void expect_string(const char *name, const char *got, const char *expected)
{
    if (strcmp(got, expected) == 0) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got \"%s\", expected \"%s\"\n", name, got, expected);
        check_failures++;
    }
}
