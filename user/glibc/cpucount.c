/* user/glibc/cpucount.c -- how many CPUs glibc finds, and its view of the
 * load: what programs such as nproc, make -j and sort ask.
 *
 * Built with the cross compiler's static glibc. glibc answers from the
 * kernel's files and calls -- /sys/devices/system/cpu/online, /proc/stat's
 * cpuN lines, /proc/cpuinfo, sched_getaffinity, /proc/loadavg -- each
 * with its own fallback when one is missing, so every answer must say 1
 * on a one-CPU kernel without /sys. Prints "name: value" lines; the QEMU
 * tier (tests/qemu/test_proc_cpu.py) checks them.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <unistd.h>

int main(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    int affinity = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
    double loads[3] = {-1, -1, -1};
    int samples = getloadavg(loads, 3);
    printf("sysconf(_SC_NPROCESSORS_ONLN): %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
    printf("sysconf(_SC_NPROCESSORS_CONF): %ld\n", sysconf(_SC_NPROCESSORS_CONF));
    printf("get_nprocs: %d\n", get_nprocs());
    printf("get_nprocs_conf: %d\n", get_nprocs_conf());
    printf("sched_getaffinity: %d\n", affinity);
    printf("sysconf(_SC_CLK_TCK): %ld\n", sysconf(_SC_CLK_TCK));
    printf("getloadavg: %d %.2f %.2f %.2f\n", samples, loads[0], loads[1], loads[2]);
    return 0;
}
