#!/bin/bash
LOG=/var/log/nginx/access.log
awk '{print $1}' "$LOG" | sort | uniq -c | sort -rn | head -n 10
