# Here-documents and here-strings.
name=world
cat <<EOT
hello $name
sum $((1 + 2))
EOT
cat <<'EOT'
literal $name $((1 + 2))
EOT
cat <<-EOT
	tabs are stripped
		from every line
	EOT
while read -r a b; do echo "<$a|$b>"; done <<EOT
one two three
four
EOT
tr_like() { local line; while IFS= read -r line; do echo "${line^^}"; done; }
tr_like <<< "here string"
cat <<EOT | { read -r first; echo "piped: $first"; }
through a pipe
EOT
echo "end of heredocs"
