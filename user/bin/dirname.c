/* dirname -- prints each NAME without its last component, as coreutils'
 * dirname does: trailing slashes and the last name are removed, then the
 * slashes before it; "." when no slash is left, "/" when only slashes.
 * ("a/b/" gives "a", "a" gives ".", "/a" and "//" give "/".) With -z each
 * result ends with a NUL instead of a newline.
 * Exit status 0; 1 on a missing operand, 2 on an unknown option. */
#include <progutil.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "dirname";

static int usage(FILE *out, int status)
{
    fputs("Usage: dirname [-z] NAME...\n"
          "Output each NAME with its last non-slash component and trailing slashes\n"
          "removed; if NAME contains no /'s, output '.' (meaning the current directory).\n"
          "  -z  end each output line with NUL, not newline\n", out);
    return finish(status);
}

static void print_directory(const char *name, char end)
{
    size_t length = strlen(name);
    while (length > 0 && name[length - 1] == '/')
        length--;
    while (length > 0 && name[length - 1] != '/')
        length--;
    while (length > 0 && name[length - 1] == '/')
        length--;
    if (length == 0) {
        fputs(name[0] == '/' ? "/" : ".", stdout);
    } else {
        fwrite(name, 1, length, stdout);
    }
    putchar(end);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    char end = '\n';
    int c;
    while ((c = getopt(argc, argv, "z")) != -1) {
        if (c != 'z')
            return usage(stderr, 2);
        end = '\0';
    }
    if (optind >= argc) {
        warn_message("missing operand");
        suggest_help();
        return 1;
    }
    for (int i = optind; i < argc; i++)
        print_directory(argv[i], end);
    return finish(0);
}
