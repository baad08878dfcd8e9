# [[ ]], (( )), case, pattern and regular-expression matching.
s="hello world 2026"
[[ $s == hello* ]] && echo "glob match"
[[ $s != *xyz* ]] && echo "glob no-match"
if [[ $s =~ ([a-z]+)\ ([a-z]+)\ ([0-9]+) ]]; then echo "regex: ${BASH_REMATCH[3]} ${BASH_REMATCH[1]}"; fi
[[ -z "" && -n x ]] && echo "empty and non-empty"
[[ 10 -gt 9 && ! 1 -eq 2 ]] && echo "numbers"
[[ abc < abd ]] && echo "string order"
(( 3 > 2 && 2 >= 2 )) && echo "arithmetic true"
(( 0 )) || echo "arithmetic zero is false"
x=5; (( x++, x *= 2 )); echo "x=$x"
for w in apple Banana 42 ""; do
  case $w in
    [a-z]*) echo "$w: lower" ;;
    [A-Z]*) echo "$w: upper" ;;
    [0-9]*) echo "$w: digit" ;;
    *) echo "[$w]: other" ;;
  esac
done
case yes in y*) echo "falls through" ;& n*) echo "into the next" ;; esac
shopt -s extglob; [[ foo123 == +([a-z])+([0-9]) ]] && echo "extglob"
[[ -d / && ! -e /no/such/path ]] && echo "file tests"
echo "end of conditions"
