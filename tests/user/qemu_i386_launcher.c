/* tests/user/qemu_i386_launcher.c -- starts one of our i386 programs under
 * qemu-i386, for hosts that cannot execute i386 ELF files themselves.
 *
 * tests/user/i386_programs.py compiles this once for the host and copies it
 * under each program's name into build/user/qemu-i386-bin/. A copy named
 * NAME runs build/user/bin/NAME (a name with "__" in it stands for a path
 * under build/user: tests__libc_test is build/user/tests/libc_test).
 *
 * What must stay true: the program sees exactly what it would see started
 * natively -- the same argv (argv[0] included, through qemu's -0), the same
 * environment, descriptors and process (exec, no fork) -- which a shell
 * script as launcher could not promise (dash exports PWD).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef QEMU_I386
#define QEMU_I386 "/usr/bin/qemu-i386"
#endif
#ifndef USER_BUILD
#error "USER_BUILD must name the build/user directory"
#endif

int main(int argc, char **argv)
{
    char self[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length < 0) {
        perror("qemu-i386 launcher: /proc/self/exe");
        return 127;
    }
    self[length] = '\0';
    const char *name = strrchr(self, '/') ? strrchr(self, '/') + 1 : self;

    char target[PATH_MAX];
    if (strstr(name, "__")) {
        int used = snprintf(target, sizeof target, "%s/", USER_BUILD);
        for (const char *c = name; *c && used < (int)sizeof target - 1; c++) {
            if (c[0] == '_' && c[1] == '_') { target[used++] = '/'; c++; }
            else target[used++] = *c;
        }
        target[used] = '\0';
    } else {
        snprintf(target, sizeof target, "%s/bin/%s", USER_BUILD, name);
    }

    char **qemu_argv = calloc(argc + 5, sizeof *qemu_argv);
    if (!qemu_argv) return 127;
    int n = 0;
    qemu_argv[n++] = QEMU_I386;
    qemu_argv[n++] = "-0";
    qemu_argv[n++] = argv[0];
    qemu_argv[n++] = target;
    for (int i = 1; i < argc; i++) qemu_argv[n++] = argv[i];
    qemu_argv[n] = NULL;
    execv(QEMU_I386, qemu_argv);
    perror("qemu-i386 launcher: " QEMU_I386);
    return 127;
}
