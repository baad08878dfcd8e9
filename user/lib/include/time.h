/* time.h -- clocks, sleeping and the calendar.
 *
 * struct timespec is what the 32-bit i386 calls (nanosleep 162,
 * clock_gettime 265) read and write: two 32-bit longs. The calendar
 * functions (time.c) know one time zone, UTC, as a Linux system with TZ
 * unset and no /etc/localtime: localtime is gmtime, mktime is timegm, and
 * strftime's %Z is "UTC". strftime writes the C locale's names. */
#ifndef _TIME_H
#define _TIME_H
#include <sys/types.h>

struct timespec {
    long tv_sec;
    long tv_nsec;
};

struct tm {
    int tm_sec;    /* 0-60 */
    int tm_min;    /* 0-59 */
    int tm_hour;   /* 0-23 */
    int tm_mday;   /* 1-31 */
    int tm_mon;    /* 0-11 */
    int tm_year;   /* years since 1900 */
    int tm_wday;   /* 0-6, Sunday 0 */
    int tm_yday;   /* 0-365 */
    int tm_isdst;  /* always 0 here */
    long tm_gmtoff;
    const char *tm_zone;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

int nanosleep(const struct timespec *request, struct timespec *remaining);
int clock_gettime(clockid_t clock, struct timespec *ts);
/* clock_settime (call 264, time.c): CLOCK_REALTIME only; root only. */
int clock_settime(clockid_t clock, const struct timespec *ts);
time_t time(time_t *out);

/* Broken-down UTC time of seconds since 1970 (any sign); NULL only when
 * the year does not fit an int. The non-_r forms use one static struct. */
struct tm *gmtime_r(const time_t *seconds, struct tm *out);
struct tm *gmtime(const time_t *seconds);
struct tm *localtime_r(const time_t *seconds, struct tm *out);
struct tm *localtime(const time_t *seconds);
/* Seconds since 1970 of a broken-down UTC time; fields out of range are
 * carried (month 12 is January next year), and *tm is normalised, with
 * tm_wday and tm_yday filled in. */
time_t timegm(struct tm *tm);
time_t mktime(struct tm *tm);
/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
long long days_from_civil(long long year, int month, int day);
/* strftime as glibc's in the C locale, with GNU's flags after '%' ('-' no
 * padding, '_' spaces, '0' zeros, '^' upper case, '#' swap case) and a
 * field width. Returns the length written, or 0 when it does not fit in
 * size (the output is then undefined, as POSIX says). */
size_t strftime(char *out, size_t size, const char *format, const struct tm *tm);
#endif
