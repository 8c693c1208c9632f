#!/bin/bash
output_dir=/tmp/report
mkdir -p "$output_dir"
echo "report" > "$ouput_dir/report.txt"
count=0
for f in /var/log/*.log; do
  count=$((count + 1))
done
echo "$count logs, $total_size bytes"
