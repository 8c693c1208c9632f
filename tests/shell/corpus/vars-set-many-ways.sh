#!/bin/bash
export EDITOR_CMD
read -r name
for item in a b c; do
  echo "$item"
done
while getopts "vo:" opt; do
  case "$opt" in
    v) verbose=1 ;;
    o) outfile="$OPTARG" ;;
    *) exit 2 ;;
  esac
done
mapfile -t lines < /etc/hosts
printf -v greeting "hello %s" "$name"
declare -a parts=(x y)
greet() {
  local who="$1"
  echo "$greeting, $who (${verbose:-0}) ${#lines[@]} ${parts[0]}"
}
greet "$name" > "${outfile:-/dev/stdout}"
echo "editor: ${EDITOR_CMD:-vi}"
