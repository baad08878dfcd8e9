/* ps -- lists processes, as /proc describes them.
 *   -e, -A        every process (also the default: there are no terminals
 *                 to select by)
 *   -f            full format: a UID column, and CMD is the command line
 *   -p PID[,PID]  only these processes (may be repeated)
 *
 * Columns: [UID] PID PPID STAT CMD. STAT is the state letter of
 * /proc/PID/stat (R running, S sleeping, Z zombie, ...). CMD is the process
 * name (comm); with -f it is the command line from /proc/PID/cmdline, or
 * the name in brackets when that is empty (a zombie, a kernel thread), as
 * procps shows them. Lines are sorted by PID.
 *
 * Where the fields come from: /proc/PID/stat is "pid (comm) state ppid
 * ...", and comm may itself hold spaces and parentheses, so the name ends
 * at the *last* ')'. UID is the owner of /proc/PID (numeric: there is no
 * user database here).
 *
 * Differences from procps' ps, on purpose: every process is listed without
 * -e; only the columns above; UID is a number. A process that ends while ps
 * reads /proc is left out without a message.
 * Exit status: 0, or 1 when /proc cannot be read or -p matched nothing;
 * 2 for a usage error. Errors read "ps: WHAT: reason". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "ps";

#define MAX_SELECTED 64

typedef struct {
    long pid, ppid;
    char state;
    unsigned uid;
    char name[64];
    char *command_line;   /* NULL without -f */
} Process;

static int full_format;
static long selected[MAX_SELECTED];
static int selected_count;

static int usage(FILE *out, int status)
{
    fputs("Usage: ps [-eAf] [-p PID[,PID...]]\n"
          "List processes from /proc: PID, PPID, STAT (R running, S sleeping,\n"
          "Z zombie) and CMD, sorted by PID.\n"
          "  -e, -A  every process (the default)\n"
          "  -f      full format: add UID, show the whole command line\n"
          "  -p      only the processes with these PIDs\n", out);
    return finish(status);
}

/* Adds the comma-separated PIDs of a -p argument; 0 if one is not a PID. */
static int select_pids(const char *list)
{
    for (;;) {
        char *end;
        long pid = strtol(list, &end, 10);
        if (end == list || (*end && *end != ',') || pid <= 0 || selected_count == MAX_SELECTED)
            return 0;
        selected[selected_count++] = pid;
        if (!*end)
            return 1;
        list = end + 1;
    }
}

static int is_selected(long pid)
{
    if (selected_count == 0)
        return 1;
    for (int i = 0; i < selected_count; i++)
        if (selected[i] == pid)
            return 1;
    return 0;
}

/* Reads at most size - 1 bytes of a file, NUL-terminated; returns the
 * length, or -1 with errno set. */
static ssize_t read_file(const char *path, char *buffer, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t used = 0;
    while (used + 1 < size) {
        ssize_t got = read(fd, buffer + used, size - 1 - used);
        if (got < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        if (got == 0)
            break;
        used += (size_t)got;
    }
    close(fd);
    buffer[used] = '\0';
    return (ssize_t)used;
}

/* "pid (comm) state ppid ..." -> the fields ps shows; 0 if malformed. */
static int parse_stat(const char *line, Process *p)
{
    const char *open_paren = strchr(line, '(');
    const char *close_paren = strrchr(line, ')');
    if (!open_paren || !close_paren || close_paren < open_paren || close_paren[1] != ' ')
        return 0;
    size_t length = (size_t)(close_paren - open_paren - 1);
    if (length >= sizeof p->name)
        length = sizeof p->name - 1;
    memcpy(p->name, open_paren + 1, length);
    p->name[length] = '\0';
    p->state = close_paren[2];
    char *end;
    p->ppid = strtol(close_paren + 3, &end, 10);
    return end != close_paren + 3;
}

/* The command line with its NULs turned into spaces (and unprintable bytes
 * into '?'); NULL when empty. */
static char *read_command_line(const char *directory)
{
    char path[64], buffer[4096];
    snprintf(path, sizeof path, "%s/cmdline", directory);
    ssize_t length = read_file(path, buffer, sizeof buffer);
    while (length > 0 && buffer[length - 1] == '\0')
        length--;
    if (length <= 0)
        return NULL;
    for (ssize_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)buffer[i];
        if (c == '\0')
            buffer[i] = ' ';
        else if (c < ' ' || c == 0x7f)
            buffer[i] = '?';
    }
    return strndup(buffer, (size_t)length);
}

