# Traps: EXIT in a subshell, INT and TERM sent with kill, ERR, RETURN.
( trap 'echo "subshell exit trap"' EXIT; echo "in the subshell" )
trap 'echo "caught INT"' INT
kill -INT $$
echo "after INT"
trap - INT
( trap 'echo "caught TERM in the subshell"; exit 3' TERM; kill -TERM $BASHPID; echo not reached )
echo "subshell ended with $?"
( trap 'echo "ERR trap: status $?"' ERR; false; echo "went on after false" )
f() { trap 'echo "RETURN trap in f"' RETURN; echo "in f"; }
f
trap -- 'echo "EXIT trap of the script"; echo "end of traps"' EXIT
trap -p EXIT
status=$( ( kill -USR1 $BASHPID; echo not reached ) 2>/dev/null; echo $? ); echo "USR1 default action: status $status"
