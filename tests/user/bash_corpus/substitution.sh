# Command substitution, nested, with the exit status it leaves.
now=$(echo outer $(echo inner $(echo innermost)))
echo "$now"
old=`echo back quotes`
echo "$old"
lines=$(printf 'a\nb\n\n\n')
echo "trailing newlines dropped: [$lines]"
x=$(exit 7); echo "status of the substitution: $?"
cd "${TMPDIR:-/tmp}"
printf 'file contents\n' > subst_file
echo "read by \$(<): $(< subst_file)"
rm -f subst_file
echo "arithmetic: $(( (3 + 4) * 5 % 6 )) $(( 2 ** 10 )) $(( 0x1f )) $(( 7 / 2 ))"
echo "subshell var stays: $(v=set; echo $v) [${v:-unset}]"
echo "end of substitution"