/* Fills p from /proc/PID; 0 when the process is gone (or unreadable:
 * then a message, and *status becomes 1). */
static int read_process(long pid, Process *p, int *status)
{
    char directory[32], path[64], line[1024];
    snprintf(directory, sizeof directory, "/proc/%ld", pid);
    snprintf(path, sizeof path, "%s/stat", directory);
    struct stat st;
    if (stat(directory, &st) < 0 || read_file(path, line, sizeof line) < 0) {
        if (errno != ENOENT && errno != ESRCH) {
            warn_errno(path);
            *status = 1;
        }
        return 0;
    }
    if (!parse_stat(line, p)) {
        warn_message("%s: unexpected format", path);
        *status = 1;
        return 0;
    }
    p->pid = pid;
    p->uid = (unsigned)st.st_uid;
    p->command_line = full_format ? read_command_line(directory) : NULL;
    return 1;
}

static int compare_pids(const void *a, const void *b)
{
    long left = ((const Process *)a)->pid, right = ((const Process *)b)->pid;
    return (left > right) - (left < right);
}

static void print_processes(const Process *processes, int count)
{
    if (full_format)
        printf("%5s ", "UID");
    printf("%5s %5s STAT CMD\n", "PID", "PPID");
    for (int i = 0; i < count; i++) {
        const Process *p = &processes[i];
        if (full_format)
            printf("%5u ", p->uid);
        printf("%5ld %5ld %-4c ", p->pid, p->ppid, p->state);
        if (!full_format)
            printf("%s\n", p->name);
        else if (p->command_line)
            printf("%s\n", p->command_line);
        else
            printf("[%s]\n", p->name);
    }
}

/* Every selected process in /proc, in the order /proc lists them. */
static Process *collect(int *count, int *status)
{
    DIR *proc = opendir("/proc");
    if (!proc) {
        warn_errno("/proc");
        *status = 1;
        return NULL;
    }
    Process *processes = NULL;
    int capacity = 0;
    struct dirent *entry;
    while ((entry = readdir(proc))) {
        char *end;
        long pid = strtol(entry->d_name, &end, 10);
        if (*end || pid <= 0 || !is_selected(pid))
            continue;
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            Process *grown = realloc(processes, (size_t)capacity * sizeof *processes);
            if (!grown) {
                warn_errno("malloc");
                exit(1);
            }
            processes = grown;
        }
        if (read_process(pid, &processes[*count], status))
            (*count)++;
    }
    closedir(proc);
    return processes;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "eAfp:")) != -1) {
        switch (c) {
        case 'e': case 'A': break;
        case 'f': full_format = 1; break;
        case 'p':
            if (!select_pids(optarg)) {
                warn_message("invalid process id list: %s", optarg);
                return usage(stderr, 2);
            }
            break;
        default: return usage(stderr, 2);
        }
    }
    if (optind < argc) {
        warn_message("unexpected argument: %s", argv[optind]);
        return usage(stderr, 2);
    }
    int status = 0, count = 0;
    Process *processes = collect(&count, &status);
    if (!processes && status)
        return finish(status);
    qsort(processes, (size_t)count, sizeof *processes, compare_pids);
    print_processes(processes, count);
    if (selected_count > 0 && count == 0)
        status = 1;
    for (int i = 0; i < count; i++)
        free(processes[i].command_line);
    free(processes);
    return finish(status);
}
