/* iostat -- per-disk I/O statistics since boot, from /proc/diskstats.
 *   iostat [-a] [DEVICE...]
 * One line per disk (only the named ones when DEVICEs are given; disks
 * that have done no I/O are left out unless -a or named):
 *   r/w          reads / writes completed -- requests as the driver saw
 *                them, so a merged chain counts once
 *   rrqm/wrqm    requests merged into another one before reaching the driver
 *   rkB/wkB      KiB read / written
 *   rareq-sz/wareq-sz   average request size in KiB (sectors / completed)
 *   r_await/w_await     average time of a request from submission to
 *                completion in ms: time queued plus time at the device
 * Like the columns of Linux's `iostat -x`, but cumulative since boot rather
 * than per second over an interval (there is no interval argument).
 * /proc/diskstats is Linux's format: major minor name, then reads completed,
 * merged, sectors, ms, writes completed, merged, sectors, ms, ...; only
 * those first eleven fields are used, so any Linux's file works too.
 * Exit status: 0, 1 when /proc/diskstats cannot be read or a named device
 * is not in it, 2 for a usage error. Errors read "iostat: WHAT: reason". */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "iostat";

#define DISKSTATS "/proc/diskstats"

struct disk {
    char name[32];
    unsigned long long reads, reads_merged, sectors_read, read_ms;
    unsigned long long writes, writes_merged, sectors_written, write_ms;
};

static int usage(FILE *out, int status)
{
    fputs("Usage: iostat [-a] [DEVICE...]\n"
          "Disk I/O statistics since boot, from " DISKSTATS ".\n"
          "  -a  also disks that have done no I/O\n"
          "Columns: r w (requests completed), rrqm wrqm (requests merged),\n"
          "rkB wkB (KiB moved), rareq-sz wareq-sz (average request, KiB),\n"
          "r_await w_await (average ms from submission to completion).\n"
          "Totals since boot, not rates per second as in Linux's iostat -x.\n", out);
    return finish(status);
}

/* Parses one line of /proc/diskstats; 0 when it has the fields we need. */
static int parse_line(const char *line, struct disk *disk)
{
    char *end;
    strtoul(line, &end, 10);               /* major */
    if (end == line) return -1;
    const char *p = end;
    strtoul(p, &end, 10);                  /* minor */
    if (end == p) return -1;
    p = end + strspn(end, " \t");
    size_t length = strcspn(p, " \t\n");
    if (length == 0 || length >= sizeof disk->name) return -1;
    memcpy(disk->name, p, length);
    disk->name[length] = '\0';
    p += length;
    unsigned long long *fields[] = {
        &disk->reads, &disk->reads_merged, &disk->sectors_read, &disk->read_ms,
        &disk->writes, &disk->writes_merged, &disk->sectors_written, &disk->write_ms,
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        *fields[i] = strtoull(p, &end, 10);
        if (end == p) return -1;
        p = end;
    }
    return 0;
}

/* "12.3": numerator / denominator with one decimal, in integers (our printf
 * has no %f); "0.0" when nothing was counted. */
static void print_average(unsigned long long numerator, unsigned long long denominator, int width)
{
    char text[32];
    unsigned long long tenths = denominator ? (numerator * 10 + denominator / 2) / denominator : 0;
    snprintf(text, sizeof text, "%llu.%llu", tenths / 10, tenths % 10);
    printf(" %*s", width, text);
}

static void print_header(void)
{
    printf("%-10s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "Device", "r", "w", "rrqm", "wrqm", "rkB",
           "wkB", "rareq-sz", "wareq-sz", "r_await", "w_await");
}

static void print_disk(const struct disk *d)
{
    printf("%-10s %9llu %9llu %9llu %9llu %9llu %9llu", d->name, d->reads, d->writes, d->reads_merged,
           d->writes_merged, d->sectors_read / 2, d->sectors_written / 2);
    print_average(d->sectors_read, d->reads * 2, 9);
    print_average(d->sectors_written, d->writes * 2, 9);
    print_average(d->read_ms, d->reads, 9);
    print_average(d->write_ms, d->writes, 9);
    putchar('\n');
}

static int is_named(const char *name, char **names, int count, int *found)
{
    for (int i = 0; i < count; i++) {
        const char *wanted = strncmp(names[i], "/dev/", 5) == 0 ? names[i] + 5 : names[i];
        if (strcmp(name, wanted) == 0) {
            found[i] = 1;
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int all = 0, c;
    while ((c = getopt(argc, argv, "a")) != -1) {
        if (c == 'a') all = 1;
        else return usage(stderr, 2);
    }
    char **names = argv + optind;
    int name_count = argc - optind;
    int *found = calloc(name_count ? name_count : 1, sizeof *found);
    FILE *stats = fopen(DISKSTATS, "r");
    if (!stats || !found) {
        warn_errno(DISKSTATS);
        return finish(1);
    }
    print_header();
    char line[512];
    while (fgets(line, sizeof line, stats)) {
        struct disk disk;
        if (parse_line(line, &disk) < 0)
            continue;
        int named = is_named(disk.name, names, name_count, found);
        if (name_count ? named : (all || disk.reads || disk.writes))
            print_disk(&disk);
    }
    fclose(stats);
    int status = 0;
    for (int i = 0; i < name_count; i++) {
        if (!found[i]) {
            warn_message("%s: no such device in " DISKSTATS, names[i]);
            status = 1;
        }
    }
    free(found);
    return finish(status);
}
