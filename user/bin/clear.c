/* clear -- clears the terminal, as ncurses' clear does on an xterm-like
 * terminal (the console's escape sequences are ECMA-48's, like xterm's):
 * cursor home (ESC [ H), erase the screen (ESC [ 2 J) and, unless -x,
 * the scrollback too (ESC [ 3 J).
 * Exit status 0; 1 when the sequence cannot be written; 2 on a usage error. */
#include <progutil.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "clear";

static int usage(FILE *out, int status)
{
    fputs("Usage: clear [-x]\n"
          "Clear the terminal screen and its scrollback.\n"
          "  -x  do not try to clear the scrollback\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int keep_scrollback = 0, c;
    while ((c = getopt(argc, argv, "x")) != -1) {
        if (c != 'x')
            return usage(stderr, 2);
        keep_scrollback = 1;
    }
    if (optind < argc) {
        warn_message("extra operand '%s'", argv[optind]);
        return usage(stderr, 2);
    }
    fputs(keep_scrollback ? "\033[H\033[2J" : "\033[H\033[2J\033[3J", stdout);
    return finish(0);
}
