/* time.c -- the calendar of our libc: gmtime, timegm, gettimeofday and
 * the setters settimeofday and clock_settime.
 *
 * Layer: user libc. Dates are proleptic Gregorian, counted in days from
 * 1970-01-01 with the era arithmetic of 400-year cycles (146097 days), so
 * any time_t, before 1970 too, converts both ways. The only time zone is
 * UTC (see time.h): localtime and mktime are gmtime and timegm.
 * Must stay true: gmtime_r(timegm(tm)) gives back the normalised tm. */
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#define SYS_gettimeofday 78
#define SYS_settimeofday 79
#define SYS_clock_settime 264
#define SECONDS_PER_DAY 86400LL

static long long floor_div(long long a, long long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

long long days_from_civil(long long year, int month, int day)
{
    /* Years start in March, so that February's leap day ends them. */
    long long y = month <= 2 ? year - 1 : year;
    long long era = floor_div(y, 400);
    long long year_of_era = y - era * 400;
    int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

static int is_leap(long long year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* The date of a day count: the inverse of days_from_civil. */
static void civil_from_days(long long days, long long *year, int *month, int *day)
{
    days += 719468;
    long long era = floor_div(days, 146097);
    long long day_of_era = days - era * 146097;
    long long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int shifted_month = (int)((5 * day_of_year + 2) / 153);
    *day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    *month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    *year = year_of_era + era * 400 + (*month <= 2);
}

struct tm *gmtime_r(const time_t *seconds, struct tm *out)
{
    long long t = *seconds;
    long long days = floor_div(t, SECONDS_PER_DAY);
    long long rest = t - days * SECONDS_PER_DAY;
    long long year;
    int month, day;
    civil_from_days(days, &year, &month, &day);
    if (year - 1900 > 0x7fffffffLL || year - 1900 < -0x7fffffffLL - 1)
        return 0;
    out->tm_year = (int)(year - 1900);
    out->tm_mon = month - 1;
    out->tm_mday = day;
    out->tm_hour = (int)(rest / 3600);
    out->tm_min = (int)(rest / 60 % 60);
    out->tm_sec = (int)(rest % 60);
    out->tm_wday = (int)(floor_div(days + 4, 7) * -7 + days + 4);   /* 1970-01-01 was a Thursday */
    out->tm_yday = (int)(days - days_from_civil(year, 1, 1));
    out->tm_isdst = 0;
    out->tm_gmtoff = 0;
    out->tm_zone = "UTC";
    return out;
}

struct tm *gmtime(const time_t *seconds)
{
    static struct tm shared;
    return gmtime_r(seconds, &shared);
}

struct tm *localtime_r(const time_t *seconds, struct tm *out) { return gmtime_r(seconds, out); }

struct tm *localtime(const time_t *seconds) { return gmtime(seconds); }

time_t timegm(struct tm *tm)
{
    long long month = tm->tm_mon;
    long long year = 1900LL + tm->tm_year + floor_div(month, 12);
    month -= floor_div(month, 12) * 12;
    long long days = days_from_civil(year, (int)month + 1, 1) + tm->tm_mday - 1;
    long long t = days * SECONDS_PER_DAY + tm->tm_hour * 3600LL + tm->tm_min * 60LL + tm->tm_sec;
    time_t result = (time_t)t;
    if (result != t || !gmtime_r(&result, tm))
        return (time_t)-1;
    return result;
}

time_t mktime(struct tm *tm) { return timegm(tm); }

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    return (int)__syscall_ret(syscall2(SYS_gettimeofday, (long)tv, 0));
}

int settimeofday(const struct timeval *tv, const void *tz)
{
    return (int)__syscall_ret(syscall2(SYS_settimeofday, (long)tv, (long)tz));
}

int clock_settime(clockid_t clock, const struct timespec *ts)
{
    return (int)__syscall_ret(syscall2(SYS_clock_settime, clock, (long)ts));
}

/* Used by strftime.c: days in the year of a tm. */
int __days_in_year(long long year) { return is_leap(year) ? 366 : 365; }
