/* date -- prints or sets the date and time, as coreutils' date does in the
 * C locale with the time zone UTC (the only one this system has).
 *   date [-uR] [-d @SECONDS | -r FILE] [+FORMAT]
 *   date [-uR] -s @SECONDS [+FORMAT]
 *   date [-uR] MMDDhhmm[[CC]YY][.ss]
 *   -u          UTC (always the case here; accepted for scripts)
 *   -d @SECONDS the time SECONDS after 1970 (may be negative or have a
 *               fraction) instead of now; the only -d form understood
 *   -r FILE     the last modification time of FILE
 *   -s @SECONDS set the clock to that time (root only), then print it
 *   -R          RFC 5322 form: "Mon, 07 Dec 2026 11:22:33 +0000"
 * An operand MMDDhhmm[[CC]YY][.ss] sets the clock too (POSIX: a two-digit
 * year 69-99 is 19YY, 00-68 is 20YY; without one, this year). As in
 * coreutils, a clock that cannot be set ("date: cannot set date: reason")
 * still prints the date it was given, with status 1.
 * FORMAT is strftime's (user/lib/strftime.c) plus %N, the nanoseconds
 * (%3N: the first three digits).
 * Without FORMAT: "%a %b %e %H:%M:%S %Z %Y" ("Mon Dec  7 11:22:33 UTC 2026").
 * Errors as coreutils: "date: invalid date '...'" status 1; a usage error
 * (unknown option, extra operand) status 1 too, as coreutils' date has it.
 * Must stay true: one line of output, ended by a newline. */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

const char *program_name = "date";

#define DEFAULT_FORMAT "%a %b %e %H:%M:%S %Z %Y"
#define RFC_5322_FORMAT "%a, %d %b %Y %H:%M:%S %z"

static int usage(FILE *out, int status)
{
    fputs("Usage: date [-uR] [-d @SECONDS | -r FILE] [+FORMAT]\n"
          "  or:  date [-uR] -s @SECONDS [+FORMAT]\n"
          "  or:  date [-uR] MMDDhhmm[[CC]YY][.ss]\n"
          "Display the date and time (UTC) in the given FORMAT, by default\n"
          "like \"Mon Dec  7 11:22:33 UTC 2026\", or set the clock (root only).\n"
          "  -d @SECONDS  show the time SECONDS since 1970-01-01 UTC, not now\n"
          "  -r FILE      show the last modification time of FILE\n"
          "  -s @SECONDS  set the clock to SECONDS since 1970-01-01 UTC\n"
          "  -R           RFC 5322 format, like \"Mon, 07 Dec 2026 11:22:33 +0000\"\n"
          "  -u           Coordinated Universal Time (the only time zone here)\n"
          "FORMAT is strftime's: %Y %m %d %H %M %S %a %A %b %B %e %j %s %y %Z %z\n"
          "%F %T %D %R %c %p %u %w %U %W %V %G %n %t %% and more, %N nanoseconds;\n"
          "after '%' the flags - (no padding), _ (spaces), 0 (zeros), ^ (upper case).\n", out);
    return finish(status);
}

/* Reads "@SECONDS[.FRACTION]"; false when it is not that. */
static int parse_at_seconds(const char *text, time_t *seconds, long *nanoseconds)
{
    if (text[0] != '@')
        return 0;
    const char *p = text + 1;
    while (*p == ' ')
        p++;
    int negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!(*p >= '0' && *p <= '9'))
        return 0;
    long long whole = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        whole = whole * 10 + (*p - '0');
        if (whole > 0x7fffffffLL + 1)
            return 0;
    }
    long fraction = 0, scale = 100000000;
    if (*p == '.' || *p == ',')
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            fraction += scale ? (*p - '0') * scale : 0;
    while (*p == ' ')
        p++;
    if (*p)
        return 0;
    if (negative && fraction) {   /* -1.5 is 1.5 s before 1970: -2 s + 0.5 s */
        whole += 1;
        fraction = 1000000000 - fraction;
    }
    long long value = negative ? -whole : whole;
    if (value != (time_t)value)
        return 0;
    *seconds = (time_t)value;
    *nanoseconds = fraction;
    return 1;
}

/* FORMAT with each %N replaced by nine digits of nanoseconds (the rest is
 * strftime's). */
