/* filecopy.h -- copying and removing whole trees of files, shared by cp
 * and mv (filecopy.c). Errors are reported on stderr in coreutils' words
 * ("PROGRAM: cannot stat 'X': reason"), under the program's name, and the
 * functions carry on with the rest of the tree. */
#ifndef _FILECOPY_H
#define _FILECOPY_H

struct copy_options {
    int recursive;        /* directories with their contents; links copied as links */
    int dereference_top;  /* a symbolic link given as source: copy what it points to */
    int preserve;         /* owner, permission bits and times as the source's */
    int verbose;          /* "'SOURCE' -> 'DEST'" on stdout for each file copied */
};

/* Copies source to the name dest (not into dest): a regular file by
 * read/write in 64 KiB blocks, a directory (with options->recursive) by
 * making it and copying its entries, a symbolic link by making one with
 * the same target. Device nodes, FIFOs and sockets are skipped with a
 * message. Returns 0, or 1 when anything failed. */
int copy_file_tree(const char *source, const char *dest, const struct copy_options *options);

/* Removes path, and everything in it when it is a directory (not
 * following symbolic links). Returns 0, or 1 when anything failed. */
int remove_file_tree(const char *path);
#endif
