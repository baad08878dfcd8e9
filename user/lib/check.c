/* check.c -- see check.h. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

void check_in_child(void (*checks)(void))
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        check_failures = 0;
        checks();
        fflush(stdout);
        _exit(check_failures > 100 ? 100 : check_failures);
    }
    int status = 0;
    waitpid(child, &status, 0);
    check_failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
