# Background jobs, wait and its statuses, subshells; job control is off
# in a script.
set +m
( exit 3 ) & first=$!
( exit 5 ) & second=$!
wait $first; echo "first: $?"
wait $second; echo "second: $?"
for i in 1 2 3; do ( echo "job $i" > /dev/null; exit $i ) & done
wait; echo "wait for all: $?"
( sleep_free() { local i=0; while (( i < 2000 )); do i=$((i + 1)); done; echo "counted $i"; }; sleep_free ) &
wait $!
echo "status $?"
( kill -TERM $BASHPID ) & wait $!; echo "killed by TERM: $?"
wait 999999 2>/dev/null; echo "no such child: $?"
echo "$(echo a; echo b >&2)" 2>/dev/null
{ echo grouped; echo lines; } | while read -r l; do echo "got $l"; done
echo "subshell level: $BASH_SUBSHELL $(echo $BASH_SUBSHELL) $( (echo $BASH_SUBSHELL) )"
echo "end of jobs"
