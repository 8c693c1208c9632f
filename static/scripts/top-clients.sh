#!/bin/sh
# The ten client addresses with the most successful requests in an nginx access log
# (combined format: the address is the first field, the status the ninth).
LOG=${1:-/var/log/nginx/access.log}

cat "$LOG" | grep ' 200 ' | cut -d' ' -f1 | sort | uniq -c | sort -rn | head -n 10 > top-clients.txt
