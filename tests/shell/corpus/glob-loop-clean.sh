#!/bin/bash
for f in ./*.log; do
  [ -e "$f" ] || continue
  gzip "$f"
done
find /srv -maxdepth 1 -type d -print0 | while IFS= read -r -d '' d; do
  echo "$d"
done
