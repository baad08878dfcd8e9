/* access.c -- access(2), Linux i386 call 33: whether the real user and
 * group may reach a file in the given modes (F_OK, R_OK, W_OK, X_OK).
 * Layer: user libc. */
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_access 33

int access(const char *path, int mode)
{
    return (int)__syscall_ret(syscall2(SYS_access, (long)path, mode));
}
