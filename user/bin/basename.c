/* basename -- prints NAME without its directories and, if given, a
 * trailing SUFFIX, as coreutils' basename does:
 *   basename NAME [SUFFIX]        basename -a [-s SUFFIX] NAME...
 * Trailing slashes are ignored ("a/b/" gives "b"); a NAME of slashes only
 * gives "/"; SUFFIX is removed only when something is left. With -z each
 * result ends with a NUL instead of a newline.
 * Exit status 0; 1 on a missing or extra operand (coreutils' words), 2 on
 * an unknown option. */
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "basename";

static int usage(FILE *out, int status)
{
    fputs("Usage: basename NAME [SUFFIX]\n"
          "  or:  basename -a [-s SUFFIX] [-z] NAME...\n"
          "Print NAME with any leading directory components removed.\n"
          "If specified, also remove a trailing SUFFIX.\n"
          "  -a         support multiple arguments and treat each as a NAME\n"
          "  -s SUFFIX  remove a trailing SUFFIX; implies -a\n"
          "  -z         end each output line with NUL, not newline\n", out);
    return finish(status);
}

static void print_base(const char *name, const char *suffix, char end)
{
    size_t length = strlen(name);
    while (length > 1 && name[length - 1] == '/')
        length--;
    if (length == 1 && name[0] == '/') {
        printf("/%c", end);
        return;
    }
    size_t start = length;
    while (start > 0 && name[start - 1] != '/')
        start--;
    size_t base_length = length - start;
    size_t suffix_length = suffix ? strlen(suffix) : 0;
    if (suffix_length && suffix_length < base_length &&
        memcmp(name + start + base_length - suffix_length, suffix, suffix_length) == 0)
        base_length -= suffix_length;
    fwrite(name + start, 1, base_length, stdout);
    putchar(end);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int multiple = 0, c;
    const char *suffix = NULL;
    char end = '\n';
    while ((c = getopt(argc, argv, "as:z")) != -1) {
        switch (c) {
        case 'a': multiple = 1; break;
        case 's': suffix = optarg, multiple = 1; break;
        case 'z': end = '\0'; break;
        default: return usage(stderr, 2);
        }
    }
    int count = argc - optind;
    if (count < 1) {
        warn_message("missing operand");
        suggest_help();
        return 1;
    }
    if (!multiple && count > 2) {
        warn_message("extra operand '%s'", argv[optind + 2]);
        suggest_help();
        return 1;
    }
    if (multiple) {
        for (int i = optind; i < argc; i++)
            print_base(argv[i], suffix, end);
    } else {
        print_base(argv[optind], count == 2 ? argv[optind + 1] : NULL, end);
    }
    return finish(0);
}
