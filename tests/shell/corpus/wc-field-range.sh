#!/bin/bash
lines=$(wc -l < data.csv | cut -d' ' -f2)
echo "rows: $lines"
uniq -c sorted.txt | awk '{print $1}' | sort -n | tail -1
