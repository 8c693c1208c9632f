#!/bin/bash
log_dir=/var/log/myapp
keep=5
cd "$log_dir" || exit 1
for f in *.log; do
  [ -e "$f" ] || continue
  mv "$f" "$f.$(date +%s)"
done
old=$(ls -t *.log.* | tail -n +$((keep + 1)))
rm -f $old
echo "rotated in $logdir"
