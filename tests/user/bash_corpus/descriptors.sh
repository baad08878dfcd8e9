# exec and redirections of numbered descriptors.
cd "${TMPDIR:-/tmp}"
exec 3> fd_test_file
echo "to fd 3" >&3
echo "more" >&3
exec 3>&-
exec 4< fd_test_file
read -r line <&4; echo "read back: $line"
exec 4<&-
{ echo out; echo err >&2; } 2>&1 | while read -r l; do echo "merged: $l"; done
exec {auto}> fd_test_file; echo "an automatic descriptor is at least 10: $(( auto >= 10 ))"; exec {auto}>&-
echo appended >> fd_test_file; cat < fd_test_file
ls /no/such/file 2>/dev/null || echo "stderr discarded, status nonzero"
rm fd_test_file
echo "end of descriptors"
