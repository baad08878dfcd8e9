# Functions: arguments, local scope, return statuses, recursion (the stack
# grows with it: 2,000 calls deep fits the default 8 MiB RLIMIT_STACK).
greet() { local who=${1:-nobody}; echo "hello, $who ($# args)"; }
greet
greet world extra
counter=0
bump() { local counter=100; counter=$((counter + 1)); echo "inside $counter"; }
bump
echo "outside $counter"
is_even() { return $(( $1 % 2 )); }
for n in 1 2 3 4; do if is_even $n; then echo "$n even"; else echo "$n odd"; fi; done
fib() { if (( $1 < 2 )); then echo $1; else echo $(( $(fib $(( $1 - 1 ))) + $(fib $(( $1 - 2 ))) )); fi; }
echo "fib 12 = $(fib 12)"
depth() { if (( $1 > 0 )); then depth $(( $1 - 1 )); else echo "bottom after 2000 calls"; fi; }
depth 2000
f_with_funcname() { echo "${FUNCNAME[0]} called from ${FUNCNAME[1]:-main}"; }
outer() { f_with_funcname; }
outer
declare -f greet | head -1
unset -f greet
type greet >/dev/null 2>&1 || echo "greet is gone"
echo "end of functions"
