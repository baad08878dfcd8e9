/* getopt.c -- POSIX getopt: short options, grouped (-la), with arguments
 * attached (-ofile) or separate (-o file).
 *
 * Must stay true: scanning stops at the first non-option, at "-" and
 * after "--" (which is skipped); an unknown option or a missing argument
 * returns '?' (or ':' when optstring starts with ':'), sets optopt and, if
 * opterr is set, prints "NAME: invalid option -- 'c'" like glibc.
 * Arguments are never permuted. Setting optind = 1 (or 0) after a full scan restarts it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;
static int position = 1;   /* index of the next option character within argv[optind] */

int getopt(int argc, char *const argv[], const char *optstring)
{
    optarg = NULL;
    if (optind == 0)            /* glibc's way to ask for a full restart */
        optind = 1, position = 1;
    if (position <= 1) {
        position = 1;
        if (optind >= argc || argv[optind][0] != '-' || argv[optind][1] == '\0')
            return -1;
        if (strcmp(argv[optind], "--") == 0) {
            optind++;
            return -1;
        }
    }
    if (optstring[0] == '+')    /* GNU "stop at first non-option": what we always do */
        optstring++;
    char c = argv[optind][position++];
    const char *spec = c == ':' ? NULL : strchr(optstring, c);
    int quiet = optstring[0] == ':';
    int at_end = argv[optind][position] == '\0';

    if (!spec) {
        optopt = c;
        if (opterr && !quiet)
            fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
        if (at_end)
            optind++, position = 1;
        return '?';
    }
    if (spec[1] == ':') {
        if (!at_end) {
            optarg = &argv[optind][position];      /* -ofile */
        } else if (optind + 1 < argc) {
            optarg = argv[++optind];                /* -o file */
        } else {
            optopt = c;
            optind++, position = 1;
            if (opterr && !quiet)
                fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
            return quiet ? ':' : '?';
        }
        optind++, position = 1;
        return c;
    }
    if (at_end)
        optind++, position = 1;
    return c;
}
