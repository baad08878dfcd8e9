# tests/gdb/read_path.gdb -- a file read, seen from the bottom of the stack.
# run-gdb-test connects first, then sources this file while it types
# "dropcaches" and "cat /etc/motd" on the serial console: the breakpoint
# in the RAM disk's transfer function shows every layer the read crossed.
set pagination off
set confirm off
break run_monitor
continue
delete
break RamDisk::transfer
continue
echo ==READ-PATH==\n
bt
echo ==END==\n
kill
