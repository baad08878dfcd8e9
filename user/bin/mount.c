/* mount -- lists the mounts, or mounts a file system:
 *   mount                                      the mount table
 *   mount [-t TYPE] [-o OPTIONS] SOURCE TARGET
 *   mount -a                                   every /etc/fstab entry
 *   mount -o remount,ro|rw TARGET              new flags for a mounted one
 * The table comes from /proc/mounts, printed as util-linux prints it
 * ("SOURCE on TARGET type TYPE (OPTIONS)"). OPTIONS is a comma list: ro, rw,
 * nosuid, suid, nodev, dev, noexec, exec, sync, async, noatime, nodiratime
 * become mount(2) flags; anything else (size=64k for tmpfs) goes to the
 * file system as its data. "remount" changes the flags of the mount at
 * TARGET (MS_REMOUNT): the options given are its whole new state. Without -t each disk file system type of
 * /proc/filesystems is tried in turn, as util-linux does.
 * With -a, each line of /etc/fstab ("SOURCE TARGET TYPE OPTIONS ...", #
 * comments) not yet mounted is mounted. An entry with the option "nofail"
 * is skipped without a word when its disk is missing (ENOENT, ENXIO) -- as
 * util-linux does -- or holds another kind of file system (EINVAL), so one
 * table serves machines with and without each disk.
 * Exit status: 0; 1 on a usage error; 32 when mounting failed (util-linux's). */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *program_name = "mount";

#define SYS_mount 21
#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SYNCHRONOUS 16
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_REMOUNT 32
#define MS_SILENT 32768
#define MOUNT_FAILED 32

static int usage(FILE *out, int status)
{
    fputs("Usage: mount\n"
          "   or: mount [-t TYPE] [-o OPTION[,OPTION...]] SOURCE TARGET\n"
          "   or: mount -o remount,OPTIONS TARGET\n"
          "   or: mount -a\n"
          "Without operands, list the mounted file systems. Otherwise mount the\n"
          "file system of type TYPE from SOURCE (a block device, or any word for\n"
          "tmpfs, proc and devfs) on the directory TARGET. With -a, mount what\n"
          "/etc/fstab lists (\"nofail\": quietly skip a missing or foreign disk).\n"
          "Options: ro rw nosuid suid nodev dev noexec exec sync async noatime\n"
          "nodiratime; others are passed to the file system (size=N for tmpfs).\n", out);
    return finish(status);
}

/* Cuts the next word off *cursor (separated by any of `separators`);
 * NULL when none is left. */
static char *next_word(char **cursor, const char *separators)
{
    char *start = *cursor + strspn(*cursor, separators);
    if (!*start)
        return NULL;
    char *end = start + strcspn(start, separators);
    *cursor = *end ? end + 1 : end;
    *end = '\0';
    return start;
}

static int list_mounts(void)
{
    FILE *table = fopen("/proc/mounts", "r");
    if (!table) {
        warn_errno("/proc/mounts");
        return finish(MOUNT_FAILED);
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, table) > 0) {
        char *cursor = line;
        char *source = next_word(&cursor, " \t\n");
        char *target = next_word(&cursor, " \t\n");
        char *type = next_word(&cursor, " \t\n");
        char *options = next_word(&cursor, " \t\n");
        if (options)
            printf("%s on %s type %s (%s)\n", source, target, type, options);
    }
    free(line);
    fclose(table);
    return finish(0);
}

static const struct { const char *name; unsigned long set, clear; } flag_words[] = {
    {"ro", MS_RDONLY, 0}, {"rw", 0, MS_RDONLY}, {"nosuid", MS_NOSUID, 0}, {"suid", 0, MS_NOSUID},
    {"nodev", MS_NODEV, 0}, {"dev", 0, MS_NODEV}, {"noexec", MS_NOEXEC, 0}, {"exec", 0, MS_NOEXEC},
    {"sync", MS_SYNCHRONOUS, 0}, {"async", 0, MS_SYNCHRONOUS}, {"noatime", MS_NOATIME, 0},
    {"nodiratime", MS_NODIRATIME, 0}, {"remount", MS_REMOUNT, 0}, {"defaults", 0, 0}, {"nofail", 0, 0},  /* nofail: for mount -a */
};

/* Splits OPTIONS into flags and the data string for the file system. */
static void parse_options(const char *options, unsigned long *flags, char *data, size_t data_size)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", options);
    char *cursor = copy;
    for (char *word; (word = next_word(&cursor, ",")) != NULL;) {
        size_t i;
        for (i = 0; i < sizeof flag_words / sizeof flag_words[0]; i++) {
            if (strcmp(word, flag_words[i].name) == 0) {
                *flags = (*flags | flag_words[i].set) & ~flag_words[i].clear;
                break;
            }
        }
        if (i == sizeof flag_words / sizeof flag_words[0]) {
            size_t used = strlen(data);
            snprintf(data + used, data_size - used, "%s%s", used ? "," : "", word);
        }
    }
}

