/* start.c -- from the initial stack to main() and back out.
 *
 * __libc_start(sp) is called by _start (crt0.S) with sp = &argc. It sets
 * environ and calls exit(main(argc, argv, envp)); exit (stdlib.c) runs the
 * atexit handlers, flushes stdio and calls exit_group. */
#include <stdlib.h>

int main(int argc, char **argv, char **envp);

_Noreturn void __libc_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    environ = envp;
    exit(main(argc, argv, envp));
}
