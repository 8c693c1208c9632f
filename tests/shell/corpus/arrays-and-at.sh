#!/bin/bash
run() {
  echo "running: $*"
  "$@"
}
files=(a.txt "b c.txt")
cp ${files[@]} /tmp/
run ls $@
for f in "${files[@]}"; do echo "$f"; done
