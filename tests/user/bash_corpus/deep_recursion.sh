# 10,000 calls deep need more than the default 8 MiB stack: bash itself
# raises RLIMIT_STACK, and the kernel grows the stack to the new limit.
ulimit -s 65536
echo "stack limit $(ulimit -s)"
down() { if (( $1 > 0 )); then down $(( $1 - 1 )); else echo "reached the bottom"; fi; }
down 10000
echo "end of deep_recursion"
