/* timers.c -- libc: alarm (call 27), setitimer (104), getitimer (105).
 * Layer: user libc. Each is the bare call, errno set on failure. */
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

unsigned alarm(unsigned seconds) { return (unsigned)syscall1(27, (long)seconds); }

int setitimer(int which, const struct itimerval *value, struct itimerval *old_value)
{
    return (int)__syscall_ret(syscall3(104, which, (long)value, (long)old_value));
}

int getitimer(int which, struct itimerval *value)
{
    return (int)__syscall_ret(syscall2(105, which, (long)value));
}
