/* ln -- makes links between files:
 *   ln [-s] [-f] TARGET LINK_NAME   a link named LINK_NAME
 *   ln [-s] [-f] TARGET             a link in the current directory
 *   ln [-s] [-f] TARGET... DIR      links in DIR, named as the TARGETs
 * Hard links by default (link, call 9); with -s symbolic links (symlink, 83),
 * whose TARGET is stored as given and need not exist.
 *   -s  make symbolic links instead of hard links
 *   -f  remove an existing destination first (unlink, 10)
 * The last operand counts as DIR when it names a directory or a symbolic
 * link to one. Messages as coreutils: "ln: failed to create hard link 'B'
 * => 'A': reason", "ln: failed to create symbolic link 'B': reason",
 * "ln: failed to access 'A': reason"; any failure makes the status 1. */
#include <errno.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "ln";

static int symbolic, force;

static int usage(FILE *out, int status)
{
    fputs("Usage: ln [-s] [-f] TARGET LINK_NAME\n"
          "  or:  ln [-s] [-f] TARGET\n"
          "  or:  ln [-s] [-f] TARGET... DIRECTORY\n"
          "Create a link to TARGET with the name LINK_NAME, or links in DIRECTORY.\n"
          "Hard links are made by default, symbolic links with -s.\n"
          "  -f  remove existing destination files\n"
          "  -s  make symbolic links instead of hard links\n", out);
    return finish(status);
}

static int missing_operand(void)
{
    warn_message("missing file operand");
    suggest_help();
    return 1;
}

static void report_link_error(const char *target, const char *link_name, int error)
{
    errno = error;
    if (symbolic)
        warn_message("failed to create symbolic link '%s': %s", link_name, strerror(error));
    else if (error == EMLINK)
        warn_message("failed to create hard link to '%s': %s", target, strerror(error));
    else if (error == EEXIST || error == ENOSPC || error == EROFS || error == EDQUOT)
        warn_message("failed to create hard link '%s': %s", link_name, strerror(error));
    else
        warn_message("failed to create hard link '%s' => '%s': %s", link_name, target,
                     strerror(error));
}

/* With -f, removes link_name when it exists; returns 0, or 1 (reported). */
static int remove_destination(const char *target, const char *link_name,
                              const struct stat *target_status)
{
    struct stat existing;
    if (lstat(link_name, &existing) < 0)
        return 0;
    /* Removing the destination would remove the target itself: the same
     * name, or its only name. */
    int same_inode = existing.st_dev == target_status->st_dev &&
                     existing.st_ino == target_status->st_ino;
    if (!symbolic && same_inode &&
        (existing.st_nlink == 1 || strcmp(target, link_name) == 0)) {
        warn_message("'%s' and '%s' are the same file", target, link_name);
        return 1;
    }
    if (unlink(link_name) < 0 && errno != ENOENT) {
        warn_message("cannot remove '%s': %s", link_name, strerror(errno));
        return 1;
    }
    return 0;
}

static int make_link(const char *target, const char *link_name)
{
    struct stat target_status;
    if (!symbolic) {
        if (lstat(target, &target_status) < 0) {
            warn_message("failed to access '%s': %s", target, strerror(errno));
            return 1;
        }
        if (S_ISDIR(target_status.st_mode)) {
            warn_message("%s: hard link not allowed for directory", target);
            return 1;
        }
    }
    if (force && remove_destination(target, link_name, &target_status) != 0)
        return 1;
    int result = symbolic ? symlink(target, link_name) : link(target, link_name);
    if (result < 0) {
        report_link_error(target, link_name, errno);
        return 1;
    }
    return 0;
}

static int link_into_directory(const char *target, const char *directory)
{
    char *link_name = path_in_directory(directory, target);
    if (!link_name) {
        warn_errno(target);
        return 1;
    }
    int status = make_link(target, link_name);
    free(link_name);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "fs")) != -1) {
        if (c == 'f')
            force = 1;
        else if (c == 's')
            symbolic = 1;
        else
            return usage(stderr, 1);
    }
    int count = argc - optind;
    char **operands = argv + optind;
    if (count == 0)
        return missing_operand();
    if (count == 1)
        return finish(link_into_directory(operands[0], "."));
    const char *last = operands[count - 1];
    struct stat last_status = { 0 };
    last_status.st_mode = S_IFDIR;   /* so a failed stat keeps its errno below */
    int last_is_directory = stat(last, &last_status) == 0 && S_ISDIR(last_status.st_mode);
    if (count == 2 && !last_is_directory)
        return finish(make_link(operands[0], last));
    if (!last_is_directory) {
        int error = S_ISDIR(last_status.st_mode) ? errno : ENOTDIR;
        warn_message("target '%s': %s", last, strerror(error));
        return 1;
    }
    int status = 0;
    for (int i = 0; i < count - 1; i++)
        status |= link_into_directory(operands[i], last);
    return finish(status);
}
