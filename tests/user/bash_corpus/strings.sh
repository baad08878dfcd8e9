# Parameter expansion on strings.
path=/usr/local/lib/libthing.so.1.2
echo "${path##*/} ${path%/*} ${path#/*/} ${path%%.*}"
echo "${path/lib/LIB} ${path//lib/LIB} ${path/#\/usr/USR} ${path/%2/two}"
w="Mixed Case"
echo "${w^^} ${w,,} ${w^} ${w~~}"
echo "${w:2:3} ${w: -4} ${#w}"
unset nothing
echo "${nothing:-default} ${nothing-dash} [${nothing:+alt}] ${w:+alt}"
: "${assigned:=now set}"; echo "$assigned"
ref=w; echo "indirect: ${!ref}"
prefix_a=1 prefix_b=2; echo "names: ${!prefix_@}"
declare -n nameref=w; echo "nameref: $nameref"
s="a-b-c"; IFS=- read -ra parts <<< "$s"; echo "parts: ${parts[*]}"
printf -v padded '%-8s|' "$w"; echo "$padded"
str="abc"; echo "${str@Q} ${str@U}"
echo "end of strings"
