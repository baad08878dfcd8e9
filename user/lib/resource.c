/* resource.c -- getrlimit, setrlimit and prlimit; see sys/resource.h. */
#include <sys/resource.h>
#include <sys/syscall.h>

#define SYS_setrlimit_call 75
#define SYS_ugetrlimit_call 191
#define SYS_prlimit64_call 340

int getrlimit(int resource, struct rlimit *limit)
{
    return (int)__syscall_ret(syscall2(SYS_ugetrlimit_call, resource, (long)limit));
}

int setrlimit(int resource, const struct rlimit *limit)
{
    return (int)__syscall_ret(syscall2(SYS_setrlimit_call, resource, (long)limit));
}

int prlimit(pid_t pid, int resource, const struct rlimit64 *new_limit, struct rlimit64 *old_limit)
{
    return (int)__syscall_ret(syscall4(SYS_prlimit64_call, pid, resource, (long)new_limit, (long)old_limit));
}
