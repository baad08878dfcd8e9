/* lspci -- lists the PCI functions from /proc/bus/pci, the way pciutils'
 * proc back end finds them: the list is /proc/bus/pci/devices (one line per
 * function, "BBDF\tVVVVDDDD\t..."), and the class and revision, which that
 * list leaves out, come from each function's configuration space in
 * /proc/bus/pci/BB/DD.F (bytes 0x08 revision, 0x0a subclass, 0x0b class).
 *   lspci -n   exactly `lspci -n`:  00:01.1 0101: 8086:7010 (rev 01)
 *   lspci      with the class's name: 00:01.1 mass storage controller [0101]: 8086:7010
 * The revision is shown when it is not 0, as pciutils does. -R DIR reads
 * DIR instead of /proc/bus/pci (a copy, for tests). Names of vendors and
 * devices would need the pci.ids database, which is not here.
 * Exit status 0, or 1 when the list or a configuration space cannot be read. */
#include <errno.h>
#include <fcntl.h>
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "lspci";

static const char *const CLASS_NAMES[] = {
    "unclassified device",   "mass storage controller", "network controller",    "display controller",
    "multimedia controller", "memory controller",       "bridge",                "communication controller",
    "system peripheral",     "input device",            "docking station",       "processor",
    "serial bus controller", "wireless controller",     "intelligent controller", "satellite controller",
    "encryption controller", "signal processing controller",
};

static int usage(FILE *out, int status)
{
    fputs("Usage: lspci [-n] [-R DIR]\n"
          "List the PCI functions: bus:device.function, class, vendor:device.\n"
          "  -n      numbers only, as `lspci -n` prints them\n"
          "  -R DIR  read DIR instead of /proc/bus/pci\n",
          out);
    return finish(status);
}

static const char *class_name(unsigned class_code)
{
    if (class_code < sizeof CLASS_NAMES / sizeof CLASS_NAMES[0])
        return CLASS_NAMES[class_code];
    return class_code == 0xff ? "unassigned class" : "other device";
}

/* The first 64 bytes of the function's configuration space; false after a message. */
static int read_config(const char *root, unsigned bus, unsigned devfn, unsigned char config[64])
{
    char path[512];
    snprintf(path, sizeof path, "%s/%02x/%02x.%u", root, bus, devfn >> 3, devfn & 7);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : pread(fd, config, 64, 0);
    int saved = errno;
    if (fd >= 0)
        close(fd);
    if (n < 64) {
        errno = n < 0 ? saved : EIO;
        warn_errno(path);
        return 0;
    }
    return 1;
}

/* One line of the devices list: 0 shown, 1 not a devices line, 2 its
 * configuration space could not be read (reported). */
static int show_function(const char *root, const char *line, int numeric)
{
    unsigned location, vendor_device;
    char *end;
    location = (unsigned)strtoul(line, &end, 16);
    if (end != line + 4 || *end != '\t')
        return 1;
    vendor_device = (unsigned)strtoul(end + 1, &end, 16);
    if (*end != '\t')
        return 1;
    unsigned bus = location >> 8, devfn = location & 0xff;
    unsigned char config[64];
    if (!read_config(root, bus, devfn, config))
        return 2;   /* the other functions are still listed */
    unsigned class_code = config[0x0b], subclass = config[0x0a], revision = config[0x08];
    printf("%02x:%02x.%u ", bus, devfn >> 3, devfn & 7);
    if (numeric)
        printf("%02x%02x: ", class_code, subclass);
    else
        printf("%s [%02x%02x]: ", class_name(class_code), class_code, subclass);
    printf("%04x:%04x", vendor_device >> 16, vendor_device & 0xffff);
    if (revision)
        printf(" (rev %02x)", revision);
    putchar('\n');
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    const char *root = "/proc/bus/pci";
    int numeric = 0, c;
    while ((c = getopt(argc, argv, "nR:")) != -1) {
        if (c == 'n')
            numeric = 1;
        else if (c == 'R')
            root = optarg;
        else
            return usage(stderr, 2);
    }
    if (optind != argc) {
        warn_message("unexpected argument '%s'", argv[optind]);
        return usage(stderr, 2);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/devices", root);
    FILE *list = fopen(path, "r");
    if (!list) {
        warn_errno(path);
        return 1;
    }
    char *line = NULL;
    size_t capacity = 0;
    int status = 0;
    while (getline(&line, &capacity, list) > 0) {
        int shown = show_function(root, line, numeric);
        if (shown == 1)
            warn_message("%s: not a devices line: %.40s", path, line);
        if (shown != 0)
            status = 1;
    }
    free(line);
    fclose(list);
    return finish(status);
}
