/* poweroff -- write everything to the disks and switch the machine off.
 *
 * The reboot system call (Linux i386 number 88) with Linux's magic numbers
 * and LINUX_REBOOT_CMD_POWER_OFF: the kernel syncs and unmounts the file
 * systems, then switches off through ACPI. Only returns on failure.
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_CMD_POWER_OFF 0x4321fedc

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: poweroff\nSyncs the file systems and switches the machine off.\n");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "poweroff: unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    long result = syscall4(88, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF, 0);
    fprintf(stderr, "poweroff: %s\n", strerror((int)-result));
    return 1;
}
