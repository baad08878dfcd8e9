# set -e: which failures end the shell and which do not.
( set -e; false; echo "not printed" ); echo "set -e subshell status $?"
( set -e; false || true; echo "|| true goes on" )
( set -e; if false; then :; fi; echo "a failing if condition goes on" )
( set -e; ! true; echo "a negated command goes on" )
( set -e; f() { false; echo "not printed in f"; }; f; echo "not printed after f" ); echo "status $?"
( set -e; x=$(false); echo "not printed after assignment" ); echo "assignment status $?"
( set -e; false | true; echo "a pipeline's last command decides" )
( set -eo pipefail; false | true; echo "not printed with pipefail" ); echo "pipefail status $?"
( set -u; echo "${undefined_variable}"; echo "not printed" ) 2>/dev/null; echo "set -u status $?"
true | false | true; echo "PIPESTATUS ${PIPESTATUS[*]}"
echo "end of set_e"
