/* sleep -- pauses for the sum of its arguments, each a number of seconds
 * (fractions allowed: 0.25) with an optional unit s, m, h or d.
 * Uses nanosleep (call 162) and resumes after an interruption (EINTR)
 * with the time that remained. */
#include <errno.h>
#include <progutil.h>
#include <string.h>
#include <time.h>

const char *program_name = "sleep";

static int usage(FILE *out, int status)
{
    fputs("Usage: sleep NUMBER[smhd]...\n"
          "Pause for the sum of the NUMBERs of seconds (s, default), minutes (m),\n"
          "hours (h) or days (d). NUMBER may have a fraction, like 0.5.\n", out);
    return finish(status);
}

/* Parses "1.5m" into nanoseconds; returns -1 when it is not a duration. */
static long long parse_duration(const char *s)
{
    long long whole = 0, fraction = 0, scale = 1000000000LL;
    const char *p = s;
    int any = 0;
    for (; *p >= '0' && *p <= '9'; p++, any = 1) {
        whole = whole * 10 + (*p - '0');
        if (whole > 1000000000LL)
            return -1;
    }
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, any = 1)
            if (scale > 1) {
                scale /= 10;
                fraction += (*p - '0') * scale;
            }
    if (!any)
        return -1;
    long long unit = 1;
    switch (*p) {
    case '\0': case 's': break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return -1;
    }
    if (*p && p[1])
        return -1;
    return (whole * 1000000000LL + fraction) * unit;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    if (argc < 2) {
        warn_message("missing operand");
        return usage(stderr, 2);
    }
    long long total = 0;
    for (int i = 1; i < argc; i++) {
        long long ns = parse_duration(argv[i]);
        if (ns < 0) {
            warn_message("invalid time interval '%s'", argv[i]);
            return usage(stderr, 2);
        }
        total += ns;
    }
    struct timespec request = { (long)(total / 1000000000LL), (long)(total % 1000000000LL) };
    struct timespec remaining;
    while (nanosleep(&request, &remaining) < 0) {
        if (errno != EINTR) {
            warn_errno("cannot sleep");
            return 1;
        }
        request = remaining;
    }
    return 0;
}
