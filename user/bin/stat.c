/* stat -- shows the inode information of each FILE (lstat64, call 196),
 * in the layout of coreutils' default format, without the time lines:
 *
 *     File: NAME [-> TARGET]
 *     Size: S          Blocks: B          IO Block: I      TYPE
 *   Device: MAJOR,MINOR  Inode: N          Links: L [Device type: MAJOR,MINOR]
 *   Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)
 *
 * -L follows symbolic links (stat64, call 195). User and group names come
 * from /etc/passwd and /etc/group when they can be read, else "UNKNOWN".
 * Differences from coreutils: no Access/Modify/Change/Birth time lines,
 * names are never quoted, no -c/--format. A FILE that cannot be examined
 * is reported as "stat: FILE: reason"; the exit status is then 1. */
#include <errno.h>
#include <limits.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "stat";

static int usage(FILE *out, int status)
{
    fputs("Usage: stat [-L] FILE...\n"
          "Display file status (everything but the times).\n"
          "  -L  follow symbolic links\n", out);
    return finish(status);
}

/* Looks up `id` in a passwd/group style file (name:x:id:...) into name. */
static void id_name(const char *table, unsigned long id, char *name, size_t size)
{
    snprintf(name, size, "UNKNOWN");
    FILE *f = fopen(table, "r");
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        char *first = strchr(line, ':');
        char *second = first ? strchr(first + 1, ':') : NULL;
        if (!second)
            continue;
        char *end;
        unsigned long value = strtoul(second + 1, &end, 10);
        if (*end == ':' && value == id && end != second + 1) {
            *first = '\0';
            snprintf(name, size, "%s", line);
            break;
        }
    }
    free(line);
    fclose(f);
}

static const char *type_name(const struct stat *st)
{
    switch (st->st_mode & S_IFMT) {
    case S_IFREG: return st->st_size == 0 ? "regular empty file" : "regular file";
    case S_IFDIR: return "directory";
    case S_IFLNK: return "symbolic link";
    case S_IFCHR: return "character special file";
    case S_IFBLK: return "block special file";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "socket";
    default: return "weird file";
    }
}

static int show(const char *path, int follow)
{
    struct stat st;
    if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
        warn_errno(path);
        return 1;
    }
    printf("  File: %s", path);
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n >= 0) {
            target[n] = '\0';
            printf(" -> %s", target);
        }
    }
    char number[24];
    snprintf(number, sizeof number, "%lld", st.st_size);
    printf("\n  Size: %-10s\tBlocks: %-10llu IO Block: %-6lu %s\n",
           number, st.st_blocks, st.st_blksize, type_name(&st));
    printf("Device: %u,%u\tInode: %-11llu Links: ", major(st.st_dev), minor(st.st_dev), st.st_ino);
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        printf("%-5u Device type: %u,%u\n", st.st_nlink, major(st.st_rdev), minor(st.st_rdev));
    else
        printf("%u\n", st.st_nlink);
    char mode[11], user[64], group[64];
    mode_string(st.st_mode, mode);
    id_name("/etc/passwd", st.st_uid, user, sizeof user);
    id_name("/etc/group", st.st_gid, group, sizeof group);
    printf("Access: (%04o/%s)  Uid: (%5lu/%8s)   Gid: (%5lu/%8s)\n",
           st.st_mode & 07777, mode, st.st_uid, user, st.st_gid, group);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int follow = 0, c;
    while ((c = getopt(argc, argv, "L")) != -1) {
        if (c == 'L')
            follow = 1;
        else
            return usage(stderr, 2);
    }
    if (optind == argc) {
        warn_message("missing operand");
        return usage(stderr, 2);
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= show(argv[i], follow);
    return finish(status);
}
