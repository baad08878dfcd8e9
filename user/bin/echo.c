/* echo -- writes its arguments separated by spaces, then a newline.
 *   -n  no trailing newline     -e  interpret backslash escapes     -E  do not (default)
 * Like coreutils' /bin/echo: options are recognised only while an argument
 * consists entirely of option letters (so "-x" is printed), `--help` only
 * when it is the sole argument, and \c stops all output. The words are
 * printed by user/lib/echo.c, which the shell's builtin echo shares. */
#include <echo.h>
#include <progutil.h>
#include <string.h>

const char *program_name = "echo";

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        puts("Usage: echo [-neE] [STRING]...\n"
             "Write the STRINGs, separated by spaces, and a newline.\n"
             "  -n  do not output the trailing newline\n"
             "  -e  interpret backslash escapes (\\n \\t \\\\ \\c \\0NNN \\xHH ...)\n"
             "  -E  do not interpret backslash escapes (default)");
        return finish(0);
    }
    echo_words(argc, argv);
    return finish(0);
}
