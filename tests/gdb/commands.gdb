# tests/gdb/commands.gdb -- what the gdb test does, in gdb's own words.
# run-gdb-test connects first (target remote), then sources this file.
# The watchpoint comes last: after a watchpoint stop, this gdb runs a later
# `continue` asynchronously, which would leave the commands after it racing.
set pagination off
set confirm off
break kernel_main
continue
echo ==BACKTRACE==\n
bt
echo ==STEP==\n
info line *$pc
next
next
next
info line *$pc
echo ==THREAD-BREAK==\n
delete
break run_monitor
continue
bt
echo ==WATCH==\n
delete
watch timer_ticks
continue
continue
echo ==END==\n
kill
