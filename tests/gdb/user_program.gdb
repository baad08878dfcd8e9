# tests/gdb/user_program.gdb -- a breakpoint in a user program.
# run-gdb-test connects first, then sources this file while it types
# "cd /etc" at the shell. A hardware breakpoint matches the address in
# every address space, so it is made conditional on the running process
# being the shell.
set pagination off
set confirm off
add-symbol-file build/user/bin/sh
# Other programs may run code at the same address (rc's mount, echo...):
# stop only when the running thread belongs to the shell.
hbreak builtin_cd if $_streq('(anonymous namespace)::running'->process->name, "sh")
continue
echo ==USER-PROGRAM==\n
bt
echo ==END==\n
kill
