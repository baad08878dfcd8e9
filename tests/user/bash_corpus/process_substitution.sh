# Process substitution: bash hands the command a name, /dev/fd/N, for one
# end of a pipe (on Linux /dev/fd is a link to /proc/self/fd).
count=0; while read -r _; do count=$((count + 1)); done < <(printf '1\n2\n3\n')
echo "process substitution gave $count lines"
read -r first < <(echo "from a process")
echo "$first"
echo "end of process_substitution"
