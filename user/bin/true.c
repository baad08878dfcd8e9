/* true -- does nothing, successfully. `true --help` prints usage. */
#include <progutil.h>
#include <string.h>

const char *program_name = "true";

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        puts("Usage: true\nExit with status 0.");
        return finish(0);
    }
    return 0;
}
