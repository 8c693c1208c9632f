#!/bin/bash
for f in $(ls *.log); do
  gzip "$f"
done
for d in `ls /srv`; do
  echo "$d"
done
