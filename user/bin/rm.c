/* rm -- removes each FILE (unlink, call 10).
 *   -r, -R  remove directories and their contents, depth first (rmdir, 40)
 *   -f      ignore missing files and never fail for a missing operand
 *   -v      print "removed 'X'" (or "removed directory 'X'") for each removal
 * Like coreutils, rm refuses "/" with -r, refuses to remove "." and ".."
 * ("refusing to remove '.' or '..' directory: skipping 'X'"), and reports
 * "rm: cannot remove 'X': reason"; any failure makes the exit status 1.
 * A directory without -r: "rm: cannot remove 'X': Is a directory". */
#include <dirent.h>
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "rm";

static int recursive, force, verbose;

static int usage(FILE *out, int status)
{
    fputs("Usage: rm [-f] [-r] [-v] FILE...\n"
          "Remove (unlink) the FILE(s).\n"
          "  -f      ignore nonexistent files, never prompt\n"
          "  -r, -R  remove directories and their contents recursively\n"
          "  -v      explain what is being done\n", out);
    return finish(status);
}

/* Returns 1 after saying why path could not be removed (errno), unless
 * -f and the file is simply missing. */
static int cannot_remove(const char *path)
{
    if (force && errno == ENOENT)
        return 0;
    warn_message("cannot remove '%s': %s", path, strerror(errno));
    return 1;
}

static int remove_path(const char *path);

/* Removes everything inside the directory path, then path itself. */
static int remove_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return cannot_remove(path);
    int status = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        size_t length = strlen(path) + strlen(name) + 2;
        char *child = malloc(length);
        if (!child) {
            errno = ENOMEM;
            status = cannot_remove(path);
            break;
        }
        int has_slash = path[strlen(path) - 1] == '/';
        snprintf(child, length, has_slash ? "%s%s" : "%s/%s", path, name);
        status |= remove_path(child);
        free(child);
    }
    closedir(dir);
    if (status == 0 && rmdir(path) < 0)
        status = cannot_remove(path);
    else if (status == 0 && verbose)
        printf("removed directory '%s'\n", path);
    return status;
}

static int remove_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return cannot_remove(path);
    if (S_ISDIR(st.st_mode)) {
        if (!recursive) {
            errno = EISDIR;
            return cannot_remove(path);
        }
        return remove_tree(path);
    }
    if (unlink(path) < 0)
        return cannot_remove(path);
    if (verbose)
        printf("removed '%s'\n", path);
    return 0;
}

/* The last name of path is "." or ".." (trailing slashes ignored). */
static int names_dot_or_dotdot(const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t length = end - start;
    return (length == 1 && path[start] == '.') ||
           (length == 2 && path[start] == '.' && path[start + 1] == '.');
}

static int is_root(const char *path)
{
    return path[0] == '/' && path[strspn(path, "/")] == '\0';
}

static int remove_operand(const char *path)
{
    if (recursive && is_root(path)) {
        /* Like coreutils: "//" may name another directory by POSIX, so it
         * is shown as written; three or more slashes are plainly "/". */
        if (strcmp(path, "//") == 0)
            warn_message("it is dangerous to operate recursively on '//' (same as '/')");
        else
            warn_message("it is dangerous to operate recursively on '/'");
        warn_message("use --no-preserve-root to override this failsafe");
        return 1;
    }
    if (names_dot_or_dotdot(path)) {
        warn_message("refusing to remove '.' or '..' directory: skipping '%s'", path);
        return 1;
    }
    return remove_path(path);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "frRv")) != -1) {
        if (c == 'f')
            force = 1;
        else if (c == 'v')
            verbose = 1;
        else if (c == 'r' || c == 'R')
            recursive = 1;
        else
            return usage(stderr, 1);
    }
    if (optind == argc) {
        if (force)
            return 0;
        warn_message("missing operand");
        suggest_help();
        return 1;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= remove_operand(argv[i]);
    return finish(status);
}
