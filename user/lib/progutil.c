/* progutil.c -- helpers shared by the programs in user/bin/ (see progutil.h).
 * Must stay true: every error message has the form "NAME: WHAT: reason",
 * and finish() reports a failed final flush of stdout instead of ignoring it. */
#include <errno.h>
#include <progutil.h>
#include <sys/stat.h>
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

void mode_string(unsigned mode, char out[11])
{
    const char *types = "?pc?d?b?-?l?s???";   /* indexed by (mode & S_IFMT) >> 12 */
    out[0] = types[(mode & S_IFMT) >> 12];
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        out[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
    if (mode & S_ISUID) out[3] = (mode & 0100) ? 's' : 'S';
    if (mode & S_ISGID) out[6] = (mode & 0010) ? 's' : 'S';
    if (mode & S_ISVTX) out[9] = (mode & 0001) ? 't' : 'T';
    out[10] = '\0';
}
