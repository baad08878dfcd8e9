# printf and printf -v.
printf '%s|%5s|%-5s|%.2s\n' abc abc abc abc
printf '%d %i %5d %-5d| %05d %x %X %o %#x\n' 42 -7 3 3 42 255 255 8 255
printf '%.3f %8.2f %e\n' 3.14159 2.5 12345.678
printf '%c%c\n' hello world
printf '%b\n' 'tab\there' 'nl\\n'
printf '%q\n' "it's a \"test\"" 'a b'
printf -v formatted '%03d-%s' 7 seven; echo "printf -v: $formatted"
printf -v 'arr[2]' '%s' in_array; echo "array element: ${arr[2]}"
printf '%s\n' one two three
printf '%s=%s\n' a 1 b 2
printf '%%literal\n'
printf '%d\n' "'A"
echo "end of printf"
