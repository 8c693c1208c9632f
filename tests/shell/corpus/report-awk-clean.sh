#!/bin/bash
log=/var/log/app/requests.log
awk '{bytes[$1] += $10} END {for (ip in bytes) print bytes[ip], ip}' "$log" | sort -rn | head -n 5
grep -o 'status=[0-9]*' "$log" | sort | uniq -c | sort -rn
wc -l < "$log"
