/* touch -- sets the access and modification times of each FILE to now
 * (utimensat, call 320), creating it empty when it does not exist.
 *   -c       do not create missing files (and say nothing about them)
 *   -a       change only the access time
 *   -m       change only the modification time
 *   -d DATE  use DATE instead of now: "@SECONDS" since 1970, or
 *            "YYYY-MM-DD[ HH:MM[:SS]]" in UTC (this system has no time
 *            zones; coreutils reads it in the local zone, UTC on most servers)
 *   -r FILE  use FILE's times instead of now
 * Errors as coreutils: "touch: cannot touch 'X': reason", exit 1. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *program_name = "touch";

static int usage(FILE *out, int status)
{
    fputs("Usage: touch [-a] [-c] [-m] [-d DATE | -r FILE] FILE...\n"
          "Update the access and modification times of each FILE to the current time.\n"
          "A FILE argument that does not exist is created empty, unless -c is given.\n"
          "  -a  change only the access time\n"
          "  -c  do not create any files\n"
          "  -m  change only the modification time\n"
          "  -d DATE  use DATE (@SECONDS or YYYY-MM-DD [HH:MM[:SS]], UTC) instead of now\n"
          "  -r FILE  use FILE's times instead of now\n", out);
    return finish(status);
}

/* Days from 1970-01-01 to year-month-day of the Gregorian calendar. */
static long days_since_epoch(long year, long month, long day)
{
    year -= month <= 2;
    long era = (year >= 0 ? year : year - 399) / 400;
    long year_of_era = year - era * 400;
    long day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

/* Reads digits at *p, then the separator `next` (or the end of the text,
 * which every separator accepts); returns 0, or -1 when that is not there. */
static int read_field(const char **p, long *value, char next)
{
    char *end;
    if (**p < '0' || **p > '9')
        return -1;
    *value = strtol(*p, &end, 10);
    if (*end == next && next != '\0')
        end++;
    else if (*end != '\0')
        return -1;
    *p = end;
    return 0;
}

/* Parses -d's DATE into *seconds; returns 0, or -1 when it is not one of
 * the forms above. */
static int parse_date(const char *text, long *seconds)
{
    char *end;
    if (text[0] == '@') {
        *seconds = strtol(text + 1, &end, 10);
        return text[1] != '\0' && *end == '\0' ? 0 : -1;
    }
    long year, month, day, hour = 0, minute = 0, second = 0;
    const char *p = text;
    if (read_field(&p, &year, '-') < 0 || read_field(&p, &month, '-') < 0 ||
        read_field(&p, &day, ' ') < 0)
        return -1;
    if (*p && (read_field(&p, &hour, ':') < 0 || read_field(&p, &minute, ':') < 0))
        return -1;
    if (*p && read_field(&p, &second, '\0') < 0)
        return -1;
    if (*p)
        return -1;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return -1;
    *seconds = days_since_epoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return 0;
}

static int touch_file(const char *path, int create, const struct timespec times[2])
{
    if (create) {
        int fd = open(path, O_WRONLY | O_CREAT | O_NOCTTY, 0666);
        if (fd < 0 && errno != EISDIR) {
            warn_message("cannot touch '%s': %s", path, strerror(errno));
            return 1;
        }
        if (fd >= 0)
            close(fd);
    }
    if (utimensat(AT_FDCWD, path, times, 0) < 0) {
        if (!create && errno == ENOENT)
            return 0;
        warn_message("setting times of '%s': %s", path, strerror(errno));
        return 1;
    }
    return 0;
}

/* The times of -d DATE or -r FILE; returns 0, or -1 (reported). */
static int set_times_from(int option, const char *argument, struct timespec times[2])
{
    if (option == 'r') {
        struct stat st;
        if (stat(argument, &st) < 0) {
            warn_message("failed to get attributes of '%s': %s", argument, strerror(errno));
            return -1;
        }
        times[0] = (struct timespec){ (long)st.st_atime_sec, (long)st.st_atime_nsec };
        times[1] = (struct timespec){ (long)st.st_mtime_sec, (long)st.st_mtime_nsec };
        return 0;
    }
    long seconds;
    if (parse_date(argument, &seconds) < 0) {
        warn_message("invalid date format '%s'", argument);
        return -1;
    }
    times[0] = times[1] = (struct timespec){ seconds, 0 };
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int create = 1, only_access = 0, only_modification = 0;
    struct timespec times[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
    int c;
    while ((c = getopt(argc, argv, "acd:mr:")) != -1) {
        if (c == 'a')
            only_access = 1;
        else if (c == 'c')
            create = 0;
        else if (c == 'm')
            only_modification = 1;
        else if (c == 'd' || c == 'r') {
            if (set_times_from(c, optarg, times) < 0)
                return 1;
        } else
            return usage(stderr, 1);
    }
    if (optind == argc) {
        warn_message("missing file operand");
        suggest_help();
        return 1;
    }
    /* -a and -m together, like neither, change both times. */
    if (only_access && !only_modification)
        times[1].tv_nsec = UTIME_OMIT;
    if (only_modification && !only_access)
        times[0].tv_nsec = UTIME_OMIT;
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= touch_file(argv[i], create, times);
    return finish(status);
}