static long try_mount(const char *source, const char *target, const char *type, unsigned long flags,
                      const char *data)
{
    return syscall5(SYS_mount, (long)source, (long)target, (long)type, (long)flags, (long)data);
}

/* Without -t: every type /proc/filesystems lists without "nodev", in turn,
 * until one takes the disk, each asked with MS_SILENT (as util-linux does:
 * "not mine" is then no console message). The last error that was not "not
 * this type" (EINVAL) is kept, so a missing device says so. */
static long mount_any_type(const char *source, const char *target, unsigned long flags, const char *data)
{
    FILE *types = fopen("/proc/filesystems", "r");
    if (!types)
        return -errno;
    char *line = NULL;
    size_t cap = 0;
    long result = -EINVAL;
    while (getline(&line, &cap, types) > 0) {
        char *cursor = line;
        char *first = next_word(&cursor, " \t\n");
        if (!first || next_word(&cursor, " \t\n"))
            continue;  /* "nodev NAME": not a disk file system */
        long tried = try_mount(source, target, first, flags | MS_SILENT, data);
        if (tried == 0) {
            result = 0;
            break;
        }
        if (tried != -EINVAL || result == -EINVAL)
            result = tried;
    }
    free(line);
    fclose(types);
    return result;
}

/* Is TARGET already in /proc/mounts? */
static int is_mounted(const char *target)
{
    FILE *table = fopen("/proc/mounts", "r");
    if (!table)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    int found = 0;
    while (!found && getline(&line, &cap, table) > 0) {
        char *cursor = line;
        next_word(&cursor, " \t\n");
        char *mounted_on = next_word(&cursor, " \t\n");
        found = mounted_on && strcmp(mounted_on, target) == 0;
    }
    free(line);
    fclose(table);
    return found;
}

static int mount_fstab_entry(char *line)
{
    char *cursor = line;
    char *source = next_word(&cursor, " \t\n");
    char *target = next_word(&cursor, " \t\n");
    char *type = next_word(&cursor, " \t\n");
    char *options = next_word(&cursor, " \t\n");
    if (!source || source[0] == '#' || !type || is_mounted(target))
        return 0;
    unsigned long flags = 0;
    char data[512] = "";
    int nofail = 0;
    if (options) {
        nofail = strstr(options, "nofail") != NULL;
        parse_options(options, &flags, data, sizeof data);
    }
    long result = try_mount(source, target, type, flags, data);
    if (result == 0 || (nofail && (result == -ENOENT || result == -ENXIO || result == -EINVAL)))
        return 0;
    warn_message("%s on %s: %s", source, target, strerror((int)-result));
    return MOUNT_FAILED;
}

static int mount_all(void)
{
    FILE *table = fopen("/etc/fstab", "r");
    if (!table) {
        warn_errno("/etc/fstab");
        return finish(MOUNT_FAILED);
    }
    char *line = NULL;
    size_t cap = 0;
    int status = 0;
    while (getline(&line, &cap, table) > 0) {
        if (mount_fstab_entry(line))
            status = MOUNT_FAILED;
    }
    free(line);
    fclose(table);
    return finish(status);
}

int main(int argc, char **argv)
{
    const char *type = NULL;
    unsigned long flags = 0;
    char data[512] = "";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "-a") == 0 && argc == 2)
            return mount_all();
        if ((strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "-o") == 0) && i + 1 < argc) {
            if (argv[i][1] == 't')
                type = argv[++i];
            else
                parse_options(argv[++i], &flags, data, sizeof data);
        } else {
            warn_message("invalid option -- '%s'", argv[i] + 1);
            return usage(stderr, 1);
        }
    }
    if (i == argc && !type && !data[0] && !flags)
        return list_mounts();
    if ((flags & MS_REMOUNT) && argc - i == 1) {
        long result = try_mount(NULL, argv[i], NULL, flags, data);
        if (result < 0) {
            warn_message("cannot remount %s: %s", argv[i], strerror((int)-result));
            return finish(MOUNT_FAILED);
        }
        return finish(0);
    }
    if (argc - i != 2) {
        warn_message(argc - i < 2 ? "missing operand" : "too many operands");
        return usage(stderr, 1);
    }
    const char *source = argv[i], *target = argv[i + 1];
    long result = type ? try_mount(source, target, type, flags, data) : mount_any_type(source, target, flags, data);
    if (result < 0) {
        warn_message("%s on %s: %s", source, target, strerror((int)-result));
        return finish(MOUNT_FAILED);
    }
    return finish(0);
}
