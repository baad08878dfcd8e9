/* progutil.c -- helpers shared by the programs in user/bin/ (see progutil.h).
 * Must stay true: every error message has the form "NAME: WHAT: reason",
 * and finish() reports a failed final flush of stdout instead of ignoring it. */
#include <errno.h>
#include <progutil.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void warn_errno(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", program_name, what, strerror(errno));
}

void warn_message(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", program_name, line);
}

int finish(int status)
{
    if (fflush(stdout) == EOF || ferror(stdout)) {
        int cause = ferror_number(stdout) ? ferror_number(stdout) : errno;
        fprintf(stderr, "%s: write error: %s\n", program_name, strerror(cause));
        return 1;
    }
    return status;
}
