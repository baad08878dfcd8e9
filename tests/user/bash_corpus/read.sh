# read: -r, IFS, -a, -d, -n, default REPLY, the exit status at the end.
printf 'a\\b c\n' | { read -r x y; echo "raw: [$x] [$y]"; }
printf 'a\\b c\n' | { read x y; echo "cooked: [$x] [$y]"; }
IFS=: read -r user pass rest <<< "root:x:0:0:root"
echo "$user / $pass / $rest"
read -d ';' part <<< "before;after"; echo "delimited: $part"
read -n 3 three <<< "abcdef"; echo "three chars: $three"
read <<< "  spaced  reply  "; echo "REPLY=[$REPLY]"
IFS= read -r kept <<< "  kept spaces  "; echo "kept=[$kept]"
printf 'no newline' | { read -r last; echo "status $? last=[$last]"; }
n=0; while read -r line; do n=$((n + 1)); done <<< $'l1\nl2\nl3'; echo "$n lines"
echo "end of read"
