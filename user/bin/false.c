/* false -- does nothing, unsuccessfully (exit status 1).
 * `false --help` prints usage and exits 0, like coreutils. */
#include <progutil.h>
#include <string.h>

const char *program_name = "false";

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        puts("Usage: false\nExit with status 1.");
        return finish(0);
    }
    return 1;
}
