/* passwd.c -- getpwuid, getpwnam, getgrgid and getgrnam over the colon-
 * separated files /etc/passwd and /etc/group.
 *
 * Layer: user libc. Each call reads the file from its start line by line
 * and splits the matching line in place into one static buffer, so the
 * result lives until the next call of the same family. Lines with too
 * few fields or a uid/gid that is not a number are skipped, as glibc's
 * files backend skips them.
 * Must stay true: a lookup never fails for lack of an entry with errno
 * changed (callers such as ls tell "no such user" from "cannot read"). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 1024
#define MEMBERS_MAX 64

/* Splits line at ':' into at most `count` fields; returns how many. */
static int split_fields(char *line, char **fields, int count)
{
    int n = 0;
    char *end = strchr(line, '\n');
    if (end)
        *end = '\0';
    fields[n++] = line;
    for (char *p = line; *p && n < count; p++) {
        if (*p == ':') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    }
    return n;
}

static int parse_id(const char *text, unsigned *out)
{
    char *end;
    if (!*text)
        return 0;
    unsigned long value = strtoul(text, &end, 10);
    if (*end || text[0] == '-')
        return 0;
    *out = (unsigned)value;
    return 1;
}

/* Finds the line of `path` whose field `key_field` (with `fields` fields
 * wanted) matches name, or whose numeric field matches id. Fills fields
 * (pointing into line); returns 1 found, 0 not found, -1 unreadable. */
static int find_line(const char *path, int wanted, int key_field, const char *name, unsigned id,
                     char *line, char **fields)
{
    int saved = errno;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int found = 0;
    while (!found && fgets(line, LINE_MAX_BYTES, f)) {
        if (split_fields(line, fields, wanted) < wanted)
            continue;
        unsigned value;
        if (!parse_id(fields[2], &value))
            continue;
        found = name ? strcmp(fields[key_field], name) == 0 : value == id;
    }
    fclose(f);
    errno = saved;
    return found;
}

static struct passwd *lookup_user(const char *name, uid_t uid)
{
    static char line[LINE_MAX_BYTES];
    static struct passwd entry;
    char *f[7];
    if (find_line("/etc/passwd", 7, 0, name, uid, line, f) != 1)
        return NULL;
    unsigned gid = 0;
    parse_id(f[3], &gid);
    parse_id(f[2], &entry.pw_uid);
    entry.pw_name = f[0], entry.pw_passwd = f[1], entry.pw_gid = gid;
    entry.pw_gecos = f[4], entry.pw_dir = f[5], entry.pw_shell = f[6];
    return &entry;
}

struct passwd *getpwuid(uid_t uid) { return lookup_user(NULL, uid); }

struct passwd *getpwnam(const char *name) { return lookup_user(name, 0); }

static struct group *lookup_group(const char *name, gid_t gid)
{
    static char line[LINE_MAX_BYTES];
    static struct group entry;
    static char *members[MEMBERS_MAX + 1];
    char *f[4];
    if (find_line("/etc/group", 4, 0, name, gid, line, f) != 1)
        return NULL;
    int n = 0;
    for (char *member = f[3]; *member && n < MEMBERS_MAX;) {
        members[n++] = member;
        char *comma = strchr(member, ',');
        if (!comma)
            break;
        *comma = '\0';
        member = comma + 1;
    }
    members[n] = NULL;
    parse_id(f[2], &entry.gr_gid);
    entry.gr_name = f[0], entry.gr_passwd = f[1], entry.gr_mem = members;
    return &entry;
}

struct group *getgrgid(gid_t gid) { return lookup_group(NULL, gid); }

struct group *getgrnam(const char *name) { return lookup_group(name, 0); }
