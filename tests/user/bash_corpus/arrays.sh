# Indexed and associative arrays.
a=(zero one two three "four four")
echo "${#a[@]} elements; third is ${a[2]}; last is ${a[-1]}"
echo "slice: ${a[@]:1:2}"
a+=(five)
unset 'a[1]'
echo "indices: ${!a[@]}"
for x in "${a[@]}"; do printf '[%s]' "$x"; done; echo
declare -A colour=([apple]=red [banana]=yellow [cherry]="dark red")
colour[lime]=green
for k in apple banana cherry lime; do echo "$k -> ${colour[$k]}"; done
echo "${#colour[@]} fruits"
[[ -v colour[apple] ]] && echo "apple is set"
unset 'colour[apple]'
[[ -v colour[apple] ]] || echo "apple is unset"
read -ra words <<< "split these  words"
echo "${#words[@]}: ${words[*]}"
IFS=, joined="${a[*]}"; echo "$joined"
declare -a squares
for i in {1..6}; do squares[i*i]=$i; done
echo "sparse keys: ${!squares[*]}"
mapfile -t lines <<'LINES'
first line
second line
LINES
echo "mapfile read ${#lines[@]}: ${lines[1]}"
echo "end of arrays"
