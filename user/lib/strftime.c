/* strftime.c -- formats a broken-down time as glibc's strftime does in the
 * C locale (see time.h for the flags). The output goes through a small
 * writer that stops at the buffer's end; conversions are grouped as
 * numbers (padded to a default width with zeros or spaces), names and
 * composites (another format, expanded recursively).
 * Layer: user libc. Must stay true: an unknown conversion is copied as it
 * is written ("%Q" stays "%Q"), as glibc does. */
#include <string.h>
#include <time.h>

int __days_in_year(long long year);

static const char *const DAY_NAMES[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const MONTH_NAMES[] = {"January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December"};

typedef struct {
    char *out;
    size_t size, length;
    int overflow;
} Writer;

typedef struct {
    char flag;    /* 0, '-', '_', '0', '^' or '#' */
    int width;    /* -1: the conversion's own */
    int colons;   /* %:z */
} Spec;

static void put(Writer *w, char c)
{
    if (w->length + 1 < w->size)
        w->out[w->length] = c;
    else
        w->overflow = 1;
    w->length++;
}

static void put_padded(Writer *w, const char *text, const Spec *spec, char default_pad)
{
    size_t length = strlen(text);
    char pad = spec->flag == '_' ? ' ' : spec->flag == '0' ? '0' : default_pad;
    int negative = text[0] == '-' || text[0] == '+';
    if (spec->flag != '-' && spec->width > 0 && negative && pad == '0') {
        put(w, *text++), length--;
        for (size_t i = length + 1; i < (size_t)spec->width; i++)
            put(w, '0');
    } else if (spec->flag != '-' && spec->width > 0) {
        for (size_t i = length; i < (size_t)spec->width; i++)
            put(w, pad);
    }
    for (; *text; text++) {
        char c = *text;
        if (spec->flag == '^' && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (spec->flag == '#' && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (spec->flag == '#' && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        put(w, c);
    }
}

/* A number with `digits` digits at least (zeros, or spaces for space_pad). */
static void put_number(Writer *w, long long value, int digits, int space_pad, const Spec *spec)
{
    char text[32];
    int n = 0, negative = value < 0;
    unsigned long long magnitude = negative ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    do
        text[n++] = (char)('0' + magnitude % 10);
    while ((magnitude /= 10) != 0);
    char shown[34];
    int k = 0;
    if (negative)
        shown[k++] = '-';
    while (n > 0)
        shown[k++] = text[--n];
    shown[k] = '\0';
    Spec padded = *spec;
    if (padded.width < 0)
        padded.width = digits + negative;
    put_padded(w, shown, &padded, space_pad ? ' ' : '0');
}

static long long floor_mod(long long a, long long b)
{
    long long r = a % b;
    return r < 0 ? r + b : r;
}

/* ISO 8601 week number and its year (%V, %G, %g). */
static int iso_week(const struct tm *tm, long long *iso_year)
{
    long long year = 1900LL + tm->tm_year;
    int monday_based = (tm->tm_wday + 6) % 7;
    int week = (tm->tm_yday - monday_based + 10) / 7;
    /* Weekday (0 Monday) of the year's 1 January. */
    int jan1 = (int)floor_mod(monday_based - tm->tm_yday, 7);
    if (week < 1) {
        int previous_jan1 = (int)floor_mod(jan1 - __days_in_year(year - 1), 7);
        week = previous_jan1 == 3 || (previous_jan1 == 2 && __days_in_year(year - 1) == 366) ? 53 : 52;
        year--;
    } else if (week == 53 && !(jan1 == 3 || (jan1 == 2 && __days_in_year(year) == 366))) {
        week = 1;
        year++;
    }
    *iso_year = year;
    return week;
}

static void format_into(Writer *w, const char *format, const struct tm *tm);

static void put_composite(Writer *w, const char *format, const struct tm *tm, const Spec *spec)
{
    char text[128];
    Writer inner = {text, sizeof text, 0, 0};
    format_into(&inner, format, tm);
    text[inner.length < sizeof text ? inner.length : sizeof text - 1] = '\0';
    put_padded(w, text, spec, ' ');
}

static void put_zone_offset(Writer *w, const struct tm *tm, const Spec *spec)
{
    long offset = tm->tm_gmtoff;
    char text[16];
    char sign = offset < 0 ? '-' : '+';
    long magnitude = offset < 0 ? -offset : offset;
    long hours = magnitude / 3600, minutes = magnitude / 60 % 60;
    text[0] = sign;
    text[1] = (char)('0' + hours / 10), text[2] = (char)('0' + hours % 10);
    int n = 3;
    if (spec->colons)
        text[n++] = ':';
    text[n++] = (char)('0' + minutes / 10), text[n++] = (char)('0' + minutes % 10);
    text[n] = '\0';
    put_padded(w, text, spec, '0');
}

/* The names: %a %A %b %B %h %p %P; false for another conversion. */
static int convert_name(Writer *w, char c, const struct tm *tm, const Spec *spec)
{
    char abbreviation[4] = "";
    switch (c) {
    case 'a': case 'A': {
        /* glibc prints "?" for a field out of range; so do we. */
        const char *name = tm->tm_wday >= 0 && tm->tm_wday < 7 ? DAY_NAMES[tm->tm_wday] : "?";
        strncat(abbreviation, name, 3);
        put_padded(w, c == 'a' ? abbreviation : name, spec, ' ');
        return 1;
    }
    case 'b': case 'h': case 'B': {
        const char *name = tm->tm_mon >= 0 && tm->tm_mon < 12 ? MONTH_NAMES[tm->tm_mon] : "?";
        strncat(abbreviation, name, 3);
        put_padded(w, c == 'B' ? name : abbreviation, spec, ' ');
        return 1;
    }
    case 'p': case 'P': {
        const char *text = tm->tm_hour < 12 ? (c == 'p' ? "AM" : "am") : (c == 'p' ? "PM" : "pm");
        put_padded(w, text, spec, ' ');
        return 1;
    }
    default: return 0;
    }
}

/* One conversion; false when `c` is none (the caller copies it). */
static int convert(Writer *w, char c, const struct tm *tm, const Spec *spec)
{
    long long year = 1900LL + tm->tm_year, iso_year;
    int hour12 = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;
    if (convert_name(w, c, tm, spec))
        return 1;
    switch (c) {
    case 'C': put_number(w, (year - floor_mod(year, 100)) / 100, 2, 0, spec); return 1;
    case 'd': put_number(w, tm->tm_mday, 2, 0, spec); return 1;
    case 'e': put_number(w, tm->tm_mday, 2, 1, spec); return 1;
    case 'H': put_number(w, tm->tm_hour, 2, 0, spec); return 1;
    case 'k': put_number(w, tm->tm_hour, 2, 1, spec); return 1;
    case 'I': put_number(w, hour12, 2, 0, spec); return 1;
    case 'l': put_number(w, hour12, 2, 1, spec); return 1;
    case 'j': put_number(w, tm->tm_yday + 1, 3, 0, spec); return 1;
    case 'm': put_number(w, tm->tm_mon + 1, 2, 0, spec); return 1;
    case 'M': put_number(w, tm->tm_min, 2, 0, spec); return 1;
    case 'S': put_number(w, tm->tm_sec, 2, 0, spec); return 1;
    case 'u': put_number(w, tm->tm_wday ? tm->tm_wday : 7, 1, 0, spec); return 1;
    case 'w': put_number(w, tm->tm_wday, 1, 0, spec); return 1;
    case 'U': put_number(w, (tm->tm_yday + 7 - tm->tm_wday) / 7, 2, 0, spec); return 1;
    case 'W': put_number(w, (tm->tm_yday + 7 - (tm->tm_wday + 6) % 7) / 7, 2, 0, spec); return 1;
    case 'V': put_number(w, iso_week(tm, &iso_year), 2, 0, spec); return 1;
    case 'G': iso_week(tm, &iso_year); put_number(w, iso_year, 1, 0, spec); return 1;
    case 'g': iso_week(tm, &iso_year); put_number(w, floor_mod(iso_year, 100), 2, 0, spec); return 1;
    case 'y': put_number(w, floor_mod(year, 100), 2, 0, spec); return 1;
    case 'Y': put_number(w, year, 1, 0, spec); return 1;
    case 's': {
        struct tm copy = *tm;
        put_number(w, (long long)timegm(&copy) - tm->tm_gmtoff, 1, 0, spec);
        return 1;
    }
    case 'z': put_zone_offset(w, tm, spec); return 1;
    case 'Z': put_padded(w, tm->tm_zone ? tm->tm_zone : "UTC", spec, ' '); return 1;
    case 'n': put_padded(w, "\n", spec, ' '); return 1;
    case 't': put_padded(w, "\t", spec, ' '); return 1;
    case '%': put_padded(w, "%", spec, ' '); return 1;
    case 'c': put_composite(w, "%a %b %e %H:%M:%S %Y", tm, spec); return 1;
    case 'D': case 'x': put_composite(w, "%m/%d/%y", tm, spec); return 1;
    case 'F': put_composite(w, "%Y-%m-%d", tm, spec); return 1;
    case 'r': put_composite(w, "%I:%M:%S %p", tm, spec); return 1;
    case 'R': put_composite(w, "%H:%M", tm, spec); return 1;
    case 'T': case 'X': put_composite(w, "%H:%M:%S", tm, spec); return 1;
    default: return 0;
    }
}

static void format_into(Writer *w, const char *format, const struct tm *tm)
{
    for (const char *p = format; *p; p++) {
        if (*p != '%') {
            put(w, *p);
            continue;
        }
        const char *start = p++;
        Spec spec = {0, -1, 0};
        while (*p == '-' || *p == '_' || *p == '0' || *p == '^' || *p == '#')
            spec.flag = *p++;
        if (*p >= '1' && *p <= '9') {
            spec.width = 0;
            while (*p >= '0' && *p <= '9')
                spec.width = spec.width * 10 + (*p++ - '0');
        }
        while (*p == ':')
            spec.colons++, p++;
        while (*p == 'E' || *p == 'O')
            p++;
        if (*p && (spec.colons == 0 || *p == 'z') && convert(w, *p, tm, &spec))
            continue;
        /* Not a conversion: copied as written. */
        if (!*p)
            p--;
        for (const char *q = start; q <= p; q++)
            put(w, *q);
    }
}

size_t strftime(char *out, size_t size, const char *format, const struct tm *tm)
{
    Writer w = {out, size, 0, 0};
    format_into(&w, format, tm);
    if (w.overflow || size == 0)
        return 0;
    out[w.length] = '\0';
    return w.length;
}
