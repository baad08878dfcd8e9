/* process.c -- process creation and waiting: fork (call 2), wait4 (114)
 * with waitpid/wait over it. Signals (sigaction, the mask, raise): signal.c. */
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t fork(void) { return (pid_t)__syscall_ret(syscall0(SYS_fork)); }

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    return (pid_t)__syscall_ret(syscall4(SYS_wait4, pid, (long)status, options, (long)usage));
}

pid_t waitpid(pid_t pid, int *status, int options) { return wait4(pid, status, options, NULL); }
pid_t wait(int *status) { return wait4(-1, status, 0, NULL); }
