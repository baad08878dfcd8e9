/* mv -- moves (renames) files:
 *   mv [-v] SOURCE DEST          SOURCE to the name DEST
 *   mv [-v] SOURCE... DIRECTORY  each SOURCE into DIRECTORY
 * Within one file system a move is one rename (call 38). Across file
 * systems rename fails with EXDEV; then, like coreutils, mv copies SOURCE
 * (recursively for a directory, keeping owner, mode and times, links as
 * links) and removes it afterwards (user/lib/filecopy.c).
 *   -f  never ask before overwriting (mv never asks anyway)
 *   -v  print "renamed 'SOURCE' -> 'DEST'" for each file moved; across
 *       file systems "copied 'SOURCE' -> 'DEST'" and "removed 'SOURCE'"
 *       (coreutils says so for every file inside a directory too)
 * Errors as coreutils: "mv: cannot stat 'X': reason", "mv: cannot move 'X'
 * to a subdirectory of itself, 'Y'", "mv: cannot move 'X' to 'Y': reason";
 * exit status 1. */
#include <errno.h>
#include <filecopy.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "mv";

static int verbose;

static int usage(FILE *out, int status)
{
    fputs("Usage: mv [-f] [-v] SOURCE DEST\n"
          "  or:  mv [-f] [-v] SOURCE... DIRECTORY\n"
          "Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n"
          "  -f  do not prompt before overwriting\n"
          "  -v  explain what is being done\n", out);
    return finish(status);
}

/* The copy-then-remove move, after rename said EXDEV. An existing
 * destination goes first, as rename would have replaced it. */
static int move_across_file_systems(const char *source, const char *dest)
{
    struct stat existing;
    if (lstat(dest, &existing) == 0) {
        int removed = S_ISDIR(existing.st_mode) ? rmdir(dest) : unlink(dest);
        if (removed < 0) {
            warn_message("cannot move '%s' to '%s': %s", source, dest, strerror(errno));
            return 1;
        }
    }
    struct copy_options options = { .recursive = 1, .preserve = 1 };
    if (copy_file_tree(source, dest, &options) != 0)
        return 1;
    if (verbose)
        printf("copied '%s' -> '%s'\n", source, dest);
    if (remove_file_tree(source) != 0)
        return 1;
    if (verbose)
        printf("removed '%s'\n", source);
    return 0;
}

/* The checks rename alone would get wrong or word differently. */
static int check_move(const char *source, const char *dest, const struct stat *source_status)
{
    struct stat existing;
    if (lstat(dest, &existing) < 0)
        return 0;
    /* A symbolic link moved onto the file it names would lose that file. */
    struct stat link_target;
    int link_onto_target = S_ISLNK(source_status->st_mode) && stat(source, &link_target) == 0 &&
                           link_target.st_dev == existing.st_dev &&
                           link_target.st_ino == existing.st_ino;
    if (link_onto_target ||
        (existing.st_dev == source_status->st_dev && existing.st_ino == source_status->st_ino)) {
        warn_message("'%s' and '%s' are the same file", source, dest);
        return 1;
    }
    if (S_ISDIR(source_status->st_mode) && !S_ISDIR(existing.st_mode)) {
        warn_message("cannot overwrite non-directory '%s' with directory '%s'", dest, source);
        return 1;
    }
    if (!S_ISDIR(source_status->st_mode) && S_ISDIR(existing.st_mode)) {
        warn_message("cannot overwrite directory '%s' with non-directory", dest);
        return 1;
    }
    return 0;
}

static int move(const char *source, const char *dest)
{
    struct stat source_status;
    if (lstat(source, &source_status) < 0) {
        warn_message("cannot stat '%s': %s", source, strerror(errno));
        return 1;
    }
    if (check_move(source, dest, &source_status) != 0)
        return 1;
    if (rename(source, dest) < 0) {
        if (errno == EXDEV)
            return move_across_file_systems(source, dest);
        if (errno == EINVAL)
            warn_message("cannot move '%s' to a subdirectory of itself, '%s'", source, dest);
        else
            warn_message("cannot move '%s' to '%s': %s", source, dest, strerror(errno));
        return 1;
    }
    if (verbose)
        printf("renamed '%s' -> '%s'\n", source, dest);
    return 0;
}

static int move_into_directory(const char *source, const char *directory)
{
    char *dest = path_in_directory(directory, source);
    if (!dest) {
        warn_errno(source);
        return 1;
    }
    int status = move(source, dest);
    free(dest);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int c;
    while ((c = getopt(argc, argv, "fv")) != -1) {
        if (c == 'v')
            verbose = 1;
        else if (c != 'f')
            return usage(stderr, 1);
    }
    int count = argc - optind;
    char **operands = argv + optind;
    if (!have_source_and_destination(count, operands))
        return 1;
    const char *last = operands[count - 1];
    struct stat last_status;
    int last_found = stat(last, &last_status) == 0;
    if (last_found && S_ISDIR(last_status.st_mode)) {
        int status = 0;
        for (int i = 0; i < count - 1; i++)
            status |= move_into_directory(operands[i], last);
        return finish(status);
    }
    if (count == 2)
        return finish(move(operands[0], last));
    warn_message("target '%s': %s", last, strerror(last_found ? ENOTDIR : errno));
    return 1;
}
