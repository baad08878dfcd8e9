/* uname -- prints system information from the uname call (122).
 *   -s kernel name (default)  -n node name  -r release  -v version  -m machine
 *   -a all of these, in that order
 * Differs from coreutils: -a prints only these five fields (no processor,
 * hardware platform or operating system), and -p/-i/-o are not offered. */
#include <progutil.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

const char *program_name = "uname";

enum { SYSNAME = 1, NODENAME = 2, RELEASE = 4, VERSION = 8, MACHINE = 16 };

static int usage(FILE *out, int status)
{
    fputs("Usage: uname [-asnrvm]\n"
          "Print system information (the kernel name when no option is given).\n"
          "  -a  all of the below, in this order\n"
          "  -s  kernel name    -n  network node name    -r  kernel release\n"
          "  -v  kernel version -m  machine hardware name\n", out);
    return finish(status);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int fields = 0, c;
    while ((c = getopt(argc, argv, "asnrvm")) != -1) {
        switch (c) {
        case 'a': fields |= SYSNAME | NODENAME | RELEASE | VERSION | MACHINE; break;
        case 's': fields |= SYSNAME; break;
        case 'n': fields |= NODENAME; break;
        case 'r': fields |= RELEASE; break;
        case 'v': fields |= VERSION; break;
        case 'm': fields |= MACHINE; break;
        default: return usage(stderr, 2);
        }
    }
    if (optind < argc) {
        warn_message("extra operand '%s'", argv[optind]);
        return usage(stderr, 2);
    }
    if (!fields)
        fields = SYSNAME;
    struct utsname u;
    if (uname(&u) < 0) {
        warn_errno("cannot get system name");
        return 1;
    }
    const char *values[] = { u.sysname, u.nodename, u.release, u.version, u.machine };
    const char *separator = "";
    for (int i = 0; i < 5; i++) {
        if (fields & (1 << i)) {
            printf("%s%s", separator, values[i]);
            separator = " ";
        }
    }
    putchar('\n');
    return finish(0);
}