static char *expand_nanoseconds(const char *format, long nanoseconds)
{
    size_t length = strlen(format);
    char *out = malloc(length * 100 + 1);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p = format; *p; p++) {
        int digits = 0;
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9' && digits < 100)
            digits = digits * 10 + (*q++ - '0');
        if (p[0] == '%' && *q == 'N') {
            /* %N: nine digits; %3N: the first three (GNU's precision). */
            char all[16];
            snprintf(all, sizeof all, "%09ld", nanoseconds);
            int take = digits == 0 || digits > 9 ? 9 : digits;
            memcpy(o, all, (size_t)take);
            o += take;
            for (; digits > 9; digits--)
                *o++ = '0';
            p = q;
        } else if (p[0] == '%' && p[1] == '%') {
            *o++ = *p++;
            *o++ = *p;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* Reads POSIX date's MMDDhhmm[[CC]YY][.ss] (the year of `now` when
 * absent); false when it is not that or names no real time. */
static int parse_posix_date(const char *text, time_t now, time_t *out)
{
    size_t length = strcspn(text, ".");
    int values[6] = {0}, n = 0;
    if (length != 8 && length != 10 && length != 12)
        return 0;
    for (size_t i = 0; i < length; i += 2, n++) {
        if (!(text[i] >= '0' && text[i] <= '9' && text[i + 1] >= '0' && text[i + 1] <= '9'))
            return 0;
        values[n] = (text[i] - '0') * 10 + (text[i + 1] - '0');
    }
    int seconds = 0;
    if (text[length] == '.') {
        const char *s = text + length + 1;
        if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '\0'))
            return 0;
        seconds = (s[0] - '0') * 10 + (s[1] - '0');
    }
    struct tm tm;
    gmtime_r(&now, &tm);
    int year = tm.tm_year + 1900;
    if (n == 5)
        year = values[4] + (values[4] < 69 ? 2000 : 1900);
    else if (n == 6)
        year = values[4] * 100 + values[5];
    static const int DAYS_IN_MONTH[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int month = values[0], day = values[1], hour = values[2], minute = values[3];
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] ||
        (month == 2 && day == 29 && !leap) || hour > 23 || minute > 59 || seconds > 60)
        return 0;
    /* A leap second (.60) is the next minute's first, as in coreutils. */
    struct tm wanted = {.tm_sec = seconds, .tm_min = minute, .tm_hour = hour, .tm_mday = day,
                        .tm_mon = month - 1, .tm_year = year - 1900};
    time_t when = timegm(&wanted);
    *out = when;
    return 1;
}

static int set_clock(time_t seconds, long nanoseconds)
{
    struct timespec when = {seconds, nanoseconds};
    if (clock_settime(CLOCK_REALTIME, &when) < 0) {
        warn_errno("cannot set date");
        return 1;
    }
    return 0;
}

static int show(time_t seconds, long nanoseconds, const char *format, int status)
{
    struct tm tm;
    if (!gmtime_r(&seconds, &tm)) {
        warn_message("time %lld is out of range", (long long)seconds);
        return 1;
    }
    char *expanded = expand_nanoseconds(format, nanoseconds);
    size_t capacity = strlen(format) * 16 + 64;
    char *text = malloc(capacity);
    if (!expanded || !text) {
        warn_errno("malloc");
        return 1;
    }
    /* strftime says 0 both for "empty" and "too long": grow until sure. */
    size_t length;
    while ((length = strftime(text, capacity, expanded, &tm)) == 0 && expanded[0] && capacity < (1u << 20)) {
        capacity *= 4;
        char *grown = realloc(text, capacity);
        if (!grown)
            break;
        text = grown;
    }
    fwrite(text, 1, length, stdout);
    putchar('\n');
    free(text);
    free(expanded);
    return finish(status);
}

/* Checks the options and operands together (coreutils' rules and words);
 * takes a +FORMAT or a clock setting from the operand. False after saying
 * what is wrong. */
static int check_operands(int argc, char **argv, const char *date_text, const char *reference,
                          const char **set_text, const char **format)
{
    if (date_text && reference) {
        warn_message("the options to specify dates for printing are mutually exclusive");
        suggest_help();
        return 0;
    }
    if (*set_text && (date_text || reference)) {
        warn_message("the options to print and set the time may not be used together");
        suggest_help();
        return 0;
    }
    if (optind + 1 < argc) {
        warn_message("extra operand '%s'", argv[optind + 1]);
        suggest_help();
        return 0;
    }
    if (optind < argc && argv[optind][0] != '+' && (date_text || reference || *set_text)) {
        warn_message("the argument '%s' lacks a leading '+';\n"
                     "when using an option to specify date(s), any non-option\n"
                     "argument must be a format string beginning with '+'", argv[optind]);
        suggest_help();
        return 0;
    }
    if (optind < argc && argv[optind][0] == '+')
        *format = argv[optind++] + 1;
    else if (optind < argc)
        *set_text = argv[optind++];   /* MMDDhhmm[[CC]YY][.ss] */
    return 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    const char *date_text = NULL, *reference = NULL, *set_text = NULL, *format = DEFAULT_FORMAT;
    int c;
    while ((c = getopt(argc, argv, "ud:r:Rs:")) != -1) {
        switch (c) {
        case 'u': break;
        case 'd': date_text = optarg; break;
        case 's': set_text = optarg; break;
        case 'r': reference = optarg; break;
        case 'R': format = RFC_5322_FORMAT; break;
        default: return usage(stderr, 1);
        }
    }
    if (!check_operands(argc, argv, date_text, reference, &set_text, &format))
        return 1;

    time_t seconds;
    long nanoseconds = 0;
    if (set_text) {
        int valid = set_text[0] == '@' ? parse_at_seconds(set_text, &seconds, &nanoseconds)
                                       : parse_posix_date(set_text, time(NULL), &seconds);
        if (!valid) {
            warn_message("invalid date '%s'", set_text);
            return 1;
        }
        return show(seconds, nanoseconds, format, set_clock(seconds, nanoseconds));
    }
    if (date_text) {
        if (!parse_at_seconds(date_text, &seconds, &nanoseconds)) {
            warn_message("invalid date '%s'", date_text);
            return 1;
        }
    } else if (reference) {
        struct stat st;
        if (stat(reference, &st) < 0) {
            warn_errno(reference);
            return 1;
        }
        seconds = (time_t)st.st_mtime_sec, nanoseconds = (long)st.st_mtime_nsec;
    } else {
        struct timespec now;
        if (clock_gettime(CLOCK_REALTIME, &now) < 0) {
            warn_errno("clock_gettime");
            return 1;
        }
        seconds = now.tv_sec, nanoseconds = now.tv_nsec;
    }
    return show(seconds, nanoseconds, format, 0);
}
