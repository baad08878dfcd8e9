# tests/gdb/user_program.gdb -- a breakpoint in a user program.
# run-gdb-test connects first, then sources this file while it types
# "cd /etc" at the shell. A hardware breakpoint matches the address in
# every address space, so it stops in the shell whichever process runs.
set pagination off
set confirm off
add-symbol-file build/user/bin/sh
hbreak builtin_cd
continue
echo ==USER-PROGRAM==\n
bt
echo ==END==\n
kill
