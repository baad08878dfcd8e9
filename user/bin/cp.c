/* cp -- copies files and directory trees:
 *   cp [OPTION]... SOURCE DEST          SOURCE to the name DEST
 *   cp [OPTION]... SOURCE... DIRECTORY  each SOURCE into DIRECTORY
 * The last operand counts as DIRECTORY when it names a directory (or a
 * symbolic link to one). File data moves by read/write in 64 KiB blocks;
 * the walk itself is in user/lib/filecopy.c, shared with mv.
 *   -r, -R  copy directories recursively; symbolic links, even a SOURCE
 *           operand, are copied as links (without -r a SOURCE link is
 *           followed, as coreutils does)
 *   -p      preserve owner, permission bits and access/modification times
 *   -a      the same as -R -p
 *   -v      print "'SOURCE' -> 'DEST'" for each file copied
 * Device nodes, FIFOs and sockets are skipped with a message. Errors as
 * coreutils: "cp: cannot stat 'X': No such file or directory",
 * "cp: -r not specified; omitting directory 'X'"; exit status 1. */
#include <errno.h>
#include <filecopy.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *program_name = "cp";

static int usage(FILE *out, int status)
{
    fputs("Usage: cp [-a] [-p] [-r] [-v] SOURCE DEST\n"
          "  or:  cp [-a] [-p] [-r] [-v] SOURCE... DIRECTORY\n"
          "Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.\n"
          "  -a      same as -R -p\n"
          "  -p      preserve mode, ownership and timestamps\n"
          "  -r, -R  copy directories recursively\n"
          "  -v      explain what is being done\n", out);
    return finish(status);
}

static int copy_into_directory(const char *source, const char *directory,
                               const struct copy_options *options)
{
    char *dest = path_in_directory(directory, source);
    if (!dest) {
        warn_errno(source);
        return 1;
    }
    int status = copy_file_tree(source, dest, options);
    free(dest);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    struct copy_options options = { .dereference_top = 1 };
    int c;
    while ((c = getopt(argc, argv, "aprRv")) != -1) {
        if (c == 'a')
            options.recursive = options.preserve = 1;
        else if (c == 'p')
            options.preserve = 1;
        else if (c == 'r' || c == 'R')
            options.recursive = 1;
        else if (c == 'v')
            options.verbose = 1;
        else
            return usage(stderr, 1);
    }
    options.dereference_top = !options.recursive;
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
            status |= copy_into_directory(operands[i], last, &options);
        return finish(status);
    }
    if (count == 2)
        return finish(copy_file_tree(operands[0], last, &options));
    warn_message("target '%s': %s", last, strerror(last_found ? ENOTDIR : errno));
    return 1;
}
